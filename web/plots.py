"""Plots from a test's ``extra_data`` as inline SVG, drawn on the server (no JS library).

Shapes are those of ``grader/plots.py``: ``line`` (x, series of y, optional log y) and
``histogram`` (bin edges, counts, the target density per bin). Missing values
(``None``: non-finite in the student's output) break a line rather than faking a point.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from typing import Any

from markupsafe import Markup, escape

from web.i18n import text_of

__all__ = ["plots_of", "svg"]

W, H = 560, 300
ML, MR, MT, MB = 60, 16, 50, 42
COLORS = ("#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2")
DASHES = ("", "6 4", "2 3", "8 3 2 3")


def plots_of(extra: Any) -> list[dict[str, Any]]:
    """The plot objects in a test's ``extra_data`` (``plot`` or a ``plots`` list)."""
    if not isinstance(extra, dict):
        return []
    found = []
    if isinstance(extra.get("plot"), dict):
        found.append(extra["plot"])
    if isinstance(extra.get("plots"), list):
        found += [p for p in extra["plots"] if isinstance(p, dict)]
    return found


def svg(plot: dict[str, Any], lang: str) -> Markup:
    try:
        if plot.get("kind") == "line":
            return _line(plot, lang)
        if plot.get("kind") == "histogram":
            return _histogram(plot, lang)
        if plot.get("kind") == "bars":
            return _bars(plot, lang)
    except (TypeError, ValueError, KeyError, ZeroDivisionError):
        pass
    return Markup("")


def _num(v: Any) -> float | None:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return None
    return float(v) if math.isfinite(v) else None


def _ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    if hi <= lo:
        return [lo]
    raw = (hi - lo) / n
    mag = 10 ** math.floor(math.log10(raw))
    step = next(s * mag for s in (1, 2, 2.5, 5, 10) if s * mag >= raw)
    start = math.ceil(lo / step) * step
    out, v = [], start
    while v <= hi + step * 1e-9:
        out.append(round(v, 12))
        v += step
    return out


def _fmt(v: float) -> str:
    return f"{v:.3g}"


class _Frame:
    def __init__(self, xlo: float, xhi: float, ylo: float, yhi: float, log_y: bool) -> None:
        if xhi == xlo:
            xlo, xhi = xlo - 1, xhi + 1
        if yhi == ylo:
            ylo, yhi = ylo - 1, yhi + 1
        pad = (yhi - ylo) * 0.05
        self.xlo, self.xhi, self.ylo, self.yhi = xlo, xhi, ylo - pad, yhi + pad
        self.log_y = log_y

    def x(self, v: float) -> float:
        return ML + (v - self.xlo) / (self.xhi - self.xlo) * (W - ML - MR)

    def y(self, v: float) -> float:
        return H - MB - (v - self.ylo) / (self.yhi - self.ylo) * (H - MT - MB)


def _axes(f: _Frame, title: str, xlabel: str, ylabel: str, xticks: bool = True) -> list[str]:
    out = [
        f'<text x="{W / 2}" y="18" text-anchor="middle" class="pt">{escape(title)}</text>',
        f'<rect x="{ML}" y="{MT}" width="{W - ML - MR}" height="{H - MT - MB}" class="pf"/>',
    ]
    for v in _ticks(f.ylo, f.yhi):
        y = f.y(v)
        label = _fmt(10**v) if f.log_y else _fmt(v)
        out.append(
            f'<line x1="{ML}" x2="{W - MR}" y1="{y:.1f}" y2="{y:.1f}" class="pg"/>'
            f'<text x="{ML - 6}" y="{y + 4:.1f}" text-anchor="end" class="pl">{label}</text>'
        )
    if xticks:
        for v in _ticks(f.xlo, f.xhi):
            x = f.x(v)
            out.append(
                f'<text x="{x:.1f}" y="{H - MB + 16}" text-anchor="middle" '
                f'class="pl">{_fmt(v)}</text>'
            )
    out.append(
        f'<text x="{(ML + W - MR) / 2}" y="{H - 6}" text-anchor="middle" '
        f'class="pl">{escape(xlabel)}</text>'
    )
    if ylabel:
        out.append(
            f'<text x="14" y="{(MT + H - MB) / 2}" text-anchor="middle" class="pl" '
            f'transform="rotate(-90 14 {(MT + H - MB) / 2})">{escape(ylabel)}</text>'
        )
    return out


def _legend(labels: Sequence[str]) -> list[str]:
    out = []
    x = ML + 8
    for i, label in enumerate(labels):
        color = COLORS[i % len(COLORS)]
        dash = DASHES[i % len(DASHES)]
        out.append(
            f'<line x1="{x}" x2="{x + 18}" y1="{MT - 12}" y2="{MT - 12}" stroke="{color}" '
            f'stroke-width="2.5" stroke-dasharray="{dash}"/>'
            f'<text x="{x + 22}" y="{MT - 8}" class="pl">{escape(label)}</text>'
        )
        x += 30 + 7 * len(label)
    return out


def _wrap(body: list[str], title: str) -> Markup:
    return Markup(
        f'<svg class="plot" viewBox="0 0 {W} {H}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg">' + "".join(body) + "</svg>"
    )


