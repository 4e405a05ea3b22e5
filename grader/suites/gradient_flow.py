"""Checks for ``gradient_flow.py``: activation statistics and gradient norms by depth.

Networks of several widths (so a transposed weight or a wrong axis fails on shape
or value), sigmoid, tanh and ReLU, shallow and deep (20 layers of sigmoid drive the
first layers' gradient norms down by orders of magnitude: they are compared with a
relative tolerance only, so "vanishing" values must still be right).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import Any

import numpy as np

from grader import plots
from grader.cases import Cases
from grader.checks.base import Check, CompareCheck, Judging, Verdict, precheck
from grader.checks.properties import NoMutation
from grader.exercise import TestSpec
from grader.i18n import Text, msg
from grader.sandbox.plan import Call

__all__ = ["CHECKS"]

ACTIVATIONS = ("sigmoid", "tanh", "relu")


def _network(cases: Cases, widths: tuple[int, ...], init: str) -> list[np.ndarray]:
    weights = []
    for fan_in, fan_out in itertools.pairwise(widths):
        std = {"xavier": np.sqrt(2.0 / (fan_in + fan_out)), "he": np.sqrt(2.0 / fan_in),
               "small": 0.01, "large": 1.0}[init]
        weights.append(cases.normal((fan_in, fan_out), scale=std))
    return weights


def _layer_plot(which: int, call_id: str, title: Text, log_y: bool) -> Any:
    def plot(j: Judging) -> dict[str, Any]:
        call = next(c for c in j.calls if c.id.endswith("." + call_id))
        student, expected = j.student[call.id].value, j.expected[call.id].value
        assert isinstance(student, tuple) and isinstance(expected, tuple)
        layers = np.arange(1, len(np.asarray(expected[which]).reshape(-1)) + 1)
        return plots.line(title, layers, [
            plots.series(Text("yours", "내 구현"), student[which]),
            plots.series(Text("reference", "기준 구현"), expected[which]),
        ], x_label="layer", log_y=log_y)

    return plot


def _values(spec: TestSpec, cases: Cases) -> list[tuple[Text, Call]]:
    out = []
    for i, act in enumerate(ACTIVATIONS):
        widths = (16, 24, 12, 20, 8, 10)
        x = cases.normal((32, widths[0]))
        out.append((msg("case.network-widths", layers=5, act=act, widths=widths),
                    Call(f"v{i}", "layer_statistics", (x, _network(cases, widths, "xavier"), act),
                         returns=("array", "array"))))
    x = cases.normal((1, 3))
    out.append((msg("case.network-one-sample"),
                Call("one", "layer_statistics", (x, _network(cases, (3, 4), "he"), "relu"),
                     returns=("array", "array"))))
    return out


def _deep(spec: TestSpec, cases: Cases) -> list[tuple[Text, Call]]:
    out = []
    settings = (("sigmoid", "xavier"), ("tanh", "small"), ("relu", "he"), ("tanh", "large"))
    for i, (act, init) in enumerate(settings):
        widths = (20,) * 21
        x = cases.normal((16, 20))
        out.append((msg("case.network-init", layers=20, act=act, init=init),
                    Call(f"d{i}", "layer_statistics", (x, _network(cases, widths, init), act),
                         returns=("array", "array"))))
    return out


class ReturnsFloatLists(Check):
    """The contract asks for two lists of L Python floats."""

    def calls(self, spec: TestSpec, cases: Cases) -> list[tuple[Text, Call]]:
        widths = (5, 6, 4)
        return [(msg("case.network", layers=2, act="tanh"), Call(
            "t", "layer_statistics",
            (cases.normal((8, 5)), _network(cases, widths, "xavier"), "tanh"),
            returns="raw"))]

    def judge(self, j: Judging) -> Verdict:
        early = precheck(j)
        if early is not None:
            return early
        value = j.student[j.calls[0].id].value
        ok = (
            isinstance(value, (tuple, list)) and len(value) == 2
            and all(isinstance(v, list) and len(v) == 2 and all(type(f) is float for f in v)
                    for v in value)
        )
        if not ok:
            return Verdict(0.0, msg("grade.float-lists", function=j.spec.function))
        return Verdict(1.0, msg("grade.passed", function=j.spec.function))

    def agrees(self, j: Judging, other: Mapping[str, Any]) -> bool:
        return False


def _no_mutation(spec: TestSpec, cases: Cases) -> list[tuple[Text, Call]]:
    widths = (6, 5, 4)
    return [(msg("case.network", layers=2, act="relu"), Call(
        "m", "layer_statistics", (cases.normal((8, 6)), _network(cases, widths, "he"), "relu"),
        returns=("array", "array")))]


CHECKS: dict[str, dict[str, Check]] = {
    "layer_statistics": {
        "values": CompareCheck(_values, rtol=1e-7, atol=1e-12, plot=_layer_plot(
            0, "v0", Text("Activation std per layer (sigmoid, Xavier)",
                          "층별 활성값 표준편차 (sigmoid, Xavier)"), log_y=False)),
        "deep networks": CompareCheck(_deep, rtol=1e-6, atol=0.0, plot=_layer_plot(
            1, "d0", Text("Gradient norm per layer, 20 sigmoid layers: vanishing",
                          "층별 기울기 노름, sigmoid 20층: 기울기 소실"), log_y=True)),
        "returns lists of floats": ReturnsFloatLists(),
        "no-mutation": NoMutation(_no_mutation, ("x", "weights")),
    },
}
