"""Quiz pages: each student's own numbers, immediate grading with explanations."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, abort, flash, render_template, request
from sqlalchemy import select

from web import catalog
from web.auth import current_user, login_required
from web.db import db
from web.grading import result_payload
from web.i18n import current_lang, t, text_of
from web.intake import check_rate
from web.models import QuizAttempt
from web.policy import PolicyError, admit, attempts_used, settings_for
from web.submissions import result_view

bp = Blueprint("quizzes", __name__, url_prefix="/quizzes")


def _quiz_exercise(exercise_id: str) -> Any:
    ex = catalog.exercise(exercise_id)
    user = current_user()
    if (
        ex is None
        or ex.kind != "quiz"
        or user is None
        or (not user.is_instructor and not settings_for(ex.id).published)
    ):
        abort(404)
    return ex


def question_view(q: dict[str, Any], lang: str) -> dict[str, Any]:
    """A rendered question, whatever the exact key names of the quiz engine."""
    kind = str(q.get("kind") or q.get("type") or "single")
    choices = []
    for i, c in enumerate(q.get("choices") or q.get("options") or []):
        if isinstance(c, dict) and ("id" in c or "value" in c):
            value = str(c.get("id", c.get("value")))
            label = text_of(c.get("text") or c.get("label") or c.get("prompt"), lang)
        else:
            value, label = str(i), text_of(c, lang)
        choices.append({"value": value, "label": label})
    if kind in ("true_false", "truefalse", "bool", "boolean") and not choices:
        choices = [
            {"value": "true", "label": t("quiz.true", lang)},
            {"value": "false", "label": t("quiz.false", lang)},
        ]
    return {
        "id": str(q.get("id")),
        "kind": kind,
        "multiple": kind in ("multiple", "multi", "multiple_choice", "checkbox"),
        "numeric": kind in ("numeric", "number"),
        "prompt": text_of(q.get("prompt") or q.get("text") or q.get("question"), lang),
        "choices": choices,
        "points": q.get("points"),
        "tolerance": _tolerance(q.get("tolerance"), lang),
        "unit": text_of(q.get("unit"), lang),
    }


def _tolerance(tol: Any, lang: str) -> str:
    if isinstance(tol, dict) and ("rtol" in tol or "atol" in tol):
        return f"rtol {float(tol.get('rtol') or 0):g}, atol {float(tol.get('atol') or 0):g}"
    return text_of(tol, lang) if tol else ""


def _load(ex: Any) -> tuple[Any, Any]:
    backend = catalog.quiz_backend()
    return backend, backend.load_quiz(ex.directory)


@bp.route("/<exercise_id>", methods=["GET", "POST"])
@login_required
def take(exercise_id: str) -> Any:
    ex = _quiz_exercise(exercise_id)
    user = current_user()
    assert user is not None
    lang = current_lang()
    backend, quiz = _load(ex)
    questions = [question_view(q, lang) for q in backend.render(quiz, user.student_key)]
    view = None
    answers: dict[str, Any] = {}
    status = 200
    if request.method == "POST":
        for q in questions:
            key = f"q-{q['id']}"
            answers[q["id"]] = (
                request.form.getlist(key) if q["multiple"] else request.form.get(key, "")
            )
        try:
            admission = admit(user, ex.id, "quiz")
            check_rate(user)
        except PolicyError as err:
            flash(t(err.key, **err.fields), "error")
            status = err.status
        else:
            result = backend.grade_quiz(quiz, user.student_key, answers)
            payload = result_payload(result)
            raw = float(payload["score"])
            attempt = QuizAttempt(
                user_id=user.id,
                exercise_id=ex.id,
                answers_json=json.dumps(answers),
                late=admission.late,
                penalty=admission.penalty,
                raw_score=raw,
                score=round(raw * (1 - admission.penalty), 6),
                max_score=float(payload["max_score"]),
                result_json=json.dumps(payload),
            )
            db.session.add(attempt)
            db.session.commit()
            shown = result_view(payload, lang) or {}
            shown["attempt"] = attempt
            view = shown
    attempts = db.session.scalars(
        select(QuizAttempt)
        .where(QuizAttempt.user_id == user.id, QuizAttempt.exercise_id == ex.id)
        .order_by(QuizAttempt.id.desc())
    ).all()
    return render_template(
        "quizzes/take.html",
        ex=ex,
        questions=questions,
        view=view,
        answers=answers,
        attempts=attempts,
        settings=settings_for(ex.id),
        used=attempts_used(user, ex.id, "quiz"),
    ), status
