"""The plan runner: what a call returns, how failures are reported, what is refused.

The runner is the code that sits next to the student's code (in the sandboxed child);
these tests run it in-process on small trusted sources.
"""

from __future__ import annotations

import numpy as np
import pytest

from grader.sandbox.plan import Call, Ref, Rng
from grader.sandbox.runner import LoadFailure, Rules, Tripwires, execute, load_module

SOURCE = '''
import numpy as np

def double(x):
    return 2 * x

def inplace(x):
    x *= 2
    return x

def pair(x):
    return x + 1, {"cache": x}

def second(dout, cache):
    return dout + cache["cache"]

def fans(shape):
    return shape[1], shape[0]

def boom(x):
    raise ValueError("bad input")

def leave(x):
    import sys
    sys.exit(3)

class Liar(float):
    def __eq__(self, other):
        return True

def liar(x):
    return Liar(1.0)

def objects(x):
    return np.array([object()])

def draw(shape, rng=None):
    return rng.normal(size=shape)

def uses_expit(x):
    import scipy.special
    return scipy.special.expit(x)
'''


@pytest.fixture(scope="module")
def module():  # type: ignore[no-untyped-def]
    m = load_module(SOURCE, "student_under_test", "student.py", register=False)
    assert not isinstance(m, LoadFailure)
    return m


def test_values_are_float64_arrays(module) -> None:  # type: ignore[no-untyped-def]
    out = execute(module, [Call("a", "double", (np.arange(3),))])["a"]
    assert out.ok and out.value.dtype == np.float64  # type: ignore[union-attr]
    np.testing.assert_array_equal(out.value, [0.0, 2.0, 4.0])


def test_mutation_is_reported_and_inputs_are_copies(module) -> None:  # type: ignore[no-untyped-def]
    x = np.ones(3)
    out = execute(module, [Call("a", "inplace", (x,))])["a"]
    assert out.mutated == (0,)
    np.testing.assert_array_equal(x, np.ones(3))  # the plan's array is untouched


def test_refs_pass_objects_between_calls_without_sending_them(module) -> None:  # type: ignore[no-untyped-def]
    calls = [
        Call("f", "pair", (np.ones(2),), returns=("array", "skip"), keep=True),
        Call("b", "second", (np.full(2, 3.0), Ref("f", 1))),
    ]
    out = execute(module, calls)
    assert out["f"].value[1] is None  # type: ignore[index]
    np.testing.assert_array_equal(out["b"].value, [4.0, 4.0])


def test_raw_returns_keep_ints_and_tuples(module) -> None:  # type: ignore[no-untyped-def]
    out = execute(module, [Call("a", "fans", ((3, 5),), returns="raw")])["a"]
    assert out.value == (5, 3) and all(type(v) is int for v in out.value)  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("target", "kind", "type_"),
    [("boom", "exception", "ValueError"), ("leave", "exception", "SystemExit"),
     ("missing_name", "missing", ""), ("objects", "bad-output", "")],
)
def test_failures_become_outcomes(module, target: str, kind: str, type_: str) -> None:  # type: ignore[no-untyped-def]
    out = execute(module, [Call("a", target, (np.ones(2),))])["a"]
    assert out.error is not None and out.error.kind == kind and out.error.type == type_


def test_exception_line_points_into_the_students_file(module) -> None:  # type: ignore[no-untyped-def]
    out = execute(module, [Call("a", "boom", (np.ones(2),))])["a"]
    assert out.error is not None and out.error.lineno == SOURCE.splitlines().index(
        "def boom(x):") + 2


def test_objects_with_lying_eq_never_cross_as_objects(module) -> None:  # type: ignore[no-untyped-def]
    raw = execute(module, [Call("a", "liar", (np.ones(1),), returns="raw")])["a"]
    assert raw.error is not None and raw.error.kind == "bad-output"
    arr = execute(module, [Call("a", "liar", (np.ones(1),))])["a"]
    assert type(arr.value) is np.ndarray and float(arr.value) == 1.0  # type: ignore[arg-type]


def test_generators_are_built_from_seeds(module) -> None:  # type: ignore[no-untyped-def]
    calls = [Call(c, "draw", ((2, 3),), {"rng": Rng(7)}) for c in ("a", "b")]
    out = execute(module, calls)
    np.testing.assert_array_equal(out["a"].value, out["b"].value)
    np.testing.assert_array_equal(out["a"].value, np.random.default_rng(7).normal(size=(2, 3)))


def test_syntax_errors_are_load_failures() -> None:
    failure = load_module("def f(:\n  pass\n", "bad", "bad.py", register=False)
    assert isinstance(failure, LoadFailure)
    assert failure.type == "SyntaxError" and failure.lineno == 1


def test_exceptions_at_import_are_load_failures() -> None:
    failure = load_module("x = 1\nraise RuntimeError('no')\n", "bad", "bad.py", register=False)
    assert isinstance(failure, LoadFailure)
    assert (failure.type, failure.message, failure.lineno) == ("RuntimeError", "no", 2)


def test_warnings_are_captured_not_raised(module) -> None:  # type: ignore[no-untyped-def]
    src = "import numpy as np\ndef f(x):\n    return 1 / (1 + np.exp(-x))\n"
    m = load_module(src, "naive", "naive.py", register=False)
    out = execute(m, [Call("a", "f", (np.array([-1000.0]),))])["a"]  # type: ignore[arg-type]
    assert out.ok and any("overflow" in w for w in out.warnings)


def test_tripwires_record_forbidden_calls() -> None:
    import scipy.special

    original = scipy.special.expit
    wires = Tripwires(Rules(forbidden_calls=("scipy.special.expit",)))
    try:
        wires.install()
        m = load_module(SOURCE, "student_tripwire", "student.py", register=False)
        out = execute(m, [Call("a", "uses_expit", (np.zeros(2),)),  # type: ignore[arg-type]
                          Call("b", "double", (np.zeros(2),))], tripwires=wires)
    finally:
        scipy.special.expit = original
    assert out["a"].forbidden == ("scipy.special.expit",)
    np.testing.assert_array_equal(out["a"].value, [0.5, 0.5])
    assert out["b"].forbidden == ()


def test_torch_mode_records_torch_use_in_numpy_exercises() -> None:
    src = "import torch\ndef f(x):\n    return torch.sigmoid(torch.as_tensor(x)).numpy()\n"
    wires = Tripwires(Rules(forbid_torch=True))
    wires.install()
    m = load_module(src, "student_torch", "student.py", register=False)
    out = execute(m, [Call("a", "f", (np.zeros(2),))], tripwires=wires)["a"]  # type: ignore[arg-type]
    assert "torch.sigmoid" in out.forbidden


def test_a_warm_childs_module_index_finds_what_scanning_sys_modules_finds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import sys

    import scipy.special  # noqa: F401 - the package whose submodules are looked for

    from grader.sandbox import runner

    prefixes = ("scipy.special.", "numpy.linalg.")
    monkeypatch.setattr(runner, "_module_index", None)
    scanned = runner._modules_under(prefixes)
    runner.index_modules()
    indexed = runner._modules_under(prefixes)
    assert ("scipy.special._ufuncs", sys.modules["scipy.special._ufuncs"]) in indexed
    assert sorted(indexed, key=lambda p: p[0]) == sorted(scanned, key=lambda p: p[0])
    # a module imported after the index was taken is still found (the index is stale)
    monkeypatch.setitem(sys.modules, "scipy.special.gradwell_late", sys.modules["json"])
    assert ("scipy.special.gradwell_late", sys.modules["json"]) in runner._modules_under(prefixes)
