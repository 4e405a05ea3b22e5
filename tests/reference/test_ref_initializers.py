"""reference/initializers.py: exact fans and gains against torch.nn.init; statistical
tests of every initialiser against its fully specified distribution and against
torch.nn.init's own samples."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch
from _refdata import PROOF
from _refstats import check_normal_init, check_same_distribution, check_uniform_init
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from torch.nn import init as torch_init

import reference.initializers as I

# Non-square (so fan_in ≠ fan_out: Xavier-with-fan_in-only and swapped fans are visible)
# and a conv weight (receptive field 3·3).
SHAPES = [(512, 128), (128, 512), (64, 16, 3, 3)]
# Householder QR in float64 gives Q orthonormal to a few n·ε_mach (n ≤ 24 here: ~1e-14);
# PyTorch's own test uses 1e-6 in float32.
ORTHO_ATOL = 1e-12


@given(shape=hnp.array_shapes(min_dims=2, max_dims=5, min_side=0, max_side=7))
@PROOF
def test_fans_equal_torch(shape: tuple[int, ...]) -> None:
    expected = torch_init._calculate_fan_in_and_fan_out(torch.empty(shape))
    result = I.fan_in_and_fan_out(shape)
    assert result == expected
    assert all(type(v) is int for v in result)
    assert I.fan_in_and_fan_out(list(shape)) == expected


@pytest.mark.parametrize("shape", [(), (5,), 5])
def test_fans_need_two_dimensions(shape: Any) -> None:
    with pytest.raises(ValueError, match="fewer than 2 dimensions"):
        I.fan_in_and_fan_out(shape)


GAIN_CASES: list[tuple[str, Any]] = [
    *[(name, None) for name in ["linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d",
                                "conv_transpose2d", "conv_transpose3d", "sigmoid", "tanh",
                                "relu", "leaky_relu", "selu"]],
    ("leaky_relu", 0), ("leaky_relu", 1), ("leaky_relu", 0.2), ("leaky_relu", math.sqrt(5)),
    ("leaky_relu", 10), ("leaky_relu", -0.5), ("relu", 0.3), ("tanh", 7),
]  # fmt: skip


@pytest.mark.parametrize(("name", "param"), GAIN_CASES)
def test_calculate_gain_equals_torch_exactly(name: str, param: Any) -> None:
    assert I.calculate_gain(name, param) == torch_init.calculate_gain(name, param)  # type: ignore[arg-type]


def test_calculate_gain_known_values() -> None:
    assert I.calculate_gain("tanh") == 1.6666666666666667
    assert I.calculate_gain("relu") == 1.4142135623730951
    assert I.calculate_gain("leaky_relu") == 1.4141428569978354
    assert I.calculate_gain("leaky_relu", 10) == 0.14071950894605836
    assert I.calculate_gain("selu") == 0.75


@pytest.mark.parametrize("param", [True, False, "0.1", [0.1]])
def test_calculate_gain_rejects_non_numeric_slope_like_torch(param: Any) -> None:
    with pytest.raises(ValueError, match="not a valid number"):
        torch_init.calculate_gain("leaky_relu", param)
    with pytest.raises(ValueError, match="not a valid number"):
        I.calculate_gain("leaky_relu", param)


@pytest.mark.parametrize("name", ["gelu", "ReLU", "", "softmax"])
def test_calculate_gain_rejects_unknown_names_like_torch(name: str) -> None:
    with pytest.raises(ValueError):
        torch_init.calculate_gain(name)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="Unsupported nonlinearity"):
        I.calculate_gain(name)


def _expected_std_torch(kind: str, shape: tuple[int, ...], gain: float, mode: str) -> float:
    """The target standard deviation from torch.nn.init's own formulas and helpers."""
    fan_in, fan_out = torch_init._calculate_fan_in_and_fan_out(torch.empty(shape))
    if kind.startswith("xavier"):
        return gain * math.sqrt(2.0 / float(fan_in + fan_out))
    if kind == "lecun_normal":
        return torch_init.calculate_gain("linear") / math.sqrt(fan_in)
    fan = fan_in if mode == "fan_in" else fan_out
    return torch_init.calculate_gain("leaky_relu", 0) / math.sqrt(fan)


