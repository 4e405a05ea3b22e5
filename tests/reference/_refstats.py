"""Statistical checks for random initialisers (test helpers only; the grader has its own).

Each ``check_*`` raises ``AssertionError`` unless the sample is consistent with the
*fully specified* expected distribution. ``alpha`` is the probability that a correct
initialiser fails the whole check; it is split evenly (Bonferroni) among the
sub-tests, so the combined false-failure probability is at most ``alpha``.
Recipe and power figures: /work/shared/research/numerics.md §8. With n = 65,536
(a (512, 128) weight) or n = 9,216 (a (64, 16, 3, 3) conv weight) and alpha = 1e-6,
a standard deviation off by a factor √2 (He with 1/n; Xavier with fan_in only on a
non-square weight; a wrong mode) is rejected with certainty for practical purposes.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import stats

ALPHA = 1e-6


def normal_scale_test(w: np.ndarray, std: float, alpha: float) -> None:
    r"""Chi-square test of the variance with known mean 0 (NIST e-Handbook §1.3.5.8):
    T = Σw²/σ² ~ χ²_n; accept χ²_{α/2,n} ≤ T ≤ χ²_{1−α/2,n}."""
    x = w.ravel()
    n = x.size
    t = float(np.sum(x * x)) / std**2
    lo, hi = stats.chi2.ppf(alpha / 2, n), stats.chi2.isf(alpha / 2, n)
    assert lo <= t <= hi, (
        f"variance: sample std {math.sqrt(t / n) * std:.6g} vs expected {std:.6g} "
        f"(chi-square {t:.6g} outside [{lo:.6g}, {hi:.6g}], n={n})"
    )


def uniform_scale_test(w: np.ndarray, bound: float, alpha: float) -> None:
    r"""Normal-approximation band for the second moment of U(−a, a): mean(w²) has mean
    a²/3 and variance (a⁴/5 − a⁴/9)/n = 4a⁴/(45n) (the χ² test assumes normal kurtosis,
    which a uniform lacks); accept |z| ≤ Φ^{-1}(1 − α/2)."""
    x = w.ravel()
    n = x.size
    m2 = float(np.mean(x * x))
    z = (m2 - bound**2 / 3) / math.sqrt(4 * bound**4 / (45 * n))
    crit = stats.norm.isf(alpha / 2)
    assert abs(z) <= crit, (
        f"variance: sample std {math.sqrt(m2):.6g} vs expected {bound / math.sqrt(3):.6g} "
        f"(z = {z:.3g}, |z| > {crit:.3g}, n={n})"
    )


def mean_test(w: np.ndarray, std: float, alpha: float) -> None:
    """The sample mean of n draws with standard deviation σ is within z·σ/√n of 0."""
    x = w.ravel()
    z = float(np.mean(x)) / (std / math.sqrt(x.size))
    crit = stats.norm.isf(alpha / 2)
    assert abs(z) <= crit, f"mean: {float(np.mean(x)):.3g} is {z:.3g} standard errors from 0"


def ks_test(w: np.ndarray, cdf: stats.rv_continuous, alpha: float, what: str) -> None:
    """One-sample Kolmogorov–Smirnov test against a fully specified distribution
    (no parameter estimated from the data, so the p-value is exact)."""
    result = stats.kstest(w.ravel(), cdf.cdf)
    assert result.pvalue >= alpha, (
        f"shape: KS distance {result.statistic:.4g} from {what} (p = {result.pvalue:.3g} < {alpha})"
    )


def bound_test(w: np.ndarray, bound: float, alpha: float) -> None:
    """max|w| ≤ a·(1 + 1e-12), and max|w| ≥ a·(1 − δ) with δ = 1 − α^{1/n}, since
    P(max|w| < a(1 − δ)) = (1 − δ)^n = α for n independent U(−a, a) draws."""
    x = np.abs(w.ravel())
    n = x.size
    top = float(np.max(x))
    assert top <= bound * (1 + 1e-12), f"bound: max|w| = {top!r} exceeds a = {bound!r}"
    delta = -math.expm1(math.log(alpha) / n)  # 1 − α^{1/n}
    assert top >= bound * (1 - delta), (
        f"bound: max|w| = {top:.6g} is below a·(1 − {delta:.2g}) = {bound * (1 - delta):.6g}; "
        f"the bound looks too small"
    )


def check_normal_init(w: np.ndarray, std: float, alpha: float = ALPHA) -> None:
    """``w`` looks like i.i.d. N(0, std²): variance (χ²), mean, and KS shape."""
    a = alpha / 3
    normal_scale_test(w, std, a)
    mean_test(w, std, a)
    ks_test(w, stats.norm(0.0, std), a, f"N(0, {std:.6g}²)")


def check_uniform_init(w: np.ndarray, bound: float, alpha: float = ALPHA) -> None:
    """``w`` looks like i.i.d. U(−bound, bound): bounds, variance, mean, and KS shape."""
    a = alpha / 4
    bound_test(w, bound, a)
    uniform_scale_test(w, bound, a)
    mean_test(w, bound / math.sqrt(3), a)
    ks_test(w, stats.uniform(-bound, 2 * bound), a, f"U(±{bound:.6g})")


def check_same_distribution(a: np.ndarray, b: np.ndarray, alpha: float = ALPHA) -> None:
    """Two-sample KS test: ``a`` and ``b`` come from the same distribution."""
    result = stats.ks_2samp(a.ravel(), b.ravel())
    assert result.pvalue >= alpha, (
        f"two samples differ: KS distance {result.statistic:.4g} (p = {result.pvalue:.3g})"
    )
