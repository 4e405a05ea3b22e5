"""Nothing is lost: commit before dispatch, embedded pool, crash recovery, one transaction."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from sqlalchemy import select
from webfakes import CORRECT, NAIVE, Auth


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def wait_done(client: Any, token: str, sid: int, timeout: float = 10) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body: dict[str, Any] = client.get(
            f"/api/v1/submissions/{sid}", headers=bearer(token)
        ).get_json()
        if body["status"] in ("done", "error"):
            return body
        time.sleep(0.05)
    raise AssertionError(f"submission {sid} still {body['status']}")


def test_embedded_pool_goes_queued_running_done(
    make_app: Any, database_url: str, grader: Any
) -> None:
    app = make_app(database_url, GRADING_MODE="embedded")
    client = app.test_client()
    token = Auth(app, client).token("s@example.com")
    grader.gate = threading.Event()  # hold the grader so the intermediate states are visible
    sid = client.post(
        "/api/v1/exercises/demo/submissions", json={"source": CORRECT}, headers=bearer(token)
    ).get_json()["id"]
    seen = set()
    for _ in range(100):
        seen.add(
            client.get(f"/api/v1/submissions/{sid}", headers=bearer(token)).get_json()["status"]
        )
        if "running" in seen:
            break
        time.sleep(0.02)
    assert "running" in seen
    grader.gate.set()
    body = wait_done(client, token, sid)
    assert (body["status"], body["score"]) == ("done", 3.0)


def test_interrupted_submissions_are_graded_at_start(
    make_app: Any, database_url: str, grader: Any
) -> None:
    from web.db import db
    from web.models import Submission, User

    app = make_app(database_url, GRADING_MODE="embedded", RECOVER_ON_START=False)
    with app.app_context():
        user = User(email="s@example.com", role="student", password_hash=None)
        db.session.add(user)
        db.session.flush()
        # as a crash leaves them: one never started, one half-graded
        db.session.add_all(
            [
                Submission(user_id=user.id, exercise_id="demo", source=CORRECT, status="queued"),
                Submission(user_id=user.id, exercise_id="demo", source=NAIVE, status="running"),
            ]
        )
        db.session.commit()
    from web.grading import shutdown

    shutdown(app)
    restarted = make_app(database_url, GRADING_MODE="embedded")  # RECOVER_ON_START defaults on
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with restarted.app_context():
            rows = db.session.scalars(select(Submission).order_by(Submission.id)).all()
            states = [(s.status, s.score) for s in rows]
            db.session.remove()
        if all(st == "done" for st, _ in states):
            break
        time.sleep(0.05)
    assert states == [("done", 3.0), ("done", 2.0)]


def test_claim_is_exclusive(app: Any) -> None:
    from web.db import db
    from web.grading import claim
    from web.models import Submission, User

    with app.app_context():
        user = User(email="s@example.com", role="student")
        db.session.add(user)
        db.session.flush()
        sub = Submission(user_id=user.id, exercise_id="demo", source=CORRECT, status="queued")
        db.session.add(sub)
        db.session.commit()
        assert claim(sub.id, stale_seconds=300) is True
        assert claim(sub.id, stale_seconds=300) is False  # another grader holds it
        assert claim(sub.id, stale_seconds=-1) is True  # ...until its claim is stale


def test_result_is_written_in_one_transaction(app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure while writing the test rows leaves no half-written result behind."""
    from web import grading
    from web.db import db
    from web.models import Submission, TestRow, User

    with app.app_context():
        user = User(email="s@example.com", role="student")
        db.session.add(user)
        db.session.flush()
        sub = Submission(user_id=user.id, exercise_id="demo", source=CORRECT, status="queued")
        db.session.add(sub)
        db.session.commit()
        sid = sub.id
    payload = {
        "score": 3.0,
        "max_score": 3.0,
        "status": "graded",
        "tests": [
            {"name": "a: b", "score": 1.0, "max_score": 1.0, "status": "passed"},
            {"name": "c: d", "score": "not a number", "max_score": 1.0, "status": "x"},
        ],
    }
    with app.app_context():
        sub = db.session.get(Submission, sid)
        with pytest.raises(ValueError):
            grading.record(sub, payload)
        db.session.rollback()
        db.session.remove()
    with app.app_context():
        sub = db.session.get(Submission, sid)
        assert (sub.status, sub.score, sub.result_json) == ("queued", None, None)
        assert db.session.scalars(select(TestRow)).all() == []


def test_unreachable_broker_keeps_the_submission_queued(make_app: Any, database_url: str) -> None:
    """The submission is committed first; a broker outage only delays its grading."""
    from web.db import db
    from web.models import Submission

    app = make_app(database_url, GRADING_MODE="celery", BROKER_URL="redis://127.0.0.1:1/0")
    client = app.test_client()
    token = Auth(app, client).token("s@example.com")
    started = time.monotonic()
    r = client.post(
        "/api/v1/exercises/demo/submissions", json={"source": CORRECT}, headers=bearer(token)
    )
    assert time.monotonic() - started < 10
    assert (r.status_code, r.get_json()["status"]) == (202, "queued")
    with app.app_context():
        sub = db.session.get(Submission, r.get_json()["id"])
        assert (sub.status, sub.dispatched_at) == ("queued", None)
    from web.tasks import orphans

    assert orphans(app, at_start=False) == [sub.id]  # what a worker's sweep will dispatch
