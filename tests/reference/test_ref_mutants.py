"""Mutation proof: the comparison helpers used above are not vacuous.

Each case builds a deliberately wrong reference the way the grader builds a
misconception mutant (the reference source with one wrong definition appended), runs
the *same* check that proves the real reference, and asserts that the check fails.
A final test runs every check on the unmodified source, so a failure here can only come
from the planted mistake.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from types import ModuleType
from typing import Any

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from _refcheck import (
    check_activation,
    check_activation_grad,
    check_batchnorm_steps,
    check_clip_grad_norm,
    check_layer_statistics,
    check_layernorm,
)
from _refdata import EDGE_VALUES
from _refstats import check_normal_init, check_uniform_init
from _submission import load_mutant
from _torchcheck import check_batchnorm_module, check_layernorm_module

# -- fixed inputs the checks run on ------------------------------------------------

RNG = np.random.default_rng(2026)
MODERATE = np.linspace(-6.0, 6.0, 97)  # includes 0 exactly
BN_D = 4
BN_LOC = np.array([0.0, 5.0, -100.0, 1e3])
BN_SPREAD = np.array([1.0, 0.01, 10.0, 0.5])  # σ = 0.01 makes ε = 1e-5 matter
BN_BATCHES = [BN_LOC + BN_SPREAD * RNG.standard_normal((n, BN_D)) for n in (4, 3, 8)]
BN_DOUTS = [RNG.standard_normal(b.shape) for b in BN_BATCHES]
BN_EVAL = BN_LOC + 3 * BN_SPREAD * RNG.standard_normal((6, BN_D)) + 2 * BN_SPREAD
BN_GAMMA, BN_BETA = RNG.standard_normal(BN_D), RNG.standard_normal(BN_D)
LN_X = np.array([[1e-2, -1e-2, 2e-2, 0.0], [3.0, 1.0, -2.0, 10.0], [100.0, 101.0, 99.0, 100.5]])
LN_DOUT = RNG.standard_normal(LN_X.shape)
GRADS = [RNG.standard_normal((3, 4)), RNG.standard_normal(5), np.array([3.0, -4.0])]
FLOW_X = RNG.standard_normal((8, 5))
FLOW_W = [RNG.standard_normal((5, 6)) / 2, RNG.standard_normal((6, 6)) / 2, np.eye(6)[:, :3]]
FLOW_W[0][:, 0] = 0.0  # hidden unit 0 has z = 0 exactly, with a non-zero upstream gradient


def _strict() -> Any:
    return np.errstate(over="raise", invalid="raise", divide="raise", under="ignore")


def _act(
    name: str, torch_fn: Callable[..., torch.Tensor], **kw: Any
) -> Callable[[ModuleType], None]:
    def run(m: ModuleType) -> None:
        with warnings.catch_warnings(), _strict():
            warnings.simplefilter("error")
            check_activation(getattr(m, name), torch_fn, MODERATE, **kw)  # values first
            check_activation(getattr(m, name), torch_fn, EDGE_VALUES, **kw)

    return run


def _act_grad(
    name: str, torch_fn: Callable[..., torch.Tensor], **kw: Any
) -> Callable[[ModuleType], None]:
    def run(m: ModuleType) -> None:
        with warnings.catch_warnings(), _strict():
            warnings.simplefilter("error")
            check_activation_grad(getattr(m, f"{name}_grad"), torch_fn, MODERATE, **kw)
            check_activation_grad(getattr(m, f"{name}_grad"), torch_fn, EDGE_VALUES, **kw)

    return run


def _bn(m: ModuleType) -> None:
    check_batchnorm_steps(
        m.batchnorm_forward, m.batchnorm_backward, BN_BATCHES, BN_EVAL, BN_GAMMA, BN_BETA, BN_DOUTS
    )


def _ln(m: ModuleType) -> None:
    check_layernorm(
        m.layernorm_forward, m.layernorm_backward, LN_X, np.ones(4), np.zeros(4), LN_DOUT
    )


def _clip(m: ModuleType) -> None:
    for max_norm in (0.5, 1e3):
        for p in (2.0, 1.0, math.inf):
            check_clip_grad_norm(m.clip_grad_norm, GRADS, max_norm, p)


def _flow(m: ModuleType) -> None:
    for activation in ("sigmoid", "tanh", "relu"):
        check_layer_statistics(m.layer_statistics, FLOW_X, FLOW_W, activation)


def _init(
    name: str, shape: tuple[int, ...], expected: float, uniform: bool, **kw: Any
) -> Callable[[ModuleType], None]:
    def run(m: ModuleType) -> None:
        w = getattr(m, name)(shape, rng=np.random.default_rng(0), **kw)
        (check_uniform_init if uniform else check_normal_init)(w, expected)

    return run


def _torch_bn(m: ModuleType) -> None:
    check_batchnorm_module(m.BatchNorm1d, 3, [4, 2, 6], None, 0.1, 1e-5, seed=5)


def _torch_ln(m: ModuleType) -> None:
    check_layernorm_module(m.LayerNorm, [3], 5, 1e-5, seed=5)


# Expected statistics from the formulas (torch.nn.init's): weight (512, 128) has
# fan_in 128 and fan_out 512; conv (64, 16, 3, 3) has fan_in 144 and fan_out 576.
HE_STD = math.sqrt(2 / 128)
XAVIER_BOUND = math.sqrt(6 / (128 + 512))
XAVIER_STD = math.sqrt(2 / (128 + 512))

# (id, exercise, appended wrong definition, the check that must now fail)
MUTANTS: list[tuple[str, str, str, Callable[[ModuleType], None]]] = [
    ("relu_grad is 1 at 0", "activations", """
