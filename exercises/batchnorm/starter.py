"""Batch normalisation with a hand-written backward pass, in NumPy — exercise `batchnorm`.

배치 정규화(batch normalization)의 순전파와 역전파를 NumPy로 구현하는 과제입니다.
No `torch`. Do not modify the input arrays. / `torch`는 쓸 수 없고, 입력 배열을 수정하면 안 됩니다.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def batchnorm_forward(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray,
                      running_mean: np.ndarray, running_var: np.ndarray,
                      training: bool = True, momentum: float = 0.1,
                      eps: float = 1e-5) -> tuple[np.ndarray, np.ndarray, np.ndarray, Any]:
    """Returns (out, new_running_mean, new_running_var, cache); x is (N, D), the rest (D,).

    training=True: μ, σ² = mean and BIASED variance over the batch axis (axis 0);
        x̂ = (x − μ)/√(σ² + ε); out = γ·x̂ + β;
        new_running_mean = (1 − m)·running_mean + m·μ;
        new_running_var  = (1 − m)·running_var + m·σ²·N/(N − 1)   (unbiased, as PyTorch);
        N < 2 → ValueError.
    training=False: normalise with running_mean / running_var and return them unchanged.
    cache: anything your batchnorm_backward needs.

    학습 모드에서는 배치 통계(편향 분산)로 정규화하고 이동 통계를 PyTorch 규약(새 값에
    momentum, 불편 분산)으로 갱신합니다. 평가 모드에서는 이동 통계로 정규화합니다.
    """
    raise NotImplementedError


def batchnorm_backward(dout: np.ndarray, cache: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(dx, dgamma, dbeta) for a training-mode forward; shapes (N, D), (D,), (D,).

    학습 모드 순전파에 대한 기울기 (dx, dgamma, dbeta)를 반환합니다.
    """
    raise NotImplementedError
