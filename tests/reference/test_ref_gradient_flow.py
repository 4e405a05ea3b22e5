"""reference/gradient_flow.py equals the same network run through torch autograd."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from _refcheck import check_layer_statistics
from _refdata import PROOF
from hypothesis import given
from hypothesis import strategies as st

from reference.gradient_flow import layer_statistics

ACTIVATIONS = st.sampled_from(["sigmoid", "tanh", "relu"])


@st.composite
def network(draw: st.DrawFn) -> tuple[np.ndarray, list[np.ndarray]]:
    """A random batch and L weight matrices with a drawn init scale (vanishing to exploding)."""
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    n = draw(st.integers(1, 16))
    widths = draw(st.lists(st.integers(1, 12), min_size=2, max_size=7))
    scale = draw(st.sampled_from([0.01, 0.5, 1.0, 2.0, 5.0]))
    x = rng.standard_normal((n, widths[0]))
    weights = [
        scale * rng.standard_normal((a, b)) / np.sqrt(a) for a, b in itertools.pairwise(widths)
    ]
    return x, weights


@PROOF
@given(net=network(), activation=ACTIVATIONS)
def test_layer_statistics_equal_torch(
    net: tuple[np.ndarray, list[np.ndarray]], activation: str
) -> None:
    x, weights = net
    check_layer_statistics(layer_statistics, x, weights, activation)


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
def test_deep_network_shows_the_textbook_trend(activation: str) -> None:
    rng = np.random.default_rng(0)
    x = rng.standard_normal((64, 100))
    weights = [0.01 * rng.standard_normal((100, 100)) for _ in range(8)]
    stds, norms = layer_statistics(x, weights, activation)
    check_layer_statistics(layer_statistics, x, weights, activation)
    assert len(stds) == len(norms) == 8
    if activation != "sigmoid":  # tiny weights: activations collapse towards 0
        assert stds[-1] < 1e-6 * stds[0]


def test_relu_kink_gradient_is_zero_like_torch() -> None:
    # Every pre-activation is exactly 0: torch's relu'(0) = 0 gives all-zero gradients.
    x = np.zeros((2, 3))
    weights = [np.ones((3, 3)), np.ones((3, 2))]
    check_layer_statistics(layer_statistics, x, weights, "relu")
    assert layer_statistics(x, weights, "relu") == ([0.0, 0.0], [0.0, 0.0])


def test_unknown_activation_is_rejected() -> None:
    with pytest.raises(ValueError, match="'gelu' not supported"):
        layer_statistics(np.ones((2, 2)), [np.ones((2, 2))], "gelu")


def test_inputs_are_not_modified() -> None:
    rng = np.random.default_rng(1)
    x, w = rng.standard_normal((4, 3)), rng.standard_normal((3, 3))
    xc, wc = x.copy(), w.copy()
    layer_statistics(x, [w], "tanh")
    np.testing.assert_array_equal(x, xc)
    np.testing.assert_array_equal(w, wc)
