"""gradwell's web service: students submit and take quizzes, instructors grade.

``create_app(test_config=None)`` builds the app; one blueprint per area (``auth``,
``exercises``, ``submissions``, ``quizzes``, ``instructor``, ``api``). The database
schema is brought up to date by Alembic when the app starts.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from flask import Flask
from flask_wtf.csrf import CSRFProtect
from sqlalchemy.exc import SQLAlchemyError

from web.config import load_config
from web.db import DatabaseURLError
from web.db import db as database

__all__ = ["DatabaseURLError", "create_app", "csrf"]

csrf = CSRFProtect()
log = logging.getLogger(__name__)


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app: config, database (migrated), CSRF, blueprints, error pages, graders."""
    app = Flask(__name__, instance_relative_config=True)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_mapping(load_config(Path(app.instance_path), test_config))

    app.json.sort_keys = False  # type: ignore[attr-defined]  # keep the contract's key order
    database.init_app(app)
    if app.config["AUTO_MIGRATE"]:
        _migrate(app)

    if app.config["PROXY_FIX"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)  # type: ignore[method-assign]
    csrf.init_app(app)
    from web import api, auth, errors, exercises, instructor, quizzes, submissions, views

    for module in (auth, exercises, submissions, quizzes, instructor, api):
        app.register_blueprint(module.bp)
    csrf.exempt(api.bp)  # the API authenticates with bearer tokens, not cookies
    views.init_app(app)
    errors.init_app(app)

    if app.config["GRADING_MODE"] == "celery":
        from web import tasks

        tasks.configure(app.config["BROKER_URL"])
    elif app.config["GRADING_MODE"] == "embedded" and app.config["RECOVER_ON_START"]:
        from web.grading import recover

        recover(app)
    return app


def _migrate(app: Flask) -> None:
    from web.migrate import upgrade

    try:
        upgrade(database.engine)
    except SQLAlchemyError as exc:
        url = app.config["DATABASE_URL"]
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise DatabaseURLError(
            f"cannot use the database at GRADWELL_DATABASE_URL={_redact(url)!r}: {reason}. "
            "Check that the server is running and the URL (user, host, port, database name) is "
            "right, or unset GRADWELL_DATABASE_URL to use the embedded SQLite database."
        ) from None


def _redact(url: str) -> str:
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return url
