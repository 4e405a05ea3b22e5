"""Checks for ``torch_layers.py``: BatchNorm1d, LayerNorm and two in-place initialisers.

The student's modules run inside the child through neutral probes
(:mod:`grader.sandbox.probes`): ``torch_module`` builds a layer in float64, sets its
parameters, runs (mode, x, grad_out) steps and reports outputs, ``x.grad``, parameter
gradients and buffers as arrays; ``torch_init`` fills a NaN-filled tensor with a
seeded ``torch.Generator``. The same probes run the reference in the parent, and every
comparison happens there.

Inputs expose the classic mistakes (numerics.md §7): N = 4 (unbiased variance in the
normalisation is off by √(3/4)), features with distinct means and scales and one with
σ ≈ 1e-2 (ε outside the root is off by 5%), three steps (momentum convention, biased
running variance), an evaluation batch unlike the training ones (batch statistics in
eval). Gradients are also checked against central differences of the student's own
forward, which catches statistics computed on ``detach()``-ed tensors.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from grader.cases import Cases
from grader.checks.base import Check, Judging, Verdict, compare_values, precheck
from grader.checks.statistics import DistributionCheck, Target
from grader.exercise import TestSpec
from grader.i18n import Text, msg
from grader.sandbox.plan import Call, Outcome, Value
from grader.suites.initializers import target_of

__all__ = ["CHECKS"]

#: Where a recorded quantity sits in a step of the ``torch_module`` probe, and its name.
_WHAT = {
    "out": "the output",
    "x_grad": "x.grad",
    "grads.weight": "weight.grad",
    "grads.bias": "bias.grad",
    "buffers.running_mean": "running_mean",
    "buffers.running_var": "running_var",
}
_WHAT_KO = {
    "out": "출력",
    "x_grad": "x.grad",
    "grads.weight": "weight.grad",
    "grads.bias": "bias.grad",
    "buffers.running_mean": "running_mean",
    "buffers.running_var": "running_var",
}
_BN_KEYS = tuple(_WHAT)
_LN_KEYS = ("out", "x_grad", "grads.weight", "grads.bias")

#: (mode, x, grad_out); no grad_out: the forward only
Step = tuple[str, np.ndarray, np.ndarray | None]


def _module_call(cid: str, cls: str, init: Mapping[str, Any], params: Mapping[str, np.ndarray],
                 steps: Sequence[Step]) -> Call:
    return Call(cid, "probe:torch_module",
                (cls, tuple(init.items()), tuple(params.items()), tuple(steps)),
                returns="raw", group=cls)


def _steps_of(call: Call) -> Sequence[Step]:
    steps = call.args[3]
    assert isinstance(steps, tuple)
    return steps  # type: ignore[return-value]


def _dig(record: Any, path: str) -> Any:
    for part in path.split("."):
        if not isinstance(record, dict):
            return None
        record = record.get(part)
    return record


def _steps(value: Value) -> list[Any] | None:
    steps = value.get("steps") if isinstance(value, dict) else None
    return steps if isinstance(steps, list) else None


def _what(key: str) -> Text:
    return Text(_WHAT[key], _WHAT_KO[key])


def _bilingual(key: str, what: Text, **fields: Any) -> Text:
    return Text(msg(key, what=what.en, **fields).en, msg(key, what=what.ko, **fields).ko)


def _mode_ko(mode: str) -> str:
    return {"train": "학습", "eval": "평가"}.get(mode, mode)


# -- module checks ------------------------------------------------------------------


class ModuleSteps(Check):
    """Every recorded quantity of every step equals the reference's (torch.nn's)."""

    rtol = 1e-6
    atol = 1e-9

    def __init__(self, build: Any, keys: Sequence[str]) -> None:
        self._build = build
        self.keys = tuple(keys)

    def calls(self, spec: TestSpec, cases: Cases) -> list[tuple[Text, Call]]:
        return self._build(spec, cases)  # type: ignore[no-any-return]

    def judge(self, j: Judging) -> Verdict:
        early = precheck(j, allow_expected_errors=False)
        if early is not None:
            return early
        rtol, atol = j.rtol(self.rtol), j.atol(self.atol)
        function = j.spec.function
        for call in j.calls:
            mine, want = _steps(j.student[call.id].value), _steps(j.expected[call.id].value)
            assert want is not None
            if mine is None or len(mine) != len(want):
                return Verdict(0.0, msg("grade.bad-output", function=function,
                                        message=msg("detail.probe-malformed")))
            for k, (s, e) in enumerate(zip(mine, want, strict=True)):
                mode, x = _steps_of(call)[k][0], _steps_of(call)[k][1]
                fields = dict(function=function, step=k + 1,
                              case=msg("case.x-of-shape", shape=x.shape))
                for key in self.keys:
                    expected = _dig(e, key)
                    if expected is None:
                        continue
                    got = _dig(s, key)
                    if got is None:
                        return Verdict(0.0, Text(
                            msg("grade.module-missing-value", what=_WHAT[key], mode=mode,
                                **fields).en,
                            msg("grade.module-missing-value", what=_WHAT_KO[key],
                                mode=_mode_ko(mode), **fields).ko))
                    m = compare_values(got, expected, rtol=rtol, atol=atol)
                    if m is None:
                        continue
                    if m.kind in ("shape", "structure", "type"):
                        return Verdict(0.0, msg(
                            "grade.wrong-shape",
                            function=Text.same(f"{function} (") + _what(key) + Text.same(")"),
                            case=j.label(call), got=m.got, expected=m.expected))
                    if j.hidden:
                        return Verdict(0.0, _bilingual("grade.module-mismatch-hidden", _what(key),
                                                       function=function, err=m.error))
                    return Verdict(0.0, Text(
                        msg("grade.module-mismatch", what=_WHAT[key], mode=mode, err=m.error,
                            rtol=rtol, atol=atol, **fields).en,
                        msg("grade.module-mismatch", what=_WHAT_KO[key], mode=_mode_ko(mode),
                            err=m.error, rtol=rtol, atol=atol, **fields).ko))
        return Verdict(1.0, msg("grade.module-matches", function=function))

    def agrees(self, j: Judging, other: Mapping[str, Outcome]) -> bool:
        """Alike on the judged quantities only (a student need not have every buffer
        the reference has, e.g. ``num_batches_tracked``)."""
        differs = False
        for call in j.calls:
            s, o, e = j.student[call.id], other.get(call.id), j.expected[call.id]
            if o is None or s.error is not None or o.error is not None:
                return False
            mine, theirs, truth = _steps(s.value), _steps(o.value), _steps(e.value)
            if mine is None or theirs is None or truth is None or len(mine) != len(theirs):
                return False
            for a, b, c in zip(mine, theirs, truth, strict=False):
                for key in self.keys:
                    got, mutant, want = _dig(a, key), _dig(b, key), _dig(c, key)
                    if (got is None) != (mutant is None):
                        return False
                    if got is None:
                        continue
                    if compare_values(got, mutant, rtol=1e-6, atol=1e-9, equal_nan=True):
                        return False
                    differs = differs or want is None or compare_values(
                        mutant, want, rtol=1e-6, atol=1e-9, equal_nan=True) is not None
        return differs


class ModuleFiniteDifference(ModuleSteps):
    """``x.grad`` of the first step against central differences of the student's own
    forward (the other steps are ``x ± h·e_i`` with the same ``grad_out``)."""

    rtol = 1e-5
    atol = 1e-7

    def judge(self, j: Judging) -> Verdict:
        early = precheck(j, allow_expected_errors=False)
        if early is not None:
            return early
        function = j.spec.function
        for call in j.calls:
            steps = _steps_of(call)
            mine = _steps(j.student[call.id].value)
            if mine is None or len(mine) != len(steps):
                return Verdict(0.0, msg("grade.bad-output", function=function,
                                        message=msg("detail.probe-malformed")))
            x0, g = steps[0][1], steps[0][2]
            assert g is not None  # step 0 is always backpropagated
            grad = _dig(mine[0], "x_grad")
            outs = [_dig(r, "out") for r in mine]
            if not isinstance(grad, np.ndarray) or grad.shape != x0.shape or not all(
                    isinstance(o, np.ndarray) and o.shape == g.shape for o in outs):
                return Verdict(0.0, Text(
                    msg("grade.module-missing-value", function=function, what="x.grad",
                        mode=steps[0][0], step=1, case=j.label(call)).en,
                    msg("grade.module-missing-value", function=function, what="x.grad",
                        mode=_mode_ko(steps[0][0]), step=1, case=j.label(call)).ko))
            losses = [float(np.sum(o * g)) for o in outs]
            scale = 1.0
            found: list[tuple[tuple[int, ...], float, float]] = []
            for i in range(1, len(steps), 2):
                plus, minus = steps[i][1], steps[i + 1][1]
                where = np.argwhere(plus != minus)
                index = tuple(int(v) for v in where[0])
                numeric = (losses[i] - losses[i + 1]) / float(plus[index] - minus[index])
                scale = max(scale, abs(numeric))
                found.append((index, float(grad[index]), numeric))
            rtol, atol = j.rtol(self.rtol), j.atol(self.atol) * scale
            for index, got, numeric in found:
                if not abs(got - numeric) <= atol + rtol * abs(numeric):
                    return Verdict(0.0, msg(
                        "grade.fd-backward", function=function, forward=f"{function}.forward",
                        output="x.grad", index=list(index), got=got, numeric=numeric))
        return Verdict(1.0, msg("grade.fd-consistent", function=f"{function} (x.grad)",
                                forward=f"{function}.forward"))


def _fd_steps(mode: str, x: np.ndarray, g: np.ndarray, coords: Sequence[tuple[int, ...]],
              column_scale: np.ndarray) -> list[Step]:
    steps: list[Step] = [(mode, x, g)]
    for index in coords:
        h = 1e-5 * float(column_scale[index[-1]])
        for sign in (1.0, -1.0):
            xp = x.copy()
            xp[index] += sign * h
            steps.append((mode, xp, None))  # forward only: the losses use step 0's g
    return steps


class ModuleSetup(Check):
    """The parameters and buffers the contract names exist, of the right kind, shape
    and initial value."""

    def __init__(self, cls: str, parameters: Sequence[str], buffers: Sequence[str],
                 inits: Sequence[Mapping[str, Any]]) -> None:
        self.cls = cls
        self.parameters = tuple(parameters)
        self.buffers = tuple(buffers)
        self.inits = [dict(i) for i in inits]

    def calls(self, spec: TestSpec, cases: Cases) -> list[tuple[Text, Call]]:
        return [(Text.same(f"{self.cls}({', '.join(f'{k}={v!r}' for k, v in init.items())})"),
                 _module_call(f"s{i}", self.cls, init, {}, ()))
                for i, init in enumerate(self.inits)]

    def judge(self, j: Judging) -> Verdict:
        early = precheck(j, allow_expected_errors=False)
        if early is not None:
            return early
        function = j.spec.function
        for call in j.calls:
            s, e = j.student[call.id].value, j.expected[call.id].value
            assert isinstance(e, dict)
            got = s if isinstance(s, dict) else {}
            for kind, names in (("parameters", self.parameters), ("buffers", self.buffers)):
                other = "buffers" if kind == "parameters" else "parameters"
                for name in names:
                    want = _dig(e, f"{kind}.{name}")
                    assert isinstance(want, np.ndarray)
                    mine = _dig(got, f"{kind}.{name}")
                    if mine is None and _dig(got, f"{other}.{name}") is not None:
                        return Verdict(0.0, _kind_text(function, name, kind))
                    if mine is None:
                        return Verdict(0.0, Text(
                            msg("grade.module-missing", function=function, name=name,
                                kind=kind[:-1], shape=tuple(want.shape)).en,
                            msg("grade.module-missing", function=function, name=name,
                                kind="파라미터" if kind == "parameters" else "버퍼",
                                shape=tuple(want.shape)).ko))
                    if compare_values(mine, want, rtol=0.0, atol=0.0) is not None:
                        return Verdict(0.0, msg("grade.module-initial", function=function,
                                                name=name, got=_short(mine), expected=_short(want)))
        return Verdict(1.0, msg("grade.module-ok", function=function))


def _kind_text(function: str, name: str, kind: str) -> Text:
    if kind == "parameters":
        en = dict(expected="parameter", got="buffer", fix="nn.Parameter(...)")
        ko = dict(expected="파라미터", got="버퍼", fix="nn.Parameter(...)")
    else:
        en = dict(expected="buffer", got="parameter", fix=f"self.register_buffer({name!r}, ...)")
        ko = dict(expected="버퍼", got="파라미터", fix=f"self.register_buffer({name!r}, ...)")
    return Text(msg("grade.module-kind", function=function, name=name, **en).en,
                msg("grade.module-kind", function=function, name=name, **ko).ko)


def _short(value: Any) -> str:
    if isinstance(value, np.ndarray):
        text = np.array2string(value, precision=4, threshold=8)
        return f"{text} (shape {value.shape})"
    return repr(value)[:80]


class BatchIndependence(Check):
    """Each sample's output alone equals its output inside the batch (LayerNorm)."""

    def __init__(self, build: Any) -> None:
        self._build = build

    def calls(self, spec: TestSpec, cases: Cases) -> list[tuple[Text, Call]]:
        return self._build(spec, cases)  # type: ignore[no-any-return]

    def judge(self, j: Judging) -> Verdict:
        early = precheck(j, allow_expected_errors=False)
        if early is not None:
            return early
        function = j.spec.function
        for call in j.calls:
            steps = _steps(j.student[call.id].value)
            if steps is None or len(steps) != len(_steps_of(call)):
                return Verdict(0.0, msg("grade.bad-output", function=function,
                                        message=msg("detail.probe-malformed")))
            whole = _dig(steps[0], "out")
            n = _steps_of(call)[0][1].shape[0]
            if not isinstance(whole, np.ndarray) or whole.shape[:1] != (n,):
                return Verdict(0.0, msg("grade.wrong-shape", function=function,
                                        case=j.label(call), got=_short(whole)[:40],
                                        expected=str(_steps_of(call)[0][1].shape)))
            for i in range(n):
                alone = _dig(steps[i + 1], "out")
                if not isinstance(alone, np.ndarray) or compare_values(
                        alone.reshape(whole[i].shape) if alone.size == whole[i].size else alone,
                        whole[i], rtol=1e-9, atol=1e-12) is not None:
                    return Verdict(0.0, msg("grade.batch-dependent", function=function, i=i))
        return Verdict(1.0, msg("grade.batch-independent", function=function))