def _line(plot: dict[str, Any], lang: str) -> Markup:
    xs = [_num(v) for v in plot["x"]]
    log_y = bool(plot.get("log_y"))
    series = []
    for s in plot["series"]:
        ys = [_num(v) for v in s["y"]]
        if log_y:
            ys = [math.log10(v) if v is not None and v > 0 else None for v in ys]
        series.append((text_of(s.get("label"), lang), ys))
    finite_x = [v for v in xs if v is not None]
    finite_y = [v for _, ys in series for v in ys if v is not None]
    if not finite_x or not finite_y:
        return Markup("")
    f = _Frame(min(finite_x), max(finite_x), min(finite_y), max(finite_y), log_y)
    title = text_of(plot.get("title"), lang)
    body = _axes(f, title, str(plot.get("x_label", "")), str(plot.get("y_label", "")))
    for i, (_, ys) in enumerate(series):
        color, dash = COLORS[i % len(COLORS)], DASHES[i % len(DASHES)]
        segments: list[list[str]] = [[]]
        for x, y in zip(xs, ys, strict=False):
            if x is None or y is None:
                segments.append([])
                continue
            segments[-1].append(f"{f.x(x):.1f},{f.y(y):.1f}")
        for seg in segments:
            if len(seg) == 1:
                cx, cy = seg[0].split(",")
                body.append(f'<circle cx="{cx}" cy="{cy}" r="2.5" fill="{color}"/>')
            elif seg:
                body.append(
                    f'<polyline points="{" ".join(seg)}" fill="none" stroke="{color}" '
                    f'stroke-width="2.5" stroke-dasharray="{dash}"/>'
                )
    body += _legend([label for label, _ in series])
    return _wrap(body, title)


def _histogram(plot: dict[str, Any], lang: str) -> Markup:
    edges = [float(v) for v in plot["bins"]]
    counts = [float(v or 0) for v in plot["counts"]]
    total = sum(counts) or 1.0
    widths = [b - a for a, b in itertools.pairwise(edges)]
    density = [c / (total * w) if w > 0 else 0.0 for c, w in zip(counts, widths, strict=False)]
    expected = [_num(v) for v in plot.get("expected_density", [])]
    ymax = max(density + [v for v in expected if v is not None] + [1e-12])
    f = _Frame(edges[0], edges[-1], 0.0, ymax, False)
    f.ylo = 0.0
    title = text_of(plot.get("title"), lang)
    body = _axes(f, title, str(plot.get("x_label", "x")), str(plot.get("y_label", "density")))
    for a, b, d in zip(edges, edges[1:], density, strict=False):
        x0, x1, y = f.x(a), f.x(b), f.y(d)
        body.append(
            f'<rect x="{x0:.1f}" y="{y:.1f}" width="{max(0.5, x1 - x0 - 0.5):.1f}" '
            f'height="{max(0.0, f.y(0) - y):.1f}" fill="{COLORS[0]}" opacity="0.55"/>'
        )
    if expected:
        centers = [(a + b) / 2 for a, b in itertools.pairwise(edges)]
        pts = [
            f"{f.x(x):.1f},{f.y(y):.1f}"
            for x, y in zip(centers, expected, strict=False)
            if y is not None
        ]
        body.append(
            f'<polyline points="{" ".join(pts)}" fill="none" stroke="{COLORS[1]}" '
            f'stroke-width="2.5" stroke-dasharray="{DASHES[1]}"/>'
        )
    labels = plot.get("labels") or {}
    body += _legend(
        [
            text_of(labels.get("samples"), lang) or ("samples" if lang == "en" else "표본"),
            text_of(labels.get("expected"), lang) or ("target" if lang == "en" else "목표 분포"),
        ]
    )
    return _wrap(body, title)


def _bars(plot: dict[str, Any], lang: str) -> Markup:
    cats = [str(c) for c in plot["categories"]]
    series = [
        (text_of(s.get("label"), lang), [_num(v) or 0.0 for v in s["y"]]) for s in plot["series"]
    ]
    ymax = max([v for _, ys in series for v in ys] + [1e-12])
    f = _Frame(0, len(cats), 0.0, ymax, False)
    f.ylo = 0.0
    title = text_of(plot.get("title"), lang)
    body = _axes(f, title, str(plot.get("x_label", "")), str(plot.get("y_label", "")), False)
    n = max(1, len(series))
    for ci, cat in enumerate(cats):
        for si, (_, ys) in enumerate(series):
            x0 = f.x(ci + 0.1 + 0.8 * si / n)
            x1 = f.x(ci + 0.1 + 0.8 * (si + 1) / n)
            y = f.y(ys[ci])
            body.append(
                f'<rect x="{x0:.1f}" y="{y:.1f}" width="{x1 - x0:.1f}" '
                f'height="{f.y(0) - y:.1f}" fill="{COLORS[si % len(COLORS)]}"/>'
            )
        body.append(
            f'<text x="{f.x(ci + 0.5):.1f}" y="{H - MB + 16}" text-anchor="middle" '
            f'class="pl">{escape(cat)}</text>'
        )
    body += _legend([label for label, _ in series])
    return _wrap(body, title)
