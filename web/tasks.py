"""Celery: grading in separate worker processes (``gradwell worker``).

The task carries only the submission id; the worker reads the source from the
database and writes the result back (``web.grading.run_grading``). ``acks_late`` and
``reject_on_worker_lost`` put a task back in the queue when its worker dies mid-way;
when a worker starts, it dispatches again whatever is still queued, and whatever has
been ``running`` longer than ``GRADING_STALE_SECONDS`` (its grader died); then it sweeps
every ``SWEEP_SECONDS`` for submissions that no grader holds (e.g. the broker was down
when they were submitted).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
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
    """Point the Celery app at ``broker_url``, dropping connections to any earlier broker."""
    if celery.conf.broker_url == broker_url:
        return
    celery.conf.broker_url = broker_url
    # Pools are built lazily from the URL of their first use (tests switch brokers).
    if celery._pool is not None:
        celery._pool.force_close_all()
        celery._pool = None
    celery.amqp._producer_pool = None


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


def orphans(app: Flask, *, at_start: bool) -> list[int]:
    """Submissions no grader holds: queued but never (or long ago) dispatched, and
    running past the stale time. At start-up every queued one counts."""
    from web.db import db, utcnow
    from web.models import Submission

    with app.app_context():
        stale = utcnow() - dt.timedelta(seconds=int(app.config["GRADING_STALE_SECONDS"]))
        queued = Submission.status == "queued"
        if not at_start:
            queued = queued & or_(
                Submission.dispatched_at.is_(None), Submission.dispatched_at < stale
            )
        ids = list(
            db.session.scalars(
                select(Submission.id)
                .where(
                    or_(queued, (Submission.status == "running") & (Submission.started_at < stale))
                )
                .order_by(Submission.id)
            )
        )
        db.session.remove()
    return ids


def sweep(app: Flask, *, at_start: bool = False) -> list[int]:
    """Dispatch the orphans again (a duplicate message is harmless: claims are atomic)."""
    from web.grading import dispatch

    ids = orphans(app, at_start=at_start)
    sent = dispatch(app, ids) if ids else []
    if sent:
        log.info("re-dispatched %d submission(s) no grader held", len(sent))
    return sent


def _sweep_forever(app: Flask, stop: threading.Event) -> None:
    interval = float(app.config["SWEEP_SECONDS"])
    while not stop.wait(interval):
        try:
            sweep(app)
        except Exception:  # the database or the broker is down: try again next time
            log.exception("sweep failed")


_stop = threading.Event()


@signals.worker_ready.connect
def _recover_on_ready(**_kwargs: Any) -> None:
    app = worker_app()
    sweep(app, at_start=True)
    threading.Thread(
        target=_sweep_forever, args=(app, _stop), daemon=True, name="gradwell-sweep"
    ).start()


@signals.worker_shutdown.connect
def _stop_sweeping(**_kwargs: Any) -> None:
    _stop.set()
