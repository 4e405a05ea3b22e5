"""The boundary between the trusted grader and the student's code.

``plan`` describes what to compute, ``runner`` computes it next to the student's code,
and the rest of this package runs the runner in a contained, warm, forked child.
"""

from __future__ import annotations

from grader.sandbox.executor import (
    EvalRequest,
    Evaluation,
    Sandbox,
    SandboxError,
    default_sandbox,
)
from grader.sandbox.limits import Layer, SandboxConfig

__all__ = [
    "EvalRequest",
    "Evaluation",
    "Layer",
    "Sandbox",
    "SandboxConfig",
    "SandboxError",
    "default_sandbox",
]
