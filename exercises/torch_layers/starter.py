"""Batch norm, layer norm and initialisers in PyTorch — exercise `torch_layers`.

PyTorch로 배치 정규화, 층 정규화, 가중치 초기화를 직접 만드는 과제입니다.

Rules / 규칙: build everything from differentiable tensor operations (mean, sqrt, ...) so
that autograd computes the gradients. NOT allowed: torch.nn.functional.batch_norm,
torch.nn.functional.layer_norm, torch.nn.BatchNorm*, torch.nn.LayerNorm, torch.nn.init.
미분 가능한 텐서 연산(mean, sqrt 등)으로만 만들어서 autograd가 기울기를 계산하게 하세요.
torch.nn.functional.batch_norm/layer_norm, torch.nn.BatchNorm*, torch.nn.LayerNorm,
torch.nn.init은 쓸 수 없습니다.
"""

from __future__ import annotations

import math  # noqa: F401  (allowed)

import torch
from torch import Tensor, nn


class BatchNorm1d(nn.Module):
    """Behaves as torch.nn.BatchNorm1d on (N, C) inputs, in train and eval mode.

    Parameters `weight` (ones) and `bias` (zeros); buffers `running_mean` (zeros) and
    `running_var` (ones), registered with `register_buffer`. Training: batch mean and
    biased variance; running statistics updated with momentum on the new value and the
    unbiased variance. Eval: running statistics.

    학습 모드에서는 배치 통계로, 평가 모드(.eval())에서는 이동 통계로 정규화합니다.
    """

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float = 0.1,
                 device: torch.device | str | None = None,
                 dtype: torch.dtype | None = None) -> None:
        super().__init__()
        raise NotImplementedError

    def forward(self, x: Tensor) -> Tensor:
        raise NotImplementedError


class LayerNorm(nn.Module):
    """Behaves as torch.nn.LayerNorm(normalized_shape) over the last dimension.

    Parameters `weight` (ones) and `bias` (zeros) of shape (normalized_shape,).
    각 샘플을 마지막 차원으로 정규화합니다(편향 분산, ε은 제곱근 안).
    """

    def __init__(self, normalized_shape: int, eps: float = 1e-5,
                 device: torch.device | str | None = None,
                 dtype: torch.dtype | None = None) -> None:
        super().__init__()
        raise NotImplementedError

    def forward(self, x: Tensor) -> Tensor:
        raise NotImplementedError


def xavier_uniform_(tensor: Tensor, gain: float = 1.0,
                    generator: torch.Generator | None = None) -> Tensor:
    """Fill `tensor` IN PLACE from U(−a, a), a = gain·√(6/(fan_in + fan_out)); return it.

    텐서를 제자리에서 채우고 그 텐서를 반환하세요. 난수는 `generator`에서 뽑습니다.
    """
    raise NotImplementedError


def kaiming_normal_(tensor: Tensor, mode: str = "fan_in",
                    generator: torch.Generator | None = None) -> Tensor:
    """Fill `tensor` IN PLACE from N(0, σ²), σ = √(2/fan) (ReLU gain), fan by `mode`;
    return it.

    텐서를 제자리에서 채우고 그 텐서를 반환하세요. mode는 "fan_in" 또는 "fan_out"입니다.
    """
    raise NotImplementedError
