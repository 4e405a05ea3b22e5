"""Deadlines, late penalty, attempt limits and minimum interval, enforced on the server."""

from __future__ import annotations

import datetime as dt
from typing import Any

from webfakes import CORRECT, WRONG


def set_policy(app: Any, **fields: Any) -> None:
    from web.db import db
    from web.models import ExerciseSetting

    with app.app_context():
        row = db.session.get(ExerciseSetting, "demo") or ExerciseSetting(
            exercise_id="demo",
            published=True,
            late_penalty=0.0,
            min_interval_seconds=0,
            score_policy="best",
        )
        for k, v in fields.items():
            setattr(row, k, v)
        db.session.add(row)
        db.session.commit()


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_not_open_yet(app: Any, client: Any, auth: Any) -> None:
    set_policy(app, opens_at=now() + dt.timedelta(days=1))
    token = auth.token("s@example.com")
    r = client.post(
        "/api/v1/exercises/demo/submissions", json={"source": CORRECT}, headers=bearer(token)
    )
    assert r.status_code == 403 and r.get_json()["error"].startswith("This exercise opens at ")


def test_late_penalty_applies_to_the_score(app: Any, client: Any, auth: Any) -> None:
    set_policy(
        app,
        due_at=now() - dt.timedelta(hours=1),
        late_until=now() + dt.timedelta(days=1),
        late_penalty=0.25,
    )
    token = auth.token("s@example.com")
    sid = client.post(
        "/api/v1/exercises/demo/submissions", json={"source": CORRECT}, headers=bearer(token)
    ).get_json()["id"]
    body = client.get(f"/api/v1/submissions/{sid}", headers=bearer(token)).get_json()
    assert (body["late"], body["raw_score"], body["score"], body["max_score"]) == (
        True,
        3.0,
        2.25,
        3.0,
    )


def test_closed_after_late_until(app: Any, client: Any, auth: Any) -> None:
    set_policy(app, due_at=now() - dt.timedelta(days=2), late_until=now() - dt.timedelta(days=1))
    auth.as_student()
    r = client.post("/exercises/demo/submit", data={"source": CORRECT})
    assert r.status_code == 403
    assert "has passed; submissions are closed." in r.get_data(as_text=True)
    r = client.post("/exercises/demo/submit?lang=ko", data={"source": CORRECT})
    assert "제출이 닫혔습니다" in r.get_data(as_text=True)


def test_attempt_limit(app: Any, client: Any, auth: Any) -> None:
    set_policy(app, max_attempts=2)
    token = auth.token("s@example.com")
    for _ in range(2):
        assert (
            client.post(
                "/api/v1/exercises/demo/submissions", json={"source": WRONG}, headers=bearer(token)
            ).status_code
            == 202
        )
    r = client.post(
        "/api/v1/exercises/demo/submissions", json={"source": CORRECT}, headers=bearer(token)
    )
    assert (r.status_code, r.get_json()) == (
        403,
        {"error": "You have used all 2 attempts for this exercise."},
    )
    # instructors are not limited
    prof = auth.token("prof@example.com", "instructor")
    for _ in range(3):
        assert (
            client.post(
                "/api/v1/exercises/demo/submissions", json={"source": CORRECT}, headers=bearer(prof)
            ).status_code
            == 202
        )


def test_minimum_interval_between_attempts(app: Any, client: Any, auth: Any) -> None:
    set_policy(app, min_interval_seconds=600)
    token = auth.token("s@example.com")
    assert (
        client.post(
            "/api/v1/exercises/demo/submissions", json={"source": WRONG}, headers=bearer(token)
        ).status_code
        == 202
    )
    r = client.post(
        "/api/v1/exercises/demo/submissions", json={"source": CORRECT}, headers=bearer(token)
    )
    assert r.status_code == 429
    assert r.get_json()["error"].startswith("Please wait ")
    assert 590 <= int(r.headers["Retry-After"]) <= 600


def test_submission_rate_limit(app: Any, client: Any, auth: Any) -> None:
    app.config["SUBMIT_RATE"] = (2, 600)
    token = auth.token("s@example.com")
    for _ in range(2):
        client.post(
            "/api/v1/exercises/demo/submissions", json={"source": WRONG}, headers=bearer(token)
        )
    r = client.post(
        "/api/v1/exercises/demo/submissions", json={"source": WRONG}, headers=bearer(token)
    )
    assert r.status_code == 429 and r.get_json()["error"].startswith("Too many submissions.")


def test_unpublished_is_hidden_from_students(app: Any, client: Any, auth: Any) -> None:
    set_policy(app, published=False)
    token = auth.token("s@example.com")
    assert [e["id"] for e in client.get("/api/v1/exercises", headers=bearer(token)).get_json()] == [
        "quiz_demo"
    ]
    r = client.post(
        "/api/v1/exercises/demo/submissions", json={"source": CORRECT}, headers=bearer(token)
    )
    assert r.status_code == 404


def test_instructor_saves_settings_through_the_form(app: Any, client: Any, auth: Any) -> None:
    auth.as_instructor()
    r = client.post(
        "/instructor/exercises/demo/settings",
        data={
            "published": "on",
            "due_at": "2030-01-02T03:04",
            "late_penalty": "10",
            "max_attempts": "5",
            "min_interval_seconds": "30",
            "score_policy": "latest",
        },
    )
    assert r.status_code == 302
    from web.policy import settings_for

    with app.app_context():
        s = settings_for("demo")
        assert (
            s.due_at,
            s.late_penalty,
            s.max_attempts,
            s.min_interval_seconds,
            s.score_policy,
        ) == (dt.datetime(2030, 1, 2, 3, 4, tzinfo=dt.UTC), 0.1, 5, 30, "latest")
    r = client.post(
        "/instructor/exercises/demo/settings", data={"late_penalty": "150"}, follow_redirects=True
    )
    assert "Could not save: the late penalty must be between 0 and 100" in r.get_data(as_text=True)


def test_quiz_attempts_follow_the_same_rules(app: Any, client: Any, auth: Any) -> None:
    from web.db import db
    from web.models import ExerciseSetting

    with app.app_context():
        db.session.add(
            ExerciseSetting(
                exercise_id="quiz_demo",
                published=True,
                late_penalty=0.0,
                max_attempts=1,
                min_interval_seconds=0,
                score_policy="best",
            )
        )
        db.session.commit()
    auth.as_student()
    assert client.post("/quizzes/quiz_demo", data={"q-q1": "a"}).status_code == 200
    r = client.post("/quizzes/quiz_demo", data={"q-q1": "a"})
    assert r.status_code == 403
    assert "You have used all 1 attempts for this exercise." in r.get_data(as_text=True)
