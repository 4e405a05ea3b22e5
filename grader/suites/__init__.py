"""Grading suites: for each exercise, the check kinds available for each function.

A suite module defines ``CHECKS: dict[function, dict[check_kind, Check]]``;
``exercise.toml`` picks checks from it by name and gives them points and tolerances.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from types import ModuleType

__all__ = ["SUITES"]

_NAMES = (
    "activations", "initializers", "gradient_flow", "batchnorm", "layernorm", "clipping",
    "torch_layers",
)


class _Suites(Mapping[str, ModuleType]):
    """Suite modules by name, imported on first use."""

    def __getitem__(self, name: str) -> ModuleType:
        if name not in _NAMES:
            raise KeyError(name)
        return importlib.import_module(f"grader.suites.{name}")

    def __iter__(self) -> Iterator[str]:
        return iter(_NAMES)

    def __len__(self) -> int:
        return len(_NAMES)


SUITES: Mapping[str, ModuleType] = _Suites()
