"""Weight initialisers, in NumPy — exercise `initializers`.

가중치 초기화 함수를 NumPy로 구현하는 과제입니다.

Rules / 규칙:
- Weight shapes follow PyTorch's layout (out_features, in_features, *kernel).
  가중치 모양은 PyTorch의 (out_features, in_features, *kernel) 순서를 따릅니다.
- Every random number comes from `rng` (a `numpy.random.Generator`); when `rng` is None,
  create `np.random.default_rng()`. Never use the global `np.random.*` functions.
  모든 난수는 `rng`(`numpy.random.Generator`)에서 뽑습니다. `rng`가 None이면
  `np.random.default_rng()`를 만드세요. 전역 `np.random.*` 함수는 쓰지 마세요.
- Return a new float64 array of exactly `shape`. No `torch`.
  정확히 `shape` 모양인 새 float64 배열을 반환하세요. `torch`는 쓸 수 없습니다.
"""

from __future__ import annotations

import math  # noqa: F401  (allowed)
from collections.abc import Sequence

import numpy as np


def fan_in_and_fan_out(shape: Sequence[int]) -> tuple[int, int]:
    """(in·∏kernel, out·∏kernel) as Python ints; ValueError for fewer than 2 dimensions.

    (fan_in, fan_out)을 정수로 반환합니다. 차원이 2개보다 적으면 ValueError를 내세요.
    """
    raise NotImplementedError


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    """As torch.nn.init.calculate_gain: linear, conv1d/2d/3d, sigmoid → 1; tanh → 5/3;
    relu → √2; leaky_relu → √(2/(1+s²)) with s = param or 0.01; selu → 3/4;
    anything else → ValueError.

    비선형 함수별 권장 gain. 알 수 없는 이름이면 ValueError를 내세요.
    """
    raise NotImplementedError


def xavier_uniform(shape: Sequence[int], gain: float = 1.0,
                   rng: np.random.Generator | None = None) -> np.ndarray:
    """U(−a, a) with a = gain·√(6/(fan_in + fan_out)).

    Xavier(Glorot) 균등분포 초기화.
    """
    raise NotImplementedError


def xavier_normal(shape: Sequence[int], gain: float = 1.0,
                  rng: np.random.Generator | None = None) -> np.ndarray:
    """N(0, σ²) with σ = gain·√(2/(fan_in + fan_out)).

    Xavier(Glorot) 정규분포 초기화. σ는 분산이 아니라 표준편차입니다.
    """
    raise NotImplementedError


def he_uniform(shape: Sequence[int], mode: str = "fan_in",
               rng: np.random.Generator | None = None) -> np.ndarray:
    """U(−b, b) with b = √(6/fan), fan = fan_in or fan_out by `mode`
    (another mode → ValueError).

    He(Kaiming) 균등분포 초기화. mode가 "fan_in"/"fan_out"이 아니면 ValueError.
    """
    raise NotImplementedError


def he_normal(shape: Sequence[int], mode: str = "fan_in",
              rng: np.random.Generator | None = None) -> np.ndarray:
    """N(0, σ²) with σ = √(2/fan), fan = fan_in or fan_out by `mode`
    (another mode → ValueError).

    He(Kaiming) 정규분포 초기화. mode가 "fan_in"/"fan_out"이 아니면 ValueError.
    """
    raise NotImplementedError
