"""The JSON API (contract §3), authenticated by ``Authorization: Bearer TOKEN``.

Read-only requests also accept the browser's session, so the submission page can poll
``GET /api/v1/submissions/<id>``; writes need a token (no cookie, so no CSRF).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Blueprint, g, jsonify, request

from web import catalog
from web.auth import current_user, user_for_token
from web.db import db
from web.errors import error_response
from web.i18n import current_lang, t, text_of
from web.instructor import gradebook
from web.intake import accept_code
from web.models import Submission, User
from web.policy import PolicyError, settings_for

bp = Blueprint("api", __name__, url_prefix="/api/v1")
F = TypeVar("F", bound=Callable[..., Any])


def _authenticate() -> User | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return user_for_token(token.strip())
    if request.method == "GET" and not header:
        return current_user()
    return None


def api_auth(view: F) -> F:
    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        user = _authenticate()
        if user is None:
            response = error_response(401, t("api.unauthorized"))
            response.headers["WWW-Authenticate"] = 'Bearer realm="gradwell"'
            return response
        g.api_user = user
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def _user() -> User:
    return g.api_user  # type: ignore[no-any-return]


def _visible(user: User) -> list[Any]:
    return [
        ex
        for ex in catalog.exercises().values()
        if user.is_instructor or settings_for(ex.id).published
    ]


@bp.get("/exercises")
@api_auth
def exercises() -> Any:
    lang = current_lang()
    return jsonify(
        [
            {
                "id": ex.id,
                "title": text_of(ex.title, lang),
                "max_score": ex.max_score,
                "kind": ex.kind,
            }
            for ex in _visible(_user())
        ]
    )


@bp.post("/exercises/<exercise_id>/submissions")
@api_auth
def submit(exercise_id: str) -> Any:
    user = _user()
    ex = catalog.exercise(exercise_id)
    if ex is None or ex not in _visible(user):
        return error_response(404, t("ex.not-found"))
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return error_response(400, t("api.bad-json"))
    source = body.get("source")
    if not isinstance(source, str):
        return error_response(400, t("api.no-source"))
    try:
        sub = accept_code(user, ex.id, ex.kind, source)
    except PolicyError as err:
        response = error_response(err.status, t(err.key, **err.fields))
        if err.status == 429 and "seconds" in err.fields:
            response.headers["Retry-After"] = str(err.fields["seconds"])
        return response
    response = jsonify({"id": sub.id, "status": "queued"})
    response.status_code = 202
    response.headers["Location"] = f"/api/v1/submissions/{sub.id}"
    return response


def submission_json(sub: Submission, lang: str) -> dict[str, Any]:
    result = sub.result if sub.status == "done" else None
    tests = []
    for test in (result or {}).get("tests", []):
        test = dict(test)
        test["output"] = (test.get("output_i18n") or {}).get(lang, test.get("output", ""))
        tests.append(test)
    return {
        "id": sub.id,
        "exercise": sub.exercise_id,
        "status": sub.status,
        "score": sub.score if sub.status == "done" else None,
        "max_score": sub.max_score if sub.status == "done" else None,
        "tests": tests,
        "late": sub.late,
        "raw_score": sub.raw_score if sub.status == "done" else None,
        "created_at": sub.created_at.isoformat(),
    }


@bp.get("/submissions/<int:submission_id>")
@api_auth
def submission(submission_id: int) -> Any:
    user = _user()
    sub = db.session.get(Submission, submission_id)
    if sub is None or (sub.user_id != user.id and not user.is_instructor):
        return error_response(404, t("sub.not-found"))
    return jsonify(submission_json(sub, current_lang()))


@bp.get("/gradebook")
@api_auth
def api_gradebook() -> Any:
    if not _user().is_instructor:
        return error_response(403, t("api.forbidden"))
    exercises, students, cells = gradebook()
    return jsonify(
        [
            {
                "email": st.email,
                "scores": {
                    ex.id: (cells[(st.id, ex.id)].score if (st.id, ex.id) in cells else None)
                    for ex in exercises
                },
            }
            for st in students
        ]
    )


@bp.get("/openapi.json")
def openapi() -> Any:
    from web.openapi import SPEC

    return jsonify(SPEC)