def relu_grad(x):
    x = np.asarray(x, dtype=np.float64)
    return np.where(x >= 0, 1.0, 0.0)
""", _act_grad("relu", F.relu)),
    ("leaky_relu_grad is 1 at 0", "activations", """
def leaky_relu_grad(x, negative_slope=0.01):
    x = np.asarray(x, dtype=np.float64)
    return np.where(x >= 0, 1.0, negative_slope)
""", _act_grad("leaky_relu", F.leaky_relu)),
    ("elu_grad takes the right branch at 0", "activations", """
def elu_grad(x, alpha=1.0):
    x = np.asarray(x, dtype=np.float64)
    return np.where(x >= 0, 1.0, alpha * np.exp(np.minimum(x, 0.0)))
""", _act_grad("elu", F.elu, alpha=2.0)),
    ("naive sigmoid overflows", "activations", """
def sigmoid(x):
    x = np.asarray(x, dtype=np.float64)
    return 1.0 / (1.0 + np.exp(-x))
""", _act("sigmoid", torch.sigmoid)),
    ("sigmoid_grad on the input instead of sigma(x)", "activations", """
def sigmoid_grad(x):
    x = np.asarray(x, dtype=np.float64)
    return x * (1.0 - x)
""", _act_grad("sigmoid", torch.sigmoid)),
    ("gelu with the tanh approximation", "activations", """
def gelu(x):
    x = np.asarray(x, dtype=np.float64)
    return 0.5 * x * (1.0 + np.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x**3)))
""", _act("gelu", F.gelu)),
    ("gelu_grad without the x*phi(x) term", "activations", """
def gelu_grad(x):
    x = np.asarray(x, dtype=np.float64)
    return 0.5 * (1.0 + erf(x / math.sqrt(2.0)))
""", _act_grad("gelu", F.gelu)),
    ("selu constants truncated", "activations", """
def selu(x):
    x = np.asarray(x, dtype=np.float64)
    return np.where(x > 0, 1.0507 * x, 1.0507 * 1.67326 * np.expm1(np.minimum(x, 0.0)))
""", _act("selu", F.selu)),
    ("He with variance 1/n", "initializers", """
def he_normal(shape, mode="fan_in", rng=None):
    fan_in, fan_out = fan_in_and_fan_out(shape)
    rng = np.random.default_rng() if rng is None else rng
    return rng.normal(0.0, math.sqrt(1.0 / fan_in), size=shape)
""", _init("he_normal", (512, 128), HE_STD, uniform=False)),
    ("Xavier with fan_in only (Caffe)", "initializers", """
def xavier_uniform(shape, gain=1.0, rng=None):
    fan_in, fan_out = fan_in_and_fan_out(shape)
    rng = np.random.default_rng() if rng is None else rng
    a = gain * math.sqrt(3.0 / fan_in)
    return rng.uniform(-a, a, size=shape)
""", _init("xavier_uniform", (512, 128), XAVIER_BOUND, uniform=True)),
    ("He uniform bound without sqrt(3)", "initializers", """
def he_uniform(shape, mode="fan_in", rng=None):
    fan_in, fan_out = fan_in_and_fan_out(shape)
    rng = np.random.default_rng() if rng is None else rng
    b = math.sqrt(2.0 / fan_in)
    return rng.uniform(-b, b, size=shape)
""", _init("he_uniform", (512, 128), math.sqrt(3) * HE_STD, uniform=True)),
    ("fan_out used for mode fan_in", "initializers", """
def he_normal(shape, mode="fan_in", rng=None):
    fan_in, fan_out = fan_in_and_fan_out(shape)
    rng = np.random.default_rng() if rng is None else rng
    return rng.normal(0.0, math.sqrt(2.0 / fan_out), size=shape)
