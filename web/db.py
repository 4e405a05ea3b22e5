"""The database handle: one engine and one scoped session per application.

A thin layer instead of Flask-SQLAlchemy: ``db.session`` is a thread-local
:class:`~sqlalchemy.orm.scoped_session`, so request threads and grading threads each
get their own session; the request teardown removes it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Flask
from sqlalchemy import DateTime, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import DeclarativeBase, scoped_session, sessionmaker
from sqlalchemy.types import TypeDecorator

__all__ = ["Base", "Database", "DatabaseURLError", "UTCDateTime", "db", "utcnow"]


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timezone-aware UTC datetime on every backend (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column; use an aware UTC time")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    pass


class DatabaseURLError(ValueError):
    """``GRADWELL_DATABASE_URL`` cannot be used; the message says how to fix it."""


class Database:
    """Engine + scoped session, bound to an app by :meth:`init_app`."""

    def __init__(self) -> None:
        self._engine: Engine | None = None
        self.session: scoped_session[Any] = scoped_session(sessionmaker(expire_on_commit=False))

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            raise RuntimeError("the database is not initialised: call create_app() first")
        return self._engine

    def init_app(self, app: Flask) -> None:
        url = app.config["DATABASE_URL"]
        engine = make_engine(url)
        self.dispose()  # one app per process in production; tests build many in a row
        self._engine = engine
        self.session.configure(bind=self._engine)
        app.teardown_appcontext(lambda _exc: self.session.remove())

    def dispose(self) -> None:
        self.session.remove()
        if self._engine is not None:
            self._engine.dispose()


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets WAL, foreign keys and a busy timeout."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DatabaseURLError(
            f"GRADWELL_DATABASE_URL is not a database URL: {url!r}. Set it to an SQLAlchemy URL "
            "such as postgresql+psycopg://user@127.0.0.1:5432/gradwell, or unset it to use the "
            "embedded SQLite database."
        ) from None
    kwargs: dict[str, Any] = {}
    if parsed.get_backend_name() == "sqlite":
        # Request and grading threads share the file; each checks out its own connection.
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
    else:
        kwargs["pool_pre_ping"] = True
    try:
        engine = create_engine(parsed, **kwargs)
    except Exception as exc:  # unknown dialect, missing driver
        raise DatabaseURLError(
            f"GRADWELL_DATABASE_URL={url!r} cannot be used ({type(exc).__name__}: {exc}). "
            "Set it to a URL with an installed driver, e.g. postgresql+psycopg://…, "
            "or unset it to use the embedded SQLite database."
        ) from None
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


db = Database()
