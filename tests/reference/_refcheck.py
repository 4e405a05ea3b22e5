"""Comparison helpers: run a NumPy implementation and PyTorch side by side, in float64.

Every ``check_*`` raises ``AssertionError`` when the implementation under test differs
from PyTorch beyond the stated tolerance. The proof tests call them on ``reference/``;
``test_ref_mutants.py`` calls the *same* helpers on deliberately wrong variants to show
that they are not vacuous.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import torch

# ---------------------------------------------------------------------------------
# Tolerances (|actual − expected| ≤ ATOL + RTOL·|expected|, expected = PyTorch).
# Measured worst cases over 80k random and edge inputs are given with each one.

# Element-wise activations and their derivatives. Both sides evaluate the same
# closed forms to within a few ulps (worst relative error seen 1e-14, silu_grad), but
# some differ by one rounding in absolute terms where PyTorch's form cancels and ours
# does not: sigmoid_grad/tanh_grad for |x| > 19 (torch's 1 − s rounds to 0 where the
# true value is ~1e-17), gelu for x < −8 (1 + erf cancels). Worst absolute gap seen:
# 2.3e-16. So RTOL gives two decades of margin over the worst seen, ATOL four ulps of 1.
ACT_RTOL = 1e-13
ACT_ATOL = 1e-15

# Normalisation layers. The mean subtraction makes x̂ = (x − μ)/√(σ² + ε) lose up to
# ε_mach·κ of absolute accuracy, where κ = max|x|/√(σ² + ε) is the conditioning of each
# normalised group (1–10 for ordinary data; 3e5 for a constant feature of value 1e3,
# whose x̂ is pure rounding noise of either side). PyTorch also sums in another order.
# So each quantity is compared within NORM_REL × its own error scale (see the
# check functions below: e.g. |γ|·κ + |β| for the output). Measured worst
# error/scale over the Hypothesis cases (constant, σ = 1e-2, N = 2 included): < 5e-16,
# so 1e-12 leaves three decades of margin and still rejects any formula error above
# ~1e-12 relative (eps outside the root is a 5% error at σ = 1e-2).
NORM_REL = 1e-12
# Differences below this are subnormal rounding noise (e.g. γ or dout ≈ 1e-310).
SUBNORMAL_FLOOR = 1e-300

# Running statistics are convex combinations of a few sums: one or two roundings apart.
BUFFER_RTOL = 1e-13
BUFFER_ATOL = 1e-15

# Gradient clipping: norms are sums of |g|^p taken in a different order and, in the
# reference, scaled by max|g| first; measured worst relative gap 1.2e-14 (p=3 on
# entries of 1e-90, where torch's pow of 1e-270 loses a little), 4e-16 otherwise.
CLIP_RTOL = 1e-12
CLIP_ATOL = 1e-300

# Deep-network statistics (gradient_flow): L matrix products in a different summation
# order; relative error grows about linearly with depth. The std also subtracts the
# mean, which costs up to ε_mach·max|h| absolute (sigmoid outputs ≈ 0.5 ± 1e-4 make the
# std's relative error 1e-13), hence FLOW_STD_ATOL_REL·max|h|. Measured worst relative
# gap in grad norms 3e-14 (ReLU, 8 layers); FLOW_RTOL leaves over three decades.
# Saturated tanh/sigmoid units make act' = 1 − h² (or h(1 − h)) cancel: one ulp of h
# on either side moves it by ~2ε_mach absolutely, so grad norms also get an absolute
# allowance FLOW_GRAD_ATOL_REL·‖|h_i|ᵀ G_{i+1}‖_F, the backward pass run on magnitudes
# with act' ≤ 1 (G_L = |h_L|/N, G_i = G_{i+1}|W_i|ᵀ): the classic ε·|A||B| error bound.
FLOW_RTOL = 1e-10
FLOW_ATOL = 1e-300
FLOW_STD_ATOL_REL = 1e-13
FLOW_GRAD_ATOL_REL = 1e-13


def t64(a: Any, requires_grad: bool = False) -> torch.Tensor:
    """A float64 torch tensor holding a copy of ``a``."""
    return torch.tensor(np.asarray(a, dtype=np.float64), requires_grad=requires_grad)


def assert_close(actual: Any, expected: Any, rtol: float, atol: float, what: str) -> None:
    """Shape, dtype and float64 values of ``actual`` against ``expected``.

    ``inf`` must match ``inf`` of the same sign; NaN never matches.
    """
    if isinstance(expected, torch.Tensor):
        expected = expected.detach().numpy()
    expected = np.asarray(expected, dtype=np.float64)
    assert isinstance(actual, np.ndarray), f"{what}: not an ndarray but {type(actual).__name__}"
    assert actual.dtype == np.float64, f"{what}: dtype {actual.dtype}, expected float64"
    assert actual.shape == expected.shape, f"{what}: shape {actual.shape} != {expected.shape}"
    np.testing.assert_allclose(
        actual, expected, rtol=rtol, atol=atol, equal_nan=False, err_msg=what
    )


# -- activations ------------------------------------------------------------------


def check_activation(
    fn: Callable[..., Any], torch_fn: Callable[..., torch.Tensor], x: np.ndarray, **kw: Any
) -> None:
    """``fn(x, **kw)`` equals ``torch_fn(x, **kw)``; ``x`` is left unchanged."""
    before = x.copy()
    actual = fn(x, **kw)
    np.testing.assert_array_equal(x, before, err_msg=f"{fn.__name__} modified its input")
    assert actual is not x, f"{fn.__name__} returned its input array"
    assert_close(actual, torch_fn(t64(x), **kw), ACT_RTOL, ACT_ATOL, fn.__name__)


def check_activation_grad(
    grad_fn: Callable[..., Any], torch_fn: Callable[..., torch.Tensor], x: np.ndarray, **kw: Any
) -> None:
    """``grad_fn(x, **kw)`` equals the element-wise derivative that autograd gives for
    ``torch_fn`` (including PyTorch's choice at kinks, e.g. relu'(0) = 0)."""
    before = x.copy()
    actual = grad_fn(x, **kw)
    np.testing.assert_array_equal(x, before, err_msg=f"{grad_fn.__name__} modified its input")
    xt = t64(x, requires_grad=True)
    y = torch_fn(xt, **kw)
    (expected,) = torch.autograd.grad(y, xt, torch.ones_like(y), allow_unused=True)
    assert_close(actual, expected, ACT_RTOL, ACT_ATOL, grad_fn.__name__)


# -- normalisation -----------------------------------------------------------------


def assert_within_scale(
    actual: Any, expected: Any, scale: np.ndarray, what: str, rel: float | None = None
) -> None:
    """Shape, dtype, and |actual − expected| ≤ rel·scale element-wise (scale broadcast;
    rel defaults to NORM_REL)."""
    rel = NORM_REL if rel is None else rel
    if isinstance(expected, torch.Tensor):
        expected = expected.detach().numpy()
    expected = np.asarray(expected, dtype=np.float64)
    assert isinstance(actual, np.ndarray), f"{what}: not an ndarray but {type(actual).__name__}"
    assert actual.dtype == np.float64, f"{what}: dtype {actual.dtype}, expected float64"
    assert actual.shape == expected.shape, f"{what}: shape {actual.shape} != {expected.shape}"
    assert np.all(np.isfinite(actual)), f"{what}: non-finite values"
    err = np.abs(actual - expected)
    bound = rel * np.broadcast_to(scale, err.shape) + SUBNORMAL_FLOOR
    bad = err > bound
    if np.any(bad):
        i = np.unravel_index(
            np.argmax(np.where(bad, err / np.maximum(bound, 1e-300), 0)), err.shape
        )
        raise AssertionError(
            f"{what}: {int(bad.sum())} of {err.size} entries differ; "
            f"worst at {tuple(map(int, i))}: "
            f"actual {actual[i]!r}, expected {expected[i]!r}, allowed ±{bound[i]:.3g}"
        )


def _kappa(x: np.ndarray, center: np.ndarray, var: np.ndarray, eps: float, axis: Any) -> Any:
    """Conditioning of x̂ = (x − center)/√(var + ε) per group: (max|x| + |center|)/√(var + ε) + 1."""
    max_abs = np.max(np.abs(x), axis=axis, keepdims=True, initial=0.0)
    return (max_abs + np.abs(center)) / np.sqrt(var + eps) + 1


def check_batchnorm_steps(
    forward: Callable[..., Any],
    backward: Callable[..., Any],
    batches: Sequence[np.ndarray],
    eval_batch: np.ndarray,
    gamma: np.ndarray,
    beta: np.ndarray,
    douts: Sequence[np.ndarray],
    momentum: float = 0.1,
    eps: float = 1e-5,
) -> None:
    """Run ``forward``/``backward`` and ``torch.nn.BatchNorm1d`` side by side over
    several training steps and one evaluation batch: outputs, running buffers and
    the input, weight and bias gradients must agree at every step, and evaluation must
    return the running statistics unchanged."""
    d = gamma.shape[0]
    bn = torch.nn.BatchNorm1d(d, eps=eps, momentum=momentum, dtype=torch.float64)
    with torch.no_grad():
        bn.weight.copy_(t64(gamma))
        bn.bias.copy_(t64(beta))
    running_mean = np.zeros(d)
    running_var = np.ones(d)
    bn.train()
    for step, (x, dout) in enumerate(zip(batches, douts, strict=True)):
        x_before = x.copy()
        out, running_mean, running_var, cache = forward(
            x, gamma, beta, running_mean, running_var, True, momentum, eps
        )
        np.testing.assert_array_equal(x, x_before, err_msg="batchnorm_forward modified x")
        xt = t64(x, requires_grad=True)
        bn.zero_grad()
        yt = bn(xt)
        yt.backward(t64(dout))
        tag = f"train step {step}"
        # Error scales (see NORM_REL), per feature over the batch axis.
        n = x.shape[0]
        mu = x.mean(axis=0, keepdims=True)
        var = x.var(axis=0, keepdims=True)
        kappa = _kappa(x, mu, var, eps, 0)
        g_max = np.max(np.abs(dout), axis=0, keepdims=True)
        inv_std = 1 / np.sqrt(var + eps)
        assert_within_scale(out, yt, np.abs(gamma) * kappa + np.abs(beta), f"{tag}: out")
        assert_close(running_mean, bn.running_mean, BUFFER_RTOL, BUFFER_ATOL, f"{tag}: mean")
        assert_close(running_var, bn.running_var, BUFFER_RTOL, BUFFER_ATOL, f"{tag}: var")
        dx, dgamma, dbeta = backward(dout, cache)
        assert xt.grad is not None and bn.weight.grad is not None and bn.bias.grad is not None
        dx_scale = np.abs(gamma) * inv_std * g_max * kappa**2
        assert_within_scale(dx, xt.grad, dx_scale, f"{tag}: dx")
        assert_within_scale(dgamma, bn.weight.grad, (n * g_max * kappa)[0], f"{tag}: dgamma")
        assert_within_scale(dbeta, bn.bias.grad, (n * g_max)[0], f"{tag}: dbeta")
    bn.eval()
    rm_before, rv_before = running_mean.copy(), running_var.copy()
    out, rm_after, rv_after, _ = forward(
        eval_batch, gamma, beta, running_mean, running_var, False, momentum, eps
    )
    with torch.no_grad():
        yt = bn(t64(eval_batch))
    kappa = _kappa(eval_batch, running_mean, running_var, eps, 0)
    assert_within_scale(out, yt, np.abs(gamma) * kappa + np.abs(beta), "eval: out")
    np.testing.assert_array_equal(rm_after, rm_before, err_msg="eval changed running_mean")
    np.testing.assert_array_equal(rv_after, rv_before, err_msg="eval changed running_var")
    np.testing.assert_array_equal(running_mean, rm_before, err_msg="eval mutated running_mean")
    assert rm_after is not running_mean and rv_after is not running_var, "eval must return copies"


def check_layernorm(
    forward: Callable[..., Any],
    backward: Callable[..., Any],
    x: np.ndarray,
    gamma: np.ndarray,
    beta: np.ndarray,
    dout: np.ndarray,
    eps: float = 1e-5,
) -> None:
    """``forward``/``backward`` against ``torch.nn.LayerNorm(D)`` on x of shape (..., D)."""
    d = x.shape[-1]
    ln = torch.nn.LayerNorm(d, eps=eps, dtype=torch.float64)
    with torch.no_grad():
        ln.weight.copy_(t64(gamma))
        ln.bias.copy_(t64(beta))
    x_before = x.copy()
    out, cache = forward(x, gamma, beta, eps)
    np.testing.assert_array_equal(x, x_before, err_msg="layernorm_forward modified x")
    xt = t64(x, requires_grad=True)
    yt = ln(xt)
    yt.backward(t64(dout))
    # Error scales (see NORM_REL), per sample over the last axis.
    mu = x.mean(axis=-1, keepdims=True)
    var = x.var(axis=-1, keepdims=True)
    kappa = _kappa(x, mu, var, eps, -1)
    g_max = np.max(np.abs(dout * gamma), axis=-1, keepdims=True)
    inv_std = 1 / np.sqrt(var + eps)
    assert_within_scale(out, yt, np.abs(gamma) * kappa + np.abs(beta), "layernorm: out")
    dx, dgamma, dbeta = backward(dout, cache)
    assert xt.grad is not None and ln.weight.grad is not None and ln.bias.grad is not None
    assert_within_scale(dx, xt.grad, inv_std * g_max * kappa**2, "layernorm: dx")
    rows = np.abs(dout).reshape(-1, d)
    dgamma_scale = (rows * kappa.reshape(-1, 1)).sum(axis=0)
    assert_within_scale(dgamma, ln.weight.grad, dgamma_scale, "layernorm: dgamma")
    assert_within_scale(dbeta, ln.bias.grad, rows.sum(axis=0), "layernorm: dbeta")


def check_rmsnorm(
    forward: Callable[..., Any],
    backward: Callable[..., Any],
    x: np.ndarray,
    gamma: np.ndarray,
    dout: np.ndarray,
    eps: float | None = None,
) -> None:
    """``forward``/``backward`` against ``torch.nn.RMSNorm(D)``."""
    d = x.shape[-1]
    rms = torch.nn.RMSNorm(d, eps=eps, dtype=torch.float64)
    with torch.no_grad():
        rms.weight.copy_(t64(gamma))
    out, cache = forward(x, gamma, eps)
    xt = t64(x, requires_grad=True)
    yt = rms(xt)
    yt.backward(t64(dout))
    # Error scales: r = 1/rms per sample; |x|·r ≤ √D. No subtraction in the forward.
    e = float(np.finfo(np.float64).eps) if eps is None else eps
    r = 1 / np.sqrt((x * x).mean(axis=-1, keepdims=True) + e)
    xr_max = np.max(np.abs(x) * r, axis=-1, keepdims=True)
    g_max = np.max(np.abs(dout * gamma), axis=-1, keepdims=True)
    assert_within_scale(out, yt, np.abs(gamma) * xr_max + 1e-300, "rmsnorm: out")
    dx, dgamma = backward(dout, cache)
    assert xt.grad is not None and rms.weight.grad is not None
    assert_within_scale(dx, xt.grad, r * g_max * (1 + xr_max**2) * d, "rmsnorm: dx")
    rows = np.abs(dout).reshape(-1, d)
    dgamma_scale = (rows * xr_max.reshape(-1, 1)).sum(axis=0) + 1e-300
    assert_within_scale(dgamma, rms.weight.grad, dgamma_scale, "rmsnorm: dgamma")


# -- clipping ----------------------------------------------------------------------


def check_clip_grad_norm(
    fn: Callable[..., Any], grads: Sequence[np.ndarray], max_norm: float, norm_type: float
) -> None:
    """``fn`` against ``torch.nn.utils.clip_grad_norm_`` on parameters holding ``grads``:
    the pre-clip total (a Python float) and every clipped gradient; inputs unchanged."""
    before = [g.copy() for g in grads]
    clipped, total = fn(list(grads), max_norm, norm_type)
    for g, b in zip(grads, before, strict=True):
        np.testing.assert_array_equal(g, b, err_msg="clip_grad_norm modified a gradient")
    params = []
    for g in grads:
        p = torch.nn.Parameter(t64(np.zeros_like(g)))
        p.grad = t64(g)
        params.append(p)
    # Empty gradients add nothing to any norm; torch's inf-norm refuses them, so they
    # are left out of torch's call (and must come back empty).
    expected_total = torch.nn.utils.clip_grad_norm_(
        [p for p in params if p.numel() > 0], max_norm, norm_type
    )
    assert isinstance(total, float), f"total_norm is {type(total).__name__}, not float"
    assert_close(np.asarray(total), expected_total, CLIP_RTOL, CLIP_ATOL, "total_norm")
    assert len(clipped) == len(grads), "clip_grad_norm returned a different number of arrays"
    for i, (c, p) in enumerate(zip(clipped, params, strict=True)):
        assert c is not grads[i], "clip_grad_norm returned an input array instead of a new one"
        assert p.grad is not None
        assert_close(c, p.grad, CLIP_RTOL, CLIP_ATOL, f"clipped gradient {i}")


def check_clip_grad_value(
    fn: Callable[..., Any], grads: Sequence[np.ndarray], clip_value: float
) -> None:
    """``fn`` against ``torch.nn.utils.clip_grad_value_`` (exact: clamping rounds nothing)."""
    before = [g.copy() for g in grads]
    clipped = fn(list(grads), clip_value)
    for g, b in zip(grads, before, strict=True):
        np.testing.assert_array_equal(g, b, err_msg="clip_grad_value modified a gradient")
    params = []
    for g in grads:
        p = torch.nn.Parameter(t64(np.zeros_like(g)))
        p.grad = t64(g)
        params.append(p)
    if params:  # torch's foreach kernel refuses an empty list
        torch.nn.utils.clip_grad_value_(params, clip_value)
    assert len(clipped) == len(grads)
    for i, (c, p) in enumerate(zip(clipped, params, strict=True)):
        assert p.grad is not None
        assert_close(c, p.grad, 0.0, 0.0, f"clipped gradient {i}")


# -- gradient flow -----------------------------------------------------------------

_TORCH_ACT: dict[str, Callable[[torch.Tensor], torch.Tensor]] = {
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "relu": torch.relu,
}


def check_layer_statistics(
    fn: Callable[..., Any], x: np.ndarray, weights: Sequence[np.ndarray], activation: str
) -> None:
    """``fn`` against the same network in torch: population std of each layer's output
    and the Frobenius norm of autograd's ∂Loss/∂W_i, Loss = ½Σh_L²/N."""
    stds, norms = fn(x, list(weights), activation)
    h = t64(x)
    ws = [t64(w, requires_grad=True) for w in weights]
    expected_stds = []
    std_atols = []
    for w in ws:
        h = _TORCH_ACT[activation](h @ w)
        expected_stds.append(h.detach().std(correction=0).item())
        std_atols.append(FLOW_STD_ATOL_REL * (h.detach().abs().max().item() if h.numel() else 0))
    loss = 0.5 * (h * h).sum() / x.shape[0]
    grads = torch.autograd.grad(loss, ws)
    expected_norms = [torch.linalg.vector_norm(g).item() for g in grads]
    # Magnitude backward (see FLOW_GRAD_ATOL_REL): |h_i| and |W_i|, act' bounded by 1.
    hs_abs = [np.abs(x)]
    for w in weights:
        hs_abs.append(np.abs(_TORCH_ACT[activation](t64(hs_abs[-1] @ np.abs(w))).numpy()))
    g_abs = hs_abs[-1] / x.shape[0]
    grad_atols = [0.0] * len(weights)
    for i in reversed(range(len(weights))):
        grad_atols[i] = FLOW_GRAD_ATOL_REL * float(np.linalg.norm(hs_abs[i].T @ g_abs))
        g_abs = g_abs @ np.abs(weights[i]).T
    assert isinstance(stds, list) and isinstance(norms, list), "results must be lists"
    assert all(isinstance(v, float) for v in stds + norms), "results must be Python floats"
    assert len(stds) == len(weights) and len(norms) == len(weights), "one value per layer"
    std_err = np.abs(np.asarray(stds) - expected_stds)
    std_tol = FLOW_RTOL * np.abs(expected_stds) + np.asarray(std_atols) + FLOW_ATOL
    assert np.all(std_err <= std_tol), f"stds {stds} != torch {expected_stds}"

    norm_err = np.abs(np.asarray(norms) - expected_norms)
    norm_tol = FLOW_RTOL * np.abs(expected_norms) + np.asarray(grad_atols) + FLOW_ATOL
    assert np.all(norm_err <= norm_tol), f"grad_norms {norms} != torch {expected_norms}"


def p_norm(values: np.ndarray, p: float) -> float:
    """Plain ‖v‖_p, for readable expectations in tests."""
    if p == math.inf:
        return float(np.max(np.abs(values)))
    return float(np.sum(np.abs(values) ** p) ** (1.0 / p))
