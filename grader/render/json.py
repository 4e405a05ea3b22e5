"""The contract's JSON (contract §2): one object Gradescope accepts as ``results.json``."""

from __future__ import annotations

import json
import math
from typing import Any

from grader.result import Result

__all__ = ["dumps", "finite", "render_json"]


def finite(obj: Any) -> Any:
    """``obj`` with every NaN or infinite float replaced by ``None``.

    Strict JSON has no NaN or Infinity, and Gradescope rejects a ``results.json``
    holding them; plot data drawn from a student's outputs may contain them.
    """
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, dict):
        return {k: finite(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [finite(v) for v in obj]
    return obj


def dumps(data: Any, *, indent: int | None = None) -> str:
    """Strict JSON (no NaN), non-ASCII kept readable."""
    return json.dumps(finite(data), ensure_ascii=False, allow_nan=False, indent=indent)


def render_json(result: Result, lang: str = "en") -> str:
    """``result.to_dict(lang)`` as one line of strict JSON."""
    return dumps(result.to_dict(lang))
