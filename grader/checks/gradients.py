"""Gradient checks: a derivative against finite differences of the student's own
forward, and derivatives at kinks where the contract allows a range.

Finite differences are central, ``(f(x+h) − f(x−h)) / 2h``, in float64 with
``h = 1e-6·(1 + |x|)``, at points kept away from kinks (numerics.md §2: float64 and no
kinks, or the check fails correct code). They test *consistency*: a derivative that
matches the student's forward, even where the forward itself is judged elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from grader.cases import Cases
from grader.checks.base import Check, Judging, Verdict, advice_for, precheck
from grader.exercise import TestSpec
from grader.i18n import Text, msg
from grader.sandbox.plan import Call, Ref, Returns

__all__ = ["BackwardFiniteDifference", "ElementwiseFiniteDifference", "KinkCheck", "fd_step"]

FD_RELATIVE_STEP = 1e-6


def fd_step(x: np.ndarray) -> np.ndarray:
    step: np.ndarray = FD_RELATIVE_STEP * (1.0 + np.abs(x))
    return step


class ElementwiseFiniteDifference(Check):
    """``grad(x)`` against the central difference of ``forward`` around ``x``."""

    rtol = 1e-5
    atol = 1e-8

    def __init__(self, forward: str, grad: str, kinks: Sequence[float] = (),
                 kwargs: Mapping[str, Any] | None = None) -> None:
        self.forward, self.grad = forward, grad
        self.kinks = tuple(kinks)
        self.kwargs = dict(kwargs or {})

    def calls(self, spec: TestSpec, cases: Cases) -> list[tuple[Text, Call]]:
        x = cases.away_from((64,), self.kinks, margin=1e-3, scale=3.0)
        h = fd_step(x)
        kw = self.kwargs
        return [
            (Text.same("x + h"), Call("plus", self.forward, (x + h,), kw)),
            (Text.same("x - h"), Call("minus", self.forward, (x - h,), kw)),
            (Text.same("x"), Call("grad", self.grad, (x,), kw)),
        ]

    def judge(self, j: Judging) -> Verdict:
        early = precheck(j)
        if early is not None:
            return early
        by = {c.id.rsplit(".", 1)[-1]: c for c in j.calls}
        x = by["grad"].args[0]
        assert isinstance(x, np.ndarray)
        h = fd_step(x)
        plus = np.asarray(j.student[by["plus"].id].value, dtype=np.float64)
        minus = np.asarray(j.student[by["minus"].id].value, dtype=np.float64)
        grad = np.asarray(j.student[by["grad"].id].value, dtype=np.float64)
        if plus.shape != x.shape or minus.shape != x.shape or grad.shape != x.shape:
            return Verdict(0.0, msg("grade.wrong-shape", function=self.grad, case="x",
                                    got=str(grad.shape), expected=str(x.shape)))
        with np.errstate(all="ignore"):
            numeric = (plus - minus) / (2 * h)
            err = np.abs(grad - numeric)
            bad = ~(err <= j.atol(self.atol) + j.rtol(self.rtol) * np.abs(numeric))
        if bad.any():
            i = int(np.argmax(np.where(bad, np.nan_to_num(err, nan=np.inf), -1)))
            return Verdict(0.0, msg(
                "grade.fd-mismatch", function=self.grad, forward=self.forward,
                x=float(x[i]), got=float(grad[i]), numeric=float(numeric[i]),
            ), advice_for(j))
        return Verdict(1.0, msg("grade.fd-consistent", function=self.grad, forward=self.forward),
                       advice_for(j))


class KinkCheck(Check):
    """Values at a kink may be anything the contract allows there; elsewhere they must
    equal the reference (``x > 0`` vs ``x >= 0`` is exactly the mistake this sees)."""

    def __init__(self, function: str, allowed: Callable[[Mapping[str, Any]], tuple[float, float]],
                 kwargs_list: Sequence[Mapping[str, Any]] = ({},)) -> None:
        self.function = function
        self.allowed = allowed
        self.kwargs_list = [dict(k) for k in kwargs_list]

    def calls(self, spec: TestSpec, cases: Cases) -> list[tuple[Text, Call]]:
        x = np.array([0.0, -0.0, 1e-300, -1e-300, 5e-324, -5e-324, 1.0, -1.0, 0.0, 2.5, -2.5])
        return [
            (msg("case.exact-zeros", kw=_kw_label(kw)), Call(f"k{i}", self.function, (x,), kw))
            for i, kw in enumerate(self.kwargs_list)
        ]

    def judge(self, j: Judging) -> Verdict:
        early = precheck(j)
        if early is not None:
            return early
        for call, kw in zip(j.calls, self.kwargs_list, strict=True):
            x = call.args[0]
            assert isinstance(x, np.ndarray)
            got = np.asarray(j.student[call.id].value, dtype=np.float64)
            want = np.asarray(j.expected[call.id].value, dtype=np.float64)
            if got.shape != x.shape:
                return Verdict(0.0, msg("grade.wrong-shape", function=self.function,
                                        case=j.label(call), got=str(got.shape),
                                        expected=str(x.shape)))
            low, high = self.allowed(kw)
            zero = x == 0
            ok_zero = (got[zero] >= low) & (got[zero] <= high)
            ok_rest = np.abs(got[~zero] - want[~zero]) <= 1e-12 + 1e-7 * np.abs(want[~zero])
            if not ok_zero.all():
                return Verdict(0.0, msg("grade.kink-range", function=self.function,
                                        got=float(got[zero][~ok_zero][0]), low=low, high=high))
            if not ok_rest.all():
                i = int(np.flatnonzero(~zero)[~ok_rest][0])
                return Verdict(0.0, msg("grade.kink-near", function=self.function,
                                        x=float(x[i]), got=float(got[i]), want=float(want[i])))
        return Verdict(1.0, msg("grade.passed", function=self.function))


def _kw_label(kw: Mapping[str, Any]) -> str:
    return "" if not kw else " (" + ", ".join(f"{k}={v}" for k, v in kw.items()) + ")"



InputMaker = Callable[[Cases], tuple[list[Any], dict[str, Any]]]


class BackwardFiniteDifference(Check):
    """A hand-written backward against central differences of the student's forward.

    With a fixed upstream gradient ``dout``, the scalar ``L = Σ forward(...)[0] · dout``
    has ``∂L/∂input = backward(dout, cache)[k]`` for the ``k`` of that input. A few
    coordinates of each differentiable input are perturbed by ±h; the forward runs in
    the child, the differences are taken here.
    """

    rtol = 1e-5
    atol = 1e-7

    def __init__(self, forward: str, backward: str, make_inputs: InputMaker, *,
                 outputs: int, grads: Mapping[int, int], coordinates: int = 4) -> None:
        self.forward, self.backward = forward, backward
        self.make_inputs = make_inputs
        self.outputs = outputs  # length of the forward's tuple; the cache is last
        self.grads = dict(grads)  # forward arg position -> backward output index
        self.coordinates = coordinates

    def calls(self, spec: TestSpec, cases: Cases) -> list[tuple[Text, Call]]:
        args, kwargs = self.make_inputs(cases)
        x = args[0]
        dout = cases.normal(x.shape)
        # typed items, so that the tuples of computed length are Returns, not tuple[str, ...]
        array: Returns = "array"
        skip: Returns = "skip"
        sent = (array,) + (skip,) * (self.outputs - 1)
        out: list[tuple[Text, Call]] = [
            (msg("case.forward"),
             Call("fwd", self.forward, tuple(args), kwargs, returns=sent, keep=True)),
            (msg("case.backward"),
             Call("bwd", self.backward, (dout, Ref("fwd", self.outputs - 1)),
                  returns=(array,) * len(self.grads))),
        ]
        for pos in self.grads:
            arr = args[pos]
            picks = cases.rng.choice(arr.size, size=min(self.coordinates, arr.size), replace=False)
            for flat in picks:
                idx = np.unravel_index(int(flat), arr.shape)
                h = float(fd_step(np.asarray(arr[idx])))
                for sign, tag in ((1, "p"), (-1, "m")):
                    moved = [a.copy() if isinstance(a, np.ndarray) else a for a in args]
                    moved[pos][idx] += sign * h
                    cid = f"{tag}{pos}_{int(flat)}"
                    out.append((msg("case.perturbed", pos=pos, index=list(map(int, idx))),
                                Call(cid, self.forward, tuple(moved), kwargs, returns=sent)))
        return out

    def judge(self, j: Judging) -> Verdict:
        early = precheck(j)
        if early is not None:
            return early
        by = {c.id.split(".", 1)[-1]: c for c in j.calls}
        fwd_args = by["fwd"].args
        dout = np.asarray(by["bwd"].args[0])
        grads = j.student[by["bwd"].id].value
        assert isinstance(grads, tuple)
        for pos, k in self.grads.items():
            arr = fwd_args[pos]
            assert isinstance(arr, np.ndarray)
            g = np.asarray(grads[k], dtype=np.float64)
            if g.shape != arr.shape:
                return Verdict(0.0, msg("grade.wrong-shape", function=self.backward,
                                        case=msg("case.output", k=k), got=str(g.shape),
                                        expected=str(arr.shape)))
            for cid, call in by.items():
                if not cid.startswith(f"p{pos}_"):
                    continue
                flat = int(cid.split("_", 1)[1])
                idx = np.unravel_index(flat, arr.shape)
                h = float(fd_step(np.asarray(arr[idx])))
                plus = j.student[call.id].value
                minus = j.student[by[f"m{pos}_{flat}"].id].value
                assert isinstance(plus, tuple) and isinstance(minus, tuple)
                yp, ym = np.asarray(plus[0], np.float64), np.asarray(minus[0], np.float64)
                if yp.shape != dout.shape or ym.shape != dout.shape:
                    return Verdict(0.0, msg("grade.wrong-shape", function=self.forward, case="x",
                                            got=str(yp.shape), expected=str(dout.shape)))
                with np.errstate(all="ignore"):
                    numeric = float(np.sum((yp - ym) * dout) / (2 * h))
                got = float(g[idx])
                if not abs(got - numeric) <= j.atol(self.atol) + j.rtol(self.rtol) * abs(numeric):
                    return Verdict(0.0, msg(
                        "grade.fd-backward", function=self.backward, forward=self.forward,
                        output=k, index=list(map(int, idx)), got=got, numeric=numeric,
                    ))
        return Verdict(1.0, msg("grade.fd-consistent", function=self.backward,
                                forward=self.forward))
