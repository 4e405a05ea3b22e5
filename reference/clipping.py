"""Reference gradient clipping, in NumPy (float64), after ``torch/nn/utils/clip_grad.py``.

Self-contained on purpose: the grader submits this file's source as a student's
``clipping.py``, so it imports only ``math`` and ``numpy``. Inputs are never modified:
every function returns new arrays.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

# Added to the total norm before dividing, as torch.nn.utils.clip_grad_norm_ does.
_CLIP_EPS = 1e-6


def _vector_norm(g: FloatArray, norm_type: float) -> float:
    """‖g‖_p of all entries of ``g``; ``inf`` gives max|g|.

    Computed as m·(Σ (|g|/m)^p)^{1/p} with m = max|g|, so |g|^p never overflows or
    underflows to 0; a NaN or inf entry makes the norm NaN or inf, as in PyTorch.
    """
    a = np.abs(g).ravel()
    if a.size == 0:
        return 0.0
    m = float(np.max(a))
    if norm_type == math.inf or m == 0.0 or not math.isfinite(m):
        return m
    scaled_sum = float(np.sum((a / m) ** norm_type))
    return m * float(scaled_sum ** (1.0 / norm_type))


def clip_grad_norm(
    grads: Sequence[npt.ArrayLike], max_norm: float, norm_type: float = 2.0
) -> tuple[list[FloatArray], float]:
    r"""Rescale gradients so that their joint p-norm is at most ``max_norm``
    (Pascanu, Mikolov & Bengio (2013), "On the difficulty of training recurrent neural
    networks", Algorithm 1).

        total = ‖(‖g_1‖_p, …, ‖g_k‖_p)‖_p     (= the p-norm of all entries together;
                                               p = inf: the largest |entry|)
        c     = max_norm / (total + 1e-6)
        g_i  ← c · g_i   if c < 1, else unchanged

    Only the length of the update changes, never its direction, and gradients are never
    scaled up. As ``torch.nn.utils.clip_grad_norm_`` (which clamps c to 1, the same
    thing), except that new arrays are returned instead of clipping in place.

    Args:
        grads: the gradients, arrays of any shapes.
        max_norm: the largest allowed total norm.
        norm_type: p > 0, or ``math.inf`` (default 2.0).

    Returns:
        ``(clipped, total)``: new float64 arrays, and the total norm *before* clipping
        as a float (0.0 for an empty list).

    Raises:
        ValueError: if ``norm_type`` is not positive.

    Example:
        >>> clipped, total = clip_grad_norm([np.array([3.0, 4.0])], max_norm=1.0)
        >>> total, [round(float(v), 6) for v in clipped[0]]
        (5.0, [0.6, 0.8])
    """
    p = float(norm_type)
    if not p > 0:
        raise ValueError(f"norm_type must be positive or inf, got {norm_type!r}")
    arrays = [np.asarray(g, dtype=np.float64) for g in grads]
    if not arrays:
        return [], 0.0
    norms = np.array([_vector_norm(g, p) for g in arrays], dtype=np.float64)
    total = _vector_norm(norms, p)
    clip_coef = max_norm / (total + _CLIP_EPS)
    if clip_coef < 1.0 or math.isnan(clip_coef):  # NaN propagates, as in PyTorch
        with np.errstate(invalid="ignore"):  # inf·0 = NaN for an infinite gradient
            return [np.asarray(g * clip_coef, dtype=np.float64) for g in arrays], total
    return [g.copy() for g in arrays], total


def clip_grad_value(grads: Sequence[npt.ArrayLike], clip_value: float) -> list[FloatArray]:
    r"""Clip every gradient entry to [−v, v] (Mikolov, T. (2012), PhD thesis, as cited by
    Pascanu et al. (2013)):

        g ← min(max(g, −v), v)

    Unlike norm clipping this can change the update's direction. As
    ``torch.nn.utils.clip_grad_value_``, except that new arrays are returned.

    Args:
        grads: the gradients, arrays of any shapes.
        clip_value: v ≥ 0.

    Returns:
        New float64 arrays of the same shapes.

    Example:
        >>> clip_grad_value([np.array([-3.0, 0.5, 2.0])], 1.0)[0].tolist()
        [-1.0, 0.5, 1.0]
    """
    v = float(clip_value)
    return [np.asarray(np.clip(np.asarray(g, dtype=np.float64), -v, v)) for g in grads]
