"""Plot data for the web's feedback views, built in the parent from returned numbers.

Shapes (all plain JSON; ``title`` and series ``label`` are ``{"en", "ko"}``):

- ``{"kind": "line", "title", "x": [...], "x_label", "y_label", "log_y": bool,
  "series": [{"label", "y": [...]}]}`` — a function against the reference over a
  range, or per-layer statistics against depth;
- ``{"kind": "histogram", "title", "bins": [edges], "counts": [...],
  "expected_density": [...]}`` — an initialiser's samples against the target.

Non-finite values become ``None`` so that the JSON stays valid.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from grader.i18n import Text

__all__ = ["line", "series"]


def _clean(values: Any) -> list[float | None]:
    arr = np.asarray(values, dtype=np.float64).reshape(-1)
    # tolist() and one vectorised isfinite: per-element NumPy scalars are 20x slower
    return [v if ok else None for v, ok in zip(arr.tolist(), np.isfinite(arr).tolist(),
                                               strict=True)]


def series(label: Text, y: Any) -> dict[str, Any]:
    return {"label": label.to_dict(), "y": _clean(y)}


def line(title: Text, x: Any, lines: Sequence[dict[str, Any]], *, x_label: str = "x",
         y_label: str = "", log_y: bool = False) -> dict[str, Any]:
    return {"kind": "line", "title": title.to_dict(), "x": _clean(x), "x_label": x_label,
            "y_label": y_label, "log_y": log_y, "series": list(lines)}
