"""reference/clipping.py equals torch.nn.utils.clip_grad_norm_ / clip_grad_value_."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from _refcheck import check_clip_grad_norm, check_clip_grad_value
from _refdata import PROOF, any_shape
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import reference.clipping as C

# torch sums |g|^p unscaled, so it underflows to 0 or overflows to inf where |g|^p
# leaves the float64 range; the reference scales by max|g| first and stays exact
# (see test_clip_grad_norm_extreme_magnitudes). The comparison with torch therefore uses
# magnitudes 0 or 1e-90…1e90, where |g|^p is a normal float for every p ≤ 3.
GRAD_ELEMENTS = st.one_of(
    st.floats(-1e3, 1e3, allow_nan=False, width=64).filter(lambda v: v == 0 or abs(v) >= 1e-90),
    st.sampled_from([0.0, 1e-90, -1e-90, 1e4, -1e4, 1e90, -1e90]),
)
grad_lists = st.lists(hnp.arrays(np.float64, any_shape, elements=GRAD_ELEMENTS), max_size=5)
NORM_TYPES = st.sampled_from([2.0, 1.0, 3.0, 0.5, 2.5, math.inf])
MAX_NORMS = st.sampled_from([1e-3, 0.5, 1.0, 5.0, 1e3, 1e200])


@PROOF
@given(grads=grad_lists, max_norm=MAX_NORMS, norm_type=NORM_TYPES)
def test_clip_grad_norm_equals_torch(
    grads: list[np.ndarray], max_norm: float, norm_type: float
) -> None:
    check_clip_grad_norm(C.clip_grad_norm, grads, max_norm, norm_type)


@pytest.mark.parametrize("norm_type", [1.0, 2.0, 3.0, math.inf])
@pytest.mark.parametrize("max_norm", [0.1, 100.0])
def test_clip_grad_norm_fixed_cases_clip_and_not_clip(norm_type: float, max_norm: float) -> None:
    rng = np.random.default_rng(2)
    grads = [rng.standard_normal((3, 4)), rng.standard_normal(5), np.array(2.5)]
    check_clip_grad_norm(C.clip_grad_norm, grads, max_norm, norm_type)


def test_clip_grad_norm_is_global_not_per_tensor() -> None:
    grads = [np.array([3.0, 0.0]), np.array([0.0, 4.0])]  # each norm ≤ 4, together 5
    clipped, total = C.clip_grad_norm(grads, max_norm=4.5)
    assert total == 5.0
    c = 4.5 / (5.0 + 1e-6)
    assert clipped[0].tolist() == [3.0 * c, 0.0] and clipped[1].tolist() == [0.0, 4.0 * c]


def test_clip_grad_norm_never_scales_up_and_returns_new_arrays() -> None:
    g = np.array([0.3, 0.4])
    clipped, total = C.clip_grad_norm([g], max_norm=10.0)
    assert total == 0.5 and clipped[0].tolist() == [0.3, 0.4]
    assert clipped[0] is not g and not np.shares_memory(clipped[0], g)


def test_clip_grad_norm_empty_list() -> None:
    assert C.clip_grad_norm([], 1.0) == ([], 0.0)


@pytest.mark.parametrize("scale", [1e200, 1e-200, 5e-324])
def test_clip_grad_norm_extreme_magnitudes(scale: float) -> None:
    # |g|² over- or underflows at these scales (torch returns inf or 0); the scaled
    # norm stays the exact p-norm.
    g = np.array([3.0, 4.0]) * scale if scale > 1e-300 else np.array([scale, 0.0])
    expected = 5.0 * scale if scale > 1e-300 else scale
    clipped, total = C.clip_grad_norm([g], max_norm=1e-320)
    assert math.isclose(total, expected, rel_tol=1e-15)
    assert np.all(np.isfinite(clipped[0]))


@pytest.mark.parametrize("norm_type", [0.0, -1.0, math.nan])
def test_clip_grad_norm_rejects_non_positive_p(norm_type: float) -> None:
    with pytest.raises(ValueError, match="norm_type"):
        C.clip_grad_norm([np.ones(2)], 1.0, norm_type)


def test_clip_grad_norm_non_finite_like_torch() -> None:
    # torch: total = inf, c = 0, so inf·0 = NaN and every finite entry becomes 0.
    grads = [np.array([1.0, math.inf]), np.ones(2)]
    params = [torch.nn.Parameter(torch.zeros(2, dtype=torch.float64)) for _ in grads]
    for p, g in zip(params, grads, strict=True):
        p.grad = torch.tensor(g)
    expected_total = torch.nn.utils.clip_grad_norm_(params, 1.0)
    clipped, total = C.clip_grad_norm(grads, 1.0)
    assert total == expected_total.item() == math.inf
    for c, p in zip(clipped, params, strict=True):
        assert p.grad is not None
        np.testing.assert_array_equal(c, p.grad.numpy())  # NaN where torch has NaN
    assert np.isnan(clipped[0][1]) and clipped[1].tolist() == [0.0, 0.0]


@PROOF
@given(grads=grad_lists, clip_value=st.sampled_from([0.0, 1e-3, 0.5, 1.0, 1e3]))
def test_clip_grad_value_equals_torch(grads: list[np.ndarray], clip_value: float) -> None:
    check_clip_grad_value(C.clip_grad_value, grads, clip_value)
