"""The ``initializers`` suite: full marks for the reference, the right test lost and the
right misconception named for each classic mistake, and statistical checks that fail a
correct implementation essentially never while rejecting a √2-off std.

Most tests run the child's work (``load_module`` + ``execute``) in-process: they test
the judging, and the runner is the very code the sandboxed child runs. One test grades
through the real sandbox end to end.
"""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import numpy as np
import pytest

import grader.exercise
from grader import engine
from grader.cases import Cases
from grader.checks.base import Judging
from grader.exercise import EXERCISES_DIR, Exercise, TestSpec, load_exercise
from grader.result import Result
from grader.sandbox.executor import EvalRequest, Evaluation
from grader.sandbox.runner import LoadFailure, execute, load_module
from grader.suites import initializers as suite

REFERENCE = Path(__import__("reference.initializers").initializers.__file__).read_text(
    encoding="utf-8")


class InProcess:
    """What the sandboxed child does, in this process (no containment needed: the
    sources graded here are ours)."""

    def evaluate(self, request: EvalRequest, *, on_outcome: object = None) -> Evaluation:
        module = load_module(request.source, request.module_name, request.filename,
                             register=False)
        if isinstance(module, LoadFailure):
            return Evaluation(module, {}, "", "", 0.0, 0)
        return Evaluation(None, execute(module, request.calls), "", "", 0.0, 0)


def _exercise(tmp_path: Path, extra_mutants: dict[str, tuple[str, str]] | None = None
              ) -> Exercise:
    """The exercise from a copy of its directory (placeholders for files others are
    still writing), optionally with extra catalogue entries ``id -> (function, code)``."""
    directory = tmp_path / "initializers"
    shutil.copytree(EXERCISES_DIR / "initializers", directory)
    for name in ("statement.en.md", "statement.ko.md", "starter.py"):
        if not (directory / name).exists():
            (directory / name).write_text("placeholder\n", encoding="utf-8")
    for mid, (function, code) in (extra_mutants or {}).items():
        path = f"mutants/{mid.replace('-', '_')}.py"
        (directory / path).write_text(code, encoding="utf-8")
        with (directory / "misconceptions.toml").open("a", encoding="utf-8") as fh:
            fh.write(f'\n[[misconception]]\nid = "{mid}"\nfunction = "{function}"\n'
                     f'mutant = "{path}"\ntitle = {{ en = "t", ko = "t" }}\n'
                     f'explanation = {{ en = "e", ko = "e" }}\nhint = {{ en = "h", ko = "h" }}\n')
    return load_exercise(directory)


def _grade(ex: Exercise, source: str, monkeypatch: pytest.MonkeyPatch, sandbox: object = None
           ) -> Result:
    monkeypatch.setattr(grader.exercise, "get", lambda exercise_id, root=None: ex)
    return engine.grade(ex.id, source, sandbox=sandbox or InProcess())  # type: ignore[arg-type]


def _by_name(result: Result) -> dict[str, tuple[float, float, tuple[str, ...], str]]:
    return {t.name: (t.score, t.max_score, tuple(m.id for m in t.misconceptions), t.output.en)
            for t in result.tests}


def test_every_function_and_check_is_graded(tmp_path: Path) -> None:
    ex = _exercise(tmp_path)
    assert set(ex.functions) == set(suite.FUNCTIONS)
    assert all(t.name.split(":")[0] == t.function for t in ex.tests)


def test_reference_scores_full_marks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = _grade(_exercise(tmp_path), REFERENCE, monkeypatch)
    failed = [(t.name, t.output.en) for t in result.tests if t.score < t.max_score]
    assert failed == []
    assert result.score == result.max_score == 37


