"""The contract's JSON (contract §2): one object Gradescope accepts as ``results.json``."""

from __future__ import annotations

import json
import math
from typing import Any

from grader.result import Result

__all__ = ["dumps", "finite", "for_gradescope", "render_json"]

#: On Gradescope a test marked ``hidden`` is invisible to the student and so is their
#: total. gradwell's "hidden" means only that the test's inputs are never shown (its
#: feedback is written for that), so such a test goes to Gradescope as
#: ``after_published`` — seen once grades are published — with
#: ``extra_data.hidden_inputs`` saying why.
GRADESCOPE_HIDDEN = "after_published"


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


def for_gradescope(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` (a :meth:`Result.to_dict`) with test visibilities in Gradescope's terms."""
    for test in data.get("tests", []):
        if test.get("visibility") == "hidden":
            test["visibility"] = GRADESCOPE_HIDDEN
            test["extra_data"] = {**test.get("extra_data", {}), "hidden_inputs": True}
    return data


def render_json(result: Result, lang: str = "en") -> str:
    """``result.to_dict(lang)`` as one line of strict JSON that Gradescope accepts."""
    return dumps(for_gradescope(result.to_dict(lang)))
