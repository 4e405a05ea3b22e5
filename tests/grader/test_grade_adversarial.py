"""Issue 4, end to end: a hostile submission gets no point it did not earn, and
``gradwell grade`` still prints one valid JSON result.

Every attack is the honest reference of ``activations`` with one function replaced by
an attack (or with hostile module-level code added). What the attack may score is not
hard-coded: it is what a *control* earns, graded by the same engine — the same
submission with the attacked function replaced by a plainly wrong honest one (one that
raises ``ValueError`` where the attack leaves without a value, or one that returns the
same wrong values where the attack lies about them). Per test, the attack must score
exactly what its control scores; every test that never calls the attacked function must
keep its full points (the honest part earns its due); and the attacked function's value
tests earn nothing.

The in-process cases go through :func:`grader.engine.grade` (the process-wide warm
sandbox); the CLI cases run the real ``gradwell grade … --format json`` as a subprocess,
so that a write to file descriptor 1 of any process would show up in its stdout.
A hang costs the exercise's 10 s call timeout and is marked slow, as are the per-attack
CLI runs (one combined CLI run stays in the fast suite).

Two routes to unearned points found here are closed: hiding an in-place modification
of an input from the child-side digest by patching NumPy, hashlib or the harness's
module attributes, and calling a forbidden function around its tripwire
(``__wrapped__``, or the same object under another module's name).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from grader import engine
from grader import exercise as exercises
from grader.render import render
from grader.result import Result
from grader.schemas import gradescope_results_schema

EXERCISE = "activations"
EX = exercises.get(EXERCISE)
REFERENCE = EX.reference_source()
SCHEMA_FILE = Path(engine.__file__).parent / "schemas" / "gradescope_results.schema.json"

#: in every fake result the student prints, so that it can be looked for in ours
MARKER = f"gw-fake-result-{uuid.uuid4().hex[:12]}"
FAKE_RESULT = json.dumps({
    "score": EX.max_score, "max_score": EX.max_score, "execution_time": 0.01,
    "output": MARKER, "exercise": EXERCISE, "status": "graded",
    "tests": [{"name": t.name, "score": t.points, "max_score": t.points, "status": "passed",
               "output": MARKER, "tags": []} for t in EX.tests],
})


def _code(text: str) -> str:
    return textwrap.dedent(text).strip("\n").replace("@FAKE@", repr(FAKE_RESULT)) + "\n"


def submission(*parts: str) -> str:
    """The reference with ``parts`` appended (a ``def`` there replaces the reference's)."""
    return REFERENCE + "\n\n" + "\n\n".join(_code(p) for p in parts)


# -- the pieces of hostile code -------------------------------------------------------

#: module level: a fake perfect result on stdout (print and fd 1), on stderr, and into
#: fd 1 and 2 of every process the submission can see
PRINT_FAKE = """
import os as _os
import sys as _sys

_FAKE = @FAKE@


def _print_fake():
    print(_FAKE, flush=True)
    _os.write(1, (_FAKE + "\\n").encode())
    _sys.stderr.write(_FAKE + "\\n")
    _os.write(2, (_FAKE + "\\n").encode())
    for pid in [p for p in _os.listdir("/proc") if p.isdigit()] + ["self"]:
        for fd in ("1", "2"):
            try:
                out = _os.open(f"/proc/{pid}/fd/{fd}", _os.O_WRONLY | _os.O_NONBLOCK)
            except OSError:
                continue
            try:
                _os.write(out, (_FAKE + "\\n").encode())
            except OSError:
                pass
            finally:
                _os.close(out)


_print_fake()
"""

#: module level: how to make every numpy / torch / math comparison say "equal"
PATCH_COMPARISONS = """
import math as _math

import numpy as _np
import numpy.testing as _npt
import torch as _torch


def _yes(*args, **kwargs):
    return True


def _quiet(*args, **kwargs):
    return None


def _np_all_close(a, b, *args, **kwargs):
    return _np.ones(_np.broadcast(_np.asarray(a), _np.asarray(b)).shape, dtype=bool)


def _torch_all_close(a, b, *args, **kwargs):
    return _torch.ones_like(_torch.as_tensor(a), dtype=_torch.bool)


def _patch_comparisons():
    _np.allclose = _yes
    _np.array_equal = _yes
    _np.array_equiv = _yes
    _np.isclose = _np_all_close
    for name in ("assert_allclose", "assert_array_equal", "assert_array_almost_equal",
                 "assert_almost_equal", "assert_equal", "assert_array_max_ulp"):
        setattr(_npt, name, _quiet)
    _math.isclose = _yes
    _torch.allclose = _yes
    _torch.equal = _yes
    _torch.isclose = _torch_all_close
    _torch.testing.assert_close = _quiet


def _patched():  # whether the patches hold in this process
    return (_np.allclose(0.0, 1.0) and _np.array_equal([0], [1]) and _np.isclose(0, 1).all()
            and _math.isclose(0.0, 1.0) and _torch.allclose(0.0, 1.0) and _torch.equal(0, 1)
            and _npt.assert_allclose(0.0, 1.0) is None)
"""
#: module level: ... and do it at import time
PATCH_COMPARISONS_NOW = PATCH_COMPARISONS + "\n\n_patch_comparisons()\n"


def replace(function: str, body: str, *, imports: str = "") -> str:
    """``def function(x, *args, **kwargs):`` with ``body``, replacing the reference's."""
    return (f"{imports}\n\n\ndef {function}(x, *args, **kwargs):\n"
            + textwrap.indent(textwrap.dedent(body).strip("\n"), "    ") + "\n")


def patched_zeros(function: str, *, patch_now: bool = False) -> str:
    """Zeros, returned only while every comparison says "equal" (raises otherwise, which
    would cost more than its zeros control: the patches are seen to hold)."""
    body = "_patch_comparisons()\n" if patch_now else ""
    body += ('if not _patched():\n    raise RuntimeError("the patches did not hold")\n'
             "return np.zeros(np.shape(x))")
    return replace(function, body, imports="import numpy as np")


def raises(function: str) -> str:
    """The control of an attack that leaves without a value: an honest exception."""
    return replace(function, 'raise ValueError("not implemented yet")')


def zeros(function: str) -> str:
    """The control of an attack that returns zeros: the same wrong values, honestly."""
    return replace(function, "return np.zeros(np.shape(x))", imports="import numpy as np")


@dataclass(frozen=True)
class Attack:
    id: str
    parts: tuple[str, ...]
    control: tuple[str, ...]
    #: the functions the attack replaces (empty: an attack at import time)
    attacked: tuple[str, ...] = ("sigmoid",)
    #: whether every test that calls an attacked function must score 0 (an attack that
    #: returns no value); otherwise only their value tests must
    nothing_earned: bool = True

    @property
    def source(self) -> str:
        return submission(*self.parts)

    @property
    def control_source(self) -> str:
        return submission(*self.control)


SYS_EXIT = Attack("sys_exit", (replace("sigmoid", "sys.exit(0)", imports="import sys"),),
                  (raises("sigmoid"),))
SYS_EXIT_WITH_FAKE = Attack(
    "sys_exit_with_fake_result",
    (PRINT_FAKE, replace("sigmoid", "_print_fake()\nsys.exit(_FAKE)", imports="import sys")),
    (raises("sigmoid"),),
)
OS_EXIT_0 = Attack("os_exit_0", (replace("sigmoid", "os._exit(0)", imports="import os"),),
                   (raises("sigmoid"),))
KEYBOARD_INTERRUPT = Attack("keyboard_interrupt",
                            (replace("sigmoid", "raise KeyboardInterrupt"),),
                            (raises("sigmoid"),))
SEGFAULT = Attack("segfault", (replace("sigmoid", "return ctypes.string_at(0)",
                                       imports="import ctypes"),),
                  (raises("sigmoid"),))
HANG = Attack("hang", (replace("sigmoid", """
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGALRM, signal.SIGXCPU, signal.SIGHUP):
        signal.signal(sig, signal.SIG_IGN)
    while True:
        pass
""", imports="import signal"),), (raises("sigmoid"),))
FAKE_RESULT_PRINTED = Attack(
    "fake_result_printed",
    (PRINT_FAKE, replace("sigmoid", "_print_fake()\nreturn np.zeros(np.shape(x))",
                         imports="import numpy as np")),
    (zeros("sigmoid"),), nothing_earned=False,
)
PATCHED_AT_IMPORT = Attack(
    "comparisons_patched_at_import",
    (PATCH_COMPARISONS_NOW, patched_zeros("sigmoid"), patched_zeros("gelu_grad")),
    (zeros("sigmoid"), zeros("gelu_grad")),
    attacked=("sigmoid", "gelu_grad"), nothing_earned=False,
)
PATCHED_IN_CALL = Attack(
    "comparisons_patched_in_call",
    (PATCH_COMPARISONS, patched_zeros("tanh", patch_now=True)),
    (zeros("tanh"),), attacked=("tanh",), nothing_earned=False,
)
#: the combined attack of the fast CLI run: a fake result printed at import time and in a
#: call, comparisons patched at import time, sys.exit in one function, wrong values in
#: another
COMBINED = Attack(
    "combined",
    (PRINT_FAKE, PATCH_COMPARISONS_NOW,
     replace("sigmoid", "_print_fake()\nsys.exit(0)", imports="import sys"),
     replace("gelu", "_print_fake()\nreturn _gelu_zeros(x)"),
     patched_zeros("_gelu_zeros", patch_now=True)),
    (raises("sigmoid"), zeros("gelu")),
    attacked=("sigmoid", "gelu"), nothing_earned=False,
)
IMPORT_SYS_EXIT = Attack("import_time_sys_exit", (PRINT_FAKE, "import sys\nsys.exit(0)"),
                         ('raise RuntimeError("broken at import")',), attacked=())
IMPORT_OS_EXIT_0 = Attack("import_time_os_exit_0", (PRINT_FAKE, "import os\nos._exit(0)"),
                          ('raise RuntimeError("broken at import")',), attacked=())

IN_PROCESS = [
    SYS_EXIT, SYS_EXIT_WITH_FAKE, OS_EXIT_0, KEYBOARD_INTERRUPT, SEGFAULT,
    FAKE_RESULT_PRINTED, PATCHED_AT_IMPORT, PATCHED_IN_CALL, COMBINED,
    IMPORT_SYS_EXIT, IMPORT_OS_EXIT_0,
]


# -- grading and what must hold -------------------------------------------------------


@cache
def graded(source: str) -> Result:
    return engine.grade(EXERCISE, source)


@cache
def targets() -> Mapping[str, frozenset[str]]:
    """Test name -> the submission's functions its calls reach (from the real plan)."""
    return {t.spec.name: frozenset(c.target for c in t.calls)
            for t in engine.plan_for(EX).tests}


def scores(result: Result) -> dict[str, float]:
    return {t.name: t.score for t in result.tests}


def differences(result: Result, control: Result) -> dict[str, tuple[float, float]]:
    """Test name -> (attack's score, control's score), where they differ."""
    theirs = scores(control)
    return {n: (s, theirs[n]) for n, s in scores(result).items() if s != theirs[n]}


def explain(result: Result) -> str:
    return "\n".join(f"  {t.name}: {t.score}/{t.max_score} {t.output.en}" for t in result.tests)


def assert_earns_what_its_control_earns(
    attack: Attack, result: Mapping[str, float], status: str, score: float,
    control: Result, shown: str,
) -> None:
    """``result`` (test name -> score) of ``attack`` against the control's."""
    names = [t.name for t in EX.tests]
    assert list(result) == names, shown
    assert status == control.status, shown
    assert score == pytest.approx(control.score, abs=1e-9), (
        f"{attack.id}: scored {score}, an honest wrong answer scores {control.score}\n{shown}")
    unearned = {n: (result[n], s) for n, s in scores(control).items()
                if result[n] > s + 1e-9}
    assert unearned == {}, f"points not earned (attack, control): {unearned}\n{shown}"
    assert result == pytest.approx(scores(control), abs=1e-9), shown
    full = {t.name: t.points for t in EX.tests}
    if not attack.attacked:  # nothing loaded: nothing earned
        assert status == "ungradable" and score == 0.0, shown
        return
    touched = {n for n, reached in targets().items() if reached & set(attack.attacked)}
    assert touched, attack.attacked
    for name in names:
        if name not in touched:  # the honest part earns its due
            assert result[name] == full[name], f"{name} lost points\n{shown}"
        elif attack.nothing_earned or any(name == f"{f}: values" for f in attack.attacked):
            assert result[name] == 0.0, f"{name} earned points\n{shown}"
    assert score < EX.max_score


def assert_valid_json_result(text: str) -> dict[str, Any]:
    """``text`` is exactly one JSON object, on one line, valid against the schema."""
    assert text.endswith("\n") and text.count("\n") == 1, text[:2000]
    data = json.loads(text)  # raises on anything before or after the one document
    assert isinstance(data, dict)
    jsonschema.validate(data, json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))
    jsonschema.validate(data, gradescope_results_schema())
    return data


