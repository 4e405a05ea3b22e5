"""JSON Schemas of gradwell's outputs, shipped with the package."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

__all__ = ["SCHEMA_DIR", "gradescope_results_schema"]

SCHEMA_DIR = Path(__file__).resolve().parent


@cache
def gradescope_results_schema() -> dict[str, Any]:
    """The schema of ``results.json`` (Gradescope's spec plus the contract's keys)."""
    data: dict[str, Any] = json.loads(
        (SCHEMA_DIR / "gradescope_results.schema.json").read_text(encoding="utf-8")
    )
    return data
