"""The shape of a check: which calls it needs, and how it judges their outcomes.

A *check* is one kind of test (``values``, ``stability``, ``finite-differences``...).
It builds :class:`~grader.sandbox.plan.Call` objects from seeded cases, and later
judges the student's outcomes against the expected outcomes (the same calls run on
the reference in the parent). Judging happens only in the parent.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from grader.cases import Cases
from grader.errors_text import Culprit, Limits, call_error_text
from grader.exercise import TestSpec
from grader.i18n import Text, msg
from grader.sandbox.plan import Call, Outcome, Value

__all__ = [
    "Check",
    "CompareCheck",
    "Judging",
    "Mismatch",
    "Verdict",
    "compare_values",
    "error_verdict",
    "with_kwargs",
]


@dataclass(frozen=True)
class Verdict:
    """How much of a test's points the student earned, and why."""

    fraction: float
    output: Text
    advice: tuple[Text, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)
    #: False when the failure says nothing about the formula (a missing function, a
    #: crash): then no misconception is looked for.
    diagnosable: bool = True


@dataclass(frozen=True)
class Judging:
    """Everything a check may look at when it judges one test."""

    spec: TestSpec
    file: str
    calls: Sequence[Call]
    labels: Mapping[str, Text]
    student: Mapping[str, Outcome]
    expected: Mapping[str, Outcome]
    #: the limits the submission ran under (for "did not finish within 10 s")
    limits: Limits = field(default_factory=Limits)
    #: for each ``not-run`` call of this test, the earlier call it was skipped because of
    culprits: Mapping[str, Culprit] = field(default_factory=dict)

    @property
    def hidden(self) -> bool:
        return self.spec.visibility == "hidden"

    def rtol(self, default: float) -> float:
        return default if self.spec.rtol is None else self.spec.rtol

    def atol(self, default: float) -> float:
        return default if self.spec.atol is None else self.spec.atol

    def label(self, call: Call) -> Text:
        return self.labels.get(call.id) or Text.same(call.id)


_BLANK = Text("", "")


@dataclass(frozen=True)
class Mismatch:
    """Where a value differs from the expected one."""

    kind: str  # "structure", "shape", "type", "not-finite", "inaccurate"
    path: str = ""
    #: what was found and what was expected, in words or as a value (``(3, 4)``)
    got: Text = _BLANK
    expected: Text = _BLANK
    error: float = 0.0
    index: tuple[int, ...] | None = None


class Check(ABC):
    """One kind of test. Subclasses say which calls they need and how to judge them."""

    #: Default tolerances when the test in exercise.toml gives none.
    rtol: float = 1e-7
    atol: float = 1e-12

    @abstractmethod
    def calls(self, spec: TestSpec, cases: Cases) -> list[tuple[Text, Call]]:
        """``(label, call)`` pairs; the label names the case in feedback, in both
        languages (``msg("case.array-nd", ndim=2)``: "a 2-d array", "2차원 배열")."""

    @abstractmethod
    def judge(self, j: Judging) -> Verdict:
        """The verdict on the student's outcomes."""

    def agrees(self, j: Judging, other: Mapping[str, Outcome]) -> bool:
        """Whether the student's outcomes behave like ``other`` (a mutant's), for
        diagnosis. ``other`` must also differ from the expected outcomes somewhere:
        a mutant that is right on these inputs explains nothing."""
        tol = dict(rtol=max(j.rtol(self.rtol), 1e-6), atol=max(j.atol(self.atol), 1e-9))
        differs = False
        for call in j.calls:
            s, o, e = j.student.get(call.id), other.get(call.id), j.expected.get(call.id)
            if s is None or o is None or e is None:
                return False
            if not _same_behaviour(s, o, tol):
                return False
            differs = differs or not _same_behaviour(o, e, tol)
        return differs


def _same_behaviour(a: Outcome, b: Outcome, tol: Mapping[str, float]) -> bool:
    if a.error is not None or b.error is not None:
        return (
            a.error is not None and b.error is not None
            and a.error.kind == b.error.kind and a.error.type == b.error.type
        )
    return compare_values(a.value, b.value, equal_nan=True, rtol=tol["rtol"],
                          atol=tol["atol"]) is None


# -- comparing values ------------------------------------------------------------------


