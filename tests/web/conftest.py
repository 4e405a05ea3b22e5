"""Fixtures: ``app`` (fresh database per test, SQLite or PostgreSQL), ``client``,
``runner``, ``auth``; grading through :class:`webfakes.FakeGrader` unless a test
asks for the real engine.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from webfakes import Auth, FakeGrader, FakeQuiz, make_exercises, reset_pg

PG_ADMIN_URL = os.environ.get(
    "GRADWELL_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
FAST_ARGON2 = {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """A database of its own for this test run, dropped at the end."""
    name = f"gradwell_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        admin.dispose()
        pytest.fail(f"PostgreSQL at {PG_ADMIN_URL} is needed for the postgres tests: {exc}")
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    yield url
    from web.db import db

    db.dispose()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.sqlite'}"
    url: str = request.getfixturevalue("pg_database")
    reset_pg(url)
    return url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'test.sqlite'}"


@pytest.fixture
def grader() -> FakeGrader:
    return FakeGrader()


@pytest.fixture
def make_app(tmp_path: Path, grader: FakeGrader) -> Iterator[Any]:
    made: list[Flask] = []
    exercises = make_exercises(tmp_path / "exercises")

    def factory(url: str, **config: Any) -> Flask:
        from web import create_app

        cfg = {
            "TESTING": True,
            "DATABASE_URL": url,
            "SECRET_KEY": "test",
            "GRADING_MODE": "sync",
            "GRADE_FUNCTION": grader,
            "EXERCISE_LOADER": lambda: exercises,
            "QUIZ_BACKEND": FakeQuiz(),
            "ARGON2_PARAMS": FAST_ARGON2,
            "WTF_CSRF_ENABLED": False,
        }
        cfg.update(config)
        app = create_app(cfg)
        made.append(app)
        return app

    yield factory
    from web.db import db
    from web.grading import shutdown

    for app in made:
        shutdown(app)
    db.dispose()


@pytest.fixture
def app(make_app: Any, database_url: str) -> Flask:
    return make_app(database_url)  # type: ignore[no-any-return]


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> Any:
    return app.test_cli_runner()


@pytest.fixture
def auth(app: Flask, client: FlaskClient) -> Auth:
    return Auth(app, client)
