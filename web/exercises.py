"""Student pages: the exercise list and an exercise's statement, editor and history."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from web import catalog
from web.auth import current_user, login_required
from web.db import db
from web.i18n import t
from web.intake import accept_code
from web.models import QuizAttempt, Submission, User
from web.policy import PolicyError, attempts_used, settings_for

bp = Blueprint("exercises", __name__)


def visible_exercises(user: User) -> list[Any]:
    out = []
    for ex in catalog.exercises().values():
        if user.is_instructor or settings_for(ex.id).published:
            out.append(ex)
    return out


def best_scores(user: User) -> dict[str, tuple[float | None, int]]:
    """exercise id -> (best score, number of graded attempts)."""
    best: dict[str, tuple[float | None, int]] = {}
    rows: list[tuple[str, float | None]] = [
        (s.exercise_id, s.score)
        for s in db.session.scalars(select(Submission).where(Submission.user_id == user.id))
    ]
    rows += [
        (q.exercise_id, q.score)
        for q in db.session.scalars(select(QuizAttempt).where(QuizAttempt.user_id == user.id))
    ]
    for ex_id, score in rows:
        prev, n = best.get(ex_id, (None, 0))
        if score is not None and (prev is None or score > prev):
            prev = score
        best[ex_id] = (prev, n + 1)
    return best


@bp.get("/")
@login_required
def index() -> Any:
    user = current_user()
    assert user is not None
    scores = best_scores(user)
    items = []
    for ex in visible_exercises(user):
        best, n = scores.get(ex.id, (None, 0))
        if n == 0:
            status = "new"
        elif best is not None and ex.max_score and best >= ex.max_score - 1e-9:
            status = "full"
        elif best is not None and ex.max_score and best >= ex.pass_mark * ex.max_score:
            status = "passed"
        else:
            status = "tried"
        items.append({"ex": ex, "best": best, "status": status, "settings": settings_for(ex.id)})
    return render_template("exercises/index.html", items=items)


def _exercise_or_404(exercise_id: str) -> Any:
    ex = catalog.exercise(exercise_id)
    user = current_user()
    if ex is None or (
        user is not None and not user.is_instructor and not settings_for(ex.id).published
    ):
        abort(404)
    return ex


def render_exercise(ex: Any, source: str | None = None, status: int = 200) -> Any:
    user = current_user()
    assert user is not None
    history = db.session.scalars(
        select(Submission)
        .where(Submission.user_id == user.id, Submission.exercise_id == ex.id)
        .order_by(Submission.id.desc())
    ).all()
    return render_template(
        "exercises/show.html",
        ex=ex,
        # the last attempt to build on, or the starter before the first one
        source=source if source is not None else (history[0].source if history else ex.starter),
        history=history,
        settings=settings_for(ex.id),
        used=attempts_used(user, ex.id, ex.kind),
    ), status


@bp.get("/exercises/<exercise_id>")
@login_required
def show(exercise_id: str) -> Any:
    ex = _exercise_or_404(exercise_id)
    if ex.kind == "quiz":
        return redirect(url_for("quizzes.take", exercise_id=ex.id))
    return render_exercise(ex)


@bp.post("/exercises/<exercise_id>/submit")
@login_required
def submit(exercise_id: str) -> Any:
    ex = _exercise_or_404(exercise_id)
    user = current_user()
    assert user is not None
    source = request.form.get("source", "")
    upload = request.files.get("upload")
    if upload is not None and upload.filename:
        try:
            source = upload.read().decode("utf-8")
        except UnicodeDecodeError:
            flash(t("policy.not-text"), "error")
            return render_exercise(ex, source, 400)
    source = source.replace("\r\n", "\n")
    try:
        sub = accept_code(user, ex.id, ex.kind, source)
    except PolicyError as err:
        flash(t(err.key, **err.fields), "error")
        return render_exercise(ex, source, err.status)
    return redirect(url_for("submissions.show", submission_id=sub.id))
