"""Activations and their derivatives, in NumPy — exercise `activations`.

활성화 함수와 그 도함수를 NumPy로 구현하는 과제입니다.

Rules / 규칙:
- Use NumPy, `math` and `scipy.special.erf` only; `torch`, `scipy.special.expit` and other
  one-line library answers are not allowed.
  NumPy, `math`, `scipy.special.erf`만 쓸 수 있습니다. `torch`, `scipy.special.expit` 같은
  한 줄짜리 라이브러리 정답은 허용되지 않습니다.
- Every function takes an array `x` (0-d to 4-d, possibly empty), returns a NEW float64
  array of the same shape and never modifies `x`.
  모든 함수는 배열 `x`(0차원~4차원, 빈 배열 포함)를 받아 같은 모양의 새 float64 배열을
  반환하며, `x`를 수정하면 안 됩니다.
- Results must be finite and correct for every finite input, ±1e4 included.
  ±1e4를 포함한 모든 유한한 입력에서 결과가 유한하고 정확해야 합니다.
"""

from __future__ import annotations

import math  # noqa: F401  (allowed)

import numpy as np
from scipy.special import erf  # noqa: F401  (allowed: the error function)


def sigmoid(x: np.ndarray) -> np.ndarray:
    """σ(x) = 1 / (1 + e^(−x)), stable for large |x| (no NaN at x = ±1e4).

    시그모이드. |x|가 커도(±1e4) NaN이나 오버플로 없이 계산하세요.
    """
    raise NotImplementedError


def sigmoid_grad(x: np.ndarray) -> np.ndarray:
    """σ'(x) = σ(x)(1 − σ(x)); `x` is the pre-activation, not σ(x).

    시그모이드의 도함수. 입력 `x`는 σ(x)가 아니라 활성화 전 값입니다.
    """
    raise NotImplementedError


def tanh(x: np.ndarray) -> np.ndarray:
    """tanh(x), finite for every finite x.

    쌍곡탄젠트. 모든 유한한 x에서 유한한 값을 반환하세요.
    """
    raise NotImplementedError


def tanh_grad(x: np.ndarray) -> np.ndarray:
    """tanh'(x) = 1 − tanh²(x); `x` is the pre-activation.

    tanh의 도함수. 입력 `x`는 활성화 전 값입니다.
    """
    raise NotImplementedError


def relu(x: np.ndarray) -> np.ndarray:
    """max(x, 0).

    ReLU. 입력 배열을 직접 바꾸지 말고 새 배열을 반환하세요.
    """
    raise NotImplementedError


def relu_grad(x: np.ndarray) -> np.ndarray:
    """1 for x > 0, 0 for x < 0; at x == 0 any value in [0, 1] is accepted.

    ReLU의 도함수. x > 0이면 1, x < 0이면 0이고, x == 0에서는 [0, 1] 안의 어떤 값도 됩니다.
    """
    raise NotImplementedError


def leaky_relu(x: np.ndarray, negative_slope: float = 0.01) -> np.ndarray:
    """x for x > 0, negative_slope·x otherwise.

    Leaky ReLU. x > 0이면 x, 아니면 negative_slope·x.
    """
    raise NotImplementedError


def leaky_relu_grad(x: np.ndarray, negative_slope: float = 0.01) -> np.ndarray:
    """1 for x > 0, negative_slope for x < 0; at 0 any value in [slope, 1].

    Leaky ReLU의 도함수. x > 0이면 1, x < 0이면 negative_slope, x == 0에서는 [slope, 1] 안의 값.
    """
    raise NotImplementedError


def elu(x: np.ndarray, alpha: float = 1.0) -> np.ndarray:
    """x for x > 0, α(e^x − 1) otherwise (finite for x = 1e4).

    ELU. x > 0이면 x, 아니면 α(e^x − 1). x = 1e4에서도 유한해야 합니다.
    """
    raise NotImplementedError


def elu_grad(x: np.ndarray, alpha: float = 1.0) -> np.ndarray:
    """1 for x > 0, α·e^x for x < 0; at 0 either value (or any value between).

    ELU의 도함수. x > 0이면 1, x < 0이면 α·e^x, x == 0에서는 둘 중 어느 값이든(사이 값 포함) 됩니다.
    """
    raise NotImplementedError


def gelu(x: np.ndarray) -> np.ndarray:
    """Exact GELU x·Φ(x), Φ(x) = ½(1 + erf(x/√2)) — not the tanh approximation.

    정확한 GELU x·Φ(x). tanh 근사식이 아닙니다.
    """
    raise NotImplementedError


def gelu_grad(x: np.ndarray) -> np.ndarray:
    """GELU'(x) = Φ(x) + x·φ(x), φ(x) = e^(−x²/2)/√(2π).

    GELU의 도함수 Φ(x) + x·φ(x).
    """
    raise NotImplementedError