def compare_values(
    got: Value, expected: Value, *, rtol: float, atol: float, equal_nan: bool = False,
    path: str = "",
) -> Mismatch | None:
    """The first difference between two value trees, or ``None``.

    Arrays must have the expected shape; their values pass when
    ``|got − expected| ≤ atol + rtol·|expected|`` (NumPy's asymmetric rule: only the
    expected value is scaled); an infinity must match exactly; NaN only matches NaN
    when ``equal_nan``. Scalars are compared as 0-d arrays.
    """
    if isinstance(expected, (tuple, list)):
        if not isinstance(got, (tuple, list)) or len(got) != len(expected):
            return Mismatch("structure", path, _describe(got),
                            msg("describe.sequence-of", n=len(expected)))
        for i, (g, e) in enumerate(zip(got, expected, strict=True)):
            m = compare_values(g, e, rtol=rtol, atol=atol, equal_nan=equal_nan, path=f"{path}[{i}]")
            if m is not None:
                return m
        return None
    if isinstance(expected, dict):
        if not isinstance(got, dict):
            return Mismatch("structure", path, _describe(got), msg("describe.dict"))
        for key, e in expected.items():
            if key not in got:
                return Mismatch("structure", f"{path}.{key}", msg("describe.nothing"), _describe(e))
            m = compare_values(got[key], e, rtol=rtol, atol=atol, equal_nan=equal_nan,
                               path=f"{path}.{key}")
            if m is not None:
                return m
        return None
    if expected is None or isinstance(expected, str):
        return None if got == expected else Mismatch("type", path, Text.same(repr(got)),
                                                       Text.same(repr(expected)))
    if isinstance(expected, bool) or isinstance(got, (str, type(None), tuple, list, dict)):
        return None if got == expected else Mismatch("type", path, _describe(got),
                                                       Text.same(repr(expected)))
    g = np.asarray(got, dtype=np.float64)
    e = np.asarray(expected, dtype=np.float64)
    if g.shape != e.shape:
        return Mismatch("shape", path, Text.same(str(g.shape)), Text.same(str(e.shape)))
    if g.size == 0:
        return None
    finite_e = np.isfinite(e)
    nan_ok = equal_nan & np.isnan(g) & np.isnan(e)
    bad_nonfinite = (~np.isfinite(g) & finite_e) | (~finite_e & ~nan_ok & (g != e))
    if bad_nonfinite.any():
        idx = tuple(int(i) for i in np.argwhere(bad_nonfinite)[0])
        return Mismatch("not-finite", path, Text.same(str(g[idx])), Text.same(str(e[idx])),
                        math.inf, idx)
    with np.errstate(invalid="ignore", over="ignore"):
        err = np.where(finite_e, np.abs(g - e), 0.0)
        bad = err > atol + rtol * np.abs(np.where(finite_e, e, 0.0))
    if bad.any():
        excess = np.where(bad, err, -1.0)
        idx = tuple(int(i) for i in np.unravel_index(int(np.argmax(excess)), excess.shape))
        return Mismatch("inaccurate", path, Text.same(repr(float(g[idx]))),
                        Text.same(repr(float(e[idx]))), float(err[idx]), idx)
    return None


def _describe(value: Any) -> Text:
    if isinstance(value, np.ndarray):
        return msg("describe.array", shape=value.shape)
    if isinstance(value, (tuple, list)):
        return msg("describe.sized", type=type(value).__name__, n=len(value))
    return Text.same(type(value).__name__)


# -- verdicts from failures -------------------------------------------------------------


def error_verdict(j: Judging, call: Call, outcome: Outcome) -> Verdict:
    """A zero verdict explaining why ``call`` produced no value (grader/errors_text.py).

    The sentence names the function the call ran (``sigmoid`` in a test of
    ``sigmoid_grad`` that calls both), or the test's function for a harness probe.
    """
    err = outcome.error
    assert err is not None
    function = j.spec.function if call.target.startswith("probe:") else call.target
    text = call_error_text(
        err, function=function, file=j.file, limits=j.limits, seconds=outcome.seconds,
        hidden=j.hidden, culprit=j.culprits.get(call.id), returns=call.returns,
    )
    # a wrong formula shows in values or in raised exceptions; the rest (a missing
    # function, a crash, a hang) says nothing about the formula
    return Verdict(0.0, text, diagnosable=err.kind in ("exception", "bad-output"))


def forbidden_verdict(j: Judging, names: Sequence[str]) -> Verdict:
    key = "grade.forbidden-torch" if j.file == "torch_layers.py" else "grade.forbidden"
    return Verdict(0.0, msg(key, function=j.spec.function, names=", ".join(names)),
                   diagnosable=False)


