"""The statistics behind the initialiser checks: calibration, power, signatures, plots.

Calibration is tested at a large alpha, where false failures are frequent enough to
count: each statistic must reject a correct sample at about its nominal rate. Power is
tested at the grader's alpha (1e-6) on the sizes the suites use.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from grader.checks.statistics import (
    DEFAULT_ALPHA,
    Target,
    assess,
    histogram,
    judge_samples,
    ks_test,
    signature,
    similar,
)
from grader.i18n import Text

N_BIG = 512 * 128
N_CONV = 64 * 16 * 3 * 3
NORMAL = Target("normal", 0.0625, "He", "fan_in=512")
UNIFORM = Target("uniform", 0.0968, "Xavier", "fan_in=128, fan_out=512, gain=1")


def _failed(x: np.ndarray, target: Target, alpha: float) -> set[str]:
    return {f.statistic for f in assess(x, target, alpha) if not f.passed}


@pytest.mark.parametrize("target", [NORMAL, UNIFORM], ids=["normal", "uniform"])
def test_each_statistic_rejects_a_correct_sample_at_about_its_level(target: Target) -> None:
    """At alpha = 0.1 each statistic should reject ~10% of correct samples: a test that
    rejects far more is miscalibrated (false failures), far fewer has no power."""
    rng = np.random.default_rng(20261128)
    trials, alpha, n = 600, 0.1, 400
    counts: dict[str, int] = {}
    for _ in range(trials):
        x = (rng.normal(0.0, target.scale, n) if target.family == "normal"
             else rng.uniform(-target.scale, target.scale, n))
        for name in _failed(x, target, alpha):
            counts[name] = counts.get(name, 0) + 1
    # Binomial(600, 0.1): mean 60, sd 7.3; the bounds are ±4.5 sd.
    for name in ("scale", "ks", "mean") + (("lower-bound",) if target.family == "uniform" else ()):
        assert 27 <= counts.get(name, 0) <= 93, (name, counts)
    assert counts.get("upper-bound", 0) == 0  # exact: never fails a correct sample


def test_acceptance_band_matches_the_research_numbers() -> None:
    """numerics.md §8: at alpha 1e-6 and n = 65,536 the χ² band on s/σ is ±1.35%."""
    rng = np.random.default_rng(1)
    x = rng.normal(0.0, 1.0, N_BIG)
    scale = next(f for f in assess(x, Target("normal", 1.0), DEFAULT_ALPHA)
                 if f.statistic == "scale")
    assert scale.low == pytest.approx(0.9865, abs=2e-4)
    assert scale.high == pytest.approx(1.0135, abs=2e-4)
    # uniform: the normal-approximation band ±4.89·√(0.2/n) on s/σ (±0.85%)
    u = rng.uniform(-1.0, 1.0, N_BIG)
    band = next(f for f in assess(u, Target("uniform", 1.0), DEFAULT_ALPHA)
                if f.statistic == "scale")
    sigma = 1 / math.sqrt(3)
    assert band.high / sigma - 1 == pytest.approx(4.89 * math.sqrt(0.2 / N_BIG), rel=0.02)


def test_correct_samples_pass_at_the_graders_alpha() -> None:
    rng = np.random.default_rng(7)
    for _ in range(20):
        samples = [(rng.normal(0.0, NORMAL.scale, N_BIG), NORMAL),
                   (rng.uniform(-UNIFORM.scale, UNIFORM.scale, N_CONV), UNIFORM)]
        assert judge_samples(samples, DEFAULT_ALPHA)


@pytest.mark.parametrize("factor", [math.sqrt(2.0), 1 / math.sqrt(2.0), 1.05, 0.95])
def test_a_wrong_normal_scale_is_rejected(factor: float) -> None:
    rng = np.random.default_rng(11)
    for _ in range(5):
        x = rng.normal(0.0, NORMAL.scale * factor, N_BIG)
        assert "scale" in _failed(x, NORMAL, DEFAULT_ALPHA / 6)


@pytest.mark.parametrize("factor", [math.sqrt(2.0), 1 / math.sqrt(2.0), 1.003, 0.997])
def test_a_wrong_uniform_bound_is_rejected(factor: float) -> None:
    rng = np.random.default_rng(12)
    for _ in range(10):
        x = rng.uniform(-UNIFORM.scale * factor, UNIFORM.scale * factor, N_CONV)
        failed = _failed(x, UNIFORM, DEFAULT_ALPHA / 8)
        assert failed & {"upper-bound", "lower-bound"}, failed


def test_normal_and_uniform_of_the_same_variance_are_told_apart() -> None:
    rng = np.random.default_rng(13)
    sigma = 0.1
    for _ in range(10):
        u = rng.uniform(-math.sqrt(3) * sigma, math.sqrt(3) * sigma, N_CONV)
        assert "ks" in _failed(u, Target("normal", sigma), DEFAULT_ALPHA / 6)
        z = rng.normal(0.0, sigma, N_CONV)
        assert _failed(z, Target("uniform", math.sqrt(3) * sigma), DEFAULT_ALPHA / 8)


def test_a_shifted_sample_fails_the_mean() -> None:
    rng = np.random.default_rng(14)
    x = rng.normal(0.0, 1.0, N_BIG) + 0.03
    assert "mean" in _failed(x, Target("normal", 1.0), DEFAULT_ALPHA / 6)


def test_signatures_tell_scale_and_shape_apart() -> None:
    rng = np.random.default_rng(15)
    a = signature(rng.normal(0.0, 0.0625, N_CONV), NORMAL)
    b = signature(rng.normal(0.0, 0.0625, N_CONV), NORMAL)  # another sample, same law
    c = signature(rng.normal(0.0, 0.0625 / math.sqrt(2), N_CONV), NORMAL)
    d = signature(rng.uniform(-0.0625 * math.sqrt(3), 0.0625 * math.sqrt(3), N_CONV), NORMAL)
    assert similar(a, b, "normal")
    assert not similar(a, c, "normal")
    assert not similar(a, d, "normal")  # same std, kurtosis −1.2 against 0
    assert abs(a.std_ratio - 1) < 0.03 and abs(d.kurtosis + 1.2) < 0.1


def test_histogram_is_plain_capped_data() -> None:
    rng = np.random.default_rng(16)
    x = rng.normal(0.0, 0.0625, N_BIG)
    plot = histogram(x, NORMAL, Text("t", "ㅌ"), bins=500)
    assert plot["kind"] == "histogram" and plot["title"] == {"en": "t", "ko": "ㅌ"}
    assert len(plot["counts"]) <= 60 and len(plot["bins"]) == len(plot["counts"]) + 1
    assert sum(plot["counts"]) == N_BIG == plot["n"]
    assert all(type(v) is float for v in plot["bins"] + plot["expected_density"])
    width = plot["bins"][1] - plot["bins"][0]
    density = np.array(plot["counts"]) / (N_BIG * width)
    assert np.max(np.abs(density - np.array(plot["expected_density"]))) < 0.1 * max(
        plot["expected_density"])


def test_histogram_counts_are_numpys_including_values_on_edges() -> None:
    rng = np.random.default_rng(17)
    reach = 4.0 * NORMAL.std
    edges = np.histogram_bin_edges([], bins=40, range=(-reach, reach))
    # inside ±4σ, so the plot keeps that reach and these edges; every interior edge twice
    x = np.concatenate([np.clip(rng.normal(0.0, 0.0625, 5000), -0.9 * reach, 0.9 * reach),
                        edges[1:-1], edges[1:-1]])
    plot = histogram(x, NORMAL, Text("t", "ㅌ"))
    assert plot["bins"] == [float(e) for e in edges]
    want, want_edges = np.histogram(x, bins=len(plot["counts"]),
                                    range=(plot["bins"][0], plot["bins"][-1]))
    assert plot["counts"] == [int(c) for c in want]
    assert plot["bins"] == [float(e) for e in want_edges]


@pytest.mark.parametrize("n", [1, 7, 1000, N_CONV, N_BIG])
@pytest.mark.parametrize("scale", [1.0, 1.03, 1.3])
def test_ks_test_gives_scipy_kstest_numbers(n: int, scale: float) -> None:
    """Our KS (one sort, a ufunc for F) is scipy.stats.kstest's exact method."""
    rng = np.random.default_rng(n)
    for target, draw, dist in [
        (NORMAL, rng.normal(0.0, NORMAL.scale * scale, n), stats.norm(0.0, NORMAL.scale)),
        (UNIFORM, rng.uniform(-UNIFORM.scale, UNIFORM.scale, n) * scale,
         stats.uniform(-UNIFORM.scale, 2 * UNIFORM.scale)),
    ]:
        want = stats.kstest(draw, dist.cdf)
        found = {f.statistic: f for f in assess(draw, target, 1e-6)}["ks"]
        assert found.value == pytest.approx(float(want.statistic), rel=1e-12, abs=1e-15)
        assert found.p == pytest.approx(float(want.pvalue), rel=1e-9, abs=1e-300)
        d, p = ks_test(draw, dist.cdf)
        assert (d, p) == pytest.approx((float(want.statistic), float(want.pvalue)), rel=1e-12)
