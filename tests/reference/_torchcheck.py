"""Side-by-side checks of torch normalisation modules against torch.nn's own.

``check_batchnorm_module(cls, ...)`` and ``check_layernorm_module(cls, ...)`` take the
class under test, so the proof (reference/torch_layers.py) and the mutation tests use
the same checks. Each raises ``AssertionError`` on any difference beyond tolerance.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from _refcheck import assert_within_scale

F64 = torch.float64
# Running buffers: convex combinations of a few sums, one or two roundings apart.
BUFFER_RTOL = 1e-13
BUFFER_ATOL = 1e-15


def _close(a: torch.Tensor, b: torch.Tensor, what: str) -> None:
    torch.testing.assert_close(
        a, b, rtol=BUFFER_RTOL, atol=BUFFER_ATOL, msg=lambda m: f"{what}: {m}"
    )


def _compare(
    ours: list[torch.Tensor],
    theirs: list[torch.Tensor],
    x: torch.Tensor,
    module: Any,
    dout: torch.Tensor,
    stats_axes: tuple[int, ...],
    center: Any,
    var: Any,
    what: str,
    batch_norm: bool,
) -> None:
    """Output, dx, dweight, dbias within NORM_REL of their error scales (see _refcheck):
    κ = (max|x| + |μ|)/√(σ² + ε) + 1 per normalised group; out ~ |w|κ + |b|,
    dx ~ max|dout·w|·κ²/√(σ² + ε), dweight ~ Σ|dout|κ, dbias ~ Σ|dout|."""
    xn, g = x.detach().numpy(), dout.numpy()
    shape = [1] * x.dim()
    if batch_norm:  # statistics over N (and L), parameters per channel C
        shape[1] = -1
        param_sum_axes = stats_axes
    else:
        shape[-1] = -1
        param_sum_axes = tuple(range(x.dim() - 1))
    w = module.weight.detach().numpy().reshape(shape)
    b = module.bias.detach().numpy().reshape(shape)
    inv_std = 1 / np.sqrt(var + module.eps)
    kappa = (np.max(np.abs(xn), axis=stats_axes, keepdims=True) + np.abs(center)) * inv_std + 1
    gw = np.max(np.abs(g * w), axis=stats_axes, keepdims=True)
    scales = [
        np.abs(w) * kappa + np.abs(b),
        gw * inv_std * kappa**2,
        np.sum(np.abs(g) * kappa, axis=param_sum_axes),
        np.sum(np.abs(g), axis=param_sum_axes),
    ]
    names = ("output", "dx", "dweight", "dbias")
    for name, a, t, scale in zip(names, ours, theirs, scales, strict=True):
        assert_within_scale(a.detach().numpy(), t, scale, f"{what}: {name}")


def _run(module: Any, x: torch.Tensor, dout: torch.Tensor) -> list[torch.Tensor]:
    """Output and (dx, dweight, dbias) of one forward/backward."""
    xr = x.clone().requires_grad_(True)
    module.zero_grad()
    out = module(xr)
    out.backward(dout)
    assert xr.grad is not None and module.weight.grad is not None
    return [out.detach(), xr.grad, module.weight.grad.clone(), module.bias.grad.clone()]


def _make_pair(cls: Any, torch_cls: Any, c: int, **kw: Any) -> tuple[Any, Any]:
    """The module under test and torch's, with the same random weight and bias."""
    ours, theirs = cls(c, **kw, dtype=F64), torch_cls(c, **kw, dtype=F64)
    gen = torch.Generator().manual_seed(c)
    weight = torch.randn(c, generator=gen, dtype=F64)
    bias = torch.randn(c, generator=gen, dtype=F64)
    for m in (ours, theirs):
        with torch.no_grad():
            m.weight.copy_(weight)  # type: ignore[operator]
            m.bias.copy_(bias)  # type: ignore[operator]
    return ours, theirs


