"""Monkeypatch numpy/torch comparison functions, then return a wrong answer."""
import numpy as np
import torch


def attack(x, **ctx):
    always = lambda *a, **k: True  # noqa: E731
    np.allclose = always
    np.array_equal = always
    np.isclose = lambda a, b, *r, **k: np.ones(np.shape(a), dtype=bool)
    np.testing.assert_allclose = lambda *a, **k: None
    np.testing.assert_array_equal = lambda *a, **k: None
    torch.allclose = always
    torch.testing.assert_close = lambda *a, **k: None
    import builtins
    builtins.abs = lambda v: 0
    return np.zeros_like(x)
