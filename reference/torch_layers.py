"""Reference PyTorch layers and initialisers built from differentiable tensor operations.

Self-contained on purpose: the grader submits this file's source as a student's
``torch_layers.py``, so it imports only ``math`` and ``torch`` and never uses what the
exercise forbids (``torch.nn.functional.batch_norm``/``layer_norm``, ``torch.batch_norm``,
``torch.layer_norm``, ``torch.nn.BatchNorm*``, ``torch.nn.LayerNorm``, ``torch.nn.init``).
Gradients come from autograd through the elementary operations below.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import torch
from torch import Tensor, nn

_VALID_MODES = ("fan_in", "fan_out")


class BatchNorm1d(nn.Module):
    r"""Batch normalisation over a (N, C) or (N, C, L) input (Ioffe, S. & Szegedy, C.
    (2015), "Batch Normalization: Accelerating Deep Network Training by Reducing
    Internal Covariate Shift"), behaving as ``torch.nn.BatchNorm1d``.

    Training, per channel c over the N (and L) axes:

        μ   = mean(x),   σ² = mean((x − μ)²)            (biased)
        y   = (x − μ) / √(σ² + ε) · weight + bias
        running_mean ← (1 − m)·running_mean + m·μ
        running_var  ← (1 − m)·running_var  + m·σ²·n/(n − 1)    (unbiased; n = N·L)
        num_batches_tracked ← num_batches_tracked + 1

    With ``momentum=None`` m = 1/num_batches_tracked (a cumulative average).
    Evaluation (``.eval()``): y = (x − running_mean)/√(running_var + ε)·weight + bias.

    Args:
        num_features: C.
        eps: ε inside the square root (1e-5).
        momentum: m (0.1), or ``None`` for a cumulative average.
        device, dtype: where and in which floating type to create the parameters.

    Example:
        >>> bn = BatchNorm1d(2, dtype=torch.float64)
        >>> y = bn(torch.tensor([[1.0, 2.0], [3.0, 6.0]], dtype=torch.float64))
        >>> y.detach().round(decimals=4).tolist(), bn.running_mean.tolist()
        ([[-1.0, -1.0], [1.0, 1.0]], [0.2, 0.4])
    """

    running_mean: Tensor
    running_var: Tensor
    num_batches_tracked: Tensor

    def __init__(
        self,
        num_features: int,
        eps: float = 1e-5,
        momentum: float | None = 0.1,
        device: torch.device | str | None = None,
        dtype: torch.dtype | None = None,
    ) -> None:
        super().__init__()
        factory = {"device": device, "dtype": dtype}
        self.num_features = num_features
        self.eps = eps
        self.momentum = momentum
        self.weight = nn.Parameter(torch.ones(num_features, **factory))  # type: ignore[arg-type]
        self.bias = nn.Parameter(torch.zeros(num_features, **factory))  # type: ignore[arg-type]
        self.register_buffer("running_mean", torch.zeros(num_features, **factory))  # type: ignore[arg-type]
        self.register_buffer("running_var", torch.ones(num_features, **factory))  # type: ignore[arg-type]
        self.register_buffer(
            "num_batches_tracked", torch.tensor(0, dtype=torch.long, device=device)
        )

    def extra_repr(self) -> str:
        return f"{self.num_features}, eps={self.eps}, momentum={self.momentum}"

    def forward(self, x: Tensor) -> Tensor:
        if x.dim() not in (2, 3):
            raise ValueError(f"expected 2D or 3D input (got {x.dim()}D input)")
        dims = [0] if x.dim() == 2 else [0, 2]
        shape = [1, -1] + [1] * (x.dim() - 2)  # broadcast (C,) over (N, C[, L])
        if self.training:
            n = x.numel() // x.size(1)
            if n < 2:
                raise ValueError(
                    "Expected more than 1 value per channel when training, "
                    f"got input size {x.size()}"
                )
            mean = x.mean(dim=dims)
            xc = x - mean.reshape(shape)
            var = (xc * xc).mean(dim=dims)  # biased, used to normalise
            with torch.no_grad():
                self.num_batches_tracked.add_(1)
                if self.momentum is None:
                    factor = 1.0 / float(self.num_batches_tracked)
                else:
                    factor = self.momentum
                unbiased_var = var * (n / (n - 1))
                self.running_mean.mul_(1.0 - factor).add_(factor * mean)
                self.running_var.mul_(1.0 - factor).add_(factor * unbiased_var)
        else:
            mean = self.running_mean
            var = self.running_var
            xc = x - mean.reshape(shape)
        x_hat = xc / torch.sqrt(var.reshape(shape) + self.eps)
        return x_hat * self.weight.reshape(shape) + self.bias.reshape(shape)


class LayerNorm(nn.Module):
    r"""Layer normalisation over the trailing dimensions (Ba, J. L., Kiros, J. R. &
    Hinton, G. E. (2016), "Layer Normalization"), behaving as ``torch.nn.LayerNorm``.

    Over the last len(normalized_shape) dimensions of each sample:

        μ = mean(x),   σ² = mean((x − μ)²)                 (biased)
        y = (x − μ) / √(σ² + ε) · weight + bias

    Args:
        normalized_shape: D (an int), or the trailing shape to normalise over.
        eps: ε inside the square root (1e-5).
        device, dtype: where and in which floating type to create the parameters.

    Example:
        >>> ln = LayerNorm(2, dtype=torch.float64)
        >>> ln(torch.tensor([[1.0, 3.0]], dtype=torch.float64)).detach().round(decimals=4)
        tensor([[-1.,  1.]], dtype=torch.float64)
    """

    def __init__(
        self,
        normalized_shape: int | Sequence[int],
        eps: float = 1e-5,
        device: torch.device | str | None = None,
        dtype: torch.dtype | None = None,
    ) -> None:
        super().__init__()
        if isinstance(normalized_shape, int):
            normalized_shape = (normalized_shape,)
        self.normalized_shape = tuple(int(s) for s in normalized_shape)
        self.eps = eps
        factory = {"device": device, "dtype": dtype}
        self.weight = nn.Parameter(torch.ones(self.normalized_shape, **factory))  # type: ignore[arg-type]
        self.bias = nn.Parameter(torch.zeros(self.normalized_shape, **factory))  # type: ignore[arg-type]

    def extra_repr(self) -> str:
        return f"{self.normalized_shape}, eps={self.eps}"

    def forward(self, x: Tensor) -> Tensor:
        k = len(self.normalized_shape)
        if tuple(x.shape[x.dim() - k :]) != self.normalized_shape or x.dim() < k:
            raise RuntimeError(
                f"expected input with shape [*, {', '.join(map(str, self.normalized_shape))}]"
                f", but got input of size {list(x.shape)}"
            )
        dims = list(range(x.dim() - k, x.dim()))
        mean = x.mean(dim=dims, keepdim=True)
        xc = x - mean
        var = (xc * xc).mean(dim=dims, keepdim=True)  # biased
        x_hat = xc / torch.sqrt(var + self.eps)
        return x_hat * self.weight + self.bias


def _fan_in_and_fan_out(tensor: Tensor) -> tuple[int, int]:
    """(in·∏kernel, out·∏kernel) for a weight of layout (out, in, *kernel)."""
    if tensor.dim() < 2:
        raise ValueError(
            "Fan in and fan out can not be computed for tensor with fewer than 2 dimensions"
        )
    receptive_field_size = math.prod(tensor.shape[2:])
    fan_in = tensor.size(1) * receptive_field_size
    fan_out = tensor.size(0) * receptive_field_size
    return fan_in, fan_out


def xavier_uniform_(
    tensor: Tensor, gain: float = 1.0, generator: torch.Generator | None = None
) -> Tensor:
    r"""Fill ``tensor`` in place from the Xavier uniform distribution (Glorot, X. &
    Bengio, Y. (2010), "Understanding the difficulty of training deep feedforward
    neural networks"), as ``torch.nn.init.xavier_uniform_``:

        std = gain · √(2 / (fan_in + fan_out)),   a = √3 · std
        W ~ U(−a, a)

    Args:
        tensor: at least 2-d, layout (out, in, *kernel).
        gain: scaling factor.
        generator: the torch generator to sample from (``None``: the global one).

    Returns:
        ``tensor`` itself.

    Example:
        >>> w = xavier_uniform_(torch.empty(20, 10), generator=torch.Generator().manual_seed(0))
        >>> bool(w.abs().max() <= math.sqrt(6 / 30))
        True
    """
    fan_in, fan_out = _fan_in_and_fan_out(tensor)
    std = gain * math.sqrt(2.0 / float(fan_in + fan_out))
    a = math.sqrt(3.0) * std  # uniform bound from the standard deviation
    with torch.no_grad():
        return tensor.uniform_(-a, a, generator=generator)


def kaiming_normal_(
    tensor: Tensor, mode: str = "fan_in", generator: torch.Generator | None = None
) -> Tensor:
    r"""Fill ``tensor`` in place from He et al.'s normal distribution for ReLU layers
    (He, K., Zhang, X., Ren, S. & Sun, J. (2015), "Delving deep into rectifiers"), as
    ``torch.nn.init.kaiming_normal_`` with its defaults (a=0, leaky_relu ⇒ gain √2):

        std = √2 / √fan,  fan = fan_in or fan_out by ``mode``
        W ~ N(0, std²)

    Args:
        tensor: at least 2-d, layout (out, in, *kernel).
        mode: ``"fan_in"`` (default, preserves the forward variance) or ``"fan_out"``
            (the backward one).
        generator: the torch generator to sample from (``None``: the global one).

    Returns:
        ``tensor`` itself (unchanged if it has no elements, as in PyTorch).

    Raises:
        ValueError: for another ``mode`` or a tensor of fewer than 2 dimensions.

    Example:
        >>> w = kaiming_normal_(torch.empty(3, 4), generator=torch.Generator().manual_seed(0))
        >>> w.shape
        torch.Size([3, 4])
    """
    if 0 in tensor.shape:
        return tensor  # nothing to fill
    mode_l = mode.lower() if isinstance(mode, str) else mode
    if mode_l not in _VALID_MODES:
        raise ValueError(f"mode {mode!r} not supported, use one of {list(_VALID_MODES)}")
    fan_in, fan_out = _fan_in_and_fan_out(tensor)
    fan = fan_in if mode_l == "fan_in" else fan_out
    gain = math.sqrt(2.0)  # ReLU
    std = gain / math.sqrt(fan)
    with torch.no_grad():
        return tensor.normal_(0, std, generator=generator)