def marker_paths(node: Any, path: str = "$") -> Iterator[str]:
    """Where the fake result's marker appears in ``node``, except under a key that holds
    the student's captured stdout (the contract has none today; one may be added)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if "stdout" not in str(key):
                yield from marker_paths(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from marker_paths(value, f"{path}[{i}]")
    elif isinstance(node, str) and MARKER in node:
        yield path


# -- in process, through grader.engine.grade ------------------------------------------


def _params(attacks: list[Attack]) -> list[Any]:
    return [pytest.param(a, id=a.id) for a in attacks]


@pytest.mark.parametrize("attack", [
    *_params(IN_PROCESS), pytest.param(HANG, id=HANG.id, marks=pytest.mark.slow),
])
def test_attack_earns_only_what_an_honest_wrong_answer_earns(attack: Attack) -> None:
    control = graded(attack.control_source)
    result = graded(attack.source)
    shown = f"attack:\n{explain(result)}\ncontrol:\n{explain(control)}"
    assert_earns_what_its_control_earns(attack, scores(result), result.status, result.score,
                                        control, shown)
    if PRINT_FAKE in attack.parts:  # the fake was printed, and kept as the student's output
        assert MARKER in result.stdout, result.stdout[:2000]
    for fmt in ("json", "gradescope"):  # and its result renders as a valid results.json
        data = json.loads(render(result, fmt, "en"))
        jsonschema.validate(data, gradescope_results_schema())
        assert data["score"] == result.score
        assert list(marker_paths(data)) == [] or attack is SYS_EXIT_WITH_FAKE


def test_the_honest_parts_are_worth_full_marks() -> None:
    """The base every attack is built on earns everything (else a leak could hide)."""
    reference = graded(submission())
    assert reference.score == reference.max_score == EX.max_score, explain(reference)


# -- a function that modifies its input, and hides it ---------------------------------

#: honest, but it modifies its input: "relu: does not modify its input" is worth 0
RELU_IN_PLACE = """
def relu(x, *args, **kwargs):
    x[x < 0] = 0.0
    return x