# -- inputs -------------------------------------------------------------------------

_C = 5  # BatchNorm features
_D = 6  # LayerNorm features


def _bn_params(cases: Cases) -> dict[str, np.ndarray]:
    return {"weight": cases.uniform((_C,), 0.5, 2.0), "bias": cases.normal((_C,))}


def _bn_train_steps(cases: Cases, count: int, n: int = 4) -> list[Step]:
    """Batches of ``n`` whose features have distinct means and scales (one σ ≈ 1e-2)."""
    means = cases.uniform((_C,), -3.0, 3.0)
    scales = cases.uniform((_C,), 0.5, 4.0)
    scales[-1] = 1e-2
    return [("train", means + scales * cases.normal((n, _C)), cases.normal((n, _C)))
            for _ in range(count)]


def _bn_training(momentum: float, eps: float) -> Any:
    def build(spec: TestSpec, cases: Cases) -> list[tuple[Text, Call]]:
        init = {"num_features": _C, "eps": eps, "momentum": momentum}
        label = msg("case.module-steps", count=3, n=4, momentum=momentum, eps=eps)
        return [(label, _module_call("t", "BatchNorm1d", init, _bn_params(cases),
                                     _bn_train_steps(cases, 3)))]

    return build


def _bn_eval(spec: TestSpec, cases: Cases) -> list[tuple[Text, Call]]:
    init = {"num_features": _C, "eps": 1e-5, "momentum": 0.3}
    steps = _bn_train_steps(cases, 2)
    # Evaluation batches unlike the training ones: shifted and wider.
    for n in (6, 3):
        steps.append(("eval", 4.0 + 5.0 * cases.normal((n, _C)), cases.normal((n, _C))))
    return [(msg("case.module-train-then-eval"),
             _module_call("e", "BatchNorm1d", init, _bn_params(cases), steps))]


