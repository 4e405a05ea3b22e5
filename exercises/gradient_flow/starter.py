"""Watching gradients flow through a deep network, in NumPy — exercise `gradient_flow`.

깊은 신경망에서 활성값과 기울기가 층마다 어떻게 변하는지 관찰하는 과제입니다.
No `torch`, no autograd: write the backward pass by hand. / `torch`나 자동 미분 없이
역전파를 직접 작성하세요.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def layer_statistics(x: np.ndarray, weights: Sequence[np.ndarray],
                     activation: str) -> tuple[list[float], list[float]]:
    """Forward and backward through a bias-free MLP; per-layer statistics.

    x: (N, D_0); weights[i]: (D_i, D_{i+1}); activation: "sigmoid", "tanh" or "relu".
    Forward: h_0 = x, h_{i+1} = act(h_i @ weights[i]).  Loss = ½·Σ(h_L²)/N.
    Returns (activation_stds, grad_norms), two lists of L Python floats:
    activation_stds[i] = population std (ddof=0) of all entries of h_{i+1};
    grad_norms[i] = Frobenius norm of ∂Loss/∂weights[i].

    편향 없는 다층 퍼셉트론의 순전파와 역전파를 계산하고, 층마다
    (활성값 h_{i+1}의 모집단 표준편차, ∂Loss/∂weights[i]의 프로베니우스 노름)을 반환합니다.
    입력 배열은 수정하지 마세요.
    """
    raise NotImplementedError
