"""Reference weight initialisers, in NumPy (float64), after ``torch/nn/init.py``.

Self-contained on purpose: the grader submits this file's source as a student's
``initializers.py``, so it imports only ``math`` and ``numpy``.

Weight shapes follow PyTorch's layout ``(out_features, in_features, *kernel)``, so
``fan_in = in·∏kernel`` and ``fan_out = out·∏kernel``. Every random number comes from
``rng`` (a ``numpy.random.Generator``; ``None`` means a fresh ``default_rng()``), so the
same seed gives the same array.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
Shape = Sequence[int] | int

_LINEAR_FNS = (
    "linear",
    "conv1d",
    "conv2d",
    "conv3d",
    "conv_transpose1d",
    "conv_transpose2d",
    "conv_transpose3d",
)
_VALID_MODES = ("fan_in", "fan_out")


def _dims(shape: Shape) -> tuple[int, ...]:
    """``shape`` as a tuple of Python ints (an int is a 1-d shape)."""
    if isinstance(shape, int | np.integer):
        return (int(shape),)
    return tuple(int(s) for s in shape)


def _generator(rng: np.random.Generator | None) -> np.random.Generator:
    return np.random.default_rng() if rng is None else rng


def _fan(shape: tuple[int, ...], mode: str) -> int:
    """The fan selected by ``mode`` ("fan_in" or "fan_out", case-insensitive)."""
    mode_l = mode.lower() if isinstance(mode, str) else mode
    if mode_l not in _VALID_MODES:
        raise ValueError(f"mode {mode!r} not supported, use one of {list(_VALID_MODES)}")
    fan_in, fan_out = fan_in_and_fan_out(shape)
    return fan_in if mode_l == "fan_in" else fan_out


def fan_in_and_fan_out(shape: Shape) -> tuple[int, int]:
    r"""Fan-in and fan-out of a weight of PyTorch layout ``(out, in, *kernel)``.

        receptive = ∏ kernel   (1 for a linear layer)
        fan_in    = in  · receptive
        fan_out   = out · receptive

    As ``torch.nn.init._calculate_fan_in_and_fan_out``. These are the n_in and n_out of
    Glorot & Bengio (2010) and the n_l of He et al. (2015) for convolutions (k²c).

    Args:
        shape: the weight's shape, at least 2 dimensions.

    Returns:
        ``(fan_in, fan_out)`` as Python ints.

    Raises:
        ValueError: if ``shape`` has fewer than 2 dimensions.

    Example:
        >>> fan_in_and_fan_out((16, 3, 5, 5))
        (75, 400)
    """
    dims = _dims(shape)
    if len(dims) < 2:
        raise ValueError(
            "Fan in and fan out can not be computed for a shape with fewer than "
            f"2 dimensions, got {dims}"
        )
    num_output_fmaps = dims[0]
    num_input_fmaps = dims[1]
    receptive_field_size = 1
    for s in dims[2:]:
        receptive_field_size *= s
    fan_in = num_input_fmaps * receptive_field_size
    fan_out = num_output_fmaps * receptive_field_size
    return fan_in, fan_out


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    r"""Recommended gain for a nonlinearity, as ``torch.nn.init.calculate_gain``.

    ================= ======================================
    nonlinearity      gain
    ================= ======================================
    linear, conv*d,   1
    conv_transpose*d,
    sigmoid
    tanh              5/3
    relu              √2
    leaky_relu        √(2 / (1 + s²)), s = param or 0.01
    selu              3/4 (empirical, PyTorch PR #50664)
    ================= ======================================

    The ReLU value √2 is He et al. (2015)'s factor 2 in Var(w) = 2/fan_in; the
    leaky-ReLU form is their eq. (15) with negative slope s.

    Args:
        nonlinearity: the function's ``torch.nn.functional`` name.
        param: the negative slope for ``"leaky_relu"`` (an int or float, not a bool).

    Returns:
        The gain as a float.

    Raises:
        ValueError: for an unknown nonlinearity or a non-numeric (or bool) slope.

    Example:
        >>> calculate_gain("tanh")
        1.6666666666666667
    """
    if nonlinearity in _LINEAR_FNS or nonlinearity == "sigmoid":
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        if param is None:
            negative_slope = 0.01
        elif isinstance(param, int | float) and not isinstance(param, bool):
            negative_slope = param  # bool is an int subclass, hence the check
        else:
            raise ValueError(f"negative_slope {param!r} not a valid number")
        return math.sqrt(2.0 / (1 + negative_slope**2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(
        f"Unsupported nonlinearity {nonlinearity!r}, use one of "
        f"{[*_LINEAR_FNS, 'sigmoid', 'tanh', 'relu', 'leaky_relu', 'selu']}"
    )


def xavier_uniform(
    shape: Shape, gain: float = 1.0, rng: np.random.Generator | None = None
) -> FloatArray:
    r"""Xavier/Glorot uniform initialisation (Glorot, X. & Bengio, Y. (2010),
    "Understanding the difficulty of training deep feedforward neural networks").

        std = gain · √(2 / (fan_in + fan_out))
        a   = √3 · std = gain · √(6 / (fan_in + fan_out))
        W ~ U(−a, a)

    Averaging fan_in and fan_out keeps the activation variance (forward) and the
    gradient variance (backward) roughly constant across layers.

    Args:
        shape: the weight's shape ``(out, in, *kernel)``.
        gain: scaling factor, e.g. ``calculate_gain("tanh")``.
        rng: the generator to draw from (``None``: a fresh ``default_rng()``).

    Returns:
        A new float64 array of ``shape``.

    Example:
        >>> w = xavier_uniform((20, 10), rng=np.random.default_rng(0))
        >>> bool(np.abs(w).max() <= math.sqrt(6 / 30))
        True
    """
    dims = _dims(shape)
    fan_in, fan_out = fan_in_and_fan_out(dims)
    if 0 in dims:
        return np.zeros(dims, dtype=np.float64)  # nothing to draw (torch: a no-op)
    std = gain * math.sqrt(2.0 / float(fan_in + fan_out))
    a = math.sqrt(3.0) * std  # uniform bound from the standard deviation
    return _generator(rng).uniform(-a, a, size=dims)


def xavier_normal(
    shape: Shape, gain: float = 1.0, rng: np.random.Generator | None = None
) -> FloatArray:
    r"""Xavier/Glorot normal initialisation (Glorot, X. & Bengio, Y. (2010)).

        std = gain · √(2 / (fan_in + fan_out))
        W ~ N(0, std²)

    Args:
        shape: the weight's shape ``(out, in, *kernel)``.
        gain: scaling factor.
        rng: the generator to draw from (``None``: a fresh ``default_rng()``).

    Returns:
        A new float64 array of ``shape``.

    Example:
        >>> xavier_normal((3, 2), rng=np.random.default_rng(0)).shape
        (3, 2)
    """
    dims = _dims(shape)
    fan_in, fan_out = fan_in_and_fan_out(dims)
    if 0 in dims:
        return np.zeros(dims, dtype=np.float64)  # nothing to draw (torch: a no-op)
    std = gain * math.sqrt(2.0 / float(fan_in + fan_out))
    return _generator(rng).normal(0.0, std, size=dims)


def he_uniform(
    shape: Shape, mode: str = "fan_in", rng: np.random.Generator | None = None
) -> FloatArray:
    r"""He/Kaiming uniform initialisation for ReLU layers (He, K., Zhang, X., Ren, S. &
    Sun, J. (2015), "Delving deep into rectifiers: Surpassing human-level performance on
    ImageNet classification").

        gain  = √2                          (ReLU)
        std   = gain / √fan,  fan = fan_in or fan_out by ``mode``
        bound = √3 · std = √(6 / fan)
        W ~ U(−bound, bound)

    ReLU zeroes half of its input, halving the second moment; the factor 2 restores it.
    ``mode="fan_in"`` preserves the forward variance, ``"fan_out"`` the backward one.
    As ``torch.nn.init.kaiming_uniform_`` with its defaults (a=0, leaky_relu).

    Args:
        shape: the weight's shape ``(out, in, *kernel)``.
        mode: ``"fan_in"`` (default) or ``"fan_out"``.
        rng: the generator to draw from (``None``: a fresh ``default_rng()``).

    Returns:
        A new float64 array of ``shape``.

    Raises:
        ValueError: for another ``mode``.

    Example:
        >>> w = he_uniform((64, 16, 3, 3), mode="fan_out", rng=np.random.default_rng(0))
        >>> bool(np.abs(w).max() <= math.sqrt(6 / (64 * 9)))
        True
    """
    dims = _dims(shape)
    fan = _fan(dims, mode)
    if 0 in dims:
        return np.zeros(dims, dtype=np.float64)  # nothing to draw (torch: a no-op)
    gain = math.sqrt(2.0)
    std = gain / math.sqrt(fan)
    bound = math.sqrt(3.0) * std  # uniform bound from the standard deviation
    return _generator(rng).uniform(-bound, bound, size=dims)


def he_normal(
    shape: Shape, mode: str = "fan_in", rng: np.random.Generator | None = None
) -> FloatArray:
    r"""He/Kaiming normal initialisation for ReLU layers (He, K. et al. (2015)).

        std = √2 / √fan = √(2 / fan),  fan = fan_in or fan_out by ``mode``
        W ~ N(0, std²)

    As ``torch.nn.init.kaiming_normal_`` with its defaults (a=0, leaky_relu).

    Args:
        shape: the weight's shape ``(out, in, *kernel)``.
        mode: ``"fan_in"`` (default) or ``"fan_out"``.
        rng: the generator to draw from (``None``: a fresh ``default_rng()``).

    Returns:
        A new float64 array of ``shape``.

    Raises:
        ValueError: for another ``mode``.

    Example:
        >>> he_normal((128, 512), rng=np.random.default_rng(0)).shape
        (128, 512)
    """
    dims = _dims(shape)
    fan = _fan(dims, mode)
    if 0 in dims:
        return np.zeros(dims, dtype=np.float64)  # nothing to draw (torch: a no-op)
    gain = math.sqrt(2.0)
    std = gain / math.sqrt(fan)
    return _generator(rng).normal(0.0, std, size=dims)


def lecun_normal(shape: Shape, rng: np.random.Generator | None = None) -> FloatArray:
    r"""LeCun normal initialisation (LeCun, Bottou, Orr & Müller (1998), "Efficient
    BackProp"; the initialisation Klambauer et al. (2017) prescribe for SELU).

        std = 1 / √fan_in
        W ~ N(0, std²)

    Equals ``torch.nn.init.kaiming_normal_(w, nonlinearity="linear")``. (Keras's
    ``LecunNormal`` truncates the normal; this one does not.)

    Args:
        shape: the weight's shape ``(out, in, *kernel)``.
        rng: the generator to draw from (``None``: a fresh ``default_rng()``).

    Returns:
        A new float64 array of ``shape``.

    Example:
        >>> lecun_normal((4, 9), rng=np.random.default_rng(0)).shape
        (4, 9)
    """
    dims = _dims(shape)
    fan_in, _ = fan_in_and_fan_out(dims)
    if 0 in dims:
        return np.zeros(dims, dtype=np.float64)  # nothing to draw (torch: a no-op)
    std = 1.0 / math.sqrt(fan_in)
    return _generator(rng).normal(0.0, std, size=dims)


def orthogonal(
    shape: Shape, gain: float = 1.0, rng: np.random.Generator | None = None
) -> FloatArray:
    r"""(Semi-)orthogonal initialisation (Saxe, McClelland & Ganguli (2013), "Exact
    solutions to the nonlinear dynamics of learning in deep linear neural networks").

    As ``torch.nn.init.orthogonal_``: flatten to (rows, cols) = (shape[0], numel/rows),
    draw A ~ N(0, 1)^{rows×cols} (transposed when rows < cols), take A = QR, fix the
    signs Q ← Q·diag(sign(diag R)) so Q is Haar-distributed, transpose back, and scale:

        W = gain · Q,   with W Wᵀ = gain²·I (rows ≤ cols) or WᵀW = gain²·I (rows ≥ cols)

    Args:
        shape: at least 2 dimensions; trailing dimensions are flattened.
        gain: scaling factor.
        rng: the generator to draw from (``None``: a fresh ``default_rng()``).

    Returns:
        A new float64 array of ``shape``.

    Raises:
        ValueError: for fewer than 2 dimensions.

    Example:
        >>> w = orthogonal((3, 5), rng=np.random.default_rng(0))
        >>> bool(np.allclose(w @ w.T, np.eye(3)))
        True
    """
    dims = _dims(shape)
    if len(dims) < 2:
        raise ValueError(f"Only shapes with 2 or more dimensions are supported, got {dims}")
    if 0 in dims:
        return np.zeros(dims, dtype=np.float64)  # nothing to draw (torch: a no-op)
    rows = dims[0]
    cols = math.prod(dims) // rows
    flattened = _generator(rng).normal(0.0, 1.0, size=(rows, cols))
    if rows < cols:
        flattened = flattened.T
    q, r = np.linalg.qr(flattened)
    q = q * np.sign(np.diag(r))  # makes the decomposition unique (Haar measure)
    if rows < cols:
        q = q.T
    return np.asarray(gain * q.reshape(dims), dtype=np.float64)
