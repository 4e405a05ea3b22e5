"""Deadlines, late penalties, attempt limits and the minimum interval between attempts.

Enforced on the server for the form and the API alike; instructors are exempt. Each
refusal carries a message key of :mod:`web.i18n` and the numbers it needs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select

from web.db import db, utcnow
from web.models import ExerciseSetting, QuizAttempt, Submission, User

__all__ = ["Admission", "PolicyError", "admit", "attempts_used", "settings_for"]


class PolicyError(Exception):
    """A submission refused by the course's rules (HTTP 403 or 429)."""

    def __init__(self, key: str, status: int = 403, **fields: Any) -> None:
        super().__init__(key)
        self.key = key
        self.status = status
        self.fields = fields


@dataclass(frozen=True)
class Admission:
    late: bool = False
    penalty: float = 0.0
    fields: dict[str, Any] = field(default_factory=dict)


def settings_for(exercise_id: str) -> ExerciseSetting:
    """The stored settings, or defaults (published, no dates, no limits) when none exist."""
    row = db.session.get(ExerciseSetting, exercise_id)
    if row is None:
        row = ExerciseSetting(
            exercise_id=exercise_id,
            published=True,
            late_penalty=0.0,
            min_interval_seconds=0,
            score_policy="best",
        )
    return row


def attempts_used(user: User, exercise_id: str, kind: str) -> int:
    if kind == "quiz":
        stmt = (
            select(func.count())
            .select_from(QuizAttempt)
            .where(QuizAttempt.user_id == user.id, QuizAttempt.exercise_id == exercise_id)
        )
    else:
        stmt = (
            select(func.count())
            .select_from(Submission)
            .where(
                Submission.user_id == user.id,
                Submission.exercise_id == exercise_id,
                Submission.counts_as_attempt.is_(True),
            )
        )
    return int(db.session.scalar(stmt) or 0)


def _last_attempt(user: User, exercise_id: str, kind: str) -> dt.datetime | None:
    if kind == "quiz":
        stmt = select(func.max(QuizAttempt.created_at)).where(
            QuizAttempt.user_id == user.id, QuizAttempt.exercise_id == exercise_id
        )
    else:
        stmt = select(func.max(Submission.created_at)).where(
            Submission.user_id == user.id,
            Submission.exercise_id == exercise_id,
            Submission.counts_as_attempt.is_(True),
        )
    last = db.session.scalar(stmt)
    if last is not None and last.tzinfo is None:  # func.max bypasses the column type
        last = last.replace(tzinfo=dt.UTC)
    return last


def fmt_time(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


def admit(user: User, exercise_id: str, kind: str, now: dt.datetime | None = None) -> Admission:
    """May ``user`` make a graded attempt now? Raises :class:`PolicyError` if not."""
    now = now or utcnow()
    s = settings_for(exercise_id)
    if user.is_instructor:
        return Admission()
    if not s.published:
        raise PolicyError("ex.not-found", status=404)
    if s.opens_at is not None and now < s.opens_at:
        raise PolicyError("policy.not-open", when=fmt_time(s.opens_at))
    late = False
    if s.due_at is not None and now > s.due_at:
        if s.late_until is not None and now > s.late_until:
            raise PolicyError("policy.closed", when=fmt_time(s.due_at))
        late = True
    if s.max_attempts is not None:
        used = attempts_used(user, exercise_id, kind)
        if used >= s.max_attempts:
            raise PolicyError("policy.attempts", limit=s.max_attempts)
    if s.min_interval_seconds:
        last = _last_attempt(user, exercise_id, kind)
        if last is not None:
            wait = (last + dt.timedelta(seconds=s.min_interval_seconds) - now).total_seconds()
            if wait > 0:
                raise PolicyError(
                    "policy.interval",
                    status=429,
                    seconds=int(wait + 0.999),
                    interval=s.min_interval_seconds,
                )
    penalty = float(s.late_penalty) if late else 0.0
    return Admission(late=late, penalty=penalty)
