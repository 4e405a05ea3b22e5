"""The path of a submission through the web: store, dispatch, grade, record.

Nothing is lost (design.md, invariant 5):

1. :func:`create_submission` commits the submission as ``queued`` *before*
   :func:`dispatch` hands its id to a grader;
2. :func:`run_grading` claims it (``queued`` → ``running``, or a stale ``running``
   whose grader died), grades it, and writes the score, the result and every test row
   in one transaction;
3. :func:`recover` dispatches again whatever a crash left queued or running: the
   embedded server does it at start-up, a Celery worker when it is ready.

Dispatch is embedded (a small thread pool in this process), Celery (``web.tasks``), or
synchronous (tests).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from flask import Flask, current_app
from sqlalchemy import delete, or_, select, update

from web import catalog
from web.db import db, utcnow
from web.models import Submission, TestRow, User
from web.policy import Admission

__all__ = ["create_submission", "dispatch", "recover", "regrade", "run_grading", "shutdown"]

log = logging.getLogger(__name__)


def create_submission(
    user: User, exercise_id: str, source: str, admission: Admission
) -> Submission:
    sub = Submission(
        user_id=user.id,
        exercise_id=exercise_id,
        source=source,
        status="queued",
        late=admission.late,
        penalty=admission.penalty,
    )
    db.session.add(sub)
    db.session.commit()  # committed before it is dispatched: a crash cannot lose it
    dispatch(current_app._get_current_object(), [sub.id])  # type: ignore[attr-defined]
    return sub


def dispatch(app: Flask, ids: list[int]) -> list[int]:
    """Hand ``ids`` to a grader; returns those handed over.

    A broker that cannot be reached is logged, not raised: the submission is already
    committed as ``queued``, and a worker's sweep dispatches it again later.
    """
    mode = app.config["GRADING_MODE"]
    if mode == "sync":
        for sid in ids:
            run_grading(app, sid)
        return ids
    sent: list[int] = []
    if mode == "celery":
        from web.tasks import grade_submission

        for sid in ids:
            try:
                grade_submission.apply_async(
                    (sid,),
                    retry=True,
                    retry_policy={"max_retries": 2, "interval_start": 0, "interval_step": 0.2},
                )
            except Exception as exc:  # broker down: the sweep will find it
                log.warning("could not dispatch submission %s (%s); it stays queued", sid, exc)
                continue
            sent.append(sid)
    else:
        pool = _pool(app)
        for sid in ids:
            pool.submit(_run_logged, app, sid)
            sent.append(sid)
    if sent:
        # A connection of its own: the caller's session and objects stay as they are.
        with db.engine.begin() as conn:
            conn.execute(
                update(Submission).where(Submission.id.in_(sent)).values(dispatched_at=utcnow())
            )
    return sent


_pools: dict[int, ThreadPoolExecutor] = {}
_pools_lock = threading.Lock()


def _pool(app: Flask) -> ThreadPoolExecutor:
    with _pools_lock:
        pool = _pools.get(id(app))
        if pool is None:
            pool = _pools[id(app)] = ThreadPoolExecutor(
                max_workers=int(app.config["GRADING_THREADS"]), thread_name_prefix="gradwell-grade"
            )
        return pool


def shutdown(app: Flask, wait: bool = True) -> None:
    """Stop the embedded pool of ``app`` (tests and server exit)."""
    with _pools_lock:
        pool = _pools.pop(id(app), None)
    if pool is not None:
        pool.shutdown(wait=wait, cancel_futures=not wait)


def _run_logged(app: Flask, sid: int) -> None:
    try:
        run_grading(app, sid)
    except Exception:  # the pool would swallow it silently
        log.exception("grading submission %s failed", sid)


def claim(sid: int, stale_seconds: int) -> bool:
    """Atomically mark ``sid`` running; False if another grader holds it or it is done."""
    now = utcnow()
    stale = now - dt.timedelta(seconds=stale_seconds)
    result = db.session.execute(
        update(Submission)
        .where(Submission.id == sid)
        .where(
            or_(
                Submission.status == "queued",
                (Submission.status == "running") & (Submission.started_at < stale),
            )
        )
        .values(status="running", started_at=now, dispatch_count=Submission.dispatch_count + 1)
    )
    db.session.commit()
    return bool(result.rowcount)  # type: ignore[attr-defined]


#: what the student's own code printed, kept for their result page (the sandbox
#: already caps each stream at 64 KiB; the page needs far less)
STDOUT_KEEP = 16 << 10


def result_payload(result: Any) -> dict[str, Any]:
    """The stored JSON: the contract's ``Result.to_dict``, the top output in both
    languages, and what the submission printed (its own output, shown to its author)."""
    data: dict[str, Any] = result.to_dict("en")
    data["output_i18n"] = {
        "en": data.get("output", ""),
        "ko": result.to_dict("ko").get("output", ""),
    }
    data["stdout"] = str(getattr(result, "stdout", "") or "")[:STDOUT_KEEP]
    return data


def run_grading(app: Flask, sid: int) -> bool:
    """Grade submission ``sid`` if this grader can claim it; True when it did."""
    with app.app_context():
        try:
            if not claim(sid, int(app.config["GRADING_STALE_SECONDS"])):
                return False
            sub = db.session.get(Submission, sid)
            if sub is None:
                return False
            grade = catalog.grade_function()
            try:
                result = grade(sub.exercise_id, sub.source)
                payload = result_payload(result)
            except Exception as exc:  # a grader error, never the student's fault
                log.exception("grader error on submission %s", sid)
                sub.status = "error"
                sub.error = f"{type(exc).__name__}: {exc}"
                sub.finished_at = utcnow()
                db.session.commit()
                return True
            record(sub, payload)
            return True
        finally:
            db.session.remove()


def record(sub: Submission, payload: dict[str, Any]) -> None:
    """Write the score, the result and its test rows in one transaction."""
    raw = float(payload["score"])
    db.session.execute(delete(TestRow).where(TestRow.submission_id == sub.id))
    for i, test in enumerate(payload.get("tests", [])):
        db.session.add(
            TestRow(
                submission_id=sub.id,
                position=i,
                name=str(test["name"])[:200],
                score=float(test["score"]),
                max_score=float(test["max_score"]),
                status=str(test["status"]),
                visibility=str(test.get("visibility", "visible")),
                tags=",".join(test.get("tags", []))[:500],
            )
        )
    sub.raw_score = raw
    sub.score = round(raw * (1.0 - sub.penalty), 6)
    sub.max_score = float(payload["max_score"])
    sub.counts_as_attempt = payload.get("status") != "ungradable"
    sub.result_json = json.dumps(payload)
    sub.error = None
    sub.status = "done"
    sub.finished_at = utcnow()
    db.session.commit()


def recover(app: Flask) -> list[int]:
    """Dispatch again the submissions a crash left ``queued`` or ``running``."""
    with app.app_context():
        ids = list(
            db.session.scalars(
                select(Submission.id)
                .where(Submission.status.in_(("queued", "running")))
                .order_by(Submission.id)
            )
        )
        if ids:
            # An embedded server owns its queue: nothing it left running is still running.
            db.session.execute(
                update(Submission)
                .where(Submission.id.in_(ids))
                .where(Submission.status == "running")
                .values(status="queued")
            )
            db.session.commit()
        db.session.remove()
    if ids:
        log.info("re-dispatching %d interrupted submission(s)", len(ids))
        dispatch(app, ids)
    return ids


def regrade(ids: list[int]) -> int:
    """Queue existing submissions again (after a fix to an exercise or the grader)."""
    if not ids:
        return 0
    db.session.execute(
        update(Submission)
        .where(Submission.id.in_(ids))
        .values(status="queued", started_at=None, finished_at=None)
    )
    db.session.commit()
    dispatch(current_app._get_current_object(), ids)  # type: ignore[attr-defined]
    return len(ids)
