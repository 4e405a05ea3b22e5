"""Statistical checks: is a student's sample drawn from the initialiser's distribution?

A random initialiser cannot be compared value by value with the reference (students
consume the generator differently), so its samples are tested against the *fully
specified* target distribution, whose parameters come from the trusted reference
formulas in the parent (numerics.md §8, the validated recipe):

- normal N(0, σ²): the scale by the exact χ² test with known mean,
  ``T = Σx²/σ² ~ χ²_n``, accepted when ``χ²_{α/2,n} ≤ T ≤ χ²_{1−α/2,n}``;
- uniform U(−a, a): ``max|w| ≤ a·(1 + 1e-6)`` (rounding only), ``max|w| ≥ a·α^{1/n}``
  (``P(max|w| < a·t) = tⁿ``), and the scale by the normal approximation of
  ``mean(x²)``, whose mean is a²/3 and variance 4a⁴/(45n);
- both: a Kolmogorov–Smirnov test against the target — the statistic
  ``D = max_i max(i/n − F(x₍ᵢ₎), F(x₍ᵢ₎) − (i−1)/n)`` and its p-value from
  ``scipy.stats.kstwo`` (the numbers of ``scipy.stats.kstest``, four times faster: no
  second sort, a plain ufunc for F) — and the sample mean within ``z_{α/2}·σ/√n``.

Every test holds the probability that a correct implementation fails below ``alpha``
(1e-6 unless the test's ``params`` say otherwise) by Bonferroni: each statistic of each
call gets ``alpha / (number of statistics in the test)``.

Diagnosis compares *signatures* instead of values: per call, the RMS of the sample
over the target's standard deviation, its largest magnitude over the target's bound,
and its excess kurtosis (0 for a normal, −1.2 for a uniform). A student matches a
mutant when every signature agrees within a few percent, and the mutant's signature
differs from the reference's.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from scipy import special, stats

from grader.cases import Cases
from grader.checks.base import Check, Judging, Verdict, advice_for, precheck
from grader.exercise import TestSpec
from grader.i18n import Text, msg
from grader.sandbox.plan import Call, Outcome, Value

__all__ = [
    "DEFAULT_ALPHA",
    "DistributionCheck",
    "Finding",
    "Signature",
    "Target",
    "assess",
    "histogram",
    "ks_test",
    "signature",
    "similar",
]

#: The largest probability that a correct implementation fails one test.
DEFAULT_ALPHA = 1e-6
#: ``max|w|`` may exceed a uniform bound by rounding only: float32 rounding (6e-8) is
#: forgiven here, since the dtype is judged by its own test (numerics.md §8).
UPPER_SLACK = 1e-6
#: Relative agreement of two signatures (std and bound ratios) for diagnosis: the
#: sampling noise of a ratio is under 1% at the sizes the suites use, and the
#: catalogued mistakes move it by 15% or more.
SIGNATURE_RTOL = 0.03
#: Agreement of excess kurtosis: normal 0 against uniform −1.2.
SIGNATURE_KURTOSIS = 0.5
_MAX_BINS = 60


@dataclass(frozen=True)
class Target:
    """The distribution a sample must come from.

    Attributes:
        family: ``"normal"`` (N(0, scale²)) or ``"uniform"`` (U(−scale, scale)).
        scale: σ for a normal, the bound a for a uniform.
        name: the initialiser's name for feedback (``"Xavier"``, ``"He"``).
        context: the parameters behind ``scale`` (``"fan_in=128, fan_out=512, gain=1"``).
    """

    family: Literal["normal", "uniform"]
    scale: float
    name: str = ""
    context: str = ""

    @property
    def std(self) -> float:
        return self.scale if self.family == "normal" else self.scale / math.sqrt(3.0)

    @property
    def n_statistics(self) -> int:
        """How many statistics consume a share of alpha (the upper bound is exact)."""
        return 3 if self.family == "normal" else 4

    @property
    def label(self) -> str:
        if self.family == "normal":
            return f"N(0, {self.scale:.4g}²)"
        return f"U(−{self.scale:.4g}, {self.scale:.4g})"

    def pdf(self, x: np.ndarray) -> np.ndarray:
        if self.family == "normal":
            return np.asarray(stats.norm.pdf(x, 0.0, self.scale), dtype=np.float64)
        return np.where(np.abs(x) <= self.scale, 0.5 / self.scale, 0.0)


@dataclass(frozen=True)
class Finding:
    """One statistic of one sample: the measured value and its acceptance interval."""

    statistic: Literal["upper-bound", "lower-bound", "scale", "ks", "mean"]
    passed: bool
    value: float
    low: float
    high: float
    p: float = math.nan


@functools.lru_cache(maxsize=256)
def _z(alpha: float) -> float:
    return float(stats.norm.isf(alpha / 2))


@functools.lru_cache(maxsize=256)
def _chi2_band(alpha: float, n: int) -> tuple[float, float]:
    """``(χ²_{α/2,n}, χ²_{1−α/2,n})``: the same few (alpha, n) pairs recur per exercise."""
    return float(stats.chi2.ppf(alpha / 2, n)), float(stats.chi2.isf(alpha / 2, n))


def assess(x: np.ndarray, target: Target, alpha: float) -> list[Finding]:
    """Every statistic of ``x`` against ``target``, each at level ``alpha``.

    The order is the order of feedback: what a student can act on first.
    """
    flat = np.asarray(x, dtype=np.float64).reshape(-1)
    n = flat.size
    sigma = target.std
    rms = math.sqrt(float(np.mean(flat * flat)))
    peak = float(np.max(np.abs(flat)))
    findings: list[Finding] = []
    if target.family == "normal":
        low_t, high_t = _chi2_band(alpha, n)
        low, high = sigma * math.sqrt(low_t / n), sigma * math.sqrt(high_t / n)
        findings.append(Finding("scale", low <= rms <= high, rms, low, high))
        d, p = ks_test(flat, lambda v: special.ndtr(v / sigma))
    else:
        a = target.scale
        findings.append(Finding("upper-bound", peak <= a * (1 + UPPER_SLACK), peak, 0.0,
                                a * (1 + UPPER_SLACK)))
        floor = a * alpha ** (1.0 / n)
        findings.append(Finding("lower-bound", peak >= floor, peak, floor, a))
        second = a * a / 3.0
        spread = _z(alpha) * math.sqrt(4.0 * a**4 / (45.0 * n))
        low = math.sqrt(max(second - spread, 0.0))
        high = math.sqrt(second + spread)
        findings.append(Finding("scale", low <= rms <= high, rms, low, high))
        d, p = ks_test(flat, lambda v: np.clip((v + a) / (2 * a), 0.0, 1.0))
    findings.append(Finding("ks", p >= alpha, d, 0.0, math.nan, p))
    mean = float(np.mean(flat))
    limit = _z(alpha) * sigma / math.sqrt(n)
    findings.append(Finding("mean", abs(mean) <= limit, mean, -limit, limit))
    return findings


def ks_test(flat: np.ndarray, cdf: Callable[[np.ndarray], np.ndarray]) -> tuple[float, float]:
    """The two-sided one-sample Kolmogorov–Smirnov statistic D and its p-value.

    ``D = max_i max(i/n − F(x₍ᵢ₎), F(x₍ᵢ₎) − (i−1)/n)`` over the sorted sample, and
    ``p = P(D_n ≥ D)`` from ``scipy.stats.kstwo`` (what ``scipy.stats.kstest`` computes
    with ``method="auto"``; proven equal in the tests).
    """
    n = flat.size
    f = cdf(np.sort(flat))
    i = np.arange(1, n + 1, dtype=np.float64)
    d = max(float(np.max(i / n - f)), float(np.max(f - (i - 1) / n)))
    return d, float(stats.kstwo.sf(d, n))


# -- diagnosis ---------------------------------------------------------------------


@dataclass(frozen=True)
class Signature:
    """What a sample looks like relative to its target (scale-free)."""

    std_ratio: float
    max_ratio: float
    kurtosis: float


def signature(x: np.ndarray, target: Target) -> Signature:
    flat = np.asarray(x, dtype=np.float64).reshape(-1)
    square = flat * flat
    second = float(np.mean(square))
    fourth = float(np.mean(square * square))  # not flat**4: pow() is 20 times slower
    kurt = fourth / second**2 - 3.0 if second > 0 else math.nan
    bound = target.scale if target.family == "uniform" else target.std
    return Signature(math.sqrt(second) / target.std, float(np.max(np.abs(flat))) / bound, kurt)


def _close_ratio(a: float, b: float) -> bool:
    if not (math.isfinite(a) and math.isfinite(b)) or a <= 0 or b <= 0:
        return a == b
    return abs(math.log(a / b)) <= SIGNATURE_RTOL


def similar(a: Signature, b: Signature, family: str) -> bool:
    """Whether two samples look alike: same scale, same shape, same bound (uniform)."""
    if not _close_ratio(a.std_ratio, b.std_ratio):
        return False
    if not (abs(a.kurtosis - b.kurtosis) <= SIGNATURE_KURTOSIS
            or (math.isnan(a.kurtosis) and math.isnan(b.kurtosis))):
        return False
    return family != "uniform" or _close_ratio(a.max_ratio, b.max_ratio)


# -- plot ---------------------------------------------------------------------------


def histogram(x: np.ndarray, target: Target, title: Text, bins: int = 40) -> dict[str, Any]:
    """A histogram of the sample with the target's density at the bin centres.

    ``counts`` are raw counts; ``n`` and the bin widths turn them into a density
    (``counts / (n · width)``) comparable with ``expected_density``.
    """
    flat = np.asarray(x, dtype=np.float64).reshape(-1)
    flat = flat[np.isfinite(flat)]
    reach = 4.0 * target.std if target.family == "normal" else 1.1 * target.scale
    if flat.size:
        reach = max(reach, min(float(np.max(np.abs(flat))) * 1.001, 50.0 * reach))
    bins = max(2, min(bins, _MAX_BINS))
    edges = np.histogram_bin_edges(flat, bins=bins, range=(-reach, reach))
    # np.histogram's counts, from the sorted sample: bins are [e_i, e_i+1), the last
    # closed; a sort and 41 binary searches cost a third of np.histogram's pass
    ordered = np.sort(flat)
    below = np.searchsorted(ordered, edges, side="left")
    counts = np.diff(below)
    counts[-1] += int(np.searchsorted(ordered, edges[-1], side="right") - below[-1])
    centres = (edges[:-1] + edges[1:]) / 2
    return {
        "kind": "histogram",
        "title": title.to_dict(),
        "bins": [float(e) for e in edges],
        "counts": [int(c) for c in counts],
        "expected_density": [float(d) for d in target.pdf(centres)],
        "n": int(flat.size),
    }


# -- the check ----------------------------------------------------------------------

Builder = Callable[[TestSpec, Cases], list[tuple[Text, Call]]]


def array_sample(value: Value) -> np.ndarray | None:
    """The sample of a call that returned an array (the NumPy initialisers)."""
    return value if isinstance(value, np.ndarray) else None


class DistributionCheck(Check):
    """Each call's result must be a sample of its :class:`Target`.

    Args:
        build: the calls (seeded generators, shapes, gains, modes).
        target: the target of a call, from the trusted reference formulas.
        shape: the shape a call's sample must have.
        sample: the sample inside a call's returned value.
        not_finite: the message for a sample holding NaN or inf (for an in-place
            initialiser, whose tensor starts as NaN: "did not fill the tensor").
    """

    def __init__(self, build: Builder, target: Callable[[Call], Target],
                 shape: Callable[[Call], tuple[int, ...]],
                 sample: Callable[[Value], np.ndarray | None] = array_sample,
                 not_finite: str = "grade.not-finite") -> None:
        self._build = build
        self.not_finite = not_finite
        self.target = target
        self.shape = shape
        self.sample = sample

    def calls(self, spec: TestSpec, cases: Cases) -> list[tuple[Text, Call]]:
        return self._build(spec, cases)

    def judge(self, j: Judging) -> Verdict:
        early = precheck(j, allow_expected_errors=False)
        if early is not None:
            return early
        alpha = float(j.spec.params.get("alpha", DEFAULT_ALPHA))
        targets = [self.target(c) for c in j.calls]
        each = alpha / sum(t.n_statistics for t in targets)
        function = j.spec.function
        first: tuple[Call, Target, np.ndarray] | None = None
        for call, target in zip(j.calls, targets, strict=True):
            x = self.sample(j.student[call.id].value)
            shape = self.shape(call)
            if x is None or x.shape != shape:
                got = "nothing" if x is None else str(x.shape)
                return Verdict(0.0, msg("grade.wrong-shape", function=function,
                                        case=j.label(call), got=got, expected=str(shape)))
            if not np.isfinite(x).all():
                return Verdict(0.0, msg(self.not_finite, function=function, case=j.label(call)))
            failed = next((f for f in assess(x, target, each) if not f.passed), None)
            if failed is not None:
                return Verdict(0.0, _finding_text(function, j.label(call), target, failed, each,
                                                  x.size),
                               advice_for(j), self._extra(j, x, target))
            if first is None:
                first = (call, target, x)
        assert first is not None
        call, target, x = first
        rms = math.sqrt(float(np.mean(x * x)))
        return Verdict(1.0, msg("grade.stat-ok", function=function, case=j.label(call),
                                got=rms, want=target.std, name=target.name,
                                context=target.context, dist=target.label),
                       advice_for(j), self._extra(j, x, target))

    def _extra(self, j: Judging, x: np.ndarray, target: Target) -> Mapping[str, Any]:
        if j.hidden:
            return {}
        title = msg("plot.init-histogram", function=j.spec.function, dist=target.label)
        return {"plot": histogram(x, target, title)}

    def agrees(self, j: Judging, other: Mapping[str, Outcome]) -> bool:
        differs = False
        for call in j.calls:
            s, o, e = j.student.get(call.id), other.get(call.id), j.expected.get(call.id)
            if s is None or o is None or e is None:
                return False
            if s.error is not None or o.error is not None:
                if not (s.error is not None and o.error is not None
                        and (s.error.kind, s.error.type) == (o.error.kind, o.error.type)):
                    return False
                differs = differs or e.error is None
                continue
            target = self.target(call)
            xs, xo = self.sample(s.value), self.sample(o.value)
            if xs is None or xo is None or xs.shape != xo.shape or xs.size == 0:
                return False
            if not (np.isfinite(xs).all() and np.isfinite(xo).all()):
                return False
            sig_o = signature(xo, target)
            if not similar(signature(xs, target), sig_o, target.family):
                return False
            xe = self.sample(e.value) if e.error is None else None
            differs = differs or xe is None or xe.shape != xo.shape or not similar(
                sig_o, signature(xe, target), target.family)
        return differs


def _finding_text(function: str, case: Text, target: Target, f: Finding, alpha: float,
                  n: int) -> Text:
    common: dict[str, Any] = dict(function=function, case=case, name=target.name,
                                  context=target.context, dist=target.label)
    if f.statistic == "scale":
        return msg("grade.stat-scale", got=f.value, want=target.std, low=f.low, high=f.high,
                   **common)
    if f.statistic == "upper-bound":
        return msg("grade.stat-above-bound", got=f.value, bound=target.scale, **common)
    if f.statistic == "lower-bound":
        return msg("grade.stat-below-bound", got=f.value, bound=target.scale, low=f.low, n=n,
                   **common)
    if f.statistic == "ks":
        return msg("grade.stat-ks", d=f.value, p=f.p, alpha=alpha, **common)
    return msg("grade.stat-mean", got=f.value, high=f.high, **common)


def judge_samples(samples: Sequence[tuple[np.ndarray, Target]], alpha: float) -> bool:
    """Whether every sample passes every statistic (Bonferroni over all of them); for
    tests of the statistics themselves and for quick checks."""
    each = alpha / sum(t.n_statistics for _, t in samples)
    return all(f.passed for x, t in samples for f in assess(x, t, each))
