"""Gradient clipping, in NumPy — exercise `clipping`.

기울기 클리핑(gradient clipping)을 NumPy로 구현하는 과제입니다.
No `torch`. Return NEW arrays; never modify the gradients you receive.
`torch`는 쓸 수 없습니다. 받은 기울기 배열은 수정하지 말고 새 배열을 반환하세요.
"""

from __future__ import annotations

import math  # noqa: F401  (allowed)
from collections.abc import Sequence

import numpy as np


def clip_grad_norm(grads: Sequence[np.ndarray], max_norm: float,
                   norm_type: float = 2.0) -> tuple[list[np.ndarray], float]:
    """Returns (clipped, total_norm).

    total_norm = the p-norm of all gradients taken together (norm_type = inf: the largest
    |entry|), as a Python float, computed BEFORE clipping.
    c = max_norm/(total_norm + 1e-6); every gradient is multiplied by c when c < 1 and
    left as is otherwise.

    모든 기울기를 하나로 이어 붙인 p-노름(total_norm, 클리핑 전 값)을 구하고,
    c = max_norm/(total_norm + 1e-6)이 1보다 작을 때만 모든 기울기에 c를 곱합니다.
    """
    raise NotImplementedError


def clip_grad_value(grads: Sequence[np.ndarray], clip_value: float) -> list[np.ndarray]:
    """Every gradient clipped element-wise to [−clip_value, clip_value] (new arrays).

    각 원소를 [−clip_value, clip_value]로 자른 새 배열들의 리스트를 반환합니다.
    """
    raise NotImplementedError
