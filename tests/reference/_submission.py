"""Load a source text as the grader loads a submission: a fresh module, no package."""

from __future__ import annotations

import sys
import types
from pathlib import Path

REFERENCE_DIR = Path(__file__).resolve().parents[2] / "reference"

# One reference file per exercise file (normalization.py serves two exercises).
EXERCISE_SOURCES = {
    "activations": "activations.py",
    "initializers": "initializers.py",
    "gradient_flow": "gradient_flow.py",
    "batchnorm": "normalization.py",
    "layernorm": "normalization.py",
    "clipping": "clipping.py",
    "torch_layers": "torch_layers.py",
}


def reference_source(exercise: str) -> str:
    """The source text the grader submits as the full-marks solution of ``exercise``."""
    return (REFERENCE_DIR / EXERCISE_SOURCES[exercise]).read_text(encoding="utf-8")


def load_source(source: str, name: str = "student") -> types.ModuleType:
    """Execute ``source`` as a top-level module called ``name`` (registered while it runs,
    as an import would, so classes and NamedTuples get a proper ``__module__``)."""
    module = types.ModuleType(name)
    module.__file__ = f"<{name}>"
    sys.modules[name] = module
    try:
        exec(compile(source, f"<{name}>", "exec"), module.__dict__)
    finally:
        del sys.modules[name]
    return module


def load_mutant(exercise: str, overlay: str) -> types.ModuleType:
    """The reference source with ``overlay`` appended: a later ``def`` wins, exactly as
    the grader builds a misconception mutant."""
    return load_source(reference_source(exercise) + "\n\n" + overlay, f"mutant_{exercise}")
