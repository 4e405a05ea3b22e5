"""Reference activations and their derivatives, in NumPy (float64).

This file is self-contained on purpose: the grader submits its source text as a
student's ``activations.py`` (a correct solution must earn full marks), so it imports
only ``numpy``, ``math`` and ``scipy.special.erf``, never another ``reference`` module.

Every function takes an array-like ``x``, returns a new ``float64`` array of the same
shape (0-d and empty included), never modifies its input and emits no NumPy
overflow/invalid/divide warning for any finite input: each exponential is evaluated
only where it cannot overflow.

Conventions at the kinks follow PyTorch's autograd: ``relu_grad(0) = 0``,
``leaky_relu_grad(0) = negative_slope``, ``elu_grad(0) = alpha`` (the left branch),
``selu_grad(0) = scale * alpha``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy.special import erf

FloatArray = npt.NDArray[np.float64]

# Klambauer et al. (2017), eq. (14): the fixed-point constants of SELU, to the digits
# PyTorch uses (torch/nn/modules/activation.py, aten Activation.cpp).
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946

_SQRT1_2 = 1.0 / math.sqrt(2.0)  # 1/√2, so Φ(x) = ½(1 + erf(x/√2))
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)  # normalising constant of φ
# exp(-x²/2) is below the smallest subnormal for |x| > 38.6; beyond this x·φ(x) is 0
# in float64, and clamping keeps x² from overflowing for |x| > 1.3e154.
_GELU_PDF_CUTOFF = 40.0


def _f64(a: Any) -> FloatArray:
    """``a`` as a float64 ndarray (0-d results of ufuncs come back as scalars)."""
    return np.asarray(a, dtype=np.float64)


def _stable_sigmoid(x: FloatArray) -> FloatArray:
    """σ(x) without overflow: with z = e^{-|x|} ∈ (0, 1],
    σ(x) = 1/(1+z) for x ≥ 0 and z/(1+z) for x < 0."""
    z = np.exp(-np.abs(x))  # never overflows; underflows quietly to 0
    return _f64(np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z)))


def sigmoid(x: npt.ArrayLike) -> FloatArray:
    r"""Logistic sigmoid, σ(x) = 1 / (1 + e^{-x}).

    Evaluated in the numerically stable two-branch form, with z = e^{-|x|}:

        σ(x) = 1 / (1 + z)   for x ≥ 0
        σ(x) = z / (1 + z)   for x < 0

    so e^{-x} is never formed for large negative x (it would overflow at x < -709.78).
    The saturation of σ is the classic cause of vanishing gradients (Glorot & Bengio,
    2010, "Understanding the difficulty of training deep feedforward neural networks").

    Args:
        x: any array-like of real numbers.

    Returns:
        A new float64 array of ``x``'s shape, values in [0, 1].

    Example:
        >>> sigmoid([0.0, -1000.0, 1000.0]).tolist()
        [0.5, 0.0, 1.0]
    """
    x = _f64(x)
    return _stable_sigmoid(x)


def sigmoid_grad(x: npt.ArrayLike) -> FloatArray:
    r"""Derivative of the sigmoid, σ'(x) = σ(x)(1 − σ(x)).

    Since 1 − σ(x) = σ(−x), this equals σ(x)σ(−x) = z / (1 + z)² with z = e^{-|x|},
    which keeps full relative accuracy where 1 − σ(x) would round to 0 (x > 37).
    Its maximum is 1/4 at x = 0, so a chain of L sigmoid layers scales gradients by at
    most 4^{-L} (Glorot & Bengio, 2010).

    Args:
        x: any array-like of real numbers (the pre-activation, not σ(x)).

    Returns:
        A new float64 array of ``x``'s shape, values in [0, 1/4].

    Example:
        >>> sigmoid_grad([0.0, 1000.0]).tolist()
        [0.25, 0.0]
    """
    x = _f64(x)
    z = np.exp(-np.abs(x))  # σ(x)σ(−x) is even in x
    return _f64(z / ((1.0 + z) * (1.0 + z)))


def tanh(x: npt.ArrayLike) -> FloatArray:
    r"""Hyperbolic tangent, tanh(x) = (e^{x} − e^{-x}) / (e^{x} + e^{-x}) = 2σ(2x) − 1.

    NumPy's ``tanh`` is already stable for every finite x (it saturates to ±1 without
    overflow). Zero-centred, unlike σ, which LeCun et al. (1998, "Efficient BackProp")
    recommend; it still saturates (Glorot & Bengio, 2010).

    Args:
        x: any array-like of real numbers.

    Returns:
        A new float64 array of ``x``'s shape, values in [−1, 1].

    Example:
        >>> tanh([0.0, 1e4]).tolist()
        [0.0, 1.0]
    """
    x = _f64(x)
    return _f64(np.tanh(x))


def tanh_grad(x: npt.ArrayLike) -> FloatArray:
    r"""Derivative of tanh, tanh'(x) = 1 − tanh²(x) = sech²(x); it is at most 1 and
    decays like 4e^{-2|x|}, the saturation Glorot & Bengio (2010) observed in deep tanh nets.

    Evaluated as sech²(x) = 4z / (1 + z)² with z = e^{-2|x|}, which neither overflows
    (cosh would, at |x| > 710) nor cancels to 0 where tanh(x) rounds to ±1 (|x| > 19).

    Args:
        x: any array-like of real numbers (the pre-activation).

    Returns:
        A new float64 array of ``x``'s shape, values in [0, 1].

    Example:
        >>> tanh_grad([0.0, -1e4]).tolist()
        [1.0, 0.0]
    """
    x = _f64(x)
    # e^{-800} is already 0 in float64; the clamp keeps 2|x| from overflowing.
    z = np.exp(-2.0 * np.minimum(np.abs(x), 400.0))
    return _f64(4.0 * z / ((1.0 + z) * (1.0 + z)))


def relu(x: npt.ArrayLike) -> FloatArray:
    r"""Rectified linear unit, relu(x) = max(x, 0).

    Its derivative is 1 on the positive side, so it does not shrink back-propagated
    gradients the way saturating units do (Nair & Hinton, 2010; Glorot, Bordes &
    Bengio, 2011); He et al. (2015) derive the matching initialisation.

    Args:
        x: any array-like of real numbers.

    Returns:
        A new float64 array of ``x``'s shape.

    Example:
        >>> relu([-2.0, 0.0, 3.0]).tolist()
        [0.0, 0.0, 3.0]
    """
    x = _f64(x)
    return _f64(np.where(x > 0, x, 0.0))


def relu_grad(x: npt.ArrayLike) -> FloatArray:
    r"""Derivative of relu: 1 for x > 0 and 0 for x ≤ 0.

    At the kink x = 0 any value in [0, 1] is a valid subgradient; like PyTorch's
    autograd (``threshold_backward``) we return 0. A unit with x < 0 for every input
    passes no gradient at all (the "dying ReLU" of Maas, Hannun & Ng, 2013).

    Args:
        x: any array-like of real numbers (the pre-activation).

    Returns:
        A new float64 array of ``x``'s shape with values in {0, 1}.

    Example:
        >>> relu_grad([-2.0, 0.0, 3.0]).tolist()
        [0.0, 0.0, 1.0]
    """
    x = _f64(x)
    return _f64(np.where(x > 0, 1.0, 0.0))


def leaky_relu(x: npt.ArrayLike, negative_slope: float = 0.01) -> FloatArray:
    r"""Leaky ReLU: x for x > 0, negative_slope·x otherwise (Maas, Hannun & Ng, 2013).

    The small negative slope keeps a non-zero gradient for negative inputs ("dying
    ReLU"); He et al. (2015) give its gain √(2 / (1 + slope²)).

    Args:
        x: any array-like of real numbers.
        negative_slope: the slope s for x ≤ 0 (PyTorch's default 0.01).

    Returns:
        A new float64 array of ``x``'s shape.

    Example:
        >>> leaky_relu([-2.0, 3.0], negative_slope=0.5).tolist()
        [-1.0, 3.0]
    """
    x = _f64(x)
    with np.errstate(over="ignore"):  # |s·x| > 1.8e308 (s > 1) rounds to inf: correct
        negative_part = negative_slope * np.minimum(x, 0.0)
    return _f64(np.where(x > 0, x, negative_part))


def leaky_relu_grad(x: npt.ArrayLike, negative_slope: float = 0.01) -> FloatArray:
    r"""Derivative of leaky ReLU (Maas, Hannun & Ng, 2013): 1 for x > 0,
    negative_slope for x ≤ 0.

    At x = 0 we return the slope, as PyTorch's ``leaky_relu_backward`` does.

    Args:
        x: any array-like of real numbers (the pre-activation).
        negative_slope: the slope s for x ≤ 0.

    Returns:
        A new float64 array of ``x``'s shape.

    Example:
        >>> leaky_relu_grad([-2.0, 0.0, 3.0]).tolist()
        [0.01, 0.01, 1.0]
    """
    x = _f64(x)
    return _f64(np.where(x > 0, 1.0, negative_slope))


def elu(x: npt.ArrayLike, alpha: float = 1.0) -> FloatArray:
    r"""Exponential linear unit (Clevert, Unterthiner & Hochreiter, 2016):

        elu(x) = x                for x > 0
        elu(x) = α(e^{x} − 1)     for x ≤ 0

    e^{x} − 1 is computed with ``expm1`` (exact near 0) and only on min(x, 0), so a
    large positive x never reaches the exponential.

    Args:
        x: any array-like of real numbers.
        alpha: α, the saturation value −α for x → −∞ (default 1.0).

    Returns:
        A new float64 array of ``x``'s shape.

    Example:
        >>> elu([0.0, 2.0, -1000.0]).tolist()
        [0.0, 2.0, -1.0]
    """
    x = _f64(x)
    negative_part = alpha * np.expm1(np.minimum(x, 0.0))
    return _f64(np.where(x > 0, x, negative_part))


def elu_grad(x: npt.ArrayLike, alpha: float = 1.0) -> FloatArray:
    r"""Derivative of ELU (Clevert, Unterthiner & Hochreiter, 2016): 1 for x > 0,
    αe^{x} = elu(x) + α for x ≤ 0.

    At x = 0 we return α (the left branch), as PyTorch's ``elu_backward`` does.

    Args:
        x: any array-like of real numbers (the pre-activation).
        alpha: α as in :func:`elu`.

    Returns:
        A new float64 array of ``x``'s shape.

    Example:
        >>> elu_grad([0.0, 1.0], alpha=2.0).tolist()
        [2.0, 1.0]
    """
    x = _f64(x)
    negative_part = alpha * np.exp(np.minimum(x, 0.0))
    return _f64(np.where(x > 0, 1.0, negative_part))


def gelu(x: npt.ArrayLike) -> FloatArray:
    r"""Gaussian error linear unit, exact form (Hendrycks & Gimpel, 2016):

        gelu(x) = x·Φ(x),   Φ(x) = ½(1 + erf(x / √2))

    where Φ is the standard normal CDF. This is PyTorch's ``approximate='none'``, not
    the tanh approximation 0.5x(1 + tanh(√(2/π)(x + 0.044715x³))).

    Args:
        x: any array-like of real numbers.

    Returns:
        A new float64 array of ``x``'s shape.

    Example:
        >>> round(float(gelu(1.0)), 7)
        0.8413447
    """
    x = _f64(x)
    cdf = 0.5 * (1.0 + erf(x * _SQRT1_2))
    return _f64(x * cdf)


def gelu_grad(x: npt.ArrayLike) -> FloatArray:
    r"""Derivative of the exact GELU (Hendrycks & Gimpel, 2016):

        gelu'(x) = Φ(x) + x·φ(x),   φ(x) = e^{-x²/2} / √(2π)

    x·φ(x) is evaluated on x clamped to ±40 and set to 0 beyond (where it is below the
    smallest float64), so x² never overflows.

    Args:
        x: any array-like of real numbers (the pre-activation).

    Returns:
        A new float64 array of ``x``'s shape.

    Example:
        >>> round(float(gelu_grad(1.0)), 7)
        1.0833155
    """
    x = _f64(x)
    cdf = 0.5 * (1.0 + erf(x * _SQRT1_2))
    inside = np.abs(x) <= _GELU_PDF_CUTOFF
    xc = np.where(inside, x, 0.0)  # clamp: no x² overflow
    pdf = np.exp(-0.5 * xc * xc) * _INV_SQRT_2PI
    return _f64(cdf + np.where(inside, xc * pdf, 0.0))


def selu(x: npt.ArrayLike) -> FloatArray:
    r"""Scaled exponential linear unit (Klambauer et al., 2017, "Self-Normalizing
    Neural Networks"):

        selu(x) = λ·x              for x > 0
        selu(x) = λ·α(e^{x} − 1)   for x ≤ 0

    with α = 1.6732632423543772… and λ = 1.0507009873554804…, the constants that make
    mean 0 / variance 1 a fixed point of the layer map.

    Args:
        x: any array-like of real numbers.

    Returns:
        A new float64 array of ``x``'s shape.

    Example:
        >>> round(float(selu(1.0)), 10)
        1.0507009874
    """
    x = _f64(x)
    negative_part = SELU_SCALE * SELU_ALPHA * np.expm1(np.minimum(x, 0.0))
    with np.errstate(over="ignore"):  # λx > 1.8e308 rounds to inf: the correct result
        positive_part = SELU_SCALE * x
    return _f64(np.where(x > 0, positive_part, negative_part))


def selu_grad(x: npt.ArrayLike) -> FloatArray:
    r"""Derivative of SELU (Klambauer et al., 2017): λ for x > 0, λαe^{x} for x ≤ 0
    (λα ≈ 1.7581 at x = 0, as PyTorch's autograd returns).

    Args:
        x: any array-like of real numbers (the pre-activation).

    Returns:
        A new float64 array of ``x``'s shape.

    Example:
        >>> round(float(selu_grad(0.0)), 10)
        1.7580993408
    """
    x = _f64(x)
    negative_part = SELU_SCALE * SELU_ALPHA * np.exp(np.minimum(x, 0.0))
    return _f64(np.where(x > 0, SELU_SCALE, negative_part))


def silu(x: npt.ArrayLike) -> FloatArray:
    r"""Sigmoid linear unit ("swish"), silu(x) = x·σ(x) (Hendrycks & Gimpel, 2016;
    Elfwing et al., 2018; Ramachandran et al., 2017).

    Args:
        x: any array-like of real numbers.

    Returns:
        A new float64 array of ``x``'s shape.

    Example:
        >>> silu([0.0, -1000.0, 1000.0]).tolist()
        [0.0, -0.0, 1000.0]
    """
    x = _f64(x)
    return _f64(x * _stable_sigmoid(x))


def silu_grad(x: npt.ArrayLike) -> FloatArray:
    r"""Derivative of SiLU (Elfwing, Uchibe & Doya, 2018):
    silu'(x) = σ(x)(1 + x(1 − σ(x))) = σ(x)(1 + x·σ(−x)).

    Args:
        x: any array-like of real numbers (the pre-activation).

    Returns:
        A new float64 array of ``x``'s shape.

    Example:
        >>> silu_grad([0.0]).tolist()
        [0.5]
    """
    x = _f64(x)
    s = _stable_sigmoid(x)
    one_minus_s = _stable_sigmoid(-x)  # 1 − σ(x) without cancellation
    return _f64(s * (1.0 + x * one_minus_s))


def softplus(x: npt.ArrayLike, beta: float = 1.0, threshold: float = 20.0) -> FloatArray:
    r"""Softplus with PyTorch's β and threshold (Dugas et al., 2001):

        softplus(x) = (1/β)·log(1 + e^{βx})   if βx ≤ threshold
        softplus(x) = x                        if βx > threshold (strict, as PyTorch)

    log(1 + e^{t}) is evaluated as max(t, 0) + log1p(e^{−|t|}), which never overflows.

    Args:
        x: any array-like of real numbers.
        beta: β > 0, the sharpness (default 1.0).
        threshold: above this value of βx the function is the identity (default 20.0).

    Returns:
        A new float64 array of ``x``'s shape.

    Example:
        >>> softplus([0.0, 30.0]).tolist() == [math.log(2.0), 30.0]
        True
    """
    x = _f64(x)
    with np.errstate(over="ignore"):  # βx = ±inf only selects the linear branch
        t = x * beta
    linear = t > threshold
    t = np.where(linear, 0.0, t)
    smooth = (np.maximum(t, 0.0) + np.log1p(np.exp(-np.abs(t)))) / beta
    return _f64(np.where(linear, x, smooth))


def softplus_grad(x: npt.ArrayLike, beta: float = 1.0, threshold: float = 20.0) -> FloatArray:
    r"""Derivative of :func:`softplus` (Dugas et al., 2001):

        softplus'(x) = σ(βx) = 1 / (1 + e^{−βx})   if βx ≤ threshold
        softplus'(x) = 1                            if βx > threshold

    as PyTorch's ``softplus_backward``.

    Args:
        x: any array-like of real numbers (the pre-activation).
        beta: β as in :func:`softplus`.
        threshold: as in :func:`softplus`.

    Returns:
        A new float64 array of ``x``'s shape.

    Example:
        >>> softplus_grad([0.0, 30.0]).tolist()
        [0.5, 1.0]
    """
    x = _f64(x)
    with np.errstate(over="ignore"):  # βx = ±inf only selects a branch
        t = x * beta
    linear = t > threshold
    return _f64(np.where(linear, 1.0, _stable_sigmoid(np.where(linear, 0.0, t))))
