"""``gradwell serve`` as a real process: accounts and a token from the CLI, a submission
through the HTTP API, graded in-process by the real engine."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def gradwell() -> list[str]:
    script = Path(sys.executable).parent / "gradwell"
    return [str(script)] if script.exists() else [sys.executable, "-m", "web"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def call(url: str, token: str, body: dict[str, str] | None = None) -> tuple[int, dict]:  # type: ignore[type-arg]
    req = urllib.request.Request(
        url,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=30) as r:
        return r.status, json.loads(r.read())


def test_serve_grades_an_api_submission(tmp_path: Path) -> None:
    from grader.exercise import get

    env = {
        **os.environ,
        "GRADWELL_DATABASE_URL": f"sqlite:///{tmp_path / 'g.sqlite'}",
        "GRADWELL_SECRET_KEY": "serve-test",
    }
    env.pop("GRADWELL_BROKER_URL", None)
    r = subprocess.run(
        [*gradwell(), "users", "add", "s@example.com", "--password-stdin"],
        input="password123\n",
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 0, r.stderr
    r = subprocess.run(
        [*gradwell(), "tokens", "create", "s@example.com"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    token = r.stdout.strip().splitlines()[-1]
    port = free_port()
    log = (tmp_path / "serve.log").open("wb")
    server = subprocess.Popen(
        [*gradwell(), "serve", "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"{base}/auth/signup", timeout=2) as page:
                    assert page.status == 200
                break
            except OSError:
                time.sleep(0.2)
        ex = get("activations")
        status, body = call(
            f"{base}/api/v1/exercises/activations/submissions",
            token,
            {"source": ex.reference_source()},
        )
        assert (status, body["status"]) == (202, "queued")
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            _, result = call(f"{base}/api/v1/submissions/{body['id']}", token)
            if result["status"] in ("done", "error"):
                break
            time.sleep(0.3)
        assert (result["status"], result["score"]) == ("done", ex.max_score)
    finally:
        server.terminate()
        server.wait(15)
        log.close()