"""

HIDE_MUTATION = {
    # a NumPy function patched to lie only to the harness's digest of the inputs
    "numpy_ascontiguousarray": """
        import sys as _sys

        import numpy as _np

        _contiguous = _np.ascontiguousarray


        def _lying_contiguous(a, *args, **kwargs):
            if _sys._getframe(1).f_code.co_name == "_digests":
                return _contiguous(_np.zeros(1))
            return _contiguous(a, *args, **kwargs)


        _np.ascontiguousarray = _lying_contiguous
    """,
    # the hash the harness compares the inputs' digests with
    "hashlib_blake2b": """
        import hashlib as _hashlib


        class _SameDigest:
            def update(self, data):
                pass

            def digest(self):
                return b"same"


        _hashlib.blake2b = lambda *args, **kwargs: _SameDigest()
    """,
    # the harness itself, reached through sys.modules
    "runner_digests": """
        import sys as _sys

        _sys.modules["grader.sandbox.runner"]._digests = lambda args, kwargs: {}
    """,
}


@pytest.mark.parametrize("how", list(HIDE_MUTATION))
def test_hiding_an_input_modification_earns_nothing(how: str) -> None:
    control = graded(submission(RELU_IN_PLACE))
    assert scores(control)["relu: does not modify its input"] == 0.0, explain(control)
    assert scores(control)["relu: values"] == 1.0, explain(control)
    result = graded(submission(HIDE_MUTATION[how], RELU_IN_PLACE))
    assert differences(result, control) == {}, explain(result)


@pytest.mark.parametrize("route", [
    "scipy.special.expit.__wrapped__",
    "scipy.special._ufuncs.expit",
], ids=["__wrapped__", "private-module"])
def test_reaching_around_a_forbidden_call_tripwire_earns_nothing(route: str) -> None:
    forbidden = replace("sigmoid", "return scipy.special.expit(np.asarray(x, dtype=float))",
                        imports="import numpy as np\nimport scipy.special")
    control = graded(submission(forbidden))
    assert scores(control)["sigmoid: values"] == 0.0, explain(control)
    around = replace("sigmoid", f"return {route}(np.asarray(x, dtype=float))",
                     imports="import numpy as np\nimport scipy.special\n"
                             "import scipy.special._ufuncs")
    result = graded(submission(around))
    assert differences(result, control) == {}, explain(result)


# -- through the real command line ----------------------------------------------------


def _gradwell() -> str:
    exe = Path(sys.executable).with_name("gradwell")
    found = str(exe) if exe.exists() else shutil.which("gradwell")
    assert found, "the gradwell console script is not installed"
    return found


def grade_with_cli(tmp_path: Path, source: str) -> subprocess.CompletedProcess[str]:
    path = tmp_path / EX.file
    path.write_text(source, encoding="utf-8")
    env = {k: v for k, v in os.environ.items()
           if k not in ("GRADWELL_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "GRADWELL_DEBUG")}
    return subprocess.run(
        [_gradwell(), "grade", str(path), "--exercise", EXERCISE, "--format", "json"],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300, check=False,
    )


def check_cli(tmp_path: Path, attack: Attack) -> None:
    control = graded(attack.control_source)
    proc = grade_with_cli(tmp_path, attack.source)
    shown = (f"exit {proc.returncode}\nstdout: {proc.stdout[:3000]}\n"
             f"stderr: {proc.stderr[-3000:]}\ncontrol:\n{explain(control)}")
    assert proc.returncode == 0, shown  # grading finished: 0 whatever the score
    data = assert_valid_json_result(proc.stdout)
    assert MARKER not in proc.stderr, shown  # nothing of the student's reaches our stderr
    assert list(marker_paths(data)) == [], shown  # the fake result is nowhere in ours
    assert data["exercise"] == EXERCISE and data["max_score"] == EX.max_score, shown
    result = {t["name"]: t["score"] for t in data["tests"]}
    assert_earns_what_its_control_earns(attack, result, data["status"], data["score"],
                                        control, shown)
    for t in data["tests"]:
        assert t["status"] == ("passed" if t["score"] >= t["max_score"] else "failed"), t


def test_cli_prints_one_valid_result_for_a_combined_attack(tmp_path: Path) -> None:
    """A fake result printed (stdout, fd 1, stderr, every visible process's fd 1 and 2),
    comparisons patched, ``sys.exit`` in one function and wrong values in another: one
    JSON object, the exit code the contract says, and exactly the control's points."""
    check_cli(tmp_path, COMBINED)


@pytest.mark.slow
@pytest.mark.parametrize("attack", _params([
    FAKE_RESULT_PRINTED, SYS_EXIT, PATCHED_AT_IMPORT, OS_EXIT_0, SEGFAULT, HANG,
    IMPORT_SYS_EXIT,
]))
def test_cli_prints_one_valid_result(tmp_path: Path, attack: Attack) -> None:
    check_cli(tmp_path, attack)
