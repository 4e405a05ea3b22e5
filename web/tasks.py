"""Celery: grading in separate worker processes (``gradwell worker``).

The task carries only the submission id; the worker reads the source from the
database and writes the result back (``web.grading.run_grading``). ``acks_late`` and
``reject_on_worker_lost`` put a task back in the queue when its worker dies mid-way;
when a worker starts, it dispatches again whatever is still queued, and whatever has
been ``running`` longer than ``GRADING_STALE_SECONDS`` (its grader died).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from typing import Any

from celery import Celery, signals
from flask import Flask
from sqlalchemy import or_, select

__all__ = ["celery", "grade_submission", "worker_app"]

log = logging.getLogger(__name__)

celery = Celery("gradwell")
celery.conf.update(
    broker_url=os.environ.get("GRADWELL_BROKER_URL", "redis://127.0.0.1:6379/0"),
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    task_serializer="json",
    accept_content=["json"],
    broker_connection_retry_on_startup=True,
    broker_transport_options={"visibility_timeout": 900},
    task_ignore_result=True,
    worker_hijack_root_logger=False,
)

_app: Flask | None = None


def configure(broker_url: str) -> None:
    celery.conf.broker_url = broker_url


def worker_app() -> Flask:
    """The Flask app of this worker process (configured from the environment)."""
    global _app
    if _app is None:
        from web import create_app

        _app = create_app({"GRADING_MODE": "celery", "RECOVER_ON_START": False})
    return _app


@celery.task(name="gradwell.grade_submission", bind=True, max_retries=None)
def grade_submission(self: Any, submission_id: int) -> None:
    from web.db import db
    from web.grading import run_grading
    from web.models import Submission

    app = worker_app()
    if run_grading(app, submission_id):
        return
    with app.app_context():
        sub = db.session.get(Submission, submission_id)
        busy = sub is not None and sub.status == "running"
        db.session.remove()
    if busy:  # another grader holds it; look again once its claim could have gone stale
        raise self.retry(countdown=min(60, int(app.config["GRADING_STALE_SECONDS"])))


@signals.worker_process_init.connect
def _fresh_connections(**_kwargs: Any) -> None:
    """A forked pool process must not share the parent's database connections."""
    if _app is not None:
        from web.db import db

        db.engine.dispose(close=False)


@signals.worker_ready.connect
def _recover_on_ready(**_kwargs: Any) -> None:
    from web.db import db, utcnow
    from web.models import Submission

    app = worker_app()
    with app.app_context():
        stale = utcnow() - dt.timedelta(seconds=int(app.config["GRADING_STALE_SECONDS"]))
        ids = list(
            db.session.scalars(
                select(Submission.id)
                .where(
                    or_(
                        Submission.status == "queued",
                        (Submission.status == "running") & (Submission.started_at < stale),
                    )
                )
                .order_by(Submission.id)
            )
        )
        db.session.remove()
    for sid in ids:  # a duplicate of a message still in the queue is harmless: claims are atomic
        grade_submission.delay(sid)
    if ids:
        log.info("worker start: re-dispatched %d submission(s)", len(ids))
