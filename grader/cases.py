"""Case generation: seeded inputs that expose the classic mistakes.

Every test draws its inputs from its own generator, seeded from a secret, the
exercise id and the test name. The seed stays in the parent: the child only ever
sees the arrays it is asked to evaluate (design.md, invariant 1). The secret comes
from ``GRADWELL_CASE_SECRET`` so that a course can change its hidden cases.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence

import numpy as np

__all__ = [
    "EDGE_VALUES",
    "LARGE_VALUES",
    "SHAPES",
    "Cases",
    "case_seed",
]

#: Values at which naive formulas overflow, underflow or hit a kink.
EDGE_VALUES = np.array([
    0.0, -0.0, 1.0, -1.0, 1e-300, -1e-300, 5e-324, -5e-324, 1e-8, -1e-8,
    20.0, -20.0, 40.0, -40.0, 709.0, -709.0, 710.0, -710.0, 745.0, -745.0,
    1000.0, -1000.0, 1e4, -1e4,
])
#: Magnitudes the contract calls out by name.
LARGE_VALUES = np.array([1e4, -1e4, 1000.0, -1000.0, 710.0, -710.0, 100.0, -100.0])
#: From 0-d and empty to 4-d.
SHAPES: tuple[tuple[int, ...], ...] = ((), (0,), (7,), (3, 4), (2, 3, 4), (2, 1, 3, 2))

_DEFAULT_SECRET = "gradwell-default-case-secret"


def case_seed(exercise_id: str, test_name: str) -> int:
    """A 64-bit seed for one test's cases."""
    secret = os.environ.get("GRADWELL_CASE_SECRET", _DEFAULT_SECRET)
    digest = hashlib.sha256(f"{secret}\0{exercise_id}\0{test_name}".encode()).digest()
    return int.from_bytes(digest[:8], "little")


class Cases:
    """Inputs for one test, drawn from its own seeded generator."""

    def __init__(self, seed: int) -> None:
        self.rng = np.random.default_rng(seed)

    def normal(self, shape: Sequence[int], scale: float = 1.0, loc: float = 0.0) -> np.ndarray:
        return self.rng.normal(loc, scale, size=tuple(shape))

    def uniform(self, shape: Sequence[int], low: float, high: float) -> np.ndarray:
        return self.rng.uniform(low, high, size=tuple(shape))

    def seed(self) -> int:
        """A fresh seed for a generator built in the child (initialisers)."""
        return int(self.rng.integers(0, 2**31 - 1))

    def activation_inputs(self, with_zeros: bool = True) -> list[np.ndarray]:
        """Arrays of every shape in :data:`SHAPES`, N(0, 3²), with exact zeros mixed in
        (the kinks of ReLU and its variants)."""
        out = []
        for shape in SHAPES:
            x = self.normal(shape, scale=3.0)
            if with_zeros and x.size > 2:
                flat = x.reshape(-1)
                flat[self.rng.choice(flat.size, size=max(1, flat.size // 6), replace=False)] = 0.0
            out.append(x)
        return out

    def away_from(self, shape: Sequence[int], kinks: Sequence[float], margin: float,
                  scale: float = 2.0) -> np.ndarray:
        """N(0, scale²) values at least ``margin`` away from every kink (for finite
        differences, which are meaningless across a kink)."""
        x = self.normal(shape, scale=scale)
        for k in kinks:
            near = np.abs(x - k) < margin
            x[near] = k + np.where(x[near] >= k, margin, -margin) * 2
        return x

    def features(self, n: int, d: int, *, tiny_std_columns: int = 1) -> np.ndarray:
        """A batch whose features have distinct means and scales, and whose last
        ``tiny_std_columns`` features have a standard deviation near 1e-2 (where ε
        inside or outside the square root differ by percent)."""
        means = self.uniform((d,), -3.0, 3.0)
        scales = self.uniform((d,), 0.5, 4.0)
        scales[d - tiny_std_columns:] = 1e-2
        rows: np.ndarray = means + scales * self.normal((n, d))
        return rows
