"""The web's commands in the ``gradwell`` group (contract §2): thin wrappers over plain functions.

``register(group)`` is the ``gradwell.commands`` entry point: it adds ``serve``,
``worker``, ``users add``, ``tokens create`` and ``db upgrade``.
"""

from __future__ import annotations

import sys
from typing import Any

import click
from flask import Flask

__all__ = ["register"]


def _app(**overrides: Any) -> Flask:
    """The app from the environment; a bad database URL becomes a one-line ``Error:``."""
    from web import DatabaseURLError, create_app

    try:
        return create_app(overrides or None)
    except DatabaseURLError as exc:
        raise click.ClickException(str(exc)) from None


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=int, help="Port to listen on.")
@click.option(
    "--threads", default=None, type=int, help="Grading threads in embedded mode (default 2)."
)
def serve(host: str, port: int, threads: int | None) -> None:
    """Run the web service (embedded SQLite and in-process graders unless configured)."""
    app = _app(**({"GRADING_THREADS": threads} if threads else {}))
    mode = app.config["GRADING_MODE"]
    click.echo(
        f"gradwell: database {_safe_url(app.config['DATABASE_URL'])}, grading {mode}", err=True
    )
    click.echo(f"gradwell: serving on http://{host}:{port}/", err=True)
    try:
        from waitress import serve as waitress_serve
    except ImportError:  # a production server when installed, Werkzeug's otherwise
        from werkzeug.serving import run_simple

        run_simple(host, port, app, threaded=True, use_reloader=False)
        return
    waitress_serve(app, host=host, port=port, threads=8, ident="gradwell")


def _safe_url(url: str) -> str:
    from web import _redact

    return _redact(url)


@click.command()
@click.option(
    "--concurrency",
    "-c",
    default=None,
    type=int,
    help="Grading processes (default: the number of cores).",
)
@click.option(
    "--pool",
    default="prefork",
    show_default=True,
    type=click.Choice(["prefork", "solo", "threads"]),
    help="Celery pool kind.",
)
@click.option("--loglevel", default="INFO", show_default=True, help="Celery log level.")
def worker(concurrency: int | None, pool: str, loglevel: str) -> None:
    """Run a grading worker for the distributed mode (broker from GRADWELL_BROKER_URL)."""
    import os

    broker = os.environ.get("GRADWELL_BROKER_URL")
    if not broker:
        raise click.ClickException(
            "GRADWELL_BROKER_URL is not set. Set it to the broker the web service uses, "
            "e.g. GRADWELL_BROKER_URL=redis://127.0.0.1:6379/0."
        )
    from web import tasks

    tasks._app = _app(GRADING_MODE="celery", RECOVER_ON_START=False)
    tasks.configure(broker)
    argv = [
        "worker",
        f"--loglevel={loglevel}",
        f"--pool={pool}",
        "--without-gossip",
        "--without-mingle",
    ]
    if concurrency:
        argv.append(f"--concurrency={concurrency}")
    tasks.celery.worker_main(argv)


@click.group()
def users() -> None:
    """Manage accounts."""


@users.command("add")
@click.argument("email")
@click.option(
    "--role",
    type=click.Choice(["student", "instructor"]),
    default="student",
    show_default=True,
    help="The account's role.",
)
@click.option("--name", default="", help="Display name.")
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from the first line of standard input.",
)
def users_add(email: str, role: str, name: str, password_stdin: bool) -> None:
    """Create an account (without a password, the student sets one by signing up)."""
    from web.auth import create_user

    password = None
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if len(password) < 8:
            raise click.UsageError("the password on standard input needs at least 8 characters")
    app = _app(RECOVER_ON_START=False)
    with app.app_context():
        try:
            user = create_user(email, role, password, name)
        except ValueError as exc:
            raise click.ClickException(f"{exc}.") from None
        click.echo(f"created {user.role} {user.email} (id {user.id})")


@click.group()
def tokens() -> None:
    """Manage API tokens."""


@tokens.command("create")
@click.argument("email")
def tokens_create(email: str) -> None:
    """Print a new API token for EMAIL, alone on the last line."""
    from web.auth import create_token, find_user

    app = _app(RECOVER_ON_START=False)
    with app.app_context():
        user = find_user(email)
        if user is None:
            raise click.ClickException(
                f"no account for {email}. "
                f"Create it first: gradwell users add {email} --role student"
            )
        token = create_token(user)
        click.echo(
            f"API token for {user.email} (shown once; send it as 'Authorization: Bearer …'):"
        )
        click.echo(token)


@click.group("db")
def db_group() -> None:
    """Database maintenance."""


@db_group.command("upgrade")
def db_upgrade() -> None:
    """Apply the schema migrations (the server also does this when it starts)."""
    _app(RECOVER_ON_START=False)
    click.echo("database schema is up to date")


def register(group: click.Group) -> None:
    """Add the web's commands to the ``gradwell`` group (entry point ``gradwell.commands``)."""
    for command in (serve, worker, users, tokens, db_group):
        group.add_command(command)
