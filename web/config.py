"""Configuration: defaults, then the environment (``GRADWELL_*``), then ``test_config``."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

__all__ = ["load_config"]

DEFAULTS: dict[str, Any] = {
    # "embedded": a thread pool in this process; "celery": workers via GRADWELL_BROKER_URL;
    # "sync": grade inside the request (tests only).
    "GRADING_MODE": None,
    "GRADING_THREADS": 2,
    "BROKER_URL": None,
    "AUTO_MIGRATE": True,
    "RECOVER_ON_START": True,
    # A claim older than this is taken to belong to a dead grader and is graded again.
    "GRADING_STALE_SECONDS": 300,
    # How often a Celery worker looks for submissions that no grader has (broker outage).
    "SWEEP_SECONDS": 60,
    "MAX_SOURCE_BYTES": 200_000,
    "MAX_CONTENT_LENGTH": 1_000_000,
    "LOGIN_RATE": (10, 300),
    "SUBMIT_RATE": (30, 600),
    "SIGNUP_ENABLED": True,
    "GRADE_FUNCTION": None,
    "EXERCISE_LOADER": None,
    "QUIZ_BACKEND": None,
    # Behind one reverse proxy: trust its X-Forwarded-For/-Proto (rate limits by client).
    "PROXY_FIX": False,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_SECURE": False,
    "SESSION_COOKIE_NAME": "gradwell_session",
    "PERMANENT_SESSION_LIFETIME": 14 * 24 * 3600,
    "WTF_CSRF_TIME_LIMIT": None,
}


def load_config(instance_path: Path, test_config: dict[str, Any] | None) -> dict[str, Any]:
    cfg = dict(DEFAULTS)
    env = os.environ
    cfg["DATABASE_URL"] = env.get("GRADWELL_DATABASE_URL") or (
        f"sqlite:///{instance_path / 'gradwell.sqlite'}"
    )
    if env.get("GRADWELL_BROKER_URL"):
        cfg["BROKER_URL"] = env["GRADWELL_BROKER_URL"]
    if env.get("GRADWELL_PROXY_FIX", "").lower() in ("1", "true", "yes"):
        cfg["PROXY_FIX"] = True
    if env.get("GRADWELL_SECURE_COOKIES", "").lower() in ("1", "true", "yes"):
        cfg["SESSION_COOKIE_SECURE"] = True
    if env.get("GRADWELL_GRADING_STALE_SECONDS"):
        cfg["GRADING_STALE_SECONDS"] = int(env["GRADWELL_GRADING_STALE_SECONDS"])
    if env.get("GRADWELL_SWEEP_SECONDS"):
        cfg["SWEEP_SECONDS"] = float(env["GRADWELL_SWEEP_SECONDS"])
    if env.get("GRADWELL_SECRET_KEY"):
        cfg["SECRET_KEY"] = env["GRADWELL_SECRET_KEY"]
    if test_config:
        cfg.update(test_config)
    if cfg["GRADING_MODE"] is None:
        cfg["GRADING_MODE"] = "celery" if cfg["BROKER_URL"] else "embedded"
    if not cfg.get("SECRET_KEY"):
        cfg["SECRET_KEY"] = _instance_secret(instance_path)
    return cfg


def _instance_secret(instance_path: Path) -> str:
    """A random key kept in the instance folder, so sessions survive a restart."""
    path = instance_path / "secret_key"
    if path.is_file():
        return path.read_text().strip()
    key = secrets.token_hex(32)
    path.write_text(key)
    path.chmod(0o600)
    return key
