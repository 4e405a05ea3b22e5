"""Instructor pages: gradebook and CSV, per-exercise statistics and settings, regrading, users."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from markupsafe import Markup
from sqlalchemy import select

from web import catalog, grading, plots
from web.auth import AccountError, create_user, instructor_required
from web.db import db
from web.i18n import current_lang, t
from web.models import ExerciseSetting, QuizAttempt, Submission, TestRow, User
from web.policy import settings_for

bp = Blueprint("instructor", __name__, url_prefix="/instructor")


@dataclass
class Cell:
    score: float | None
    late: bool
    attempts: int


def gradebook() -> tuple[list[Any], list[User], dict[tuple[int, str], Cell]]:
    """Exercises, students, and each (student, exercise) cell by the exercise's policy."""
    exercises = list(catalog.exercises().values())
    students = list(
        db.session.scalars(select(User).where(User.role == "student").order_by(User.email))
    )
    attempts: dict[tuple[int, str], list[tuple[int, float | None, bool]]] = {}
    for s in db.session.scalars(select(Submission).order_by(Submission.id)):
        attempts.setdefault((s.user_id, s.exercise_id), []).append(
            (s.id, s.score if s.status == "done" and s.counts_as_attempt else None, s.late)
        )
    for q in db.session.scalars(select(QuizAttempt).order_by(QuizAttempt.id)):
        attempts.setdefault((q.user_id, q.exercise_id), []).append((q.id, q.score, q.late))
    policies = {ex.id: settings_for(ex.id).score_policy for ex in exercises}
    cells: dict[tuple[int, str], Cell] = {}
    for (uid, ex_id), rows in attempts.items():
        graded = [r for r in rows if r[1] is not None]
        if not graded:
            cells[(uid, ex_id)] = Cell(None, False, len(rows))
            continue
        if policies.get(ex_id) == "latest":
            chosen = graded[-1]
        else:  # best; the earliest of equal scores, so a late resubmission never displaces it
            chosen = max(graded, key=lambda r: (r[1], -r[0]))
        cells[(uid, ex_id)] = Cell(chosen[1], chosen[2], len(rows))
    return exercises, students, cells


@bp.get("/")
@instructor_required
def index() -> Any:
    exercises, students, cells = gradebook()
    return render_template(
        "instructor/gradebook.html",
        exercises=exercises,
        students=students,
        cells=cells,
        settings={ex.id: settings_for(ex.id) for ex in exercises},
    )


@bp.get("/gradebook.csv")
@instructor_required
def gradebook_csv() -> Response:
    exercises, students, cells = gradebook()
    buf = io.StringIO()
    w = csv.writer(buf)
    header = ["email", "name"]
    for ex in exercises:
        header += [ex.id, f"{ex.id}_late"]
    header.append("total")
    w.writerow(header)
    for st in students:
        row: list[Any] = [st.email, st.name]
        total = 0.0
        for ex in exercises:
            cell = cells.get((st.id, ex.id))
            score = cell.score if cell else None
            total += score or 0.0
            row += ["" if score is None else f"{score:g}", "1" if cell and cell.late else "0"]
        row.append(f"{total:g}")
        w.writerow(row)
    return Response(
        buf.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=gradebook.csv"},
    )


def _exercise(exercise_id: str) -> Any:
    ex = catalog.exercise(exercise_id)
    if ex is None:
        abort(404)
    return ex


def statistics(ex: Any, lang: str) -> dict[str, Any]:
    subs = list(
        db.session.scalars(
            select(Submission).where(Submission.exercise_id == ex.id, Submission.status == "done")
        )
    )
    failed: Counter[str] = Counter()
    if ex.kind == "quiz":
        attempts = list(
            db.session.scalars(select(QuizAttempt).where(QuizAttempt.exercise_id == ex.id))
        )
        scored = [(q.user_id, q.score) for q in attempts]
        for q in attempts:  # which questions students get wrong
            failed.update(t["name"] for t in q.result.get("tests", []) if t["status"] != "passed")
    else:
        scored = [(s.user_id, s.score) for s in subs if s.score is not None]
    best: dict[int, float] = {}
    for uid, score in scored:
        best[uid] = max(best.get(uid, 0.0), float(score or 0.0))
    ids = [s.id for s in subs]
    tags: Counter[str] = Counter()
    if ids:
        per_submission: dict[int, set[str]] = {}
        for row in db.session.scalars(select(TestRow).where(TestRow.submission_id.in_(ids))):
            if row.status != "passed":
                failed[row.name] += 1
            per_submission.setdefault(row.submission_id, set()).update(
                filter(None, row.tags.split(","))
            )
        for found in per_submission.values():  # a misconception counts once per submission
            tags.update(found)
    titles = {m.id: m.info.title.get(lang) for m in getattr(ex, "misconceptions", ())}
    hist: Markup = Markup("")
    if best and ex.max_score:
        nbins = 10
        edges = [ex.max_score * i / nbins for i in range(nbins + 1)]
        counts = [0] * nbins
        for v in best.values():
            counts[min(nbins - 1, int(v / ex.max_score * nbins))] += 1
        hist = plots.svg(
            {
                "kind": "bars",
                "title": t("ins.stats.distribution", lang),
                # each bar is labelled with the lower end of its range (short: no overlap)
                "categories": [f"{edges[i]:.3g}" for i in range(nbins)],
                "series": [{"label": t("ins.stats.count", lang), "y": counts}],
                "x_label": t("sub.score", lang),
            },
            lang,
        )
    return {
        "n": len(scored),
        "students": len(best),
        "histogram": hist,
        "failed": failed.most_common(10),
        "misconceptions": [(tag, titles.get(tag, ""), n) for tag, n in tags.most_common(10)],
    }


