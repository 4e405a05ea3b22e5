"""Checks for ``layernorm.py``: per-sample statistics over the last axis, backward.

Rows differ in scale and offset (normalising over the batch axis is grossly wrong),
one row has σ ≈ 1e-2 (ε inside or outside the root), inputs go from a batch of one
to 3-d, and the output for a sample must not depend on the rest of the batch.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from grader.cases import Cases
from grader.checks.base import Check, CompareCheck, Judging, Verdict, compare_values, precheck
from grader.checks.gradients import BackwardFiniteDifference
from grader.checks.properties import NoMutation
from grader.exercise import TestSpec
from grader.i18n import Text, msg
from grader.sandbox.plan import Call, Ref

__all__ = ["CHECKS"]


def _rows(cases: Cases, shape: tuple[int, ...]) -> np.ndarray:
    """Samples with their own offsets and scales; the first has σ ≈ 1e-2."""
    *lead, _ = shape
    offsets = cases.uniform((*lead, 1), -3.0, 3.0)
    scales = cases.uniform((*lead, 1), 0.5, 4.0)
    if scales.size:
        scales.reshape(-1)[0] = 1e-2
    rows: np.ndarray = offsets + scales * cases.normal(shape)
    return rows


def _affine(cases: Cases, d: int) -> list[np.ndarray]:
    return [cases.uniform((d,), 0.5, 2.0), cases.normal((d,))]


_SHAPES = ((4, 6), (1, 5), (2, 3, 8), (3, 2, 2, 4))


def _forward(spec: TestSpec, cases: Cases) -> list[tuple[Text, Call]]:
    out = []
    for i, shape in enumerate(_SHAPES):
        x = _rows(cases, shape)
        out.append((msg("case.input-shape", shape=shape),
                    Call(f"v{i}", "layernorm_forward", (x, *_affine(cases, shape[-1])),
                         returns=("array", "skip"))))
    x = _rows(cases, (5, 7))
    out.append((Text.same("eps=1e-3"), Call("eps", "layernorm_forward", (x, *_affine(cases, 7)),
                                 {"eps": 1e-3}, returns=("array", "skip"))))
    return out


def _independence(spec: TestSpec, cases: Cases) -> list[tuple[Text, Call]]:
    x = _rows(cases, (6, 5))
    gamma, beta = _affine(cases, 5)
    out = [(msg("case.whole-batch"), Call("all", "layernorm_forward", (x, gamma, beta),
                                    returns=("array", "skip")))]
    for i in range(x.shape[0]):
        out.append((msg("case.sample-alone", i=i), Call(f"one{i}", "layernorm_forward",
                                              (x[i:i + 1].copy(), gamma, beta),
                                              returns=("array", "skip"))))
    return out


class BatchIndependence(Check):
    """A sample's output must be the same alone and inside a batch."""

    rtol = 1e-9
    atol = 1e-12

    def calls(self, spec: TestSpec, cases: Cases) -> list[tuple[Text, Call]]:
        return _independence(spec, cases)

    def judge(self, j: Judging) -> Verdict:
        early = precheck(j)
        if early is not None:
            return early
        by = {c.id.split(".", 1)[-1]: c for c in j.calls}
        whole = j.student[by["all"].id].value
        assert isinstance(whole, tuple)
        batch = np.asarray(whole[0])
        for cid, call in by.items():
            if not cid.startswith("one"):
                continue
            i = int(cid.removeprefix("one"))
            alone = j.student[call.id].value
            assert isinstance(alone, tuple)
            if batch.ndim != 2 or i >= batch.shape[0] or compare_values(
                    alone[0], batch[i:i + 1], rtol=self.rtol, atol=self.atol) is not None:
                return Verdict(0.0, msg("grade.batch-dependent", function=j.spec.function, i=i))
        return Verdict(1.0, msg("grade.batch-independent", function=j.spec.function))


def _no_mutation(spec: TestSpec, cases: Cases) -> list[tuple[Text, Call]]:
    return [(msg("case.input-shape", shape=(4, 6)), Call("m", "layernorm_forward",
                                              (_rows(cases, (4, 6)), *_affine(cases, 6)),
                                              returns=("array", "skip")))]


def _backward(spec: TestSpec, cases: Cases) -> list[tuple[Text, Call]]:
    out = []
    for i, shape in enumerate(((4, 6), (1, 5), (2, 3, 8))):
        x = _rows(cases, shape)
        out.append((msg("case.forward-shape", shape=shape),
                    Call(f"f{i}", "layernorm_forward", (x, *_affine(cases, shape[-1])),
                         returns=("skip", "skip"), keep=True)))
        out.append((msg("case.backward-shape", shape=shape),
                    Call(f"b{i}", "layernorm_backward", (cases.normal(shape), Ref(f"f{i}", 1)),
                         returns=("array", "array", "array"))))
    return out


def _fd_inputs(cases: Cases) -> tuple[list[Any], dict[str, Any]]:
    return [_rows(cases, (2, 3, 5)), *_affine(cases, 5)], {}


CHECKS: dict[str, dict[str, Check]] = {
    "layernorm_forward": {
        "values": CompareCheck(_forward, rtol=1e-7, atol=1e-10),
        "batch-independence": BatchIndependence(),
        "no-mutation": NoMutation(_no_mutation, ("x", "gamma", "beta")),
    },
    "layernorm_backward": {
        "gradients": CompareCheck(_backward, rtol=1e-6, atol=1e-9),
        "finite-differences": BackwardFiniteDifference(
            "layernorm_forward", "layernorm_backward", _fd_inputs,
            outputs=2, grads={0: 0, 1: 1, 2: 2},
        ),
    },
}