def test_reference_scores_full_marks_in_the_real_sandbox(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from grader.sandbox import default_sandbox

    result = _grade(_exercise(tmp_path), REFERENCE, monkeypatch, default_sandbox())
    assert [(t.name, t.output.en) for t in result.tests if t.score < t.max_score] == []


# -- hand-written wrong submissions ------------------------------------------------
# Each is the reference with one function rewritten the way a student gets it wrong,
# drawing its numbers differently from the catalogue's mutant (rng.random instead of
# rng.uniform, standard_normal instead of normal), so that diagnosis must go by the
# distribution's signature, not by equal values. (``_generator`` is the reference's
# ``rng or default_rng()``.)

XAVIER_FAN_IN_ONLY = '''
def xavier_uniform(shape, gain=1.0, rng=None):
    fan_in, _ = fan_in_and_fan_out(shape)
    a = gain * math.sqrt(3.0 / fan_in)
    return (_generator(rng).random(tuple(shape)) * 2.0 - 1.0) * a
'''
XAVIER_UNIFORM_NO_SQRT3 = '''
def xavier_uniform(shape, gain=1.0, rng=None):
    fan_in, fan_out = fan_in_and_fan_out(shape)
    a = gain * math.sqrt(2.0 / (fan_in + fan_out))
    return (_generator(rng).random(tuple(shape)) * 2.0 - 1.0) * a
'''
XAVIER_VARIANCE_AS_STD = '''
def xavier_normal(shape, gain=1.0, rng=None):
    fan_in, fan_out = fan_in_and_fan_out(shape)
    return _generator(rng).standard_normal(tuple(shape)) * (gain * 2.0 / (fan_in + fan_out))
'''
XAVIER_SQUARED_GAIN = '''
def xavier_normal(shape, gain=1.0, rng=None):
    fan_in, fan_out = fan_in_and_fan_out(shape)
    std = math.sqrt(gain**4 * 2.0 / (fan_in + fan_out))
    return _generator(rng).standard_normal(tuple(shape)) * std
'''
XAVIER_GLOBAL_RANDOM = '''
def xavier_normal(shape, gain=1.0, rng=None):
    fan_in, fan_out = fan_in_and_fan_out(shape)
    return np.random.normal(0.0, gain * math.sqrt(2.0 / (fan_in + fan_out)), tuple(shape))
'''
HE_LECUN = '''
def he_normal(shape, mode="fan_in", rng=None):
    fan = _fan(tuple(shape), mode)
    return _generator(rng).standard_normal(tuple(shape)) / math.sqrt(fan)
'''
HE_UNIFORM_NO_SQRT3 = '''
def he_uniform(shape, mode="fan_in", rng=None):
    fan = _fan(tuple(shape), mode)
    b = math.sqrt(2.0 / fan)
    return (_generator(rng).random(tuple(shape)) * 2.0 - 1.0) * b
'''
HE_SQRT2_TOO_MUCH = '''
def he_normal(shape, mode="fan_in", rng=None):
    fan = _fan(tuple(shape), mode)
    return _generator(rng).standard_normal(tuple(shape)) * math.sqrt(2.0) * math.sqrt(2.0 / fan)
'''
HE_ANY_MODE = '''
def he_uniform(shape, mode="fan_in", rng=None):
    fan_in, fan_out = fan_in_and_fan_out(shape)
    fan = fan_out if mode == "fan_out" else fan_in
    b = math.sqrt(6.0 / fan)
    return _generator(rng).uniform(-b, b, tuple(shape))
'''
FLOAT32 = '''
def he_normal(shape, mode="fan_in", rng=None):
    fan = _fan(tuple(shape), mode)
    return _generator(rng).normal(0.0, math.sqrt(2.0 / fan), tuple(shape)).astype(np.float32)
'''
FANS_SWAPPED = '''
def fan_in_and_fan_out(shape):
    if len(shape) < 2:
        raise ValueError("need 2 dimensions")
    k = int(np.prod(shape[2:]))
    return shape[0] * k, shape[1] * k
'''
FANS_NO_KERNEL = '''
def fan_in_and_fan_out(shape):
    if len(shape) < 2:
        raise ValueError("need 2 dimensions")
    return shape[1], shape[0]
'''
FANS_FLOATS = '''
def fan_in_and_fan_out(shape):
    if len(shape) < 2:
        raise ValueError("need 2 dimensions")
    k = float(np.prod(shape[2:]))
    return shape[1] * k, shape[0] * k
'''
FANS_NO_CHECK = '''
def fan_in_and_fan_out(shape):
    k = int(np.prod(shape[2:]))
    return shape[1] * k, shape[0] * k
'''
GAIN_TANH_ONE = '''
_GAINS = {"linear": 1.0, "conv1d": 1.0, "conv2d": 1.0, "conv3d": 1.0, "sigmoid": 1.0,
          "tanh": 1.0, "relu": math.sqrt(2.0), "selu": 0.75}

def calculate_gain(nonlinearity, param=None):
    if nonlinearity == "leaky_relu":
        s = 0.01 if param is None else param
        return math.sqrt(2.0 / (1 + s * s))
    return _GAINS[nonlinearity]
'''
GAIN_LEAKY_AS_RELU = '''
_ORIGINAL_GAIN = calculate_gain

def calculate_gain(nonlinearity, param=None):
    if nonlinearity == "leaky_relu":
        return 2 ** 0.5
    return _ORIGINAL_GAIN(nonlinearity, param)
'''
GAIN_UNKNOWN_IS_ONE = '''
_ORIGINAL_GAIN = calculate_gain

def calculate_gain(nonlinearity, param=None):
    try:
        return _ORIGINAL_GAIN(nonlinearity, param)
    except ValueError:
        return 1.0
'''

#: source -> {test name: expected misconception id (None: none expected)}; every test
#: not listed must keep full marks.
CASES: dict[str, tuple[str, dict[str, str | None]]] = {
    "xavier-fan-in-only": (XAVIER_FAN_IN_ONLY, {
        "xavier_uniform: distribution": "xavier-fan-in-only",
        "xavier_uniform: gain": "xavier-fan-in-only",
    }),
    "xavier-uniform-no-sqrt3": (XAVIER_UNIFORM_NO_SQRT3, {
        "xavier_uniform: distribution": "xavier-uniform-missing-sqrt3",
        "xavier_uniform: gain": "xavier-uniform-missing-sqrt3",
    }),
    "xavier-variance-as-std": (XAVIER_VARIANCE_AS_STD, {
        "xavier_normal: distribution": "xavier-variance-as-std",
        "xavier_normal: gain": "xavier-variance-as-std",
    }),
    "xavier-squared-gain": (XAVIER_SQUARED_GAIN, {
        "xavier_normal: gain": "xavier-squared-gain",
    }),
    "he-lecun": (HE_LECUN, {
        "he_normal: distribution": "he-lecun-variance",
        "he_normal: modes fan_out and fan_in": "he-lecun-variance",
    }),
    "he-squared-gain": (HE_SQRT2_TOO_MUCH, {
        "he_normal: distribution": "he-squared-gain",
        "he_normal: modes fan_out and fan_in": "he-squared-gain",
    }),
    "he-uniform-no-sqrt3": (HE_UNIFORM_NO_SQRT3, {
        "he_uniform: distribution": "he-uniform-missing-sqrt3",
        "he_uniform: modes fan_out and fan_in": "he-uniform-missing-sqrt3",
    }),
    # an unknown mode silently read as fan_in: the catalogue's "mode ignored" fits
    "he-any-mode": (HE_ANY_MODE, {"he_uniform: unknown mode": "he-uniform-mode-ignored"}),
    "float32": (FLOAT32, {"he_normal: float64 array of the shape": None}),
    "fans-swapped": (FANS_SWAPPED, {
        "fan_in_and_fan_out: linear and conv shapes": "fans-swapped",
        # the He initialisers use the student's fans: wrong too, and for the same reason
        # (he_normal has a catalogue entry for the (in, out) layout; he_uniform has none,
        # and a mode that is ignored must not be blamed)
        "he_uniform: distribution": None, "he_uniform: modes fan_out and fan_in": None,
        "he_normal: distribution": "he-in-out-layout",
        "he_normal: modes fan_out and fan_in": "he-in-out-layout",
    }),
    "fans-no-kernel": (FANS_NO_KERNEL, {
        "fan_in_and_fan_out: linear and conv shapes": "conv-fan-no-receptive-field",
        **{f"{f}: {t}": None for f in ("xavier_uniform", "xavier_normal")
           for t in ("distribution", "gain")},
        **{f"{f}: {t}": None for f in ("he_uniform", "he_normal")
           for t in ("distribution", "modes fan_out and fan_in")},
    }),
    "fans-floats": (FANS_FLOATS, {"fan_in_and_fan_out: linear and conv shapes": None}),
    "fans-no-check": (FANS_NO_CHECK, {"fan_in_and_fan_out: fewer than 2 dimensions": None}),
    "gain-tanh-one": (GAIN_TANH_ONE, {"calculate_gain: every nonlinearity": "gain-tanh-one",
                                      "calculate_gain: unknown nonlinearity": None}),
    "gain-leaky-as-relu": (GAIN_LEAKY_AS_RELU, {
        "calculate_gain: leaky_relu slopes": "gain-leaky-slope-ignored"}),
    "gain-unknown-is-one": (GAIN_UNKNOWN_IS_ONE, {"calculate_gain: unknown nonlinearity": None}),
}


@pytest.fixture(scope="module")
def module_tmp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("initializers")


@pytest.fixture(scope="module")
def exercise(module_tmp: Path) -> Exercise:
    return _exercise(module_tmp)


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_mistake_loses_the_right_tests_and_is_named(
        case: str, exercise: Exercise, monkeypatch: pytest.MonkeyPatch) -> None:
    source, expected = CASES[case]
    results = _by_name(_grade(exercise, REFERENCE + "\n" + source, monkeypatch))
    lost = {name for name, (score, most, _, _) in results.items() if score < most}
    assert lost == set(expected), {n: results[n][3] for n in lost ^ set(expected)}
    for name, misconception in expected.items():
        found = results[name][2]
        assert (misconception in found) if misconception else found == (), (name, found)


def test_feedback_names_the_numbers_and_carries_a_histogram(
        exercise: Exercise, monkeypatch: pytest.MonkeyPatch) -> None:
    result = _grade(exercise, REFERENCE + "\n" + HE_LECUN, monkeypatch)
    test = next(t for t in result.tests if t.name == "he_normal: distribution")
    # shape (512, 128): fan_in = 128, σ = √(2/128) = 0.125; the student's σ ≈ 0.0884
    assert "He's is 0.125 for fan_in=128" in test.output.en
    assert "your samples' std is 0.088" in test.output.en
    assert "0.125" in test.output.ko and "표준편차" in test.output.ko
    plot = test.extra["plot"]
    assert plot["kind"] == "histogram" and set(plot["title"]) == {"en", "ko"}
    assert len(plot["bins"]) == len(plot["counts"]) + 1 == len(plot["expected_density"]) + 1
    assert sum(plot["counts"]) == 512 * 128


def test_a_wrong_bound_message_names_the_bound(
        exercise: Exercise, monkeypatch: pytest.MonkeyPatch) -> None:
    result = _grade(exercise, REFERENCE + "\n" + XAVIER_FAN_IN_ONLY, monkeypatch)
    test = next(t for t in result.tests if t.name == "xavier_uniform: distribution")
    bound = math.sqrt(6 / (128 + 512))
    assert f"Xavier's bound is {bound:.6g} for fan_in=128, fan_out=512" in test.output.en


def test_fans_as_floats_are_refused_with_a_reason(
        exercise: Exercise, monkeypatch: pytest.MonkeyPatch) -> None:
    result = _grade(exercise, REFERENCE + "\n" + FANS_FLOATS, monkeypatch)
    test = next(t for t in result.tests if t.name.startswith("fan_in_and_fan_out: linear"))
    assert "must be Python ints" in test.output.en and "float 10.0" in test.output.en


def test_global_random_state_fails_reproducibility_and_is_diagnosed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The catalogue's rng-ignored mutant uses a fixed seed; a catalogue entry for the
    global ``np.random`` mistake is told apart from it by the reproducibility pattern."""
    mutant = '''
def xavier_normal(shape, gain=1.0, rng=None):
    dims = _dims(shape)
    fan_in, fan_out = fan_in_and_fan_out(dims)
    return np.random.normal(0.0, gain * math.sqrt(2.0 / (fan_in + fan_out)), size=dims)
'''
    ex = _exercise(tmp_path, {"init-global-random": ("xavier_normal", mutant)})
    results = _by_name(_grade(ex, REFERENCE + "\n" + XAVIER_GLOBAL_RANDOM, monkeypatch))
    score, _, found, output = results["xavier_normal: reproducible with a seed"]
    assert score == 0 and "same seed" in output
    assert found == ("init-global-random",)
    lost = {n for n, (s, m, _, _) in results.items() if s < m}
    assert lost == {"xavier_normal: reproducible with a seed"}


# -- false failures and power -------------------------------------------------------


def _spec(ex: Exercise, name: str) -> TestSpec:
    return next(t for t in ex.tests if t.name == name)


def _judge_over_seeds(ex: Exercise, name: str, source: str, seeds: range) -> list[float]:
    """The fraction the test gives ``source`` for each case seed (fresh generators and
    hence fresh samples each time), judged exactly as the engine judges."""
    spec = _spec(ex, name)
    check = engine.check_for(ex, spec)
    module = load_module(source, "initializers", "initializers.py", register=False)
    reference = load_module(REFERENCE, "ref_initializers", "<reference>", register=False)
    assert not isinstance(module, LoadFailure) and not isinstance(reference, LoadFailure)
    fractions = []
    for seed in seeds:
        calls = [c for _, c in check.calls(spec, Cases(seed))]
        j = Judging(spec, ex.file, calls, {}, execute(module, calls), execute(reference, calls))
        fractions.append(check.judge(j).fraction)
    return fractions


STATISTICAL_TESTS = [
    "xavier_uniform: distribution", "xavier_uniform: gain", "xavier_normal: distribution",
    "xavier_normal: gain", "he_uniform: distribution", "he_uniform: modes fan_out and fan_in",
    "he_normal: distribution", "he_normal: modes fan_out and fan_in",
]


@pytest.mark.parametrize("name", STATISTICAL_TESTS)
def test_a_correct_implementation_passes_for_many_seeds(name: str, exercise: Exercise) -> None:
    assert _judge_over_seeds(exercise, name, REFERENCE, range(12)) == [1.0] * 12


@pytest.mark.slow
@pytest.mark.parametrize("name", STATISTICAL_TESTS)
def test_a_correct_implementation_passes_for_200_seeds(name: str, exercise: Exercise) -> None:
    """With a false-failure probability below 1e-6 per test, 200 seeds × 8 tests should
    show no failure at all (a miscalibrated test at 1e-3 would show ~1.6)."""
    assert _judge_over_seeds(exercise, name, REFERENCE, range(1000, 1200)) == [1.0] * 200


SQRT2_OFF = {
    "xavier_uniform": '''
def xavier_uniform(shape, gain=1.0, rng=None):
    fan_in, fan_out = fan_in_and_fan_out(shape)
    a = {f} * gain * math.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-a, a, tuple(shape))
''',
    "xavier_normal": '''
def xavier_normal(shape, gain=1.0, rng=None):
    fan_in, fan_out = fan_in_and_fan_out(shape)
    return rng.normal(0.0, {f} * gain * math.sqrt(2.0 / (fan_in + fan_out)), tuple(shape))
''',
    "he_uniform": '''
def he_uniform(shape, mode="fan_in", rng=None):
    b = {f} * math.sqrt(6.0 / _fan(tuple(shape), mode))
    return rng.uniform(-b, b, tuple(shape))
''',
    "he_normal": '''
def he_normal(shape, mode="fan_in", rng=None):
    return rng.normal(0.0, {f} * math.sqrt(2.0 / _fan(tuple(shape), mode)), tuple(shape))
''',
}


@pytest.mark.parametrize("function", sorted(SQRT2_OFF))
@pytest.mark.parametrize("factor", [math.sqrt(2.0), 1 / math.sqrt(2.0)], ids=["x√2", "÷√2"])
def test_a_std_off_by_sqrt2_is_always_rejected(function: str, factor: float,
                                               exercise: Exercise) -> None:
    source = REFERENCE + "\n" + SQRT2_OFF[function].replace("{f}", repr(factor))
    assert _judge_over_seeds(exercise, f"{function}: distribution", source, range(5)) == [0.0] * 5


def test_the_expected_parameters_come_from_the_reference_formulas() -> None:
    t = suite.target_of("xavier_uniform", (512, 128), {"gain": 5 / 3})
    assert t.family == "uniform" and t.scale == pytest.approx(5 / 3 * math.sqrt(6 / 640))
    t = suite.target_of("he_normal", (64, 16, 3, 3), {"mode": "fan_out"})
    assert t.family == "normal" and t.scale == pytest.approx(math.sqrt(2 / (64 * 9)))
    assert np.isclose(suite.target_of("he_uniform", (20, 10), {}).std, math.sqrt(2 / 10))
