"""Markdown views: one result as a table (PR comments, job summaries), and the summary
of a whole exercise repository (``gradwell ci``, ``$GITHUB_STEP_SUMMARY``).

GitHub-flavoured Markdown: table cells are escaped (``|``, emphasis and HTML
characters) and line breaks inside a cell become ``<br>``.
"""

from __future__ import annotations

from collections.abc import Sequence

from grader.render.messages import ui
from grader.result import Result, TestResult

__all__ = ["escape", "misconception_ids", "render_markdown", "render_markdown_summary"]

_ESCAPES = {
    "\\": "\\\\", "|": "\\|", "*": "\\*", "_": "\\_", "`": "\\`", "[": "\\[", "]": "\\]",
    "<": "&lt;", ">": "&gt;", "&": "&amp;",
}


def escape(text: str) -> str:
    """``text`` as literal Markdown, fit for one table cell (newlines become ``<br>``)."""
    out = "".join(_ESCAPES.get(ch, ch) for ch in text)
    return "<br>".join(line.strip() for line in out.splitlines()) if "\n" in out else out


def misconception_ids(result: Result) -> list[str]:
    """The misconception ids found in ``result``, each once, in test order."""
    return list(dict.fromkeys(tag for t in result.tests for tag in t.tags))


def _mark(test: TestResult) -> str:
    return "✅" if test.passed else "❌"


def _points(score: float, max_score: float) -> str:
    return f"{score:g} / {max_score:g}"


def _total(result: Result, lang: str) -> str:
    return ui("render.total-line", score=result.score, max_score=result.max_score,
              percent=100.0 * result.fraction).get(lang)


def render_markdown(result: Result, lang: str = "en", *, heading_level: int = 3) -> str:
    """A heading with the total, a table of the tests and the misconceptions found."""
    hashes = "#" * heading_level
    title = ui("render.result-title", exercise=result.exercise).get(lang)
    lines = [f"{hashes} {escape(title)}", "", f"**{escape(_total(result, lang))}**", ""]
    if result.status == "ungradable":
        lines += [escape(ui("render.ungradable").get(lang))]
        lines += [f"> {escape(m.get(lang))}" for m in result.messages]
        lines += [""]
    elif result.messages:
        lines += [escape(m.get(lang)) for m in result.messages] + [""]
    head = [ui(k).get(lang) for k in ("render.test", "render.points", "render.feedback")]
    lines += [f"| | {head[0]} | {head[1]} | {head[2]} |", "|---|---|---:|---|"]
    for t in result.tests:
        lines.append(
            f"| {_mark(t)} | {escape(t.name)} | {_points(t.score, t.max_score)} "
            f"| {escape(t.feedback(lang))} |"
        )
    ids = misconception_ids(result)
    if ids:
        label = ui("render.misconceptions").get(lang)
        lines += ["", f"**{label}:** " + ", ".join(f"`{i}`" for i in ids)]
    return "\n".join(lines) + "\n"


def render_markdown_summary(
    outcomes: Sequence[tuple[Result, float]], lang: str = "en",
) -> str:
    """An overview table of several exercises (result, pass mark), then each one's table."""
    head = [ui(k).get(lang) for k in (
        "render.summary-exercise", "render.summary-score", "render.summary-passmark",
        "render.summary-status",
    )]
    lines = [
        f"## {ui('render.summary-title').get(lang)}", "",
        f"| {head[0]} | {head[1]} | {head[2]} | {head[3]} |", "|---|---:|---:|---|",
    ]
    for result, pass_mark in outcomes:
        ok = result.fraction >= pass_mark - 1e-9
        status = ("✅ " + ui("render.summary-pass").get(lang)) if ok else (
            "❌ " + ui("render.summary-fail").get(lang))
        lines.append(
            f"| {escape(result.exercise)} | {_points(result.score, result.max_score)} "
            f"({100.0 * result.fraction:.1f}%) | {100.0 * pass_mark:g}% | {status} |"
        )
    lines.append("")
    for result, _ in outcomes:
        lines += ["<details>", f"<summary>{escape(result.exercise)}</summary>", "",
                  render_markdown(result, lang, heading_level=3), "</details>", ""]
    return "\n".join(lines)