def advice_for(j: Judging) -> tuple[Text, ...]:
    warnings = sorted({w for o in j.student.values() for w in o.warnings})
    if not warnings:
        return ()
    return (msg("grade.warning-advice", function=j.spec.function,
                warnings="; ".join(warnings[:3])),)


def precheck(j: Judging, *, allow_expected_errors: bool = True) -> Verdict | None:
    """The common failures before any value is compared: forbidden calls, and calls
    that produced no value where the reference did."""
    forbidden = sorted({n for o in j.student.values() for n in o.forbidden})
    if forbidden:
        return forbidden_verdict(j, forbidden)
    for call in j.calls:
        s = j.student[call.id]
        e = j.expected[call.id]
        if s.error is not None and (e.error is None or not allow_expected_errors
                                    or s.error.kind != "exception"):
            return error_verdict(j, call, s)
    return None


def with_kwargs(kw: Mapping[str, Any]) -> Text:
    """The keyword arguments a case passes, as a label's suffix (" with slope=0.2")."""
    if not kw:
        return Text.same("")
    return msg("case.with", args=", ".join(f"{k}={v}" for k, v in kw.items()))


# -- the common check: compare with the reference -------------------------------------

Builder = Callable[[TestSpec, Cases], list[tuple[Text, Call]]]


class CompareCheck(Check):
    """Compare every call's value with the reference's, within the test's tolerance.

    A case where the reference raises (``ValueError`` for a batch of one) passes when
    the student raises an exception of the same type.
    """

    def __init__(self, build: Builder, *, rtol: float = 1e-7, atol: float = 1e-12,
                 plot: Callable[[Judging], Mapping[str, Any]] | None = None) -> None:
        self._build = build
        self.rtol = rtol
        self.atol = atol
        self._plot = plot

    def calls(self, spec: TestSpec, cases: Cases) -> list[tuple[Text, Call]]:
        return self._build(spec, cases)

    def judge(self, j: Judging) -> Verdict:
        verdict = self._judge(j)
        if self._plot is None or j.hidden:
            return verdict
        try:
            extra = {"plot": dict(self._plot(j))}
        except (KeyError, TypeError, ValueError, AssertionError):
            return verdict  # the student's outcome had no plottable value
        return Verdict(verdict.fraction, verdict.output, verdict.advice, extra, verdict.diagnosable)

    def _judge(self, j: Judging) -> Verdict:
        early = precheck(j)
        if early is not None:
            return early
        rtol, atol = j.rtol(self.rtol), j.atol(self.atol)
        for call in j.calls:
            s, e = j.student[call.id], j.expected[call.id]
            if e.error is not None:
                if s.error is None or s.error.type != e.error.type:
                    got = (msg("grade.got-returned") if s.error is None
                           else msg("grade.got-raised", type=s.error.type))
                    return Verdict(0.0, msg(
                        "grade.expected-error", function=j.spec.function,
                        expected=e.error.type, case=j.label(call), got=got,
                    ))
                continue
            mismatch = compare_values(s.value, e.value, rtol=rtol, atol=atol)
            if mismatch is not None:
                return Verdict(0.0, mismatch_text(j, call, mismatch, rtol, atol), advice_for(j))
        return Verdict(1.0, msg("grade.passed", function=j.spec.function), advice_for(j))


def mismatch_text(j: Judging, call: Call, m: Mismatch, rtol: float, atol: float) -> Text:
    function = j.spec.function + (m.path if m.path.startswith(("[", ".")) else "")
    label = j.label(call)
    if m.kind in ("shape", "structure", "type"):
        return msg("grade.wrong-shape", function=function, case=label, got=m.got,
                   expected=m.expected)
    if m.kind == "not-finite":
        return msg("grade.not-finite", function=function, case=label)
    if j.hidden:
        return msg("grade.inaccurate-hidden", function=function, err=m.error)
    where = _input_at(call, m.index)
    return msg("grade.inaccurate", function=function, case=label, err=m.error, where=where,
               rtol=rtol, atol=atol)


def _input_at(call: Call, index: tuple[int, ...] | None) -> Text:
    first = call.args[0] if call.args else None
    if isinstance(first, np.ndarray) and index is not None and first.ndim == len(index):
        try:
            return Text.same(f"x{list(index)} = {float(first[index])!r}")
        except IndexError:
            pass
    return Text.same(str(list(index))) if index else msg("describe.scalar")
