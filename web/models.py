"""SQLAlchemy 2.0 typed models. The schema itself is created by Alembic (``web/migrations``).

One course per installation: exercises come from ``exercises/`` (the grader's
catalogue); :class:`ExerciseSetting` adds what a course decides about each one
(publication, dates, penalties, limits).
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from typing import Any, Literal

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from web.db import Base, UTCDateTime, utcnow

__all__ = [
    "ROLES",
    "STATUSES",
    "ApiToken",
    "ExerciseSetting",
    "QuizAttempt",
    "RateEvent",
    "Submission",
    "TestRow",
    "User",
]

ROLES = ("student", "instructor")
STATUSES = ("queued", "running", "done", "error")
Status = Literal["queued", "running", "done", "error"]


def _student_key() -> str:
    return secrets.token_hex(8)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default="student")
    # Seeds the per-student numbers of quizzes; stable for the account's lifetime.
    student_key: Mapped[str] = mapped_column(String(32), default=_student_key)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)

    submissions: Mapped[list[Submission]] = relationship(back_populates="user")

    @property
    def is_instructor(self) -> bool:
        return self.role == "instructor"

    @property
    def display_name(self) -> str:
        return self.name or self.email


class ApiToken(Base):
    """A bearer token; only its SHA-256 is stored (the token itself is shown once)."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()


class ExerciseSetting(Base):
    """The course's policy for one exercise (defaults apply when no row exists)."""

    __tablename__ = "exercise_settings"

    exercise_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    published: Mapped[bool] = mapped_column(Boolean, default=True)
    opens_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    due_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    # Submissions after due_at and before late_until are accepted with a penalty.
    late_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    late_penalty: Mapped[float] = mapped_column(Float, default=0.0)
    max_attempts: Mapped[int | None] = mapped_column(Integer)
    min_interval_seconds: Mapped[int] = mapped_column(Integer, default=0)
    score_policy: Mapped[str] = mapped_column(String(10), default="best")


class Submission(Base):
    __tablename__ = "submissions"
    __table_args__ = (Index("ix_submissions_user_exercise", "user_id", "exercise_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    exercise_id: Mapped[str] = mapped_column(String(64), index=True)
    source: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="queued", index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    started_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    penalty: Mapped[float] = mapped_column(Float, default=0.0)
    # score = raw_score × (1 − penalty); both set when status is done.
    raw_score: Mapped[float | None] = mapped_column(Float)
    score: Mapped[float | None] = mapped_column(Float)
    max_score: Mapped[float | None] = mapped_column(Float)
    # An ungradable submission (syntax error) does not use up an attempt.
    counts_as_attempt: Mapped[bool] = mapped_column(Boolean, default=True)
    result_json: Mapped[str | None] = mapped_column(Text)
    error: Mapped[str | None] = mapped_column(Text)
    dispatch_count: Mapped[int] = mapped_column(Integer, default=0)
    # When it was last handed to a grader (None: never, e.g. the broker was down).
    dispatched_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship(back_populates="submissions")
    tests: Mapped[list[TestRow]] = relationship(
        back_populates="submission", cascade="all, delete-orphan", order_by="TestRow.position"
    )

    @property
    def result(self) -> dict[str, Any] | None:
        return None if self.result_json is None else json.loads(self.result_json)


class TestRow(Base):
    """One test of a graded submission, kept in columns for the statistics pages."""

    __test__ = False
    __tablename__ = "test_results"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    score: Mapped[float] = mapped_column(Float)
    max_score: Mapped[float] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(10))
    visibility: Mapped[str] = mapped_column(String(10), default="visible")
    tags: Mapped[str] = mapped_column(String(500), default="")

    submission: Mapped[Submission] = relationship(back_populates="tests")


class QuizAttempt(Base):
    __tablename__ = "quiz_attempts"
    __table_args__ = (Index("ix_quiz_attempts_user_exercise", "user_id", "exercise_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    exercise_id: Mapped[str] = mapped_column(String(64))
    answers_json: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    penalty: Mapped[float] = mapped_column(Float, default=0.0)
    raw_score: Mapped[float] = mapped_column(Float)
    score: Mapped[float] = mapped_column(Float)
    max_score: Mapped[float] = mapped_column(Float)
    result_json: Mapped[str] = mapped_column(Text)

    user: Mapped[User] = relationship()

    @property
    def result(self) -> dict[str, Any]:
        return json.loads(self.result_json)  # type: ignore[no-any-return]


class RateEvent(Base):
    """One counted action (a log-in try, a submission) for the rate limiter."""

    __tablename__ = "rate_events"
    __table_args__ = (Index("ix_rate_events_key_at", "key", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(300))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
