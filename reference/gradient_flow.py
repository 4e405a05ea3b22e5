"""Reference forward/backward statistics of a deep bias-free MLP, in NumPy (float64).

Self-contained on purpose: the grader submits this file's source as a student's
``gradient_flow.py``, so it imports only ``numpy`` and carries its own private
activation helpers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

_ACTIVATIONS = ("sigmoid", "tanh", "relu")


def _sigmoid(z: FloatArray) -> FloatArray:
    e = np.exp(-np.abs(z))  # stable two-branch form: no overflow for any finite z
    return np.asarray(np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e)), dtype=np.float64)


def _tanh(z: FloatArray) -> FloatArray:
    return np.asarray(np.tanh(z), dtype=np.float64)


def _relu(z: FloatArray) -> FloatArray:
    return np.asarray(np.where(z > 0, z, 0.0), dtype=np.float64)


# Each derivative is written in terms of the layer's input z and output h = act(z).
def _sigmoid_grad(z: FloatArray, h: FloatArray) -> FloatArray:
    return h * (1.0 - h)


def _tanh_grad(z: FloatArray, h: FloatArray) -> FloatArray:
    return 1.0 - h * h


def _relu_grad(z: FloatArray, h: FloatArray) -> FloatArray:
    return np.asarray(np.where(z > 0, 1.0, 0.0), dtype=np.float64)  # 0 at the kink


_FORWARD: dict[str, Callable[[FloatArray], FloatArray]] = {
    "sigmoid": _sigmoid,
    "tanh": _tanh,
    "relu": _relu,
}
_BACKWARD: dict[str, Callable[[FloatArray, FloatArray], FloatArray]] = {
    "sigmoid": _sigmoid_grad,
    "tanh": _tanh_grad,
    "relu": _relu_grad,
}


def layer_statistics(
    x: npt.ArrayLike, weights: Sequence[npt.ArrayLike], activation: str
) -> tuple[list[float], list[float]]:
    r"""Per-layer activation spread and weight-gradient size of a bias-free MLP.

    The experiment of Glorot & Bengio (2010, "Understanding the difficulty of training
    deep feedforward neural networks", §4): watch activations and gradients shrink or
    grow with depth under a given initialisation. With N = x.shape[0] and L layers:

        h_0     = x
        z_{i+1} = h_i W_i,   h_{i+1} = act(z_{i+1})            i = 0 … L−1
        Loss    = ½ Σ h_L² / N

    and the hand-written backward pass (no autograd):

        ∂Loss/∂h_L = h_L / N
        δ_{i+1}    = ∂Loss/∂h_{i+1} ⊙ act'(z_{i+1})
        ∂Loss/∂W_i = h_iᵀ δ_{i+1}
        ∂Loss/∂h_i = δ_{i+1} W_iᵀ

    Args:
        x: the input batch, shape (N, D_0).
        weights: L arrays, ``weights[i]`` of shape (D_i, D_{i+1}).
        activation: ``"sigmoid"``, ``"tanh"`` or ``"relu"``.

    Returns:
        ``(activation_stds, grad_norms)``: two lists of L floats, the population
        standard deviation (ddof=0) of all entries of h_{i+1}, and the Frobenius norm
        ‖∂Loss/∂W_i‖_F.

    Raises:
        ValueError: for an unknown ``activation``.

    Example:
        >>> stds, norms = layer_statistics(np.ones((2, 1)), [np.full((1, 1), 2.0)], "relu")
        >>> stds, norms
        ([0.0], [2.0])
    """
    if activation not in _FORWARD:
        raise ValueError(
            f"activation {activation!r} not supported, use one of {list(_ACTIVATIONS)}"
        )
    act = _FORWARD[activation]
    act_grad = _BACKWARD[activation]
    h = np.asarray(x, dtype=np.float64)
    ws = [np.asarray(w, dtype=np.float64) for w in weights]
    n = h.shape[0]

    # Forward, keeping every layer's input h_i and pre-activation z_{i+1}.
    hs = [h]
    zs = []
    for w in ws:
        z = hs[-1] @ w
        zs.append(z)
        hs.append(act(z))
    activation_stds = [float(np.std(h_next)) for h_next in hs[1:]]

    # Backward from Loss = ½ Σ h_L² / N.
    grad_norms = [0.0] * len(ws)
    dh = hs[-1] / n
    for i in reversed(range(len(ws))):
        delta = dh * act_grad(zs[i], hs[i + 1])
        dw = hs[i].T @ delta
        grad_norms[i] = float(np.linalg.norm(dw))  # Frobenius norm
        dh = delta @ ws[i].T
    return activation_stds, grad_norms
