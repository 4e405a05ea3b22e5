"""The distributed mode for real: PostgreSQL + Redis + ``gradwell worker`` processes grading
submissions sent through the API with the real grading engine; a worker killed mid-grading
loses nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.slow]

BROKER = os.environ.get("GRADWELL_TEST_BROKER_URL", "redis://127.0.0.1:6379/13")


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def pg_url(pg_database: str) -> str:
    from webfakes import reset_pg

    reset_pg(pg_database)
    return pg_database


@pytest.fixture
def broker() -> str:
    import redis

    client = redis.Redis.from_url(BROKER)
    client.flushdb()  # a database of our own: nothing left over from an earlier run
    client.close()
    return BROKER


class Workers:
    def __init__(self, env: dict[str, str], log_dir: Path) -> None:
        self.env, self.log_dir = env, log_dir
        self.procs: list[subprocess.Popen[bytes]] = []
        self.logs: list[Any] = []

    def start(self) -> subprocess.Popen[bytes]:
        log = open(self.log_dir / f"worker{len(self.procs)}.log", "wb")  # noqa: SIM115
        self.logs.append(log)
        proc = subprocess.Popen(
            [sys.executable, "-m", "web", "worker", "--concurrency", "1", "--loglevel", "INFO"],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.procs.append(proc)
        return proc

    def kill(self, proc: subprocess.Popen[bytes]) -> None:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)

    def stop_all(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(15)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait(5)
        for log in self.logs:
            log.close()


@pytest.fixture
def workers(pg_url: str, broker: str, tmp_path: Path) -> Iterator[Workers]:
    env = {
        **os.environ,
        "GRADWELL_DATABASE_URL": pg_url,
        "GRADWELL_BROKER_URL": broker,
        "GRADWELL_SECRET_KEY": "test",
        "GRADWELL_GRADING_STALE_SECONDS": "3",
    }
    w = Workers(env, tmp_path)
    yield w
    w.stop_all()


@pytest.fixture
def web_app(pg_url: str, broker: str) -> Iterator[Any]:
    from web import create_app
    from web.db import db

    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": pg_url,
            "BROKER_URL": broker,
            "SECRET_KEY": "test",
            "GRADING_STALE_SECONDS": 3,
        }
    )
    assert app.config["GRADING_MODE"] == "celery"
    yield app
    db.dispose()


def wait_for(client: Any, token: str, sid: int, want: set[str], timeout: float) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    body: dict[str, Any] = {}
    while time.monotonic() < deadline:
        body = client.get(f"/api/v1/submissions/{sid}", headers=bearer(token)).get_json()
        if body["status"] in want:
            return body
        time.sleep(0.1)
    raise AssertionError(f"submission {sid} is {body.get('status')}, wanted {want}")


def _token(app: Any) -> str:
    from web.auth import create_token, create_user

    with app.app_context():
        return create_token(create_user("student@example.com", "student", "password123"))


def test_workers_grade_api_submissions(web_app: Any, workers: Workers) -> None:
    from grader.exercise import get

    ex = get("activations")
    token = _token(web_app)
    client = web_app.test_client()
    workers.start()
    good = client.post(
        "/api/v1/exercises/activations/submissions",
        json={"source": ex.reference_source()},
        headers=bearer(token),
    )
    bad = client.post(
        "/api/v1/exercises/activations/submissions",
        json={"source": ex.starter},
        headers=bearer(token),
    )
    assert good.status_code == bad.status_code == 202
    body = wait_for(client, token, good.get_json()["id"], {"done", "error"}, 120)
    assert (body["status"], body["score"], body["max_score"]) == (
        "done",
        ex.max_score,
        ex.max_score,
    )
    assert all(t["status"] == "passed" for t in body["tests"])
    body = wait_for(client, token, bad.get_json()["id"], {"done", "error"}, 120)
    assert body["status"] == "done" and body["score"] == 0.0
    assert len(body["tests"]) == len(ex.tests)


def test_a_worker_killed_mid_grading_loses_nothing(web_app: Any, workers: Workers) -> None:
    from grader.exercise import get

    ex = get("activations")
    token = _token(web_app)
    client = web_app.test_client()
    # a submission that takes a while: every call sleeps a little
    slow = ex.reference_source() + "\nimport time as _t\n_t.sleep(0)\n"
    slow = slow.replace("def sigmoid(x", "def _sigmoid_orig(x", 1) + (
        "\n\ndef sigmoid(x, *a, **k):\n    _t.sleep(0.05)\n    return _sigmoid_orig(x, *a, **k)\n"
    )
    first = workers.start()
    sid = client.post(
        "/api/v1/exercises/activations/submissions", json={"source": slow}, headers=bearer(token)
    ).get_json()["id"]
    wait_for(client, token, sid, {"running"}, 120)
    workers.kill(first)  # the whole worker, mid-grading
    assert (
        client.get(f"/api/v1/submissions/{sid}", headers=bearer(token)).get_json()["status"]
        == "running"
    )
    time.sleep(3.5)  # its claim goes stale
    workers.start()  # a new worker picks it up at start-up
    body = wait_for(client, token, sid, {"done", "error"}, 180)
    assert body["status"] == "done"
    assert body["max_score"] == ex.max_score


def test_submissions_made_while_the_broker_was_down_are_swept_up(
    pg_url: str, broker: str, workers: Workers
) -> None:
    """The web service could not reach the broker; a running worker's sweep grades them."""
    from grader.exercise import get
    from web import create_app
    from web.db import db

    ex = get("activations")
    workers.env["GRADWELL_SWEEP_SECONDS"] = "1"
    workers.start()
    cut_off = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": pg_url,
            "SECRET_KEY": "test",
            "BROKER_URL": "redis://127.0.0.1:1/0",
        }
    )
    try:
        token = _token(cut_off)
        client = cut_off.test_client()
        r = client.post(
            "/api/v1/exercises/activations/submissions",
            json={"source": ex.reference_source()},
            headers=bearer(token),
        )
        assert r.status_code == 202
        body = wait_for(client, token, r.get_json()["id"], {"done", "error"}, 120)
        assert (body["status"], body["score"]) == ("done", ex.max_score)
    finally:
        db.dispose()
