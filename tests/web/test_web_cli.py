"""The web's commands (contract §2) through click's CliRunner, and as real processes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, database_url: str) -> Any:
    from web.cli import register

    monkeypatch.setenv("GRADWELL_DATABASE_URL", database_url)
    monkeypatch.setenv("GRADWELL_SECRET_KEY", "test")
    monkeypatch.delenv("GRADWELL_BROKER_URL", raising=False)

    @click.group()
    def group() -> None:
        pass

    register(group)
    yield group
    from web.db import db

    db.dispose()


def test_users_add_and_tokens_create(cli: Any) -> None:
    runner = CliRunner()
    r = runner.invoke(
        cli,
        ["users", "add", "prof@example.com", "--role", "instructor", "--password-stdin"],
        input="s3cret-password\n",
    )
    assert r.exit_code == 0, r.output
    assert "created instructor prof@example.com" in r.output
    r = runner.invoke(cli, ["tokens", "create", "prof@example.com"])
    assert r.exit_code == 0
    token = r.output.strip().splitlines()[-1]
    assert token.startswith("gw_") and " " not in token
    from web import create_app

    app = create_app({"RECOVER_ON_START": False, "WTF_CSRF_ENABLED": False})
    client = app.test_client()
    assert (
        client.get("/api/v1/gradebook", headers={"Authorization": f"Bearer {token}"}).status_code
        == 200
    )
    assert (
        client.post(
            "/auth/login", data={"email": "prof@example.com", "password": "s3cret-password"}
        ).status_code
        == 302
    )


def test_cli_errors_are_one_line(cli: Any) -> None:
    runner = CliRunner()
    r = runner.invoke(cli, ["tokens", "create", "ghost@example.com"])
    assert r.exit_code == 1
    assert r.output.strip() == (
        "Error: no account for ghost@example.com. Create it first: "
        "gradwell users add ghost@example.com --role student"
    )
    runner.invoke(cli, ["users", "add", "a@example.com"])
    r = runner.invoke(cli, ["users", "add", "a@example.com"])
    assert (r.exit_code, r.output.strip()) == (
        1,
        "Error: an account for a@example.com already exists.",
    )
    r = runner.invoke(cli, ["users", "add", "b@example.com", "--role", "admin"])
    assert r.exit_code == 2
    r = runner.invoke(cli, ["users", "add", "b@example.com", "--password-stdin"], input="short\n")
    assert r.exit_code == 2 and "at least 8 characters" in r.output


def test_worker_needs_a_broker(cli: Any) -> None:
    r = CliRunner().invoke(cli, ["worker"])
    assert r.exit_code == 1
    assert "GRADWELL_BROKER_URL is not set" in r.output


def _run(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "web", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    "url",
    [
        "not a url",
        "postgresql+psycopg://postgres@127.0.0.1:1/nothing",
        "mysql+nosuchdriver://x@localhost/db",
    ],
)
def test_broken_database_url_is_a_one_line_error(url: str, tmp_path: Path) -> None:
    env = {**os.environ, "GRADWELL_DATABASE_URL": url, "GRADWELL_SECRET_KEY": "x"}
    r = _run(["db", "upgrade"], env, tmp_path)
    assert r.returncode == 1
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith("Error: ") and "GRADWELL_DATABASE_URL" in lines[0]
    assert "Traceback" not in r.stderr


def test_db_upgrade_creates_the_embedded_database_in_wal_mode(tmp_path: Path) -> None:
    import sqlite3

    db_file = tmp_path / "g.sqlite"
    env = {
        **os.environ,
        "GRADWELL_DATABASE_URL": f"sqlite:///{db_file}",
        "GRADWELL_SECRET_KEY": "x",
    }
    r = _run(["db", "upgrade"], env, tmp_path)
    assert r.returncode == 0, r.stderr
    conn = sqlite3.connect(db_file)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    conn.close()
    assert {
        "users",
        "submissions",
        "test_results",
        "quiz_attempts",
        "api_tokens",
        "exercise_settings",
        "alembic_version",
    } <= tables
