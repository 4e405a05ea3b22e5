"""Checks for ``activations.py``: values, stability at ±1e4, derivatives.

Kinks follow the contract: at exactly 0, ``relu_grad`` may return anything in
[0, 1], ``leaky_relu_grad`` anything in [slope, 1], ``elu_grad`` 1 or α (and any
value between). Values elsewhere must match the reference within rtol 1e-7,
atol 1e-12 (torch's float64 tolerance), so naive-but-finite formulas pass and wrong
ones do not.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

from grader import plots
from grader.cases import EDGE_VALUES, LARGE_VALUES, Cases
from grader.checks.base import Check, CompareCheck, Judging, with_kwargs
from grader.checks.gradients import ElementwiseFiniteDifference, KinkCheck
from grader.checks.properties import NoMutation
from grader.exercise import TestSpec
from grader.i18n import Text, msg
from grader.sandbox.plan import Call

__all__ = ["CHECKS", "FUNCTIONS"]

#: function -> (forward it differentiates, kinks, keyword-argument variants)
_PARAMS: dict[str, list[dict[str, Any]]] = {
    "leaky_relu": [{}, {"negative_slope": 0.2}],
    "elu": [{}, {"alpha": 0.5}, {"alpha": 2.0}],
}
_FORWARDS = ("sigmoid", "tanh", "relu", "leaky_relu", "elu", "gelu")
FUNCTIONS = tuple(f for name in _FORWARDS for f in (name, f"{name}_grad"))
_KINKED = {"relu", "leaky_relu", "elu"}


def _variants(function: str) -> list[dict[str, Any]]:
    return _PARAMS.get(function.removesuffix("_grad"), [{}])


def _values(function: str) -> CompareCheck:
    """Every shape from 0-d to 4-d; exact zeros only where the value is defined there."""
    grad_of_kinked = function.endswith("_grad") and function.removesuffix("_grad") in _KINKED

    def build(spec: TestSpec, cases: Cases) -> list[tuple[Text, Call]]:
        out = []
        for i, kw in enumerate(_variants(function)):
            for j, x in enumerate(cases.activation_inputs(with_zeros=not grad_of_kinked)):
                out.append((msg("case.array", ndim=x.ndim, shape=x.shape, kw=with_kwargs(kw)),
                            Call(f"v{i}_{j}", function, (x,), kw)))
        grid = np.linspace(-6.0, 6.0, 241)
        if grad_of_kinked:
            grid = grid[grid != 0]
        out.append((msg("case.grid", low=-6.0, high=6.0), Call("plot", function, (grid,))))
        return out

    return CompareCheck(build, plot=functools.partial(_plot, function))


def _plot(function: str, j: Judging) -> dict[str, Any]:
    call = next(c for c in j.calls if c.id.endswith(".plot"))
    student, expected = j.student[call.id].value, j.expected[call.id].value
    if student is None or expected is None:
        raise ValueError("nothing to plot")
    return plots.line(
        Text(f"{function}(x): yours and the reference", f"{function}(x): 내 구현과 기준 구현"),
        call.args[0],
        [plots.series(Text("yours", "내 구현"), student),
         plots.series(Text("reference", "기준 구현"), expected)],
        y_label=function,
    )


def _stability(function: str) -> CompareCheck:
    """±1e4, ±1000, ±710 (where exp overflows) and subnormals: finite, correct values."""
    kinked_grad = function.endswith("_grad") and function.removesuffix("_grad") in _KINKED

    def build(spec: TestSpec, cases: Cases) -> list[tuple[Text, Call]]:
        edge = EDGE_VALUES[EDGE_VALUES != 0] if kinked_grad else EDGE_VALUES
        out = []
        for i, kw in enumerate(_variants(function)):
            out.append((msg("case.large", values=LARGE_VALUES.tolist(), kw=with_kwargs(kw)),
                        Call(f"s{i}", function, (LARGE_VALUES.copy(),), kw)))
            out.append((msg("case.edge", kw=with_kwargs(kw)),
                        Call(f"e{i}", function, (edge.copy(),), kw)))
            out.append((msg("case.scalar", value="1e4", kw=with_kwargs(kw)),
                        Call(f"c{i}", function, (np.float64(1e4),), kw)))
        return out

    return CompareCheck(build)


def _no_mutation(function: str) -> NoMutation:
    def build(spec: TestSpec, cases: Cases) -> list[tuple[Text, Call]]:
        x = cases.normal((4, 5), scale=3.0)
        return [(msg("case.array-nd", ndim=2), Call("m", function, (x,)))]

    return NoMutation(build, ("x",))


def _allowed_at_zero(forward: str) -> Any:
    if forward == "relu":
        return lambda kw: (0.0, 1.0)
    if forward == "leaky_relu":
        return lambda kw: tuple(sorted((kw.get("negative_slope", 0.01), 1.0)))
    return lambda kw: tuple(sorted((kw.get("alpha", 1.0), 1.0)))


def _checks(function: str) -> dict[str, Check]:
    checks: dict[str, Check] = {
        "values": _values(function),
        "stability": _stability(function),
        "no-mutation": _no_mutation(function),
    }
    if function.endswith("_grad"):
        forward = function.removesuffix("_grad")
        kinks = (0.0,) if forward in _KINKED else ()
        checks["finite-differences"] = ElementwiseFiniteDifference(forward, function, kinks)
        for kw in _variants(function)[1:]:
            checks["finite-differences " + ", ".join(f"{k}={v}" for k, v in kw.items())] = (
                ElementwiseFiniteDifference(forward, function, kinks, kw))
        if forward in _KINKED:
            checks["kink"] = KinkCheck(function, _allowed_at_zero(forward), _variants(function))
    return checks


CHECKS: dict[str, dict[str, Check]] = {f: _checks(f) for f in FUNCTIONS}