""", _init("he_normal", (512, 128), HE_STD, uniform=False)),
    ("conv fans without the receptive field", "initializers", """
def he_normal(shape, mode="fan_in", rng=None):
    rng = np.random.default_rng() if rng is None else rng
    return rng.normal(0.0, math.sqrt(2.0 / shape[1]), size=shape)
""", _init("he_normal", (64, 16, 3, 3), math.sqrt(2 / 144), uniform=False)),
    ("xavier_normal draws uniform with the right variance", "initializers", """
def xavier_normal(shape, gain=1.0, rng=None):
    fan_in, fan_out = fan_in_and_fan_out(shape)
    rng = np.random.default_rng() if rng is None else rng
    a = gain * math.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-a, a, size=shape)
""", _init("xavier_normal", (512, 128), XAVIER_STD, uniform=False)),
    ("biased running variance", "batchnorm", """
_correct_batchnorm_forward = batchnorm_forward
def batchnorm_forward(
    x, gamma, beta, running_mean, running_var, training=True, momentum=0.1, eps=1e-5
):
    args = (running_mean, running_var, training, momentum, eps)
    out, rm, rv, cache = _correct_batchnorm_forward(x, gamma, beta, *args)
    if training:
        rv = (1 - momentum) * np.asarray(running_var) + momentum * np.asarray(x).var(axis=0)
    return out, rm, rv, cache
""", _bn),
    ("eps outside the square root (batch norm)", "batchnorm", """
_correct_batchnorm_forward = batchnorm_forward
def batchnorm_forward(
    x, gamma, beta, running_mean, running_var, training=True, momentum=0.1, eps=1e-5
):
    args = (running_mean, running_var, training, momentum, eps)
    _, rm, rv, cache = _correct_batchnorm_forward(x, gamma, beta, *args)
    x = np.asarray(x, dtype=np.float64)
    mu, sd = (x.mean(axis=0), x.std(axis=0)) if training else (running_mean, np.sqrt(running_var))
    return gamma * (x - mu) / (sd + eps) + beta, rm, rv, cache
""", _bn),
    ("unbiased variance to normalise", "batchnorm", """
_correct_batchnorm_forward = batchnorm_forward
def batchnorm_forward(
    x, gamma, beta, running_mean, running_var, training=True, momentum=0.1, eps=1e-5
):
    args = (running_mean, running_var, training, momentum, eps)
    out, rm, rv, cache = _correct_batchnorm_forward(x, gamma, beta, *args)
    if training:
        x = np.asarray(x, dtype=np.float64)
        out = gamma * (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0, ddof=1) + eps) + beta
    return out, rm, rv, cache
""", _bn),
    ("momentum convention flipped", "batchnorm", """
_correct_batchnorm_forward = batchnorm_forward
def batchnorm_forward(
    x, gamma, beta, running_mean, running_var, training=True, momentum=0.1, eps=1e-5
):
    args = (running_mean, running_var, training, 1 - momentum, eps)
    return _correct_batchnorm_forward(x, gamma, beta, *args)
""", _bn),
    ("batch statistics in evaluation", "batchnorm", """
_correct_batchnorm_forward = batchnorm_forward
def batchnorm_forward(
    x, gamma, beta, running_mean, running_var, training=True, momentum=0.1, eps=1e-5
):
    args = (running_mean, running_var, True, momentum, eps)
    out, rm, rv, cache = _correct_batchnorm_forward(x, gamma, beta, *args)
    if training:
        return out, rm, rv, cache
    return out, np.array(running_mean), np.array(running_var), cache
""", _bn),
    ("batch norm backward without the x_hat term", "batchnorm", """
def batchnorm_backward(dout, cache):
    x_hat, inv_std, gamma, training = cache
    n = dout.shape[0]
    dbeta = dout.sum(axis=0)
    dgamma = (dout * x_hat).sum(axis=0)
    return (gamma * inv_std / n) * (n * dout - dbeta), dgamma, dbeta
""", _bn),
    ("eps outside the square root (layer norm)", "layernorm", """
def layernorm_forward(x, gamma, beta, eps=1e-5):
    x = np.asarray(x, dtype=np.float64)
    mu, sd = x.mean(axis=-1, keepdims=True), x.std(axis=-1, keepdims=True)
    x_hat = (x - mu) / (sd + eps)
    return gamma * x_hat + beta, LayerNormCache(x_hat, 1 / (sd + eps), np.asarray(gamma))
""", _ln),
    ("layer norm over the batch axis", "layernorm", """
def layernorm_forward(x, gamma, beta, eps=1e-5):
    x = np.asarray(x, dtype=np.float64)
    mu, var = x.mean(axis=0, keepdims=True), x.var(axis=0, keepdims=True)
    x_hat = (x - mu) / np.sqrt(var + eps)
    return gamma * x_hat + beta, LayerNormCache(x_hat, 1 / np.sqrt(var + eps), np.asarray(gamma))
