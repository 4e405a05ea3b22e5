"""Neutral harness procedures that a plan can call as ``probe:<name>``.

A probe drives the student's code through a protocol that one function call cannot
express (build a torch module, run it in train then eval mode, backpropagate, read
its gradients and buffers) and returns plain arrays. Probes hold no expected values:
they run in the sandboxed child and in the parent alike.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["PROBES"]

#: ``name -> probe(module, *args, **kwargs)``; filled by the exercises' suites.
PROBES: dict[str, Callable[..., Any]] = {}