def _bn_fd(spec: TestSpec, cases: Cases) -> list[tuple[Text, Call]]:
    init = {"num_features": _C}
    (mode, x, g), = _bn_train_steps(cases, 1)
    assert g is not None
    scale = np.std(x, axis=0)
    coords = [(0, _C - 1), (2, _C - 1), (1, 0), (3, 1), (0, 2), (2, 3)]
    return [(msg("case.module-batch", n=4), _module_call(
        "fd", "BatchNorm1d", init, _bn_params(cases), _fd_steps(mode, x, g, coords, scale)))]


def _ln_rows(cases: Cases, shape: tuple[int, ...]) -> np.ndarray:
    """Samples with their own offsets and scales; the first has σ ≈ 1e-2."""
    lead = shape[:-1]
    offsets = cases.uniform((*lead, 1), -3.0, 3.0)
    scales = cases.uniform((*lead, 1), 0.5, 4.0)
    scales.reshape(-1)[0] = 1e-2
    rows: np.ndarray = offsets + scales * cases.normal(shape)
    return rows


def _ln_params(cases: Cases) -> dict[str, np.ndarray]:
    return {"weight": cases.uniform((_D,), 0.5, 2.0), "bias": cases.normal((_D,))}


def _ln_values(eps: float | None) -> Any:
    def build(spec: TestSpec, cases: Cases) -> list[tuple[Text, Call]]:
        init: dict[str, Any] = {"normalized_shape": _D}
        if eps is not None:
            init["eps"] = eps
        steps: list[Step] = []
        for mode, shape in (("train", (4, _D)), ("train", (2, 3, _D)), ("train", (1, _D)),
                            ("eval", (3, _D))):
            steps.append((mode, _ln_rows(cases, shape), cases.normal(shape)))
        label = msg("case.module-shapes", eps="" if eps is None else f", eps={eps:g}")
        return [(label, _module_call("v", "LayerNorm", init, _ln_params(cases), steps))]

    return build


