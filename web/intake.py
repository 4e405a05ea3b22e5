"""Accepting a code submission: the checks shared by the web form and the JSON API."""

from __future__ import annotations

from flask import current_app

from web import grading, ratelimit
from web.models import Submission, User
from web.policy import PolicyError, admit

__all__ = ["accept_code", "check_rate"]


def accept_code(user: User, exercise_id: str, kind: str, source: str) -> Submission:
    """Store ``source`` as a queued submission and dispatch it, or raise :class:`PolicyError`."""
    if kind != "code":
        raise PolicyError("policy.wrong-kind", status=400)
    size = len(source.encode("utf-8"))
    limit = int(current_app.config["MAX_SOURCE_BYTES"])
    if size > limit:
        raise PolicyError("policy.too-big", status=413, size=size, limit=limit)
    if not source.strip():
        raise PolicyError("policy.empty", status=400)
    admission = admit(user, exercise_id, kind)
    check_rate(user)
    return grading.create_submission(user, exercise_id, source, admission)


def check_rate(user: User) -> None:
    """Count one graded attempt (code or quiz) against the user's submission rate."""
    rate, window = current_app.config["SUBMIT_RATE"]
    key = f"submit:{user.id}"
    if not user.is_instructor and not ratelimit.hit(key, int(rate), int(window)):
        raise PolicyError("policy.rate", status=429, seconds=ratelimit.retry_after(key, window))
