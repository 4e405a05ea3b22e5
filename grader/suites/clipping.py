"""Checks for ``clipping.py``: global-norm clipping and value clipping.

Gradients come in lists of several shapes, so clipping each tensor by its own norm
differs from clipping by the global norm; totals are both above and below
``max_norm`` (clipping never scales up); tiny gradients make the ``+ 1e-6`` in the
coefficient visible; p = 1, 3 and ∞ catch a norm hard-wired to 2.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from grader.cases import Cases
from grader.checks.base import Check, CompareCheck
from grader.checks.properties import NoMutation
from grader.exercise import TestSpec
from grader.i18n import Text, msg
from grader.sandbox.plan import Call, Returns

__all__ = ["CHECKS"]

NORM_RETURNS: Returns = ("array-list", "raw")


def _grads(cases: Cases, scale: float) -> list[np.ndarray]:
    return [cases.normal(shape, scale=scale) for shape in ((4, 3), (5,), (2, 2, 3), ())]


def _norm_values(spec: TestSpec, cases: Cases) -> list[tuple[Text, Call]]:
    settings: list[tuple[Text, float, float, dict[str, Any]]] = [
        (msg("case.clip-above"), 10.0, 1.0, {}),
        (msg("case.clip-below"), 0.01, 5.0, {}),
        (Text.same("norm_type=1"), 3.0, 2.0, {"norm_type": 1.0}),
        (Text.same("norm_type=3"), 3.0, 2.0, {"norm_type": 3.0}),
        (Text.same("norm_type=inf"), 3.0, 0.5, {"norm_type": float("inf")}),
        (msg("case.clip-tiny"), 2e-5, 1e-5, {}),
    ]
    out = []
    for i, (label, scale, max_norm, kw) in enumerate(settings):
        out.append((label, Call(f"n{i}", "clip_grad_norm", (_grads(cases, scale), max_norm), kw,
                                returns=NORM_RETURNS)))
    out.append((msg("case.clip-one"), Call("one", "clip_grad_norm",
                                          ([cases.normal((6, 2), scale=4.0)], 1.0),
                                          returns=NORM_RETURNS)))
    out.append((msg("case.clip-none"), Call("empty", "clip_grad_norm", ([], 1.0),
                                                   returns=NORM_RETURNS)))
    return out


def _value_values(spec: TestSpec, cases: Cases) -> list[tuple[Text, Call]]:
    return [
        (msg("case.clip-both-sides"), Call("v0", "clip_grad_value",
                                                        (_grads(cases, 3.0), 1.5),
                                                        returns="array-list")),
        (msg("case.clip-value-large"), Call("v1", "clip_grad_value",
                                                       (_grads(cases, 0.1), 10.0),
                                                       returns="array-list")),
        (msg("case.clip-none"), Call("v2", "clip_grad_value", ([], 1.0),
                                            returns="array-list")),
    ]


def _mutation(function: str) -> NoMutation:
    def build(spec: TestSpec, cases: Cases) -> list[tuple[Text, Call]]:
        args = (_grads(cases, 10.0), 0.5)
        returns: Returns = NORM_RETURNS if function == "clip_grad_norm" else "array-list"
        return [(msg("case.clip-needed"), Call("m", function, args, returns=returns))]

    return NoMutation(build, ("grads",))


CHECKS: dict[str, dict[str, Check]] = {
    "clip_grad_norm": {
        "values": CompareCheck(_norm_values, rtol=1e-7, atol=1e-12),
        "no-mutation": _mutation("clip_grad_norm"),
    },
    "clip_grad_value": {
        "values": CompareCheck(_value_values, rtol=0.0, atol=0.0),
        "no-mutation": _mutation("clip_grad_value"),
    },
}
