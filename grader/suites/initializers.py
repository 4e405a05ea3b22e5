"""Checks for ``initializers.py``: fans and gains exactly, distributions statistically.

Exact checks: ``fan_in_and_fan_out`` on linear, 3-d and 4-d shapes must return a pair
of Python ints; ``calculate_gain`` must equal PyTorch's gains to rtol 1e-15 (leaky ReLU
with slopes None, 0.2, 1 and √5, where a slope that is ignored shows). Distributions
are judged by :mod:`grader.checks.statistics` on non-square weights (512, 128), where
Xavier-with-fan_in-only and swapped fans differ from the truth, and on a conv weight
(64, 16, 3, 3), where a fan without the receptive field is off by 3; with gains ≠ 1
(a squared gain shows) and ``mode="fan_out"``. The expected σ and bounds come from
``reference.initializers`` in the parent, never from the child.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from grader.cases import Cases
from grader.checks.base import Check, CompareCheck, Judging, Verdict, compare_values, precheck
from grader.checks.statistics import DistributionCheck, Target
from grader.exercise import TestSpec
from grader.i18n import Text, msg
from grader.sandbox.plan import Call, Outcome, Rng
from reference import initializers as ref

__all__ = ["CHECKS", "FUNCTIONS", "target_of"]

FUNCTIONS = (
    "fan_in_and_fan_out", "calculate_gain", "xavier_uniform", "xavier_normal", "he_uniform",
    "he_normal",
)
_INITIALISERS = FUNCTIONS[2:]
_BIG = (512, 128)
_CONV = (64, 16, 3, 3)


def target_of(function: str, shape: tuple[int, ...], kwargs: Mapping[str, Any]) -> Target:
    """The distribution ``function(shape, **kwargs)`` must draw from, by the reference's
    formulas (contract §1)."""
    fan_in, fan_out = ref.fan_in_and_fan_out(shape)
    family = "uniform" if function.endswith("uniform") else "normal"
    if function.startswith("xavier"):
        gain = float(kwargs.get("gain", 1.0))
        std = gain * math.sqrt(2.0 / (fan_in + fan_out))
        context = f"fan_in={fan_in}, fan_out={fan_out}, gain={gain:.4g}"
        name = "Xavier"
    else:
        mode = str(kwargs.get("mode", "fan_in"))
        fan = fan_in if mode == "fan_in" else fan_out
        std = math.sqrt(2.0 / fan)
        context = f"{mode}={fan}"
        name = "He"
    scale = std if family == "normal" else math.sqrt(3.0) * std
    return Target(family, scale, name, context)  # type: ignore[arg-type]


def _call_shape(call: Call) -> tuple[int, ...]:
    shape = call.args[0]
    assert isinstance(shape, tuple)
    return tuple(int(s) for s in shape)  # type: ignore[arg-type]


def _call_target(call: Call) -> Target:
    return target_of(call.target, _call_shape(call),
                     {k: v for k, v in call.kwargs.items() if k != "rng"})


def _kw_text(kwargs: Mapping[str, Any]) -> str:
    shown = {k: v for k, v in kwargs.items() if k != "rng"}
    if not shown:
        return ""
    parts = [f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={v!r}" for k, v in shown.items()]
    return ", " + ", ".join(parts)


def _init_call(cid: str, function: str, shape: tuple[int, ...], seed: int,
               **kwargs: Any) -> tuple[Text, Call]:
    label = msg("case.shape", shape=shape, kw=_kw_text(kwargs))
    return label, Call(cid, function, (shape,), {**kwargs, "rng": Rng(seed)})


# -- fan_in_and_fan_out ------------------------------------------------------------

_FAN_SHAPES: tuple[tuple[int, ...], ...] = ((20, 10), (16, 3, 5, 5), (7, 3, 2), (5, 1),
                                           (512, 128), (64, 16, 3, 3))


class ExactCheck(CompareCheck):
    """Exact values, reported as "returned X; expected Y" (a tolerance means nothing
    to a student who returned the wrong gain). With ``ints``, each value must be a
    pair of Python ints, as PyTorch's ``_calculate_fan_in_and_fan_out`` returns."""

    def __init__(self, build: Any, *, rtol: float = 0.0, ints: bool = False) -> None:
        super().__init__(build, rtol=rtol, atol=0.0)
        self.ints = ints

    def _judge(self, j: Judging) -> Verdict:
        early = precheck(j)
        if early is not None:
            return early
        function = j.spec.function
        for call in j.calls:
            s, e = j.student[call.id], j.expected[call.id]
            if s.error is not None or e.error is not None:
                continue  # expected exceptions: judged below
            if self.ints and isinstance(s.value, (tuple, list)) and any(
                    type(v) is not int for v in s.value):
                got = "(" + ", ".join(f"{type(v).__name__} {v!r}" for v in s.value) + ")"
                return Verdict(0.0, msg("grade.not-int", function=function, case=j.label(call),
                                        got=got))
            if compare_values(s.value, e.value, rtol=j.rtol(self.rtol), atol=0.0) is not None:
                return Verdict(0.0, msg("grade.wrong-value", function=function,
                                        case=j.label(call), got=_show(s.value),
                                        expected=_show(e.value)))
        return super()._judge(j)


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:79] + "…"


