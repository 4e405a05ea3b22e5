"""The attack suite inside the web service's embedded grader (issue 5).

A real ``gradwell serve`` process on its embedded defaults — SQLite, grading in its own
thread pool (``web.grading.dispatch`` → ``run_grading`` → ``grader.engine.grade`` →
``default_sandbox()``) — with a secret in its environment. Every attack of
``tests/sandbox/attack_table.py`` is posted to ``/api/v1/exercises/activations/
submissions`` by a student over HTTP; what must hold is in ``worker_attacks.py``.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import worker_attacks as wa
from worker_attacks import table


class EmbeddedServer(wa.Service):
    name = "gradwell serve"

    def __init__(self, tmp: Path) -> None:
        from web import create_app

        self.url = f"sqlite:///{tmp / 'gradwell.sqlite'}"
        # this process only creates accounts and reads what was stored; it grades nothing
        self.app = create_app({"DATABASE_URL": self.url, "SECRET_KEY": "test",
                               "GRADING_MODE": "sync", "RECOVER_ON_START": False})
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        self.base = f"http://127.0.0.1:{port}"
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("GRADWELL_") or k == "GRADWELL_SANDBOX_SLOTS"}
        env.update({"GRADWELL_DATABASE_URL": self.url, "GRADWELL_SECRET_KEY": "test",
                    table.SECRET_NAME: table.SECRET})
        self.log_path = tmp / "serve.log"
        self.log = open(self.log_path, "wb")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "web", "serve", "--port", str(port)], env=env,
            stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)

    def wait_ready(self) -> None:
        token = self.student()
        deadline = time.monotonic() + 60
        while True:
            try:
                self.get(token, "/api/v1/exercises")
                break
            except OSError:
                self.check_running()
                assert time.monotonic() < deadline, self.log_tail()
                time.sleep(0.1)

    def close(self) -> None:
        from web.db import db

        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)
        self.log.close()
        db.dispose()

    def _request(self, token: str, path: str, body: dict[str, Any] | None) -> tuple[int, Any]:
        req = urllib.request.Request(
            self.base + path, method="GET" if body is None else "POST",
            data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                return resp.status, json.loads(resp.read())
        except urllib.error.HTTPError as exc:
            with exc:
                return exc.code, json.loads(exc.read())

    def post(self, token: str, path: str, body: dict[str, Any]) -> tuple[int, Any]:
        return self._request(token, path, body)

    def get(self, token: str, path: str) -> Any:
        status, body = self._request(token, path, None)
        assert status == 200, (status, body)
        return body

    def main_pids(self) -> list[int]:
        return [self.proc.pid]

    def log_tail(self) -> str:
        self.log.flush()
        return self.log_path.read_text(errors="replace")[-3000:]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[wa.Service, wa.Baseline]]:
    srv = EmbeddedServer(tmp_path_factory.mktemp("embedded"))
    try:
        srv.wait_ready()
        yield srv, wa.baseline(srv)
        srv.check_running()
    finally:
        srv.close()


def test_the_server_grades_in_its_own_threads(server: tuple[wa.Service, wa.Baseline]) -> None:
    """The grading process is the server itself (embedded mode), not a helper."""
    srv, _ = server
    assert srv.grader_pid() == srv.main_pids()[0]
    assert "grading embedded" in srv.log_tail()
    # the secret every attack looks for is in its environment
    assert f"{table.SECRET_NAME}={table.SECRET}".encode() in wa.environ_of(srv.grader_pid())


@pytest.mark.parametrize("attack", wa.attack_params())
def test_attack_holds_in_the_web_worker(server: tuple[wa.Service, wa.Baseline],
                                        attack: table.Attack) -> None:
    wa.run_attack(*server, attack)


def test_every_attack_file_has_a_row() -> None:
    files = sorted(p.stem for p in table.ATTACKS.glob("*.py") if not p.stem.startswith("_"))
    assert sorted(a.file for a in table.ATTACK_LIST) == files
