"""The attack suite: one submission per attack (``attacks/*.py``), each with its expected
outcome, evaluated next to honest calls by the same :class:`Sandbox`.

After every attack: the grader (this process) and its zygote are alive, no process of the
slot uid is left, the secret from the grader's environment is in nothing returned, the
honest calls of the same submission are right, and the next honest submission is graded
correctly (with an unpatched NumPy and torch in its child).

The table of attacks and their checks is ``attack_table.py``; ``tests/web/
test_attacks_web_worker.py`` and ``test_attacks_celery_worker.py`` run the same table
through the web service's embedded grader and a Celery worker.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
from attack_table import (
    ATTACK_LIST,
    ATTACKS,
    EXPECTED,
    HONEST,
    MARKER,
    REPO,
    SECRET,
    SECRET_NAME,
    Attack,
    X,
)
from attack_table import contains_secret as _contains_secret
from attack_table import leftovers as _leftovers
from attack_table import plain as _plain

from grader.sandbox import EvalRequest, Evaluation, Sandbox
from grader.sandbox.plan import Call

HONEST_SOURCE = HONEST + '''
import torch

def sanity():
    return [bool(np.allclose([0.0], [1.0])), bool(np.array_equal([0], [1])),
            bool(torch.allclose(torch.zeros(1), torch.ones(1))), abs(-2)]
'''


@dataclass
class Ctx:
    sandbox: Sandbox
    port: int
    zygote_pid: int

    @property
    def kwargs(self) -> dict[str, Any]:
        return {"repo": REPO, "grader_pid": os.getpid(), "zygote_pid": self.zygote_pid,
                "port": self.port, "secret_name": SECRET_NAME, "marker": MARKER}

    def assert_intact(self) -> None:
        assert self.sandbox.zygote_pids() == (self.zygote_pid,)
        os.kill(self.zygote_pid, 0)


@pytest.fixture
def ctx(sandbox: Sandbox, secret: tuple[str, str]) -> Iterator[Ctx]:
    assert secret == (SECRET_NAME, SECRET) and os.environ[SECRET_NAME] == SECRET
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.setblocking(False)
    [zygote_pid] = sandbox.zygote_pids()
    yield Ctx(sandbox, listener.getsockname()[1], zygote_pid)
    with pytest.raises(BlockingIOError):  # nobody from a sandbox reached the listener
        listener.accept()
    listener.close()


def _honest_is_graded(sandbox: Sandbox) -> None:
    ev = sandbox.evaluate(EvalRequest(
        HONEST_SOURCE, "activations.py", "activations",
        (Call("s", "sigmoid", (X,)), Call("sane", "sanity", (), returns="raw"))))
    assert ev.load_failure is None and ev.children == 1
    assert np.allclose(ev.outcomes["s"].value, EXPECTED, rtol=0, atol=1e-15)
    assert ev.outcomes["sane"].value == [False, False, False, 2]


def _after_attack(sandbox: Sandbox, ev: Evaluation, ctx: Ctx) -> None:
    assert _leftovers(sandbox.slot_uids) == []
    assert sandbox.zygote_pids() == (ctx.zygote_pid,)  # no zygote restart was needed
    for out in ev.outcomes.values():
        assert _plain(out.value)
        assert not _contains_secret(out.value)
    assert SECRET not in ev.stdout and SECRET not in ev.stderr
    _honest_is_graded(sandbox)


@pytest.mark.parametrize("attack", ATTACK_LIST, ids=lambda a: a.file)
def test_attack_holds(sandbox: Sandbox, ctx: Ctx, attack: Attack) -> None:
    source = HONEST + "\n" + (ATTACKS / f"{attack.file}.py").read_text()
    calls = [Call("before", "sigmoid", (X,), group="honest-before")]
    for target, (returns, _check) in attack.checks.items():
        calls.append(Call(target, target, attack.args, ctx.kwargs, returns=returns))
    calls.append(Call("after", "sigmoid", (X,), group="honest-after"))
    ev = sandbox.evaluate(EvalRequest(source, f"{attack.file}.py", attack.file, tuple(calls),
                                      call_timeout=attack.call_timeout, budget=30.0))
    assert ev.load_failure is None, ev.load_failure
    assert list(ev.outcomes) == [c.id for c in calls]
    for cid in ("before", "after"):  # the honest part of the submission earns its due
        out = ev.outcomes[cid]
        assert out.error is None, (cid, out.error)
        assert np.allclose(out.value, EXPECTED, rtol=0, atol=1e-15)
    for target, (_returns, check) in attack.checks.items():
        check(ev.outcomes[target], ctx)
    _after_attack(sandbox, ev, ctx)


@pytest.mark.parametrize(
    ("top_level", "kind", "text"),
    [
        ("while True:\n    pass\n", "Timeout", "exceeded 0.5 s"),
        ("import os\nos._exit(3)\n", "Crashed", "exited with code 3"),
        ("import ctypes\nctypes.string_at(0)\n", "Crashed", "SIGSEGV"),
        ("raise SystemExit(0)\n", "SystemExit", ""),
        ("open('" + REPO + "/reference/__init__.py')\n", "FileNotFoundError", ""),
        ("def broken(:\n", "SyntaxError", ""),
    ],
    ids=["loop", "os_exit", "segfault", "sys_exit", "read_reference", "syntax"],
)
def test_load_time_attacks_are_load_failures(sandbox: Sandbox, ctx: Ctx, top_level: str,
                                             kind: str, text: str) -> None:
    ev = sandbox.evaluate(EvalRequest(HONEST + top_level, "activations.py", "activations",
                                      (Call("s", "sigmoid", (X,)),), call_timeout=0.5))
    assert ev.load_failure is not None and ev.outcomes == {}
    assert ev.load_failure.type == kind and text in ev.load_failure.message
    _after_attack(sandbox, ev, ctx)


def test_fresh_child_after_a_crash_keeps_refs_and_groups(sandbox: Sandbox, ctx: Ctx) -> None:
    """A crash costs its own group only; later calls that refer to a kept result get it
    computed again in the fresh child."""
    source = HONEST + '''
import os

def fwd(x):
    return sigmoid(x), {"cache": x * 2}

def bwd(cache):
    return cache["cache"]

def crash(x):
    os._exit(1)
'''
    calls = (
        Call("f", "fwd", (X,), returns=("array", "skip"), keep=True, group="bn"),
        Call("c1", "crash", (X,), group="boom"),
        Call("c2", "sigmoid", (X,), group="boom"),
        Call("b", "bwd", (_ref("f", 1),), group="bn"),
        Call("s", "sigmoid", (X,)),
    )
    ev = sandbox.evaluate(EvalRequest(source, "m.py", "m", calls))
    assert ev.children == 2
    assert ev.outcomes["c1"].error is not None and ev.outcomes["c1"].error.kind == "crashed"
    assert ev.outcomes["c2"].error is not None and ev.outcomes["c2"].error.kind == "not-run"
    assert np.array_equal(ev.outcomes["b"].value, X * 2)
    assert np.allclose(ev.outcomes["s"].value, EXPECTED)
    _after_attack(sandbox, ev, ctx)


def test_budget_runs_out_into_timeouts(sandbox: Sandbox, ctx: Ctx) -> None:
    source = HONEST + "\nimport time\n\ndef slow(x):\n    time.sleep(10)\n"
    calls = (Call("a", "slow", (X,), group="a"), Call("b", "slow", (X,), group="b"),
             Call("c", "slow", (X,), group="c"), Call("s", "sigmoid", (X,), group="s"))
    ev = sandbox.evaluate(EvalRequest(source, "m.py", "m", calls, call_timeout=0.4,
                                      budget=1.0))
    kinds = {k: o.error.kind if o.error else "ok" for k, o in ev.outcomes.items()}
    assert kinds == {"a": "timeout", "b": "timeout", "c": "timeout", "s": "timeout"}
    assert ev.outcomes["a"].error is not None and "0.4 s" in ev.outcomes["a"].error.message
    assert 0.4 <= ev.outcomes["a"].seconds < 1.0
    assert ev.outcomes["s"].error is not None and "budget" in ev.outcomes["s"].error.message
    assert ev.seconds < 2.5  # the budget (1 s), not the sum of the call timeouts
    _after_attack(sandbox, ev, ctx)


def _ref(call_id: str, index: int) -> Any:
    from grader.sandbox.plan import Ref

    return Ref(call_id, index)