""", _ln),
    ("clipping per tensor", "clipping", """
_correct_clip_grad_norm = clip_grad_norm
def clip_grad_norm(grads, max_norm, norm_type=2.0):
    per_tensor = [_correct_clip_grad_norm([g], max_norm, norm_type)[0][0] for g in grads]
    return per_tensor, _correct_clip_grad_norm(grads, max_norm, norm_type)[1]
""", _clip),
    ("clipping also scales up", "clipping", """
_correct_clip_grad_norm = clip_grad_norm
def clip_grad_norm(grads, max_norm, norm_type=2.0):
    _, total = _correct_clip_grad_norm(grads, max_norm, norm_type)
    c = max_norm / (total + 1e-6)
    return [np.asarray(g, dtype=np.float64) * c for g in grads], total
""", _clip),
    ("total norm reported after clipping", "clipping", """
_correct_clip_grad_norm = clip_grad_norm
def clip_grad_norm(grads, max_norm, norm_type=2.0):
    clipped, _ = _correct_clip_grad_norm(grads, max_norm, norm_type)
    return clipped, _correct_clip_grad_norm(clipped, max_norm, norm_type)[1]
""", _clip),
    ("clipping in place", "clipping", """
_correct_clip_grad_norm = clip_grad_norm
def clip_grad_norm(grads, max_norm, norm_type=2.0):
    clipped, total = _correct_clip_grad_norm(grads, max_norm, norm_type)
    for g, c in zip(grads, clipped):
        g[...] = c
    return list(grads), total
""", _clip),
    ("loss without the 1/N", "gradient_flow", """
_correct_layer_statistics = layer_statistics
def layer_statistics(x, weights, activation):
    stds, norms = _correct_layer_statistics(x, weights, activation)
    return stds, [v * np.asarray(x).shape[0] for v in norms]
""", _flow),
    ("sample std (ddof=1) of activations", "gradient_flow", """
_correct_layer_statistics = layer_statistics
def layer_statistics(x, weights, activation):
    stds, norms = _correct_layer_statistics(x, weights, activation)
    n = np.asarray(x).shape[0] * np.asarray(weights[0]).shape[1]
    return [s * float(np.sqrt(n / (n - 1))) for s in stds], norms
""", _flow),
    ("relu derivative 1 at 0 in the backward pass", "gradient_flow", """
_BACKWARD["relu"] = lambda z, h: np.where(z >= 0, 1.0, 0.0)
""", _flow),
    ("torch BatchNorm1d with the unbiased variance", "torch_layers", """
class BatchNorm1d(BatchNorm1d):
    def forward(self, x):
        if not self.training:
            return super().forward(x)
        super().forward(x.detach())  # keep the buffer updates
        mean, var = x.mean(dim=0), x.var(dim=0)  # correction=1
        return (x - mean) / torch.sqrt(var + self.eps) * self.weight + self.bias
""", _torch_bn),
    ("torch BatchNorm1d with biased running variance", "torch_layers", """
class BatchNorm1d(BatchNorm1d):
    def forward(self, x):
        out = super().forward(x)
        if self.training:
            with torch.no_grad():
                n = x.shape[0]
                m = self.momentum
                batch_unbiased = x.var(dim=0)
                self.running_var.sub_(m * batch_unbiased).add_(m * batch_unbiased * (n - 1) / n)
        return out
""", _torch_bn),
    ("torch LayerNorm with eps outside the root", "torch_layers", """
class LayerNorm(LayerNorm):
    def forward(self, x):
        mean = x.mean(dim=-1, keepdim=True)
        sd = ((x - mean) ** 2).mean(dim=-1, keepdim=True).sqrt()
        return (x - mean) / (sd + self.eps) * self.weight + self.bias
""", _torch_ln),
]  # fmt: skip


@pytest.mark.parametrize(
    ("exercise", "overlay", "check"),
    [pytest.param(e, o, c, id=i) for i, e, o, c in MUTANTS],
)
def test_checks_reject_the_mutant(
    exercise: str, overlay: str, check: Callable[[ModuleType], None]
) -> None:
    mutant = load_mutant(exercise, overlay)
    with pytest.raises((AssertionError, FloatingPointError, RuntimeWarning)):
        check(mutant)


@pytest.mark.parametrize(
    ("exercise", "check"),
    [pytest.param(e, c, id=i) for i, e, _, c in MUTANTS],
)
def test_the_same_checks_pass_the_unmodified_source(
    exercise: str, check: Callable[[ModuleType], None]
) -> None:
    check(load_mutant(exercise, ""))
