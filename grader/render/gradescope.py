"""Gradescope's ``/autograder/results/results.json``.

The contract's object (:meth:`Result.to_dict`) plus the presentation keys Gradescope's
spec defines (``gradescope/autograder_samples:docs/specs.md``): a Markdown top-level
``output`` (``output_format: "md"``) with the total and the misconceptions found,
``number`` and formats for each test, ``visibility``/``stdout_visibility`` and
``extra_data``; a test with hidden inputs is ``after_published`` (see
:data:`grader.render.json.GRADESCOPE_HIDDEN`). No contract key is renamed; the schema in
``grader/schemas/gradescope_results.schema.json`` describes the result.
"""

from __future__ import annotations

from typing import Any

from grader.render.json import dumps, for_gradescope
from grader.render.markdown import escape, misconception_ids
from grader.render.messages import ui
from grader.result import Result

__all__ = ["gradescope_dict", "render_gradescope"]


def gradescope_dict(result: Result, lang: str = "en") -> dict[str, Any]:
    """The ``results.json`` object for ``result`` in language ``lang``."""
    data = for_gradescope(result.to_dict(lang))
    data["output"] = _top_output(result, lang)
    data["output_format"] = "md"
    # Feedback is plain text (it quotes code and numbers): shown verbatim.
    data["test_output_format"] = "text"
    data["test_name_format"] = "text"
    data["visibility"] = "visible"
    # The harness prints nothing worth showing; the student's prints are not ours to leak.
    data["stdout_visibility"] = "hidden"
    data["extra_data"] = {
        "exercise": result.exercise,
        "status": result.status,
        "lang": lang,
        "misconceptions": misconception_ids(result),
    }
    for number, test in enumerate(data["tests"], start=1):
        test["number"] = str(number)
        test["output_format"] = "text"
        test["name_format"] = "text"
    return data


def render_gradescope(result: Result, lang: str = "en") -> str:
    """:func:`gradescope_dict` as JSON, ready to write as ``results.json``."""
    return dumps(gradescope_dict(result, lang), indent=2)


def _top_output(result: Result, lang: str) -> str:
    percent = 100.0 * result.fraction
    lines = [
        "**" + escape(ui("render.total-line", score=result.score, max_score=result.max_score,
                         percent=percent).get(lang)) + "**"
    ]
    if result.status == "ungradable":
        lines += ["", escape(ui("render.ungradable").get(lang))]
    lines += [escape(m.get(lang)) for m in result.messages]
    ids = misconception_ids(result)
    if ids:
        label = escape(ui("render.misconceptions").get(lang))
        lines += ["", f"**{label}:** " + ", ".join(f"`{i}`" for i in ids)]
    return "\n".join(lines)