def _ln_independence(spec: TestSpec, cases: Cases) -> list[tuple[Text, Call]]:
    x = _ln_rows(cases, (5, _D))
    g = cases.normal((5, _D))
    steps: list[Step] = [("train", x, g)]
    steps += [("train", x[i:i + 1].copy(), g[i:i + 1].copy()) for i in range(5)]
    return [(msg("case.module-batch-then-alone", n=5),
             _module_call("b", "LayerNorm", {"normalized_shape": _D}, _ln_params(cases), steps))]


def _ln_fd(spec: TestSpec, cases: Cases) -> list[tuple[Text, Call]]:
    out = []
    for i, shape in enumerate(((3, _D), (2, 2, _D))):
        x = _ln_rows(cases, shape)
        g = cases.normal(shape)
        scale = np.full(_D, float(np.std(x)))
        coords = [(0,) * (len(shape) - 1) + (j,) for j in (0, 3)] + [
            (1,) * (len(shape) - 1) + (j,) for j in (1, 5)]
        # The first sample has σ ≈ 1e-2: its steps must be small too.
        steps = _fd_steps("train", x, g, coords[2:], scale)
        tiny = _fd_steps("train", x, g, coords[:2], np.full(_D, 1e-2))[1:]
        out.append((msg("case.input-shape", shape=shape), _module_call(
            f"fd{i}", "LayerNorm", {"normalized_shape": _D}, _ln_params(cases), steps + tiny)))
    return out