def _draw(kind: str, shape: tuple[int, ...], gain: float, mode: str, rng: Any) -> np.ndarray:
    if kind.startswith("xavier"):
        result: np.ndarray = getattr(I, kind)(shape, gain=gain, rng=rng)
    elif kind == "lecun_normal":
        result = I.lecun_normal(shape, rng=rng)
    else:
        result = getattr(I, kind)(shape, mode=mode, rng=rng)
    return result


CASES = [
    *[("xavier_uniform", s, g, "fan_in") for s in SHAPES for g in (1.0, 5 / 3)],
    *[("xavier_normal", s, g, "fan_in") for s in SHAPES for g in (1.0, 5 / 3)],
    *[("he_uniform", s, 1.0, m) for s in SHAPES for m in ("fan_in", "fan_out")],
    *[("he_normal", s, 1.0, m) for s in SHAPES for m in ("fan_in", "fan_out")],
    *[("lecun_normal", s, 1.0, "fan_in") for s in SHAPES],
]


@pytest.mark.parametrize(("kind", "shape", "gain", "mode"), CASES)
def test_initialiser_distribution(
    kind: str, shape: tuple[int, ...], gain: float, mode: str
) -> None:
    # Fixed seeds make the run reproducible; the thresholds keep the statistical meaning.
    seed = 20260 + CASES.index((kind, shape, gain, mode))
    w = _draw(kind, shape, gain, mode, np.random.default_rng(seed))
    assert w.shape == shape and w.dtype == np.float64
    std = _expected_std_torch(kind, shape, gain, mode)
    if kind.endswith("uniform"):
        check_uniform_init(w, math.sqrt(3.0) * std)  # U(±a) has std a/√3
    else:
        check_normal_init(w, std)


TORCH_TWINS: dict[str, Callable[..., torch.Tensor]] = {
    "xavier_uniform": lambda t, gain, mode: torch_init.xavier_uniform_(t, gain=gain),
    "xavier_normal": lambda t, gain, mode: torch_init.xavier_normal_(t, gain=gain),
    "he_uniform": lambda t, gain, mode: torch_init.kaiming_uniform_(t, mode=mode),
    "he_normal": lambda t, gain, mode: torch_init.kaiming_normal_(t, mode=mode),
    "lecun_normal": lambda t, gain, mode: torch_init.kaiming_normal_(t, nonlinearity="linear"),
}


@pytest.mark.parametrize(
    ("kind", "shape", "gain", "mode"),
    [("xavier_uniform", (512, 128), 5 / 3, "fan_in"), ("xavier_normal", (128, 512), 1.0, ""),
     ("he_uniform", (64, 16, 3, 3), 1.0, "fan_out"), ("he_normal", (512, 128), 1.0, "fan_in"),
     ("he_normal", (512, 128), 1.0, "fan_out"), ("lecun_normal", (64, 16, 3, 3), 1.0, "")],
)  # fmt: skip
def test_same_distribution_as_torch_init(
    kind: str, shape: tuple[int, ...], gain: float, mode: str
) -> None:
    ours = _draw(kind, shape, gain, mode or "fan_in", np.random.default_rng(1))
    theirs = torch.empty(shape, dtype=torch.float64)
    torch.manual_seed(1)
    TORCH_TWINS[kind](theirs, gain, mode or "fan_in")
    check_same_distribution(ours, theirs.numpy())


@pytest.mark.parametrize("kind", ["xavier_uniform", "xavier_normal", "he_uniform", "he_normal",
                                  "lecun_normal", "orthogonal"])  # fmt: skip
def test_reproducible_and_only_rng_is_used(kind: str) -> None:
    fn = getattr(I, kind)
    np.random.seed(0)
    legacy_state = np.random.get_state()[1].copy()  # type: ignore[index]
    a = fn((40, 30), rng=np.random.default_rng(123))
    b = fn((40, 30), rng=np.random.default_rng(123))
    c = fn((40, 30), rng=np.random.default_rng(124))
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    np.testing.assert_array_equal(np.random.get_state()[1], legacy_state)  # type: ignore[index]
    # The generator is advanced: two draws from one generator differ.
    rng = np.random.default_rng(5)
    assert not np.array_equal(fn((4, 3), rng=rng), fn((4, 3), rng=rng))


