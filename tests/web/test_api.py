"""The JSON API (contract §3): exact JSON, authorisation, malformed input.

Every test runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

from typing import Any

import pytest
from webfakes import CORRECT, NAIVE


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_exercises_list_is_the_contract_shape(client: Any, auth: Any) -> None:
    token = auth.token("s@example.com")
    r = client.get("/api/v1/exercises", headers=bearer(token))
    assert r.status_code == 200
    assert r.get_json() == [
        {"id": "demo", "title": "Stable sigmoid", "max_score": 3.0, "kind": "code"},
        {"id": "quiz_demo", "title": "Vanishing gradients quiz", "max_score": 3.0, "kind": "quiz"},
    ]
    r = client.get("/api/v1/exercises?lang=ko", headers=bearer(token))
    assert [e["title"] for e in r.get_json()] == ["안정적인 시그모이드", "기울기 소실 퀴즈"]


def test_submit_then_poll_gives_the_graded_result(client: Any, auth: Any) -> None:
    token = auth.token("s@example.com")
    r = client.post(
        "/api/v1/exercises/demo/submissions", json={"source": NAIVE}, headers=bearer(token)
    )
    assert r.status_code == 202
    assert r.get_json() == {"id": 1, "status": "queued"}
    assert r.headers["Location"] == "/api/v1/submissions/1"
    body = client.get("/api/v1/submissions/1", headers=bearer(token)).get_json()
    assert {k: body[k] for k in ("id", "exercise", "status", "score", "max_score")} == {
        "id": 1,
        "exercise": "demo",
        "status": "done",
        "score": 2.0,
        "max_score": 3.0,
    }
    names = [
        (t["name"], t["score"], t["max_score"], t["status"], t["visibility"], t["tags"])
        for t in body["tests"]
    ]
    assert names == [
        ("sigmoid: values", 2.0, 2.0, "passed", "visible", []),
        ("sigmoid: stability at ±1e4", 0.0, 1.0, "failed", "hidden", ["sigmoid-overflow"]),
    ]
    assert body["tests"][1]["output"].startswith("A hidden check failed")
    ko = client.get("/api/v1/submissions/1?lang=ko", headers=bearer(token)).get_json()
    assert ko["tests"][1]["output"].startswith("숨겨진 검사가 실패했습니다")


def test_queued_submission_reports_null_score(app: Any, client: Any, auth: Any) -> None:
    app.config["GRADING_MODE"] = "celery-never"  # dispatch nowhere: stays queued
    from web import grading

    token = auth.token("s@example.com")
    original = grading.dispatch
    grading.dispatch = lambda _app, _ids: None  # type: ignore[assignment]
    try:
        r = client.post(
            "/api/v1/exercises/demo/submissions", json={"source": CORRECT}, headers=bearer(token)
        )
    finally:
        grading.dispatch = original  # type: ignore[assignment]
    sid = r.get_json()["id"]
    body = client.get(f"/api/v1/submissions/{sid}", headers=bearer(token)).get_json()
    assert (body["status"], body["score"], body["max_score"], body["tests"]) == (
        "queued",
        None,
        None,
        [],
    )


def test_another_students_submission_is_404(client: Any, auth: Any) -> None:
    alice, bob = auth.token("alice@example.com"), auth.token("bob@example.com")
    sid = client.post(
        "/api/v1/exercises/demo/submissions", json={"source": CORRECT}, headers=bearer(alice)
    ).get_json()["id"]
    r = client.get(f"/api/v1/submissions/{sid}", headers=bearer(bob))
    assert r.status_code == 404
    assert r.get_json() == {"error": "There is no such submission."}
    # the same answer as for an id that does not exist: nothing leaks
    assert client.get("/api/v1/submissions/999", headers=bearer(bob)).get_json() == r.get_json()
    prof = auth.token("prof@example.com", "instructor")
    assert client.get(f"/api/v1/submissions/{sid}", headers=bearer(prof)).status_code == 200


def test_student_on_instructor_route_is_403(client: Any, auth: Any) -> None:
    student = auth.token("s@example.com")
    r = client.get("/api/v1/gradebook", headers=bearer(student))
    assert r.status_code == 403
    assert r.get_json() == {"error": "Instructors only."}
    prof = auth.token("prof@example.com", "instructor")
    assert client.get("/api/v1/gradebook", headers=bearer(prof)).get_json() == [
        {"email": "s@example.com", "scores": {"demo": None, "quiz_demo": None}}
    ]


@pytest.mark.parametrize(
    "headers", [{}, {"Authorization": "Bearer nope"}, {"Authorization": "Basic dXNlcjpwYXNz"}]
)
def test_missing_or_bad_token_is_401_json(client: Any, headers: dict[str, str]) -> None:
    r = client.post("/api/v1/exercises/demo/submissions", json={"source": "x"}, headers=headers)
    assert r.status_code == 401
    assert r.get_json()["error"].startswith("Missing or invalid token")
    assert r.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    ("kwargs", "status", "error"),
    [
        (
            {"data": "{not json", "content_type": "application/json"},
            400,
            'The body must be a JSON object such as {"source": "..."}.',
        ),
        ({"json": ["source"]}, 400, 'The body must be a JSON object such as {"source": "..."}.'),
        ({"json": {}}, 400, "'source' is missing or not a string."),
        ({"json": {"source": 42}}, 400, "'source' is missing or not a string."),
        ({"json": {"source": "   "}}, 400, "The submission is empty."),
        (
            {"json": {"source": "x" * 200_001}},
            413,
            "The source is too large (200001 bytes; the limit is 200000).",
        ),
    ],
)
def test_malformed_input_is_4xx_json(
    client: Any, auth: Any, kwargs: dict[str, Any], status: int, error: str
) -> None:
    token = auth.token("s@example.com")
    r = client.post("/api/v1/exercises/demo/submissions", headers=bearer(token), **kwargs)
    assert r.status_code == status
    assert r.get_json() == {"error": error}


def test_unknown_exercise_quiz_and_method_are_json(client: Any, auth: Any) -> None:
    token = auth.token("s@example.com")
    r = client.post(
        "/api/v1/exercises/nope/submissions", json={"source": "x"}, headers=bearer(token)
    )
    assert (r.status_code, r.get_json()) == (404, {"error": "There is no such exercise."})
    r = client.post(
        "/api/v1/exercises/quiz_demo/submissions", json={"source": "x"}, headers=bearer(token)
    )
    assert r.status_code == 400 and "quiz" in r.get_json()["error"]
    r = client.delete("/api/v1/submissions/1", headers=bearer(token))
    assert (r.status_code, r.get_json()) == (405, {"error": "Method not allowed."})
    r = client.get("/api/v1/nothing-here", headers=bearer(token))
    assert (r.status_code, r.get_json()) == (404, {"error": "Not found."})


def test_server_error_is_json_and_rolls_back(app: Any, client: Any, auth: Any) -> None:
    token = auth.token("s@example.com")
    app.config["EXERCISE_LOADER"] = lambda: 1 / 0
    r = client.get("/api/v1/exercises", headers=bearer(token))
    assert r.status_code == 500
    assert r.get_json() == {"error": "Internal error; nothing was changed. Try again."}


def test_grader_error_is_status_error_and_can_be_regraded(
    app: Any, client: Any, auth: Any, grader: Any
) -> None:
    token = auth.token("s@example.com")
    sid = client.post(
        "/api/v1/exercises/demo/submissions",
        json={"source": "def sigmoid(x): GRADER_BUG"},
        headers=bearer(token),
    ).get_json()["id"]
    body = client.get(f"/api/v1/submissions/{sid}", headers=bearer(token)).get_json()
    assert (body["status"], body["score"]) == ("error", None)


def test_openapi_describes_the_three_routes(client: Any) -> None:
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    assert set(spec["paths"]) >= {"/exercises", "/exercises/{id}/submissions", "/submissions/{id}"}
    sub = spec["components"]["schemas"]["Submission"]
    assert sub["required"] == ["id", "exercise", "status", "score", "max_score", "tests"]


def test_api_answers_validate_against_openapi(client: Any, auth: Any) -> None:
    import jsonschema

    spec = client.get("/api/v1/openapi.json").get_json()
    token = auth.token("s@example.com")
    client.post("/api/v1/exercises/demo/submissions", json={"source": NAIVE}, headers=bearer(token))
    schema = {**spec["components"]["schemas"]["Submission"], "components": spec["components"]}
    body = client.get("/api/v1/submissions/1", headers=bearer(token)).get_json()
    jsonschema.validate(body, schema)
