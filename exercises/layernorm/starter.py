"""Layer normalisation with a hand-written backward pass, in NumPy — exercise `layernorm`.

층 정규화(layer normalization)의 순전파와 역전파를 NumPy로 구현하는 과제입니다.
No `torch`. Do not modify the input arrays. / `torch`는 쓸 수 없고, 입력 배열을 수정하면 안 됩니다.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def layernorm_forward(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray,
                      eps: float = 1e-5) -> tuple[np.ndarray, Any]:
    """Returns (out, cache). x is (..., D) with any number of leading axes; γ, β are (D,).

    Each sample is normalised over its LAST axis: μ and the BIASED variance σ² over the D
    features, x̂ = (x − μ)/√(σ² + ε), out = γ·x̂ + β. A batch of one works.

    각 샘플을 마지막 축(특성 D개)으로 정규화합니다. 편향 분산을 쓰고 ε은 제곱근 안에 더합니다.
    """
    raise NotImplementedError


def layernorm_backward(dout: np.ndarray, cache: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(dx, dgamma, dbeta): dx has x's shape; dγ and dβ are (D,), summed over EVERY leading axis.

    dx는 x와 같은 모양이고, dγ와 dβ는 앞쪽의 모든 축에 대해 합한 (D,) 배열입니다.
    """
    raise NotImplementedError
