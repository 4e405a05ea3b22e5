"""The attack table: one hostile submission per file in ``attacks/``, its targets, and
what must hold for each target's outcome.

Shared by ``test_attacks.py`` (the attacks run by a :class:`~grader.sandbox.Sandbox` in
the pytest process) and ``tests/web/worker_attacks.py`` (the same attacks submitted as
students' code to the web service's embedded grader and to a Celery worker).

A check is called as ``check(outcome, ctx)``; ``ctx`` has ``kwargs`` (what each attack is
called with: ``repo``, ``grader_pid``, ``zygote_pid``, ``port``, ``secret_name``,
``marker``) and ``assert_intact()`` (the grader and its zygote are alive, unrestarted).
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np

import grader
from grader.sandbox.plan import Outcome

#: put in the grader's environment before its zygote starts; must never come back
SECRET_NAME = "GRADWELL_TEST_SECRET_TOKEN"
SECRET = "gw-secret-9f1c2e7ab44d"

ATTACKS = Path(__file__).parent / "attacks"
HONEST = (ATTACKS / "_honest.py").read_text()
REPO = str(Path(grader.__file__).resolve().parent.parent)
X = np.linspace(-6.0, 6.0, 13)
EXPECTED = 1.0 / (1.0 + np.exp(-X))
MARKER = f"gradwell-attack-{uuid.uuid4().hex[:8]}"


class AttackCtx(Protocol):
    @property
    def kwargs(self) -> dict[str, Any]: ...

    def assert_intact(self) -> None: ...


Check = Callable[[Outcome, Any], None]


def leftovers(uids: tuple[int, ...], within: float = 5.0) -> list[str]:
    """The pids of every process running as one of ``uids``, ``within`` seconds after
    an evaluation returned: it returns as soon as the child has sent everything, and
    the zygote reaps the child (and kills what it left) while the grader judges."""
    deadline = time.monotonic() + within
    while True:
        found = [pid for pid in os.listdir("/proc") if pid.isdigit() and uid_of(int(pid)) in uids]
        if not found or time.monotonic() >= deadline:
            return found
        time.sleep(0.01)


def uid_of(pid: int) -> int | None:
    """The real uid of process ``pid``; ``None`` once it is gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    return next((int(line.split()[1]) for line in status.splitlines()
                 if line.startswith("Uid:")), None)


def contains_secret(value: Any) -> bool:
    if isinstance(value, str):
        return SECRET in value
    if isinstance(value, np.ndarray):
        return False
    if isinstance(value, dict):
        return any(contains_secret(k) or contains_secret(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return any(contains_secret(v) for v in value)
    return False


def plain(value: Any) -> bool:
    """Only plain data came back: exact ndarray/int/float/str/bool/None and containers."""
    kind = type(value)
    if value is None or kind in (bool, int, float, str):
        return True
    if kind is np.ndarray:
        return value.dtype.kind in "biuf"
    if kind in (tuple, list):
        return all(plain(v) for v in value)
    if kind is dict:
        return all(type(k) is str and plain(v) for k, v in value.items())
    return False


@dataclass
class Attack:
    file: str
    #: ``target -> (returns, check(outcome, ctx))``
    checks: dict[str, tuple[Any, Check]]
    call_timeout: float = 1.0
    args: tuple[Any, ...] = field(default_factory=tuple)

    @property
    def source(self) -> str:
        return (ATTACKS / f"{self.file}.py").read_text()


@dataclass(frozen=True)
class ErrorIs:
    """The call produced no value: an error of ``kind`` whose type and message mention
    ``text``."""

    kind: str
    text: str = ""

    def __call__(self, out: Outcome, ctx: Any) -> None:
        assert out.error is not None, out
        assert out.error.kind == self.kind, out.error
        assert self.text in f"{out.error.type} {out.error.message}", out.error


@dataclass(frozen=True)
class ValueIs:
    expected: Any

    def __call__(self, out: Outcome, ctx: Any) -> None:
        assert out.error is None, out.error
        assert out.value == self.expected


def _kind(kind: str, text: str = "") -> ErrorIs:
    return ErrorIs(kind, text)


def _value(expected: Any) -> ValueIs:
    return ValueIs(expected)


def check_introspect(out: Outcome, ctx: Any) -> None:
    assert out.error is None, out.error
    value = out.value
    assert isinstance(value, dict)
    assert value["modules"] == []
    for arr in value["arrays"]:  # nothing the child holds is the expected output
        assert not (arr.shape == EXPECTED.shape and np.allclose(arr, EXPECTED))


def _check_monkeypatch(out: Outcome, ctx: Any) -> None:
    assert out.error is None
    # the parent's NumPy is unaffected and judges the wrong answer wrong
    assert np.allclose.__module__ == "numpy" and not np.allclose(out.value, EXPECTED)
    assert not np.array_equal([0], [1]) and abs(-2) == 2


def _check_fake_output(out: Outcome, ctx: Any) -> None:
    assert out.error is None
    assert np.array_equal(out.value, np.zeros_like(X))  # no descriptor beyond fd 3 to write


def _check_flood(out: Outcome, ctx: Any) -> None:
    assert out.error is None
    assert isinstance(out.value, int) and 0 < out.value < 64  # RLIMIT_NPROC of the slot uid


def _check_network(out: Outcome, ctx: Any) -> None:
    assert out.error is None
    assert out.value == {"reached": [], "interfaces": ["lo"]}


def _check_environ(out: Outcome, ctx: Any) -> None:
    assert out.error is None
    assert out.value == []  # no line with the secret's name in any environment it read


def _check_writes(out: Outcome, ctx: Any) -> None:
    assert out.error is None
    assert isinstance(out.value, list)
    allowed = {f"/tmp/{MARKER}", f"/dev/shm/{MARKER}", f"/tmp/scratch/{MARKER}"}
    assert set(out.value) <= allowed, out.value
    for d in (REPO, "/var/tmp", "/run/lock", "/root", "/etc", "/", "/work", "/usr/lib",
              "/tmp", "/dev/shm"):
        assert not os.path.exists(os.path.join(d, MARKER))


def _check_kill(out: Outcome, ctx: Any) -> None:
    assert out.error is None
    assert set(out.value) <= {"own group", "everyone"}, out.value  # only itself to kill
    ctx.assert_intact()


def _check_namespaces(out: Outcome, ctx: Any) -> None:
    assert out.error is None
    assert out.value == []  # seccomp refuses them all (EPERM)


def _value_is_plain_zeros(out: Outcome) -> None:
    assert out.error is None
    assert type(out.value) is np.ndarray and np.array_equal(out.value, np.zeros_like(X))


ATTACK_LIST = [
    Attack("read_reference", {"attack": ("raw", _value([]))}),
    Attack("introspect", {"attack": ("raw", check_introspect)}),
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
    # the kernel's CPU-time limit, told apart from the grader's clocks (CallError.type)
    Attack("cpu_limit", {"attack": ("raw", _kind("timeout",
                                                 "cpu-time exceeded the CPU time limit"))},
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

