"""A terminal view of a result: a Rich table of the tests, then the total.

Works without a TTY (plain characters, no colour unless the console has them); cells
are Rich ``Text`` objects, so brackets in feedback are never read as markup.
"""

from __future__ import annotations

import io

from rich import box
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text as RichText

from grader.render.messages import ui
from grader.result import Result

__all__ = ["render_text", "text_view"]


def text_view(result: Result, lang: str = "en") -> RenderableType:
    """The Rich renderable of ``result`` (print it on any console)."""
    parts: list[RenderableType] = []
    if result.status == "ungradable":
        parts.append(RichText(ui("render.ungradable").get(lang), style="bold red"))
    parts += [RichText(m.get(lang)) for m in result.messages]
    table = Table(
        title=ui("render.result-title", exercise=result.exercise).get(lang),
        box=box.SIMPLE_HEAD, show_lines=False, expand=False,
    )
    table.add_column("", no_wrap=True)
    table.add_column(ui("render.test").get(lang), overflow="fold")
    table.add_column(ui("render.points").get(lang), justify="right", no_wrap=True)
    table.add_column(ui("render.feedback").get(lang), overflow="fold", ratio=1)
    # The misconceptions column only when one was found: otherwise feedback gets the room.
    tagged = any(t.tags for t in result.tests)
    if tagged:
        table.add_column(ui("render.misconceptions").get(lang), overflow="fold")
    for t in result.tests:
        mark = RichText("✓", style="green") if t.passed else RichText("✗", style="red")
        cells = [mark, RichText(t.name), RichText(f"{t.score:g}/{t.max_score:g}"),
                 RichText(t.feedback(lang))]
        table.add_row(*cells, *([RichText(", ".join(t.tags))] if tagged else []))
    parts.append(table)
    total = ui("render.total-line", score=result.score, max_score=result.max_score,
               percent=100.0 * result.fraction).get(lang)
    parts.append(RichText(total, style="bold"))
    return Group(*parts)


def render_text(result: Result, lang: str = "en", *, width: int = 120) -> str:
    """``result`` as plain text of at most ``width`` columns (no ANSI codes)."""
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, force_terminal=False, no_color=True,
                      color_system=None, highlight=False, emoji=False)
    console.print(text_view(result, lang))
    # Rich pads every line to the table's width; trailing blanks only clutter logs.
    return "\n".join(line.rstrip() for line in buffer.getvalue().splitlines()) + "\n"