def _fans(spec: TestSpec, cases: Cases) -> list[tuple[Text, Call]]:
    return [(msg("case.shape", shape=s, kw=""),
             Call(f"f{i}", "fan_in_and_fan_out", (s,), returns="raw"))
            for i, s in enumerate(_FAN_SHAPES)]


def _fan_errors(spec: TestSpec, cases: Cases) -> list[tuple[Text, Call]]:
    return [(msg("case.shape", shape=s, kw=""),
             Call(f"e{i}", "fan_in_and_fan_out", (s,), returns="raw"))
            for i, s in enumerate(((5,), ()))]


# -- calculate_gain ----------------------------------------------------------------

_GAINS: tuple[tuple[str, tuple[Any, ...]], ...] = (
    ("linear", ()), ("conv1d", ()), ("conv2d", ()), ("conv3d", ()), ("sigmoid", ()),
    ("tanh", ()), ("relu", ()), ("selu", ()),
)
_LEAKY: tuple[tuple[Any, ...], ...] = ((), (None,), (0.2,), (1,), (math.sqrt(5.0),))


def _gain_label(args: tuple[Any, ...]) -> Text:
    return Text.same("calculate_gain(" + ", ".join(repr(a) for a in args) + ")")


def _gains(spec: TestSpec, cases: Cases) -> list[tuple[Text, Call]]:
    return [(_gain_label((name, *rest)), Call(f"g{i}", "calculate_gain", (name, *rest),
                                              returns="raw"))
            for i, (name, rest) in enumerate(_GAINS)]


def _leaky(spec: TestSpec, cases: Cases) -> list[tuple[Text, Call]]:
    return [(_gain_label(("leaky_relu", *rest)),
             Call(f"l{i}", "calculate_gain", ("leaky_relu", *rest), returns="raw"))
            for i, rest in enumerate(_LEAKY)]


def _gain_errors(spec: TestSpec, cases: Cases) -> list[tuple[Text, Call]]:
    return [(_gain_label((name,)), Call(f"e{i}", "calculate_gain", (name,), returns="raw"))
            for i, name in enumerate(("softmax", "gelu", "Tanh"))]


# -- the initialisers ----------------------------------------------------------------

def _distribution(function: str) -> DistributionCheck:
    """Default arguments on the non-square and the conv weight."""

    def build(spec: TestSpec, cases: Cases) -> list[tuple[Text, Call]]:
        return [_init_call("d0", function, _BIG, cases.seed()),
                _init_call("d1", function, _CONV, cases.seed())]

    return DistributionCheck(build, _call_target, _call_shape)


def _gain(function: str) -> DistributionCheck:
    """Gains ≠ 1: tanh's 5/3 on the non-square weight, ReLU's √2 on a conv weight."""

    def build(spec: TestSpec, cases: Cases) -> list[tuple[Text, Call]]:
        return [_init_call("g0", function, _BIG, cases.seed(), gain=5.0 / 3),
                _init_call("g1", function, (32, 16, 3, 3), cases.seed(), gain=math.sqrt(2.0))]

    return DistributionCheck(build, _call_target, _call_shape)


def _fan_out(function: str) -> DistributionCheck:
    """``mode="fan_out"``, and an explicit ``mode="fan_in"`` on the transposed shape: a
    mode that is ignored and fans that are swapped then fail differently."""

    def build(spec: TestSpec, cases: Cases) -> list[tuple[Text, Call]]:
        return [_init_call("o0", function, _BIG, cases.seed(), mode="fan_out"),
                _init_call("o1", function, _CONV, cases.seed(), mode="fan_out"),
                _init_call("o2", function, _BIG[::-1], cases.seed(), mode="fan_in")]

    return DistributionCheck(build, _call_target, _call_shape)


