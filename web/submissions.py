"""A submission's page: live status while it is graded, then the per-test results."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, render_template

from web import catalog, plots
from web.auth import current_user, login_required
from web.db import db
from web.i18n import current_lang, t, text_of
from web.models import Submission

bp = Blueprint("submissions", __name__, url_prefix="/submissions")


def visible_submission(submission_id: int) -> Submission:
    """The submission if the current user may see it; 404 otherwise (no existence leak)."""
    user = current_user()
    sub = db.session.get(Submission, submission_id)
    if sub is None or user is None or (sub.user_id != user.id and not user.is_instructor):
        abort(404)
    return sub


def summary(tests: list[dict[str, Any]], lang: str) -> str:
    """One line that never says "all passed" while a hidden check failed."""
    total = len(tests)
    passed = sum(1 for x in tests if x.get("status") == "passed")
    hidden_failed = sum(
        1 for x in tests if x.get("status") != "passed" and x.get("visibility") == "hidden"
    )
    visible_failed = total - passed - hidden_failed
    if passed == total:
        return t("sub.summary.all", lang, total=total)
    if hidden_failed and not visible_failed:
        return t(
            "sub.summary.visible-only",
            lang,
            passed=passed,
            total=total,
            hidden_failed=hidden_failed,
        )
    if hidden_failed:
        return t("sub.summary.some", lang, passed=passed, total=total, hidden_failed=hidden_failed)
    return t("sub.summary.plain", lang, passed=passed, total=total)


def result_view(result: dict[str, Any] | None, lang: str) -> dict[str, Any] | None:
    """What the template shows of a stored result, in ``lang``."""
    if result is None:
        return None
    tests = []
    for test in result.get("tests", []):
        extra = test.get("extra_data") or {}
        tests.append(
            {
                "name": test["name"],
                "score": test["score"],
                "max_score": test["max_score"],
                "passed": test.get("status") == "passed",
                "hidden": test.get("visibility") == "hidden",
                "output": _without_misconception_lines(
                    (test.get("output_i18n") or {}).get(lang) or test.get("output", ""),
                    test.get("misconceptions", []),
                ),
                "misconceptions": [
                    {
                        "id": m.get("id"),
                        "title": text_of(m.get("title"), lang),
                        "explanation": text_of(m.get("explanation"), lang),
                        "hint": text_of(m.get("hint"), lang),
                    }
                    for m in test.get("misconceptions", [])
                ],
                "plots": [plots.svg(p, lang) for p in plots.plots_of(extra)],
            }
        )
    return {
        "tests": tests,
        "summary": summary(result.get("tests", []), lang),
        "has_hidden": any(x["hidden"] for x in tests),
        "ungradable": result.get("status") == "ungradable",
        "output": (result.get("output_i18n") or {}).get(lang) or result.get("output", ""),
        "stdout": result.get("stdout", ""),
    }


def _without_misconception_lines(output: str, found: list[dict[str, Any]]) -> str:
    """The feedback minus the misconception lines, which the page shows as boxes."""
    ids = [f"[{m.get('id')}]" for m in found]
    return "\n".join(line for line in output.splitlines() if not any(i in line for i in ids))


@bp.get("/<int:submission_id>")
@login_required
def show(submission_id: int) -> Any:
    sub = visible_submission(submission_id)
    ex = catalog.exercise(sub.exercise_id)
    return render_template(
        "submissions/show.html", sub=sub, ex=ex, view=result_view(sub.result, current_lang())
    )


@bp.get("/<int:submission_id>/results")
@login_required
def results_fragment(submission_id: int) -> Any:
    """The results block alone, fetched by the page when grading finishes."""
    sub = visible_submission(submission_id)
    return render_template(
        "submissions/_results.html", sub=sub, view=result_view(sub.result, current_lang())
    )