def batch(seed: int, shape: tuple[int, ...], channel_axis: int) -> torch.Tensor:
    """Channels with distinct locations and spreads (0 to 1e3, 1e-2 to 30)."""
    gen = torch.Generator().manual_seed(seed)
    c = shape[channel_axis]
    view = [1] * len(shape)
    view[channel_axis] = c
    loc = torch.tensor([0.0, 1e3, -5.0, 0.3, 100.0, -1e2][:c] * (c // 6 + 1), dtype=F64)[:c]
    spread = torch.tensor([1.0, 0.5, 1e-2, 30.0, 2.0, 0.1][:c] * (c // 6 + 1), dtype=F64)[:c]
    z = torch.randn(shape, generator=gen, dtype=F64)
    return loc.reshape(view) + spread.reshape(view) * z


def check_batchnorm_module(
    cls: Any,
    c: int,
    ns: list[int],
    length: int | None,
    momentum: float | None,
    eps: float,
    seed: int,
) -> None:
    """``cls`` against ``torch.nn.BatchNorm1d`` over len(ns) training steps of batch sizes
    ``ns`` (inputs (N, C) or (N, C, length)), then one evaluation batch: outputs, input,
    weight and bias gradients, running buffers and num_batches_tracked."""
    ours, theirs = _make_pair(cls, torch.nn.BatchNorm1d, c, eps=eps, momentum=momentum)
    for step, n in enumerate(ns):
        shape = (n, c) if length is None else (n, c, length)
        axes = (0,) if length is None else (0, 2)
        x = batch(seed + step, shape, 1)
        dout = torch.randn(shape, generator=torch.Generator().manual_seed(step), dtype=F64)
        xn = x.numpy()
        mu, var = xn.mean(axis=axes, keepdims=True), xn.var(axis=axes, keepdims=True)
        got, want = _run(ours, x, dout), _run(theirs, x, dout)
        _compare(got, want, x, theirs, dout, axes, mu, var, f"train step {step}", True)
        _close(ours.running_mean, theirs.running_mean, "running_mean")
        _close(ours.running_var, theirs.running_var, "running_var")
        assert int(ours.num_batches_tracked) == int(theirs.num_batches_tracked) == step + 1
    ours.eval()
    theirs.eval()
    shape = (5, c) if length is None else (5, c, length)
    axes = (0,) if length is None else (0, 2)
    x = 3 * batch(seed + 99, shape, 1) + 1
    dout = torch.randn(shape, generator=torch.Generator().manual_seed(99), dtype=F64)
    view = [1, c] + [1] * (x.dim() - 2)
    rm = theirs.running_mean.numpy().reshape(view)
    rv = theirs.running_var.numpy().reshape(view)
    buffers = [t.clone() for t in ours.buffers()]
    got, want = _run(ours, x, dout), _run(theirs, x, dout)
    _compare(got, want, x, theirs, dout, axes, rm, rv, "eval", True)
    for before, after in zip(buffers, ours.buffers(), strict=True):
        assert torch.equal(before, after)  # eval leaves every buffer alone


def check_layernorm_module(cls: Any, lead: list[int], d: int, eps: float, seed: int) -> None:
    """``cls(d)`` against ``torch.nn.LayerNorm(d)`` on x of shape (*lead, d) whose samples
    have distinct locations and spreads: output and input, weight and bias gradients."""
    ours, theirs = _make_pair(cls, torch.nn.LayerNorm, d, eps=eps)
    shape = (*lead, d)
    # Samples with distinct locations and spreads along the first axis.
    x = batch(seed, shape, 0)
    dout = torch.randn(shape, generator=torch.Generator().manual_seed(seed), dtype=F64)
    xn = x.numpy()
    mu, var = xn.mean(axis=-1, keepdims=True), xn.var(axis=-1, keepdims=True)
    got, want = _run(ours, x, dout), _run(theirs, x, dout)
    _compare(got, want, x, theirs, dout, (x.dim() - 1,), mu, var, "layernorm", False)
