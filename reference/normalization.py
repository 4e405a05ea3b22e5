"""Reference batch, layer and RMS normalisation with hand-written backward passes, in
NumPy (float64), following PyTorch's conventions.

Self-contained on purpose: the grader submits this file's source both as a student's
``batchnorm.py`` and as a student's ``layernorm.py``, so it imports only ``numpy``.
Inputs are never modified; every returned array is new.

PyTorch's conventions (``torch/nn/modules/batchnorm.py``, ``normalization.py``):
normalise with the *biased* variance, ε inside the square root; BatchNorm's running
variance is updated with the *unbiased* batch variance, with
``running = (1 − momentum)·running + momentum·batch``.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


def _f64(a: npt.ArrayLike) -> FloatArray:
    return np.asarray(a, dtype=np.float64)


class BatchNormCache(NamedTuple):
    """What :func:`batchnorm_backward` needs from the forward pass (Ioffe & Szegedy,
    2015): x̂ = (x − μ)/√(σ² + ε), inv_std = 1/√(σ² + ε), γ, and which statistics were used.

    Example:
        >>> x = np.array([[1.0], [3.0]])
        >>> cache = batchnorm_forward(x, np.ones(1), np.zeros(1), np.zeros(1), np.ones(1))[3]
        >>> cache.training, cache.x_hat.shape
        (True, (2, 1))
    """

    x_hat: FloatArray  # normalised input, (N, D)
    inv_std: FloatArray  # 1/√(σ² + ε) of the statistics used, (D,)
    gamma: FloatArray  # (D,)
    training: bool  # batch statistics (True) or running statistics (False)


class LayerNormCache(NamedTuple):
    """What :func:`layernorm_backward` needs from the forward pass (Ba, Kiros & Hinton,
    2016): x̂ = (x − μ)/√(σ² + ε) and inv_std = 1/√(σ² + ε) per sample, and γ.

    Example:
        >>> cache = layernorm_forward(np.ones((3, 2)), np.ones(2), np.zeros(2))[1]
        >>> cache.inv_std.shape
        (3, 1)
    """

    x_hat: FloatArray  # normalised input, (..., D)
    inv_std: FloatArray  # 1/√(σ² + ε) per sample, (..., 1)
    gamma: FloatArray  # (D,)


class RMSNormCache(NamedTuple):
    """What :func:`rmsnorm_backward` needs from the forward pass (Zhang & Sennrich,
    2019): x, inv_rms = 1/√(mean(x²) + ε) per sample, and γ.

    Example:
        >>> cache = rmsnorm_forward(np.ones((3, 2)), np.ones(2))[1]
        >>> cache.inv_rms.shape
        (3, 1)
    """

    x: FloatArray  # the input, (..., D)
    inv_rms: FloatArray  # 1/√(mean(x²) + ε) per sample, (..., 1)
    gamma: FloatArray  # (D,)


def batchnorm_forward(
    x: npt.ArrayLike,
    gamma: npt.ArrayLike,
    beta: npt.ArrayLike,
    running_mean: npt.ArrayLike,
    running_var: npt.ArrayLike,
    training: bool = True,
    momentum: float = 0.1,
    eps: float = 1e-5,
) -> tuple[FloatArray, FloatArray, FloatArray, BatchNormCache]:
    r"""Batch normalisation of a (N, D) batch (Ioffe, S. & Szegedy, C. (2015), "Batch
    Normalization: Accelerating Deep Network Training by Reducing Internal Covariate
    Shift", Algorithm 1), with PyTorch's running-statistics convention.

    Training (statistics over the batch axis, per feature):

        μ   = (1/N) Σ_n x_n
        σ²  = (1/N) Σ_n (x_n − μ)²                       (biased)
        x̂   = (x − μ) / √(σ² + ε)
        out = γ x̂ + β
        running_mean ← (1 − m)·running_mean + m·μ
        running_var  ← (1 − m)·running_var  + m·σ²·N/(N − 1)   (unbiased)

    Evaluation (``training=False``): x̂ = (x − running_mean)/√(running_var + ε), and
    the running statistics are returned unchanged (as copies).

    Args:
        x: the batch, shape (N, D).
        gamma, beta: scale and shift, shape (D,).
        running_mean, running_var: the running statistics, shape (D,).
        training: use batch statistics and update the running ones (default True).
        momentum: m, the weight of the new batch in the running averages (0.1).
        eps: ε, added to the variance inside the square root (1e-5).

    Returns:
        ``(out, new_running_mean, new_running_var, cache)``.

    Raises:
        ValueError: if ``x`` is not 2-d, or if N < 2 in training (the unbiased variance
            needs two samples; PyTorch raises too).

    Example:
        >>> out, rm, rv, _ = batchnorm_forward(
        ...     np.array([[1.0], [3.0]]), np.ones(1), np.zeros(1), np.zeros(1), np.ones(1))
        >>> out.round(4).tolist(), rm.tolist(), rv.tolist()
        ([[-1.0], [1.0]], [0.2], [1.1])
    """
    x = _f64(x)
    gamma = _f64(gamma)
    beta = _f64(beta)
    running_mean = _f64(running_mean)
    running_var = _f64(running_var)
    if x.ndim != 2:
        raise ValueError(f"batchnorm_forward expects x of shape (N, D), got {x.shape}")
    n = x.shape[0]
    if training:
        if n < 2:
            raise ValueError(
                f"Expected more than 1 value per feature when training, got x of shape {x.shape}"
            )
        mu = x.mean(axis=0)
        xc = x - mu
        var = (xc * xc).mean(axis=0)  # biased: divides by N
        inv_std = 1.0 / np.sqrt(var + eps)
        x_hat = xc * inv_std
        new_running_mean = (1.0 - momentum) * running_mean + momentum * mu
        unbiased_var = var * (n / (n - 1))
        new_running_var = (1.0 - momentum) * running_var + momentum * unbiased_var
    else:
        inv_std = 1.0 / np.sqrt(running_var + eps)
        x_hat = (x - running_mean) * inv_std
        new_running_mean = running_mean.copy()
        new_running_var = running_var.copy()
    out = gamma * x_hat + beta
    return out, new_running_mean, new_running_var, BatchNormCache(x_hat, inv_std, gamma, training)


def batchnorm_backward(
    dout: npt.ArrayLike, cache: BatchNormCache
) -> tuple[FloatArray, FloatArray, FloatArray]:
    r"""Gradients of :func:`batchnorm_forward` (Ioffe & Szegedy, 2015, §3, simplified).

    With g = dout (N, D) and the forward's x̂ and 1/√(σ² + ε):

        dβ = Σ_n g_n
        dγ = Σ_n g_n ⊙ x̂_n
        dx = (γ / (N √(σ² + ε))) ⊙ (N g − dβ − x̂ ⊙ dγ)     (training: μ, σ² depend on x)
        dx = γ g / √(running_var + ε)                      (evaluation: constants)

    Args:
        dout: upstream gradient ∂Loss/∂out, shape (N, D).
        cache: the cache returned by :func:`batchnorm_forward`.

    Returns:
        ``(dx, dgamma, dbeta)`` of shapes (N, D), (D,), (D,).

    Example:
        >>> _, _, _, cache = batchnorm_forward(
        ...     np.array([[1.0], [3.0]]), np.ones(1), np.zeros(1), np.zeros(1), np.ones(1))
        >>> dx, dgamma, dbeta = batchnorm_backward(np.ones((2, 1)), cache)
        >>> dx.tolist(), dbeta.tolist()
        ([[0.0], [0.0]], [2.0])
    """
    dout = _f64(dout)
    x_hat, inv_std, gamma, training = cache
    n = dout.shape[0]
    dbeta = dout.sum(axis=0)
    dgamma = (dout * x_hat).sum(axis=0)
    if training:
        dx = (gamma * inv_std / n) * (n * dout - dbeta - x_hat * dgamma)
    else:
        dx = gamma * inv_std * dout
    return dx, dgamma, dbeta


def layernorm_forward(
    x: npt.ArrayLike, gamma: npt.ArrayLike, beta: npt.ArrayLike, eps: float = 1e-5
) -> tuple[FloatArray, LayerNormCache]:
    r"""Layer normalisation over the last axis (Ba, J. L., Kiros, J. R. & Hinton, G. E.
    (2016), "Layer Normalization"), as ``torch.nn.LayerNorm(D)``.

    For each sample (every index of the leading axes), over its D features:

        μ   = (1/D) Σ_d x_d
        σ²  = (1/D) Σ_d (x_d − μ)²                (biased)
        x̂   = (x − μ) / √(σ² + ε)
        out = γ x̂ + β

    The statistics never mix samples, so training and evaluation are the same and a
    batch of one works.

    Args:
        x: shape (..., D), any number of leading axes (including none).
        gamma, beta: scale and shift, shape (D,).
        eps: ε, added to the variance inside the square root (1e-5).

    Returns:
        ``(out, cache)``, ``out`` of ``x``'s shape.

    Example:
        >>> out, _ = layernorm_forward(np.array([[1.0, 3.0]]), np.ones(2), np.zeros(2))
        >>> out.round(4).tolist()
        [[-1.0, 1.0]]
    """
    x = _f64(x)
    gamma = _f64(gamma)
    beta = _f64(beta)
    mu = x.mean(axis=-1, keepdims=True)
    xc = x - mu
    var = (xc * xc).mean(axis=-1, keepdims=True)  # biased: divides by D
    inv_std = 1.0 / np.sqrt(var + eps)
    x_hat = xc * inv_std
    out = gamma * x_hat + beta
    return out, LayerNormCache(x_hat, inv_std, gamma)


def layernorm_backward(
    dout: npt.ArrayLike, cache: LayerNormCache
) -> tuple[FloatArray, FloatArray, FloatArray]:
    r"""Gradients of :func:`layernorm_forward` (Ba, Kiros & Hinton, 2016).

    With g = dout ⊙ γ and sums over the D features of each sample:

        dx = (1 / (D √(σ² + ε))) ⊙ (D g − Σ_d g − x̂ ⊙ Σ_d (g ⊙ x̂))
        dγ = Σ_{leading axes} dout ⊙ x̂
        dβ = Σ_{leading axes} dout

    Args:
        dout: upstream gradient ∂Loss/∂out, shape (..., D).
        cache: the cache returned by :func:`layernorm_forward`.

    Returns:
        ``(dx, dgamma, dbeta)`` of shapes (..., D), (D,), (D,).

    Example:
        >>> _, cache = layernorm_forward(np.array([[1.0, 3.0]]), np.ones(2), np.zeros(2))
        >>> dx, dgamma, dbeta = layernorm_backward(np.ones((1, 2)), cache)
        >>> dx.round(12).tolist(), dbeta.tolist()
        ([[0.0, 0.0]], [1.0, 1.0])
    """
    dout = _f64(dout)
    x_hat, inv_std, gamma = cache
    d = dout.shape[-1]
    g = dout * gamma
    sum_g = g.sum(axis=-1, keepdims=True)
    sum_g_xhat = (g * x_hat).sum(axis=-1, keepdims=True)
    dx = (inv_std / d) * (d * g - sum_g - x_hat * sum_g_xhat)
    dgamma = (dout * x_hat).reshape(-1, d).sum(axis=0)
    dbeta = dout.reshape(-1, d).sum(axis=0)
    return dx, dgamma, dbeta


def rmsnorm_forward(
    x: npt.ArrayLike, gamma: npt.ArrayLike, eps: float | None = None
) -> tuple[FloatArray, RMSNormCache]:
    r"""Root-mean-square normalisation over the last axis (Zhang, B. & Sennrich, R.
    (2019), "Root Mean Square Layer Normalization"), as ``torch.nn.RMSNorm(D)``.

        rms = √((1/D) Σ_d x_d² + ε)
        out = γ ⊙ x / rms

    No mean is subtracted and there is no shift.

    Args:
        x: shape (..., D).
        gamma: scale, shape (D,).
        eps: ε inside the root; ``None`` (PyTorch's default) means the float64 machine
            epsilon 2.22e-16.

    Returns:
        ``(out, cache)``, ``out`` of ``x``'s shape.

    Example:
        >>> out, _ = rmsnorm_forward(np.array([3.0, 4.0]), np.ones(2), eps=0.0)
        >>> (out * np.sqrt(12.5)).round(12).tolist()
        [3.0, 4.0]
    """
    x = _f64(x)
    gamma = _f64(gamma)
    if eps is None:
        eps = float(np.finfo(np.float64).eps)
    mean_square = (x * x).mean(axis=-1, keepdims=True)
    inv_rms = 1.0 / np.sqrt(mean_square + eps)
    out = gamma * (x * inv_rms)
    return out, RMSNormCache(x.copy(), inv_rms, gamma)


def rmsnorm_backward(dout: npt.ArrayLike, cache: RMSNormCache) -> tuple[FloatArray, FloatArray]:
    r"""Gradients of :func:`rmsnorm_forward` (Zhang & Sennrich, 2019).

    With g = dout ⊙ γ and r = 1/rms per sample:

        dx = r g − r³ x ⊙ (1/D) Σ_d (g ⊙ x)
        dγ = Σ_{leading axes} dout ⊙ x r

    Args:
        dout: upstream gradient ∂Loss/∂out, shape (..., D).
        cache: the cache returned by :func:`rmsnorm_forward`.

    Returns:
        ``(dx, dgamma)`` of shapes (..., D) and (D,).

    Example:
        >>> _, cache = rmsnorm_forward(np.array([3.0, 4.0]), np.ones(2), eps=0.0)
        >>> dx, dgamma = rmsnorm_backward(np.array([4.0, -3.0]), cache)
        >>> (dx * np.sqrt(12.5)).round(12).tolist()
        [4.0, -3.0]
    """
    dout = _f64(dout)
    x, inv_rms, gamma = cache
    d = dout.shape[-1]
    g = dout * gamma
    mean_gx = (g * x).mean(axis=-1, keepdims=True)
    dx = inv_rms * g - inv_rms**3 * x * mean_gx
    dgamma = (dout * x * inv_rms).reshape(-1, d).sum(axis=0)
    return dx, dgamma
