"""The attack suite: one submission per attack (``attacks/*.py``), each with its expected
outcome, evaluated next to honest calls by the same :class:`Sandbox`.

After every attack: the grader (this process) and its zygote are alive, no process of the
slot uid is left, the secret from the grader's environment is in nothing returned, the
honest calls of the same submission are right, and the next honest submission is graded
correctly (with an unpatched NumPy and torch in its child).
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import grader
from grader.sandbox import EvalRequest, Evaluation, Sandbox
from grader.sandbox.plan import Call, Outcome

SECRET_NAME = "GRADWELL_TEST_SECRET_TOKEN"  # what conftest puts in the grader's environment
SECRET = "gw-secret-9f1c2e7ab44d"

ATTACKS = Path(__file__).parent / "attacks"
HONEST = (ATTACKS / "_honest.py").read_text()
REPO = str(Path(grader.__file__).resolve().parent.parent)
X = np.linspace(-6.0, 6.0, 13)
EXPECTED = 1.0 / (1.0 + np.exp(-X))
MARKER = f"gradwell-attack-{uuid.uuid4().hex[:8]}"

HONEST_SOURCE = HONEST + '''
import torch

def sanity():
    return [bool(np.allclose([0.0], [1.0])), bool(np.array_equal([0], [1])),
            bool(torch.allclose(torch.zeros(1), torch.ones(1))), abs(-2)]
'''


def _leftovers(uids: tuple[int, ...]) -> list[str]:
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("Uid:") and int(line.split()[1]) in uids:
                found.append(pid)
    return found


def _contains_secret(value: Any) -> bool:
    if isinstance(value, str):
        return SECRET in value
    if isinstance(value, np.ndarray):
        return False
    if isinstance(value, dict):
        return any(_contains_secret(k) or _contains_secret(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return any(_contains_secret(v) for v in value)
    return False


def _plain(value: Any) -> bool:
    """Only plain data came back: exact ndarray/int/float/str/bool/None and containers."""
    kind = type(value)
    if value is None or kind in (bool, int, float, str):
        return True
    if kind is np.ndarray:
        return value.dtype.kind in "biuf"
    if kind in (tuple, list):
        return all(_plain(v) for v in value)
    if kind is dict:
        return all(type(k) is str and _plain(v) for k, v in value.items())
    return False


@dataclass
class Ctx:
    sandbox: Sandbox
    port: int
    zygote_pid: int

    @property
    def kwargs(self) -> dict[str, Any]:
        return {"repo": REPO, "grader_pid": os.getpid(), "zygote_pid": self.zygote_pid,
                "port": self.port, "secret_name": SECRET_NAME, "marker": MARKER}


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


@dataclass
class Attack:
    file: str
    #: ``target -> (returns, check(outcome, ctx))``
    checks: dict[str, tuple[Any, Callable[[Outcome, Ctx], None]]]
    call_timeout: float = 1.0
    args: tuple[Any, ...] = field(default_factory=tuple)


def _kind(kind: str, text: str = "") -> Callable[[Outcome, Ctx], None]:
    def check(out: Outcome, ctx: Ctx) -> None:
        assert out.error is not None, out
        assert out.error.kind == kind, out.error
        assert text in f"{out.error.type} {out.error.message}", out.error
    return check


def _value(expected: Any) -> Callable[[Outcome, Ctx], None]:
    def check(out: Outcome, ctx: Ctx) -> None:
        assert out.error is None, out.error
        assert out.value == expected
    return check


def _check_introspect(out: Outcome, ctx: Ctx) -> None:
    assert out.error is None, out.error
    value = out.value
    assert isinstance(value, dict)
    assert value["modules"] == []
    for arr in value["arrays"]:  # nothing the child holds is the expected output
        assert not (arr.shape == EXPECTED.shape and np.allclose(arr, EXPECTED))


def _check_monkeypatch(out: Outcome, ctx: Ctx) -> None:
    assert out.error is None
    # the parent's NumPy is unaffected and judges the wrong answer wrong
    assert np.allclose.__module__ == "numpy" and not np.allclose(out.value, EXPECTED)
    assert not np.array_equal([0], [1]) and abs(-2) == 2


def _check_fake_output(out: Outcome, ctx: Ctx) -> None:
    assert out.error is None
    assert np.array_equal(out.value, np.zeros_like(X))  # no descriptor beyond fd 3 to write


def _check_flood(out: Outcome, ctx: Ctx) -> None:
    assert out.error is None
    assert isinstance(out.value, int) and 0 < out.value < 64  # RLIMIT_NPROC of the slot uid


def _check_network(out: Outcome, ctx: Ctx) -> None:
    assert out.error is None
    assert out.value == {"reached": [], "interfaces": ["lo"]}


def _check_environ(out: Outcome, ctx: Ctx) -> None:
    assert out.error is None
    assert out.value == []  # no line with the secret's name in any environment it read


def _check_writes(out: Outcome, ctx: Ctx) -> None:
    assert out.error is None
    assert isinstance(out.value, list)
    allowed = {f"/tmp/{MARKER}", f"/dev/shm/{MARKER}", f"/tmp/scratch/{MARKER}"}
    assert set(out.value) <= allowed, out.value
    for d in (REPO, "/var/tmp", "/run/lock", "/root", "/etc", "/", "/work", "/usr/lib",
              "/tmp", "/dev/shm"):
        assert not os.path.exists(os.path.join(d, MARKER))


def _check_kill(out: Outcome, ctx: Ctx) -> None:
    assert out.error is None
    assert set(out.value) <= {"own group", "everyone"}, out.value  # only itself to kill
    assert ctx.sandbox.zygote_pids() == (ctx.zygote_pid,)
    os.kill(ctx.zygote_pid, 0)


def _check_namespaces(out: Outcome, ctx: Ctx) -> None:
    assert out.error is None
    assert out.value == []  # seccomp refuses them all (EPERM)


ATTACK_LIST = [
    Attack("read_reference", {"attack": ("raw", _value([]))}),
    Attack("introspect", {"attack": ("raw", _check_introspect)}),
    Attack("monkeypatch", {"attack": ("array", _check_monkeypatch)}, args=(X,)),
    Attack("exits", {
        "attack_sys_exit": ("raw", _kind("exception", "SystemExit")),
        "attack_keyboard": ("raw", _kind("exception", "KeyboardInterrupt")),
        "attack_sigint": ("raw", _kind("exception", "KeyboardInterrupt")),
        "attack": ("raw", _kind("crashed", "exited with code 7")),
    }),
    Attack("fake_output", {"attack": ("array", _check_fake_output)}, args=(X,)),
    Attack("forge_frames", {"attack": ("array", _kind("bad-output", "out of order"))},
           args=(X,)),
    Attack("liars", {
        "attack_array_subclass": ("array", lambda o, c: (
            _value_is_plain_zeros(o))),
        "attack_float_subclass": ("raw", _kind("bad-output", "LyingFloat")),
        "attack_object": ("array", _kind("bad-output")),
        "attack_tuple_with_liar": (("array", "raw"), _kind("bad-output", "LyingFloat")),
    }, args=(X,)),
    Attack("infinite_loop", {"attack": ("raw", _kind("timeout", "exceeded 0.5 s"))},
           call_timeout=0.5),
    Attack("cpu_limit", {"attack": ("raw", _kind("timeout", "CPU time limit"))},
           call_timeout=10.0),
    Attack("memory_bomb", {"attack": ("array", _kind("memory")),
                           "attack_slow": ("array", _kind("memory"))}, call_timeout=5.0),
    Attack("raise_rlimits", {"attack": ("raw", _value([]))}),
    Attack("fork_flood", {"attack_escape": ("raw", _value(1)), "attack": ("raw", _check_flood)},
           call_timeout=5.0),
    Attack("network", {"attack": ("raw", _check_network)}),
    Attack("environ", {"attack": ("raw", _check_environ)}),
    Attack("write_outside", {"attack": ("raw", _check_writes)}),
    Attack("kill_parent", {"attack": ("raw", _check_kill)}),
    Attack("big_output", {"attack": ("raw", _kind("output-limit"))}, call_timeout=10.0),
    Attack("crashes", {
        "attack": ("raw", _kind("crashed", "SIGSEGV")),
        "attack_recursion": ("raw", _kind("exception", "RecursionError")),
        "attack_stack": ("raw", _kind("crashed", "SIGSEGV")),
    }, call_timeout=5.0),
    Attack("namespaces", {"attack": ("raw", _check_namespaces)}),
]


def _value_is_plain_zeros(out: Outcome) -> None:
    assert out.error is None
    assert type(out.value) is np.ndarray and np.array_equal(out.value, np.zeros_like(X))


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
