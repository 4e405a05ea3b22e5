"""The attack suite inside a Celery grading worker (issue 5).

A real ``gradwell worker`` process (Celery prefork pool of one, Redis broker, PostgreSQL)
with a secret in its environment; the web app in this process takes each attack of
``tests/sandbox/attack_table.py`` as a student's API submission and dispatches it through
the broker (``web.tasks.grade_submission`` → ``run_grading`` → ``grader.engine.grade`` →
the pool process's ``default_sandbox()``). What must hold is in ``worker_attacks.py``.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import worker_attacks as wa
from worker_attacks import table

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

BROKER = os.environ.get("GRADWELL_TEST_ATTACK_BROKER_URL", "redis://127.0.0.1:6379/12")
PG_ADMIN_URL = os.environ.get(
    "GRADWELL_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


class CeleryWorker(wa.Service):
    name = "gradwell worker"

    def __init__(self, tmp: Path, database_url: str) -> None:
        import redis

        from web import create_app

        client = redis.Redis.from_url(BROKER)
        client.flushdb()  # a database of our own: nothing left over from an earlier run
        client.close()
        self.app = create_app({"TESTING": True, "DATABASE_URL": database_url,
                               "BROKER_URL": BROKER, "SECRET_KEY": "test"})
        assert self.app.config["GRADING_MODE"] == "celery"
        self.client = self.app.test_client()
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("GRADWELL_") or k == "GRADWELL_SANDBOX_SLOTS"}
        env.update({"GRADWELL_DATABASE_URL": database_url, "GRADWELL_BROKER_URL": BROKER,
                    "GRADWELL_SECRET_KEY": "test", table.SECRET_NAME: table.SECRET})
        self.log_path = tmp / "worker.log"
        self.log = open(self.log_path, "wb")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "web", "worker", "--concurrency", "1", "--loglevel", "INFO"],
            env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)

    def close(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)
        self.log.close()

    def post(self, token: str, path: str, body: dict[str, Any]) -> tuple[int, Any]:
        r = self.client.post(path, json=body, headers={"Authorization": f"Bearer {token}"})
        return r.status_code, r.get_json()

    def get(self, token: str, path: str) -> Any:
        r = self.client.get(path, headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 200, (r.status_code, r.get_data(as_text=True))
        return r.get_json()

    def main_pids(self) -> list[int]:
        return [self.proc.pid]

    def log_tail(self) -> str:
        self.log.flush()
        return self.log_path.read_text(errors="replace")[-3000:]


@pytest.fixture(scope="module")
def database() -> Iterator[str]:
    """A PostgreSQL database of this module's own, dropped at the end."""
    from sqlalchemy import create_engine, text

    name = f"gradwell_attacks_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        admin.dispose()
        pytest.fail(f"PostgreSQL at {PG_ADMIN_URL} is needed: {exc}")
    yield PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    from web.db import db

    db.dispose()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="module")
def worker(tmp_path_factory: pytest.TempPathFactory,
           database: str) -> Iterator[tuple[wa.Service, wa.Baseline]]:
    w = CeleryWorker(tmp_path_factory.mktemp("celery"), database)
    try:
        yield w, wa.baseline(w)
        w.check_running()
    finally:
        w.close()


def test_the_worker_grades_in_its_pool_process(worker: tuple[wa.Service, wa.Baseline]) -> None:
    """The grading process is the Celery pool process, forked by the worker."""
    w, _ = worker
    grader = w.grader_pid()
    assert grader != w.main_pids()[0]
    assert wa.processes()[grader].ppid == w.main_pids()[0]
    # the secret every attack looks for is in its environment
    assert f"{table.SECRET_NAME}={table.SECRET}".encode() in wa.environ_of(grader)


#: the representative attacks in the fast suite, the rest in the slow one (all of them
#: also run in the fast suite through the embedded web worker)
FAST = wa.REPRESENTATIVE - wa.SLOW


@pytest.mark.parametrize(
    "attack", wa.attack_params({a.file for a in table.ATTACK_LIST} - FAST))
def test_attack_holds_in_the_celery_worker(worker: tuple[wa.Service, wa.Baseline],
                                           attack: table.Attack) -> None:
    wa.run_attack(*worker, attack)
