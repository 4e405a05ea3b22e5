"""Checks for ``batchnorm.py``: training and evaluation statistics, backward.

The inputs are built to expose the classic mistakes (numerics.md §7): features with
distinct means and scales (the wrong axis), small batches N = 2…8 (biased vs
unbiased variance: a factor √((N−1)/N)), one feature with σ ≈ 1e-2 (ε inside or
outside the root), running statistics far from the batch's (momentum convention),
and an evaluation batch drawn from another distribution (batch statistics at
inference).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from grader.cases import Cases
from grader.checks.base import Check, CompareCheck, with_kwargs
from grader.checks.gradients import BackwardFiniteDifference
from grader.checks.properties import NoMutation
from grader.exercise import TestSpec
from grader.i18n import Text, msg
from grader.sandbox.plan import Call, Ref, Returns

__all__ = ["CHECKS"]

FORWARD_RETURNS: Returns = ("array", "array", "array", "skip")
ARG_NAMES = ("x", "gamma", "beta", "running_mean", "running_var")


def _params(cases: Cases, d: int) -> list[np.ndarray]:
    """gamma, beta, running_mean, running_var: none of them at its trivial value."""
    return [
        cases.uniform((d,), 0.5, 2.0),
        cases.normal((d,)),
        cases.normal((d,), scale=2.0),
        cases.uniform((d,), 0.5, 3.0),
    ]


def _training(spec: TestSpec, cases: Cases) -> list[tuple[Text, Call]]:
    out = []
    settings: list[tuple[int, int, dict[str, Any]]] = [
        (8, 5, {}), (4, 3, {}), (2, 4, {}), (16, 6, {"momentum": 0.3}),
        (6, 4, {"eps": 1e-3, "momentum": 0.05}),
    ]
    for i, (n, d, kw) in enumerate(settings):
        x = cases.features(n, d)
        out.append((msg("case.bn-train", n=n, d=d, kw=with_kwargs(kw)),
                    Call(f"t{i}", "batchnorm_forward", (x, *_params(cases, d)), kw,
                         returns=FORWARD_RETURNS)))
    return out


def _evaluation(spec: TestSpec, cases: Cases) -> list[tuple[Text, Call]]:
    out = []
    for i, (n, d) in enumerate(((8, 5), (1, 3), (5, 4))):
        x = cases.features(n, d) * 3.0 + 5.0  # another distribution than the statistics
        out.append((msg("case.bn-eval", n=n, d=d),
                    Call(f"e{i}", "batchnorm_forward", (x, *_params(cases, d)),
                         {"training": False}, returns=FORWARD_RETURNS)))
    return out


def _errors(spec: TestSpec, cases: Cases) -> list[tuple[Text, Call]]:
    x = cases.normal((1, 3))
    return [(msg("case.bn-one"),
             Call("n1", "batchnorm_forward", (x, *_params(cases, 3)), returns=FORWARD_RETURNS))]


def _no_mutation(spec: TestSpec, cases: Cases) -> list[tuple[Text, Call]]:
    return [
        (msg("case.bn-train-mode" if mode == "training" else "case.bn-eval-mode"),
         Call(f"m{i}", "batchnorm_forward", (cases.features(6, 4), *_params(cases, 4)),
              {"training": mode == "training"}, returns=FORWARD_RETURNS))
        for i, mode in enumerate(("training", "evaluation"))
    ]


def _backward(spec: TestSpec, cases: Cases) -> list[tuple[Text, Call]]:
    out = []
    for i, (n, d) in enumerate(((8, 5), (4, 3), (16, 6))):
        x = cases.features(n, d)
        out.append((msg("case.forward-nd", n=n, d=d),
                    Call(f"f{i}", "batchnorm_forward", (x, *_params(cases, d)),
                         returns=("skip",) * 4, keep=True)))
        out.append((msg("case.backward-nd", n=n, d=d),
                    Call(f"b{i}", "batchnorm_backward", (cases.normal((n, d)), Ref(f"f{i}", 3)),
                         returns=("array", "array", "array"))))
    return out


def _fd_inputs(cases: Cases) -> tuple[list[Any], dict[str, Any]]:
    return [cases.features(6, 4), *_params(cases, 4)], {}


CHECKS: dict[str, dict[str, Check]] = {
    "batchnorm_forward": {
        "training": CompareCheck(_training, rtol=1e-7, atol=1e-10),
        "evaluation": CompareCheck(_evaluation, rtol=1e-7, atol=1e-10),
        "errors": CompareCheck(_errors),
        "no-mutation": NoMutation(_no_mutation, ARG_NAMES),
    },
    "batchnorm_backward": {
        "gradients": CompareCheck(_backward, rtol=1e-6, atol=1e-9),
        "finite-differences": BackwardFiniteDifference(
            "batchnorm_forward", "batchnorm_backward", _fd_inputs,
            outputs=4, grads={0: 0, 1: 1, 2: 2},
        ),
    },
}
