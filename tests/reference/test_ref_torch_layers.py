"""reference/torch_layers.py behaves as torch.nn.BatchNorm1d / LayerNorm / torch.nn.init."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from _refdata import PROOF_SLOW
from _refstats import check_normal_init, check_uniform_init
from _torchcheck import batch, check_batchnorm_module, check_layernorm_module
from hypothesis import given
from hypothesis import strategies as st
from torch.nn import init as torch_init

from reference.torch_layers import BatchNorm1d, LayerNorm, kaiming_normal_, xavier_uniform_

F64 = torch.float64
# Several trailing axes: sample 1 sits at 1e3 with spread 0.5, so κ ≈ 4e3 and the mean
# subtraction alone costs ~κ·ε_mach ≈ 1e-12 (see _refcheck.NORM_REL); measured 2e-13.
MULTI_AXIS_ATOL = 1e-12


@PROOF_SLOW
@given(
    c=st.integers(1, 7),
    ns=st.lists(st.integers(2, 9), min_size=1, max_size=4),
    length=st.sampled_from([None, 1, 3]),
    momentum=st.sampled_from([0.1, 0.5, None]),
    eps=st.sampled_from([1e-5, 1e-2]),
    seed=st.integers(0, 1000),
)
def test_batchnorm1d_train_then_eval_equals_torch(
    c: int, ns: list[int], length: int | None, momentum: float | None, eps: float, seed: int
) -> None:
    check_batchnorm_module(BatchNorm1d, c, ns, length, momentum, eps, seed)


def test_batchnorm1d_parameters_and_buffers_like_torch() -> None:
    ours, theirs = BatchNorm1d(3), torch.nn.BatchNorm1d(3)
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    assert [n for n, _ in ours.named_buffers()] == [n for n, _ in theirs.named_buffers()]
    for (_, a), (_, b) in zip(ours.state_dict().items(), theirs.state_dict().items(), strict=True):
        assert a.dtype == b.dtype and torch.equal(a, b)
    theirs.load_state_dict(ours.state_dict())  # the same keys and shapes


@pytest.mark.parametrize("shape", [(1, 3), (1, 3, 1)])
def test_batchnorm1d_one_value_per_channel_raises_in_training(shape: tuple[int, ...]) -> None:
    with pytest.raises(ValueError, match="more than 1 value per channel"):
        torch.nn.BatchNorm1d(3)(torch.ones(shape))
    with pytest.raises(ValueError, match="more than 1 value per channel"):
        BatchNorm1d(3)(torch.ones(shape))
    BatchNorm1d(3).eval()(torch.ones(shape))  # fine in evaluation


def test_batchnorm1d_rejects_4d_input() -> None:
    with pytest.raises(ValueError, match="expected 2D or 3D input"):
        BatchNorm1d(3)(torch.ones(2, 3, 4, 5))


@pytest.mark.parametrize("training", [True, False])
def test_batchnorm1d_gradcheck(training: bool) -> None:
    bn = BatchNorm1d(3, dtype=F64).train(training)
    with torch.no_grad():
        bn.running_mean.copy_(torch.tensor([0.5, -1.0, 2.0]))
        bn.running_var.copy_(torch.tensor([2.0, 0.5, 1.5]))
    x = batch(0, (6, 3), 1).requires_grad_(True)
    w = torch.tensor([1.5, -0.5, 2.0], dtype=F64, requires_grad=True)
    b = torch.tensor([0.1, 0.2, -0.3], dtype=F64, requires_grad=True)

    def f(x: torch.Tensor, w: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
        # Functional view of the module: the parameters as inputs, buffers restored.
        saved = bn.running_mean.clone(), bn.running_var.clone()
        out: torch.Tensor = torch.func.functional_call(bn, {"weight": w, "bias": b}, (x,))
        bn.running_mean.copy_(saved[0])
        bn.running_var.copy_(saved[1])
        return out

    assert torch.autograd.gradcheck(f, (x, w, b))


@PROOF_SLOW
@given(
    lead=st.lists(st.integers(1, 4), min_size=0, max_size=3),
    d=st.integers(1, 7),
    eps=st.sampled_from([1e-5, 1e-2]),
    seed=st.integers(0, 1000),
)
def test_layernorm_equals_torch(lead: list[int], d: int, eps: float, seed: int) -> None:
    check_layernorm_module(LayerNorm, lead, d, eps, seed)


def test_layernorm_over_several_trailing_axes_and_errors() -> None:
    ours, theirs = LayerNorm((3, 4), dtype=F64), torch.nn.LayerNorm((3, 4), dtype=F64)
    x = batch(1, (2, 3, 4), 0)
    torch.testing.assert_close(ours(x), theirs(x), rtol=0, atol=MULTI_AXIS_ATOL)
    with pytest.raises(RuntimeError):
        theirs(torch.ones(2, 4, 3, dtype=F64))
    with pytest.raises(RuntimeError, match="expected input with shape"):
        ours(torch.ones(2, 4, 3, dtype=F64))
    assert [n for n, _ in LayerNorm(5).named_parameters()] == ["weight", "bias"]


def test_layernorm_gradcheck_and_train_eval_identical() -> None:
    ln = LayerNorm(4, dtype=F64)
    with torch.no_grad():
        ln.weight.copy_(torch.tensor([1.0, -2.0, 0.5, 3.0]))
        ln.bias.copy_(torch.tensor([0.0, 1.0, -1.0, 0.5]))
    x = batch(2, (3, 4), 0).requires_grad_(True)
    assert torch.autograd.gradcheck(ln, (x,))
    torch.testing.assert_close(ln.train()(x), ln.eval()(x), rtol=0, atol=0)


@pytest.mark.parametrize("shape", [(20, 10), (64, 16, 3, 3), (3, 5)])
@pytest.mark.parametrize("gain", [1.0, 5 / 3])
def test_xavier_uniform_equals_torch_init_exactly(shape: tuple[int, ...], gain: float) -> None:
    # torch.nn.init.xavier_uniform_ draws with tensor.uniform_(−a, a, generator), so the
    # same seed must give bit-identical tensors.
    ours = torch.empty(shape, dtype=F64)
    theirs = torch.empty(shape, dtype=F64)
    result = xavier_uniform_(ours, gain=gain, generator=torch.Generator().manual_seed(3))
    torch_init.xavier_uniform_(theirs, gain=gain, generator=torch.Generator().manual_seed(3))
    assert result is ours
    assert torch.equal(ours, theirs)


@pytest.mark.parametrize("shape", [(20, 10), (64, 16, 3, 3), (3, 5)])
@pytest.mark.parametrize("mode", ["fan_in", "fan_out"])
def test_kaiming_normal_equals_torch_init_exactly(shape: tuple[int, ...], mode: str) -> None:
    ours = torch.empty(shape, dtype=F64)
    theirs = torch.empty(shape, dtype=F64)
    result = kaiming_normal_(ours, mode=mode, generator=torch.Generator().manual_seed(4))
    torch_init.kaiming_normal_(theirs, mode=mode, generator=torch.Generator().manual_seed(4))  # type: ignore[arg-type]
    assert result is ours
    assert torch.equal(ours, theirs)


def test_torch_initialisers_statistics_and_no_grad() -> None:
    w = torch.empty(512, 128, dtype=F64, requires_grad=True)
    assert xavier_uniform_(w, generator=torch.Generator().manual_seed(0)) is w
    assert w.requires_grad and w.grad_fn is None  # filled under no_grad, still a leaf
    check_uniform_init(w.detach().numpy(), math.sqrt(6 / 640))
    v = kaiming_normal_(torch.empty(64, 16, 3, 3, dtype=F64), mode="fan_out")
    check_normal_init(v.numpy(), math.sqrt(2 / (64 * 9)))


def test_torch_initialiser_errors() -> None:
    with pytest.raises(ValueError, match=r"mode 'fan_avg' not supported, use one of"):
        kaiming_normal_(torch.empty(3, 4), mode="fan_avg")
    with pytest.raises(ValueError, match="fewer than 2 dimensions"):
        xavier_uniform_(torch.empty(5))
    with pytest.raises(ValueError, match="fewer than 2 dimensions"):
        kaiming_normal_(torch.empty(5))
    empty = torch.empty(0, 3)
    assert kaiming_normal_(empty) is empty


def test_float32_modules_work_like_torch() -> None:
    ours, theirs = BatchNorm1d(4), torch.nn.BatchNorm1d(4)
    x = torch.from_numpy(np.random.default_rng(0).standard_normal((8, 4)).astype(np.float32))
    torch.testing.assert_close(ours(x), theirs(x))
    torch.testing.assert_close(ours.running_var, theirs.running_var)
    torch.testing.assert_close(LayerNorm(4)(x), torch.nn.LayerNorm(4)(x))
