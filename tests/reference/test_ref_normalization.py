"""reference/normalization.py equals torch.nn.BatchNorm1d / LayerNorm / RMSNorm and autograd."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from _refcheck import check_batchnorm_steps, check_layernorm, check_rmsnorm
from _refdata import PROOF
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import reference.normalization as R

# Evaluation mode is a fixed affine map per feature (no mean subtraction of the batch,
# well-conditioned inputs ~N(0, 1)): a few roundings on each side, so 1e-13 relative
# (and 1e-15 absolute for sums that cancel to ~0) leaves two decades of margin.
EVAL_RTOL = 1e-13
EVAL_ATOL = 1e-15

# Per-feature locations and spreads: offsets up to 1e4 stress the mean subtraction,
# spread 1e-2 makes ε = 1e-5 matter (σ² = 1e-4), spread 0 is a constant feature.
LOCS = st.sampled_from([0.0, 1.0, -3.0, 100.0, -1e3, 1e4])
SPREADS = st.sampled_from([0.0, 1e-2, 0.5, 1.0, 30.0])
Z = st.floats(-3.0, 3.0, allow_nan=False, width=64)
PARAMS = st.floats(-2.0, 2.0, allow_nan=False, width=64)


@st.composite
def feature_batch(draw: st.DrawFn, n: int, d: int) -> np.ndarray:
    """An (n, d) batch, feature j = loc_j + spread_j·z."""
    z = draw(hnp.arrays(np.float64, (n, d), elements=Z))
    loc = np.array(draw(st.lists(LOCS, min_size=d, max_size=d)))
    spread = np.array(draw(st.lists(SPREADS, min_size=d, max_size=d)))
    return np.asarray(loc + spread * z)


@st.composite
def batchnorm_case(draw: st.DrawFn) -> dict[str, object]:
    d = draw(st.integers(1, 5))
    steps = draw(st.integers(1, 3))
    ns = [draw(st.integers(2, 8)) for _ in range(steps)]
    return {
        "batches": [draw(feature_batch(n, d)) for n in ns],
        "douts": [draw(hnp.arrays(np.float64, (n, d), elements=PARAMS)) for n in ns],
        "eval_batch": draw(feature_batch(draw(st.integers(0, 6)), d)),
        "gamma": draw(hnp.arrays(np.float64, (d,), elements=PARAMS)),
        "beta": draw(hnp.arrays(np.float64, (d,), elements=PARAMS)),
        "momentum": draw(st.sampled_from([0.1, 0.5, 1.0, 0.01])),
        "eps": draw(st.sampled_from([1e-5, 1e-3])),
    }


@PROOF
@given(case=batchnorm_case())
def test_batchnorm_train_steps_and_eval_equal_torch(case: dict[str, object]) -> None:
    check_batchnorm_steps(R.batchnorm_forward, R.batchnorm_backward, **case)  # type: ignore[arg-type]


def test_batchnorm_fixed_multi_step_equal_torch() -> None:
    rng = np.random.default_rng(7)
    d = 4
    loc, spread = np.array([0.0, 5.0, -100.0, 1e3]), np.array([1.0, 0.01, 10.0, 0.5])
    batches = [loc + spread * rng.standard_normal((n, d)) for n in (4, 2, 16, 3, 5)]
    check_batchnorm_steps(
        R.batchnorm_forward,
        R.batchnorm_backward,
        batches=batches,
        eval_batch=loc + 3 * spread * rng.standard_normal((7, d)) + 2 * spread,
        gamma=rng.standard_normal(d),
        beta=rng.standard_normal(d),
        douts=[rng.standard_normal(b.shape) for b in batches],
    )


def test_batchnorm_running_var_is_unbiased_and_momentum_weighs_the_batch() -> None:
    x = np.array([[1.0], [3.0]])  # mean 2, biased var 1, unbiased var 2
    out, rm, rv, _ = R.batchnorm_forward(x, np.ones(1), np.zeros(1), np.zeros(1), np.ones(1))
    assert rm.tolist() == [0.2]  # 0.9·0 + 0.1·2
    assert rv.tolist() == [0.9 + 0.1 * 2.0]
    np.testing.assert_allclose(out[:, 0], [-1 / np.sqrt(1 + 1e-5), 1 / np.sqrt(1 + 1e-5)])


@pytest.mark.parametrize("n", [0, 1])
def test_batchnorm_training_needs_two_samples(n: int) -> None:
    with pytest.raises(ValueError, match="more than 1 value"):
        R.batchnorm_forward(np.ones((n, 3)), np.ones(3), np.zeros(3), np.zeros(3), np.ones(3))


def test_batchnorm_eval_with_one_sample_and_inputs_untouched() -> None:
    rm, rv = np.array([1.0, 2.0]), np.array([4.0, 9.0])
    x = np.array([[3.0, 2.0]])
    out, rm2, rv2, _ = R.batchnorm_forward(x, np.ones(2), np.zeros(2), rm, rv, training=False)
    np.testing.assert_allclose(out, [[2 / np.sqrt(4 + 1e-5), 0.0]], rtol=EVAL_RTOL)
    assert rm2 is not rm and rv2 is not rv
    assert rm.tolist() == [1.0, 2.0] and rv.tolist() == [4.0, 9.0]


def test_batchnorm_rejects_non_matrix_input() -> None:
    with pytest.raises(ValueError, match=r"\(N, D\)"):
        R.batchnorm_forward(np.ones((2, 3, 4)), np.ones(3), np.zeros(3), np.zeros(3), np.ones(3))


def test_batchnorm_eval_backward_equals_autograd() -> None:
    rng = np.random.default_rng(3)
    x, dout = rng.standard_normal((5, 3)), rng.standard_normal((5, 3))
    gamma, rm, rv = rng.standard_normal(3), rng.standard_normal(3), rng.random(3) + 0.5
    _, _, _, cache = R.batchnorm_forward(x, gamma, np.zeros(3), rm, rv, training=False)
    dx, dgamma, dbeta = R.batchnorm_backward(dout, cache)
    bn = torch.nn.BatchNorm1d(3, dtype=torch.float64).eval()
    with torch.no_grad():
        bn.weight.copy_(torch.tensor(gamma))
        bn.running_mean.copy_(torch.tensor(rm))
        bn.running_var.copy_(torch.tensor(rv))
    xt = torch.tensor(x, requires_grad=True)
    bn(xt).backward(torch.tensor(dout))
    assert xt.grad is not None and bn.weight.grad is not None and bn.bias.grad is not None
    np.testing.assert_allclose(dx, xt.grad.numpy(), rtol=EVAL_RTOL, atol=EVAL_ATOL)
    np.testing.assert_allclose(dgamma, bn.weight.grad.numpy(), rtol=EVAL_RTOL, atol=EVAL_ATOL)
    np.testing.assert_allclose(dbeta, bn.bias.grad.numpy(), rtol=EVAL_RTOL, atol=EVAL_ATOL)


@st.composite
def layernorm_case(draw: st.DrawFn) -> dict[str, np.ndarray]:
    lead = draw(hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=4))
    d = draw(st.integers(1, 6))
    rows = int(np.prod(lead))
    # Each sample gets its own location and spread (layernorm normalises per sample).
    x = draw(feature_batch(d, rows)).T.reshape((*lead, d))
    return {
        "x": x,
        "gamma": draw(hnp.arrays(np.float64, (d,), elements=PARAMS)),
        "beta": draw(hnp.arrays(np.float64, (d,), elements=PARAMS)),
        "dout": draw(hnp.arrays(np.float64, x.shape, elements=PARAMS)),
    }


@PROOF
@given(case=layernorm_case(), eps=st.sampled_from([1e-5, 1e-3]))
def test_layernorm_equals_torch_over_any_leading_shape(
    case: dict[str, np.ndarray], eps: float
) -> None:
    check_layernorm(R.layernorm_forward, R.layernorm_backward, eps=eps, **case)


@pytest.mark.parametrize("shape", [(5,), (1, 5), (1, 1, 5), (2, 3, 4, 5)])
def test_layernorm_batch_of_one_and_trailing_axes(shape: tuple[int, ...]) -> None:
    rng = np.random.default_rng(11)
    x = 10 * rng.standard_normal(shape) + 3
    check_layernorm(
        R.layernorm_forward,
        R.layernorm_backward,
        x,
        rng.standard_normal(shape[-1]),
        rng.standard_normal(shape[-1]),
        rng.standard_normal(shape),
    )


@PROOF
@given(case=layernorm_case(), eps=st.sampled_from([None, 1e-6, 1e-5]))
def test_rmsnorm_equals_torch(case: dict[str, np.ndarray], eps: float | None) -> None:
    check_rmsnorm(
        R.rmsnorm_forward, R.rmsnorm_backward, case["x"], case["gamma"], case["dout"], eps
    )


def test_normalization_does_not_modify_inputs() -> None:
    rng = np.random.default_rng(5)
    arrays = [rng.standard_normal((4, 3)), rng.standard_normal(3), rng.standard_normal(3)]
    rm, rv = np.zeros(3), np.ones(3)
    copies = [a.copy() for a in (*arrays, rm, rv)]
    _, _, _, cache = R.batchnorm_forward(*arrays, rm, rv)
    dout = rng.standard_normal((4, 3))
    dout_copy = dout.copy()
    R.batchnorm_backward(dout, cache)
    _, lcache = R.layernorm_forward(*arrays)
    R.layernorm_backward(dout, lcache)
    for a, c in zip((*arrays, rm, rv), copies, strict=True):
        np.testing.assert_array_equal(a, c)
    np.testing.assert_array_equal(dout, dout_copy)