def test_rng_none_draws_fresh_samples() -> None:
    a, b = I.he_normal((512, 128)), I.he_normal((512, 128))
    assert not np.array_equal(a, b)
    check_normal_init(a, math.sqrt(2 / 128))
    check_uniform_init(I.xavier_uniform((512, 128)), math.sqrt(6 / 640))


@pytest.mark.parametrize("fn", [I.he_uniform, I.he_normal])
@pytest.mark.parametrize("mode", ["fan_avg", "in", "", None])
def test_bad_mode_is_rejected_with_the_valid_ones(fn: Any, mode: Any) -> None:
    with pytest.raises(
        ValueError, match=r"mode .* not supported, use one of \['fan_in', 'fan_out'\]"
    ):
        fn((4, 3), mode=mode)


@pytest.mark.parametrize("fn", [I.xavier_uniform, I.xavier_normal, I.he_uniform, I.he_normal,
                                I.lecun_normal, I.orthogonal])  # fmt: skip
def test_fewer_than_two_dimensions_is_rejected(fn: Any) -> None:
    with pytest.raises(ValueError, match="2"):
        fn((7,))


@pytest.mark.parametrize("shape", [(0, 5), (5, 0), (0, 0), (3, 0, 2)])
def test_empty_shapes_give_empty_float64_arrays(shape: tuple[int, ...]) -> None:
    for fn in (I.xavier_uniform, I.xavier_normal, I.he_uniform, I.he_normal, I.lecun_normal,
               I.orthogonal):  # fmt: skip
        w = fn(shape, rng=np.random.default_rng(0))
        assert w.shape == shape and w.dtype == np.float64


@pytest.mark.parametrize("shape", [(3, 5), (5, 3), (4, 4), (4, 2, 3), (1, 7)])
@pytest.mark.parametrize("gain", [1.0, 2.5])
def test_orthogonal_is_orthogonal_like_torch(shape: tuple[int, ...], gain: float) -> None:
    w = I.orthogonal(shape, gain=gain, rng=np.random.default_rng(9))
    assert w.shape == shape and w.dtype == np.float64
    flat = w.reshape(shape[0], -1)
    rows, cols = flat.shape
    gram = flat @ flat.T if rows <= cols else flat.T @ flat
    np.testing.assert_allclose(gram, gain**2 * np.eye(min(rows, cols)), rtol=0, atol=ORTHO_ATOL)
    t = torch.empty(shape, dtype=torch.float64)
    torch_init.orthogonal_(t, gain=gain)
    tf = t.reshape(shape[0], -1)
    tgram = tf @ tf.T if rows <= cols else tf.T @ tf
    np.testing.assert_allclose(tgram.numpy(), gram, rtol=0, atol=ORTHO_ATOL)


def test_orthogonal_is_haar_distributed() -> None:
    # Sign-fixed QR makes Q Haar: each entry of a random 64×64 orthogonal matrix is
    # close to N(0, 1/64); without the sign fix the diagonal would be biased positive.
    w = np.stack([I.orthogonal((64, 64), rng=np.random.default_rng(s)) for s in range(16)])
    diag = np.einsum("kii->ki", w).ravel()
    assert abs(diag.mean()) * math.sqrt(diag.size) * 8 < 5.0  # |z| < 5


@PROOF
@given(st.integers(0, 2**32 - 1))
def test_bound_is_never_exceeded(seed: int) -> None:
    w = I.xavier_uniform((7, 5, 2), gain=2.0, rng=np.random.default_rng(seed))
    assert np.abs(w).max() <= 2.0 * math.sqrt(6 / (10 + 14))  # fans (5·2, 7·2)
    v = I.he_uniform((7, 5, 2), mode="fan_out", rng=np.random.default_rng(seed))
    assert np.abs(v).max() <= math.sqrt(6 / 14)
