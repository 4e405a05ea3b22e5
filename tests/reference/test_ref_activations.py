"""reference/activations.py equals torch.nn.functional and autograd in float64."""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from _refcheck import check_activation, check_activation_grad
from _refdata import EDGE_VALUES, PROOF, activation_inputs
from hypothesis import given
from hypothesis import strategies as st

import reference.activations as A

# name → (reference forward, torch forward); the derivative is A.<name>_grad.
PAIRS: dict[str, tuple[Callable[..., Any], Callable[..., torch.Tensor]]] = {
    "sigmoid": (A.sigmoid, torch.sigmoid),
    "tanh": (A.tanh, torch.tanh),
    "relu": (A.relu, F.relu),
    "leaky_relu": (A.leaky_relu, F.leaky_relu),
    "elu": (A.elu, F.elu),
    "gelu": (A.gelu, F.gelu),  # approximate="none": the erf form
    "selu": (A.selu, F.selu),
    "silu": (A.silu, F.silu),
    "softplus": (A.softplus, F.softplus),
}
NAMES = sorted(PAIRS)


def _grad(name: str) -> Callable[..., Any]:
    fn: Callable[..., Any] = getattr(A, f"{name}_grad")
    return fn


def _strict_numpy() -> Any:
    """Overflow, invalid and divide-by-zero raise; underflow to 0 is the correct result."""
    return np.errstate(over="raise", invalid="raise", divide="raise", under="ignore")


@pytest.mark.parametrize("name", NAMES)
@PROOF
@given(x=activation_inputs)
def test_forward_and_derivative_equal_torch(name: str, x: np.ndarray) -> None:
    fn, torch_fn = PAIRS[name]
    with _strict_numpy():
        check_activation(fn, torch_fn, x)
        check_activation_grad(_grad(name), torch_fn, x)


@pytest.mark.parametrize("name", NAMES)
def test_edge_values_equal_torch_without_warnings(name: str) -> None:
    fn, torch_fn = PAIRS[name]
    with warnings.catch_warnings(), _strict_numpy():
        warnings.simplefilter("error")
        check_activation(fn, torch_fn, EDGE_VALUES)
        check_activation_grad(_grad(name), torch_fn, EDGE_VALUES)


@PROOF
@given(
    x=activation_inputs,
    slope=st.sampled_from([0.0, 0.01, 0.2, 1.0, 3.0]),
    alpha=st.sampled_from([0.1, 1.0, 2.0]),
)
def test_parameters_equal_torch(x: np.ndarray, slope: float, alpha: float) -> None:
    with _strict_numpy():
        check_activation(A.leaky_relu, F.leaky_relu, x, negative_slope=slope)
        check_activation_grad(A.leaky_relu_grad, F.leaky_relu, x, negative_slope=slope)
        check_activation(A.elu, F.elu, x, alpha=alpha)
        check_activation_grad(A.elu_grad, F.elu, x, alpha=alpha)


@PROOF
@given(
    x=activation_inputs,
    beta=st.sampled_from([0.5, 1.0, 2.0, 10.0]),
    threshold=st.sampled_from([20.0, 5.0, 1.0]),
)
def test_softplus_beta_threshold_equal_torch(x: np.ndarray, beta: float, threshold: float) -> None:
    with _strict_numpy():
        check_activation(A.softplus, F.softplus, x, beta=beta, threshold=threshold)
        check_activation_grad(A.softplus_grad, F.softplus, x, beta=beta, threshold=threshold)


def test_kink_conventions_match_torch_exactly() -> None:
    zero = np.zeros(3)
    assert A.relu_grad(zero).tolist() == [0.0] * 3
    assert A.leaky_relu_grad(zero, negative_slope=0.2).tolist() == [0.2] * 3
    assert A.elu_grad(zero, alpha=2.0).tolist() == [2.0] * 3
    assert A.selu_grad(zero)[0] == A.SELU_SCALE * A.SELU_ALPHA
    assert A.sigmoid_grad(0.0) == 0.25
    assert A.tanh_grad(0.0) == 1.0


def test_softplus_threshold_is_strict_as_torch() -> None:
    # βx == threshold stays on the smooth branch: softplus(20) = 20 + log1p(e^-20).
    assert A.softplus(20.0) == 20.0 + math.log1p(math.exp(-20.0))
    assert A.softplus(20.5) == 20.5


def test_gelu_is_the_erf_form_not_tanh() -> None:
    assert abs(float(A.gelu(1.0)) - 0.8413447460685429) < 1e-15
    tanh_form = 0.5 * (1 + math.tanh(math.sqrt(2 / math.pi) * (1 + 0.044715)))
    assert abs(float(A.gelu(1.0)) - tanh_form) > 1e-4


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("shape", [(), (0,), (3, 0), (2, 3, 4, 5)])
def test_shape_dtype_and_new_array(name: str, shape: tuple[int, ...]) -> None:
    x = np.linspace(-3, 3, int(np.prod(shape))).reshape(shape)
    for fn in (PAIRS[name][0], _grad(name)):
        y = fn(x)
        assert isinstance(y, np.ndarray) and y.dtype == np.float64 and y.shape == shape
        assert not np.shares_memory(y, x)


@pytest.mark.parametrize("name", NAMES)
def test_accepts_lists_and_float32_returning_float64(name: str) -> None:
    fn = PAIRS[name][0]
    assert fn([1.0, -2.0]).dtype == np.float64
    assert fn(np.array([1.0, -2.0], dtype=np.float32)).dtype == np.float64