# -- in-place initialisers ---------------------------------------------------------

_TARGET_OF = {"xavier_uniform_": "xavier_uniform", "kaiming_normal_": "he_normal"}


def _init_call(cid: str, function: str, shape: tuple[int, ...], cases: Cases,
               kwargs: Mapping[str, Any] | None = None, parameter: bool = False,
               repeat: bool = True) -> tuple[Text, Call]:
    """A ``torch_init`` probe call; ``repeat=False`` skips the two extra runs (same and
    other seed) that only the reproducibility test reads."""
    kw = dict(kwargs or {})
    seed = cases.seed()
    other = cases.seed()
    other = other if other != seed else seed + 1
    shown = "".join(f", {k}={v:.4g}" if isinstance(v, float) else f", {k}={v!r}"
                    for k, v in kw.items())
    label = msg("case.parameter" if parameter else "case.tensor", shape=shape, kw=shown)
    return label, Call(cid, "probe:torch_init",
                       (function, shape, tuple(kw.items()), seed, other, parameter, repeat),
                       returns="raw", group=function)


def _init_target(call: Call) -> Target:
    function, shape, kwargs = call.args[0], call.args[1], call.args[2]
    assert isinstance(function, str) and isinstance(shape, tuple) and isinstance(kwargs, tuple)
    return target_of(_TARGET_OF[function], shape, dict(kwargs))  # type: ignore[arg-type]