class Reproducibility(Check):
    """The same seed twice gives the same array; another seed, another array."""

    def __init__(self, function: str) -> None:
        self.function = function

    def calls(self, spec: TestSpec, cases: Cases) -> list[tuple[Text, Call]]:
        out = []
        for i, shape in enumerate(((64, 32), (8, 4, 3, 3))):
            seed = cases.seed()
            other = cases.seed()
            other = other if other != seed else seed + 1
            out += [(msg("case.shape-seed", shape=shape, seed=seed),
                     Call(f"a{i}", self.function, (shape,), {"rng": Rng(seed)})),
                    (msg("case.shape-seed-again", shape=shape, seed=seed),
                     Call(f"b{i}", self.function, (shape,), {"rng": Rng(seed)})),
                    (msg("case.shape-seed", shape=shape, seed=other),
                     Call(f"c{i}", self.function, (shape,), {"rng": Rng(other)}))]
        return out

    def _pattern(self, j: Judging, outcomes: Mapping[str, Outcome]
                 ) -> list[tuple[Text, bool, bool]] | None:
        """Per case: (label, same seed → same array, other seed → other array)."""
        out = []
        for first, again, other in zip(j.calls[0::3], j.calls[1::3], j.calls[2::3], strict=True):
            a, b, c = (outcomes[x.id].value for x in (first, again, other))
            if not all(isinstance(v, np.ndarray) for v in (a, b, c)):
                return None
            assert isinstance(a, np.ndarray) and isinstance(b, np.ndarray)
            assert isinstance(c, np.ndarray)
            same = a.shape == b.shape and bool(np.array_equal(a, b, equal_nan=True))
            differs = a.shape != c.shape or not bool(np.array_equal(a, c, equal_nan=True))
            out.append((j.label(first), same, differs))
        return out

    def judge(self, j: Judging) -> Verdict:
        early = precheck(j, allow_expected_errors=False)
        if early is not None:
            return early
        pattern = self._pattern(j, j.student)
        if pattern is None:
            return Verdict(0.0, msg("grade.bad-output", function=j.spec.function,
                                    message=msg("detail.not-an-array")))
        for label, same, differs in pattern:
            if not same:
                return Verdict(0.0, msg("grade.not-reproducible", function=j.spec.function,
                                        case=label))
            if not differs:
                return Verdict(0.0, msg("grade.ignores-seed", function=j.spec.function,
                                        case=label))
        return Verdict(1.0, msg("grade.reproducible", function=j.spec.function))

    def agrees(self, j: Judging, other: Mapping[str, Outcome]) -> bool:
        if any(other[c.id].error is not None or j.student[c.id].error is not None
               for c in j.calls):
            return False
        mine, theirs = self._pattern(j, j.student), self._pattern(j, other)
        truth = self._pattern(j, j.expected)
        return mine is not None and mine == theirs and theirs != truth


class ShapeAndDtype(Check):
    """A float64 ``numpy.ndarray`` of exactly ``shape``, also with ``rng=None``."""

    def __init__(self, function: str) -> None:
        self.function = function

    def calls(self, spec: TestSpec, cases: Cases) -> list[tuple[Text, Call]]:
        shapes = ((3, 5), (6, 2, 3), (4, 3, 2, 2))
        out = [(msg("case.shape-no-rng", shape=s), Call(f"n{i}", "probe:describe_result",
                                              (self.function, s), {"rng": None}, returns="raw"))
               for i, s in enumerate(shapes)]
        out.append((msg("case.shape-generator", shape=shapes[0]),
                    Call("r", "probe:describe_result", (self.function, shapes[0]),
                         {"rng": Rng(cases.seed())}, returns="raw")))
        return out

    def judge(self, j: Judging) -> Verdict:
        early = precheck(j, allow_expected_errors=False)
        if early is not None:
            return early
        for call in j.calls:
            info = j.student[call.id].value
            shape = call.args[1]
            assert isinstance(shape, tuple)
            # The child's process is the student's: read its report defensively.
            info = info if isinstance(info, dict) else {}
            raw_shape = info.get("shape")
            got_shape = tuple(raw_shape) if isinstance(raw_shape, list) else ()
            if info.get("type") != "numpy.ndarray" or info.get("dtype") != "float64" \
                    or got_shape != shape:
                got = msg("detail.described-array", type=info.get("type"),
                          dtype=info.get("dtype"), shape=got_shape)
                return Verdict(0.0, msg("grade.wrong-dtype", function=j.spec.function,
                                        case=j.label(call), got=got, expected=str(shape)))
        return Verdict(1.0, msg("grade.shape-ok", function=j.spec.function))


def _mode_errors(function: str) -> CompareCheck:
    def build(spec: TestSpec, cases: Cases) -> list[tuple[Text, Call]]:
        return [(Text.same(f"mode={m!r}"), Call(f"m{i}", function, ((8, 4),),
                                     {"mode": m, "rng": Rng(cases.seed())}))
                for i, m in enumerate(("fan_avg", "in"))]

    return CompareCheck(build)


def _initialiser_checks(function: str) -> dict[str, Check]:
    checks: dict[str, Check] = {
        "distribution": _distribution(function),
        "reproducible": Reproducibility(function),
        "shape": ShapeAndDtype(function),
    }
    if function.startswith("xavier"):
        checks["gain"] = _gain(function)
    else:
        checks["fan-out"] = _fan_out(function)
        checks["errors"] = _mode_errors(function)
    return checks


CHECKS: dict[str, dict[str, Check]] = {
    "fan_in_and_fan_out": {
        "values": ExactCheck(_fans, ints=True),
        "errors": CompareCheck(_fan_errors),
    },
    "calculate_gain": {
        "values": ExactCheck(_gains, rtol=1e-15),
        "leaky-relu": ExactCheck(_leaky, rtol=1e-15),
        "errors": CompareCheck(_gain_errors),
    },
    **{f: _initialiser_checks(f) for f in _INITIALISERS},
}
