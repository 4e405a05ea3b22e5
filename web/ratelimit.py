"""A sliding-window rate limiter kept in the database (no extra service needed)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, func, select

from web.db import db, utcnow
from web.models import RateEvent

__all__ = ["hit", "retry_after"]


def hit(key: str, limit: int, window_seconds: int) -> bool:
    """Count one event for ``key``; False when ``limit`` events already fall in the window."""
    now = utcnow()
    since = now - dt.timedelta(seconds=window_seconds)
    db.session.execute(delete(RateEvent).where(RateEvent.key == key, RateEvent.at < since))
    count = (
        db.session.scalar(select(func.count()).select_from(RateEvent).where(RateEvent.key == key))
        or 0
    )
    if count >= limit:
        db.session.commit()
        return False
    db.session.add(RateEvent(key=key, at=now))
    db.session.commit()
    return True


def retry_after(key: str, window_seconds: int) -> int:
    """Seconds until the oldest counted event for ``key`` leaves the window."""
    oldest = db.session.scalar(select(func.min(RateEvent.at)).where(RateEvent.key == key))
    if oldest is None:
        return 0
    if oldest.tzinfo is None:
        oldest = oldest.replace(tzinfo=dt.UTC)
    left = (oldest + dt.timedelta(seconds=window_seconds) - utcnow()).total_seconds()
    return max(1, int(left + 0.999))