def _init_shape(call: Call) -> tuple[int, ...]:
    shape = call.args[1]
    assert isinstance(shape, tuple)
    return shape  # type: ignore[return-value]


def _init_sample(value: Value) -> np.ndarray | None:
    values = value.get("values") if isinstance(value, dict) else None
    return values if isinstance(values, np.ndarray) else None


def _init_distribution(function: str, variants: Sequence[tuple[tuple[int, ...], Mapping[str, Any]]]
                       ) -> DistributionCheck:
    def build(spec: TestSpec, cases: Cases) -> list[tuple[Text, Call]]:
        return [_init_call(f"d{i}", function, shape, cases, kw, repeat=False)
                for i, (shape, kw) in enumerate(variants)]

    return DistributionCheck(build, _init_target, _init_shape, _init_sample,
                             not_finite="grade.not-in-place")


def _init_pattern(value: Value) -> tuple[bool, bool, bool, bool] | None:
    """(returned the same tensor, filled it, same seed → same values, other seed →
    other values) from a ``torch_init`` report."""
    if not isinstance(value, dict):
        return None
    values, again, other = value.get("values"), value.get("again"), value.get("other")
    if not all(isinstance(v, np.ndarray) for v in (values, again, other)):
        return None
    assert isinstance(values, np.ndarray) and isinstance(again, np.ndarray)
    assert isinstance(other, np.ndarray)
    filled = not np.isnan(values).any()
    same = values.shape == again.shape and bool(np.array_equal(values, again, equal_nan=True))
    differs = values.shape != other.shape or not bool(np.array_equal(values, other,
                                                                     equal_nan=True))
    return value.get("returned_same") is True, filled, same, differs


