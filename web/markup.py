"""Statements: Markdown rendered on the server, math left for the vendored KaTeX.

Math (``$...$`` and ``$$...$$``) is cut out before Markdown runs, so that ``_`` and
``*`` inside formulas are not taken for emphasis, and put back as
``<span class="math">`` elements whose text is the TeX source; ``static/app.js`` renders
them with KaTeX. Without JavaScript the reader still sees the TeX.
"""

from __future__ import annotations

import html
import re

from markdown_it import MarkdownIt
from markupsafe import Markup

__all__ = ["render_markdown"]

_md = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
# $$...$$ first (display), then $...$ (inline, not spanning blank lines, not "$ 5").
_MATH = re.compile(r"\$\$(.+?)\$\$|(?<![\\$])\$(?!\s)([^$\n]+?)(?<!\s)\$(?!\d)", re.S)
_CODE = re.compile(r"(```.*?```|`[^`\n]*`)", re.S)


def render_markdown(text: str) -> Markup:
    """HTML for ``text``; math spans become ``<span class="math" data-display=…>``."""
    formulas: list[tuple[str, bool]] = []

    def stash(m: re.Match[str]) -> str:
        display = m.group(1) is not None
        formulas.append(((m.group(1) if display else m.group(2)).strip(), display))
        return f"GWMATH{len(formulas) - 1}X"

    # Code spans and blocks keep their dollars.
    parts = _CODE.split(text)
    text = "".join(p if i % 2 else _MATH.sub(stash, p) for i, p in enumerate(parts))
    out = _md.render(text)

    def restore(m: re.Match[str]) -> str:
        tex, display = formulas[int(m.group(1))]
        tag = "div" if display else "span"
        return (
            f'<{tag} class="math" data-display="{int(display)}">'
            f"{html.escape(tex, quote=False)}</{tag}>"
        )

    out = re.sub(
        r"<p>GWMATH(\d+)X</p>",
        lambda m: restore(m) if formulas[int(m.group(1))][1] else f"<p>{restore(m)}</p>",
        out,
    )
    out = re.sub(r"GWMATH(\d+)X", restore, out)
    return Markup(out)
