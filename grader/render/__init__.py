"""Views of a :class:`grader.result.Result`: text, JSON, Gradescope, JUnit, Markdown.

Every renderer is a pure function ``(result, lang) -> str``; :data:`FORMATS` maps the
``--format`` names of ``gradwell grade`` to them.
"""

from __future__ import annotations

from collections.abc import Callable

from grader.render.gradescope import gradescope_dict, render_gradescope
from grader.render.json import render_json
from grader.render.junit import render_junit
from grader.render.markdown import render_markdown, render_markdown_summary
from grader.render.text import render_text
from grader.result import Result

__all__ = [
    "FORMATS",
    "gradescope_dict",
    "render",
    "render_gradescope",
    "render_json",
    "render_junit",
    "render_markdown",
    "render_markdown_summary",
    "render_text",
]

Renderer = Callable[[Result, str], str]

#: ``--format`` name -> renderer.
FORMATS: dict[str, Renderer] = {
    "text": render_text,
    "json": render_json,
    "gradescope": render_gradescope,
    "junit": render_junit,
    "markdown": render_markdown,
}


def render(result: Result, fmt: str, lang: str = "en") -> str:
    """``result`` in the format ``fmt`` (a key of :data:`FORMATS`) and language ``lang``."""
    return FORMATS[fmt](result, lang)