class InitBehaviour(Check):
    """In place and returned (``"in-place"``), or reproducible (``"reproducible"``)."""

    def __init__(self, function: str, aspect: str) -> None:
        self.function = function
        self.aspect = aspect

    def calls(self, spec: TestSpec, cases: Cases) -> list[tuple[Text, Call]]:
        if self.aspect == "in-place":
            return [_init_call("p0", self.function, (20, 10), cases),
                    _init_call("p1", self.function, (16, 8, 3, 3), cases, parameter=True)]
        return [_init_call("r0", self.function, (64, 32), cases),
                _init_call("r1", self.function, (8, 4, 3, 3), cases)]

    def judge(self, j: Judging) -> Verdict:
        early = precheck(j, allow_expected_errors=False)
        if early is not None:
            return early
        function = j.spec.function
        for call in j.calls:
            pattern = _init_pattern(j.student[call.id].value)
            if pattern is None:
                return Verdict(0.0, msg("grade.bad-output", function=function,
                                        message=msg("detail.probe-malformed")))
            returned_same, filled, same, differs = pattern
            case = j.label(call)
            if not filled:
                return Verdict(0.0, msg("grade.not-in-place", function=function, case=case))
            if self.aspect == "in-place":
                if not returned_same:
                    return Verdict(0.0, msg("grade.returned-other", function=function, case=case))
            else:
                if not same:
                    return Verdict(0.0, msg("grade.not-reproducible", function=function,
                                            case=case))
                if not differs:
                    return Verdict(0.0, msg("grade.ignores-seed", function=function, case=case))
        key = "grade.in-place" if self.aspect == "in-place" else "grade.reproducible"
        return Verdict(1.0, msg(key, function=function))

    def agrees(self, j: Judging, other: Mapping[str, Outcome]) -> bool:
        mine = [_init_pattern(j.student[c.id].value) for c in j.calls]
        theirs = [_init_pattern(other[c.id].value) if c.id in other else None for c in j.calls]
        truth = [_init_pattern(j.expected[c.id].value) for c in j.calls]
        return None not in mine and mine == theirs and theirs != truth


_BIG = (512, 128)
_CONV = (64, 16, 3, 3)

CHECKS: dict[str, dict[str, Check]] = {
    "BatchNorm1d": {
        "parameters": ModuleSetup("BatchNorm1d", ("weight", "bias"),
                                  ("running_mean", "running_var"),
                                  ({"num_features": _C},
                                   {"num_features": 3, "eps": 1e-3, "momentum": 0.2})),
        "train": ModuleSteps(_bn_training(0.1, 1e-5), _BN_KEYS),
        "momentum": ModuleSteps(_bn_training(0.25, 1e-3), _BN_KEYS),
        "eval": ModuleSteps(_bn_eval, _BN_KEYS),
        "finite-differences": ModuleFiniteDifference(_bn_fd, ("out", "x_grad")),
    },
    "LayerNorm": {
        "parameters": ModuleSetup("LayerNorm", ("weight", "bias"), (),
                                  ({"normalized_shape": _D},
                                   {"normalized_shape": 3, "eps": 1e-3})),
        "values": ModuleSteps(_ln_values(None), _LN_KEYS),
        "eps": ModuleSteps(_ln_values(1e-3), _LN_KEYS),
        "batch-independence": BatchIndependence(_ln_independence),
        "finite-differences": ModuleFiniteDifference(_ln_fd, ("out", "x_grad")),
    },
    "xavier_uniform_": {
        "in-place": InitBehaviour("xavier_uniform_", "in-place"),
        "distribution": _init_distribution("xavier_uniform_", ((_BIG, {}), (_CONV, {}))),
        "gain": _init_distribution("xavier_uniform_", (
            (_BIG, {"gain": 5.0 / 3}), ((32, 16, 3, 3), {"gain": math.sqrt(2.0)}))),
        "reproducible": InitBehaviour("xavier_uniform_", "reproducible"),
    },
    "kaiming_normal_": {
        "in-place": InitBehaviour("kaiming_normal_", "in-place"),
        "distribution": _init_distribution("kaiming_normal_", ((_BIG, {}), (_CONV, {}))),
        "fan-out": _init_distribution("kaiming_normal_", (
            (_BIG, {"mode": "fan_out"}), (_CONV, {"mode": "fan_out"}),
            (_BIG[::-1], {"mode": "fan_in"}))),
        "reproducible": InitBehaviour("kaiming_normal_", "reproducible"),
    },
}