@bp.get("/exercises/<exercise_id>")
@instructor_required
def exercise(exercise_id: str) -> Any:
    ex = _exercise(exercise_id)
    student = request.args.get("student", type=int)
    subs_q = select(Submission).where(Submission.exercise_id == ex.id)
    quiz_q = select(QuizAttempt).where(QuizAttempt.exercise_id == ex.id)
    if student is not None:  # one student's attempts, from a gradebook cell
        subs_q = subs_q.where(Submission.user_id == student)
        quiz_q = quiz_q.where(QuizAttempt.user_id == student)
    subs = db.session.scalars(subs_q.order_by(Submission.id.desc()).limit(200)).all()
    quiz_attempts = db.session.scalars(quiz_q.order_by(QuizAttempt.id.desc()).limit(200)).all()
    return render_template(
        "instructor/exercise.html",
        ex=ex,
        subs=subs,
        quiz_attempts=quiz_attempts,
        student=db.session.get(User, student) if student is not None else None,
        stats=statistics(ex, current_lang()),
        settings=settings_for(ex.id),
    )


def _parse_time(value: str) -> dt.datetime | None:
    value = value.strip()
    if not value:
        return None
    when = dt.datetime.fromisoformat(value)
    return when.replace(tzinfo=dt.UTC) if when.tzinfo is None else when.astimezone(dt.UTC)


@bp.post("/exercises/<exercise_id>/settings")
@instructor_required
def save_settings(exercise_id: str) -> Any:
    ex = _exercise(exercise_id)
    row = db.session.get(ExerciseSetting, ex.id) or ExerciseSetting(exercise_id=ex.id)
    f = request.form
    problem = "ins.settings.bad-number"
    try:
        row.published = f.get("published") == "on"
        problem = "ins.settings.bad-time"
        row.opens_at = _parse_time(f.get("opens_at", ""))
        row.due_at = _parse_time(f.get("due_at", ""))
        row.late_until = _parse_time(f.get("late_until", ""))
        problem = "ins.settings.bad-penalty"
        penalty = float(f.get("late_penalty") or 0)
        if not 0 <= penalty <= 100:
            raise ValueError(problem)
        row.late_penalty = penalty / 100
        problem = "ins.settings.bad-attempts"
        row.max_attempts = int(f["max_attempts"]) if f.get("max_attempts", "").strip() else None
        if row.max_attempts is not None and row.max_attempts < 1:
            raise ValueError(problem)
        problem = "ins.settings.bad-number"
        row.min_interval_seconds = max(0, int(f.get("min_interval_seconds") or 0))
        problem = "ins.settings.bad-policy"
        policy = f.get("score_policy", "best")
        if policy not in ("best", "latest"):
            raise ValueError(problem)
        row.score_policy = policy
    except ValueError:
        db.session.rollback()
        flash(t("ins.settings.bad", error=t(problem)), "error")
        return redirect(url_for("instructor.exercise", exercise_id=ex.id))
    db.session.add(row)
    db.session.commit()
    flash(t("ins.settings.saved"), "success")
    return redirect(url_for("instructor.exercise", exercise_id=ex.id))


@bp.post("/exercises/<exercise_id>/regrade")
@instructor_required
def regrade_exercise(exercise_id: str) -> Any:
    ex = _exercise(exercise_id)
    ids = list(
        db.session.scalars(
            select(Submission.id).where(
                Submission.exercise_id == ex.id, Submission.status.in_(("done", "error"))
            )
        )
    )
    flash(t("ins.regraded", n=grading.regrade(ids)), "success")
    return redirect(url_for("instructor.exercise", exercise_id=ex.id))


@bp.post("/submissions/<int:submission_id>/regrade")
@instructor_required
def regrade_submission(submission_id: int) -> Any:
    sub = db.session.get(Submission, submission_id)
    if sub is None:
        abort(404)
    flash(t("ins.regraded", n=grading.regrade([sub.id])), "success")
    return redirect(url_for("submissions.show", submission_id=sub.id))


@bp.route("/users", methods=["GET", "POST"])
@instructor_required
def users() -> Any:
    if request.method == "POST":
        created = 0
        try:
            roster = request.files.get("roster")
            if roster is not None and roster.filename:
                for rec in csv.reader(io.StringIO(roster.read().decode("utf-8"))):
                    if not rec or rec[0].strip().lower() in ("", "email"):
                        continue
                    create_user(rec[0], "student", None, rec[1] if len(rec) > 1 else "")
                    created += 1
            elif request.form.get("email"):
                create_user(
                    request.form["email"],
                    request.form.get("role", "student"),
                    request.form.get("password") or None,
                    request.form.get("name", ""),
                )
                created = 1
        except UnicodeDecodeError:
            db.session.rollback()
            flash(t("ins.users.bad-csv"), "error")
        except AccountError as exc:
            db.session.rollback()
            flash(t(exc.key, **exc.fields), "error")
        else:
            flash(t("ins.users.imported", n=created), "success")
        return redirect(url_for("instructor.users"))
    rows = db.session.scalars(select(User).order_by(User.role, User.email)).all()
    return render_template("instructor/users.html", users=rows)
