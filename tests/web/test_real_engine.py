"""The web with the real grader: ``grader.engine.grade``, the real exercises and ``grader.quiz``."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def real_app(make_app: Any, sqlite_url: str) -> Any:
    return make_app(sqlite_url, GRADE_FUNCTION=None, EXERCISE_LOADER=None, QUIZ_BACKEND=None)


def test_api_stores_exactly_the_engines_json(real_app: Any) -> None:
    from webfakes import Auth

    from grader.engine import grade
    from grader.exercise import get

    client = real_app.test_client()
    token = Auth(real_app, client).token("s@example.com")
    ex = get("activations")
    wrong = (
        ex.reference_source() + "\n\ndef relu_grad(x):\n    return (x >= 0) * 1.0 - (x < 0) * 1.0\n"
    )
    sid = client.post(
        "/api/v1/exercises/activations/submissions",
        json={"source": wrong},
        headers={"Authorization": f"Bearer {token}"},
    ).get_json()["id"]
    body = client.get(
        f"/api/v1/submissions/{sid}", headers={"Authorization": f"Bearer {token}"}
    ).get_json()
    direct = grade("activations", wrong).to_dict("en")
    assert body["status"] == "done"
    assert (body["score"], body["max_score"]) == (direct["score"], direct["max_score"])
    assert body["tests"] == direct["tests"]
    assert any(t["status"] == "failed" for t in body["tests"])


def test_what_the_code_printed_is_on_its_result_page(real_app: Any) -> None:
    from webfakes import Auth

    from grader.exercise import get

    client = real_app.test_client()
    Auth(real_app, client).as_student()
    chatty = get("activations").reference_source() + (
        "\n\nprint('hello from import <b>')\n_relu = relu\n\n"
        "def relu(x):\n    print('relu called')\n    return _relu(x)\n")
    r = client.post("/exercises/activations/submit", data={"source": chatty})
    assert r.status_code == 302
    page = client.get(r.location).get_data(as_text=True)
    assert "hello from import &lt;b&gt;" in page and "relu called" in page


def test_real_quiz_page_grades_the_students_own_numbers(real_app: Any) -> None:
    from webfakes import Auth

    from grader import quiz as quizzes
    from grader.exercise import get

    client = real_app.test_client()
    user = Auth(real_app, client).as_student()
    quiz = quizzes.load_quiz(get("quiz_vanishing").directory)
    page = client.get("/quizzes/quiz_vanishing").get_data(as_text=True)
    assert all(f'name="q-{q.id}"' in page for q in quiz.questions)
    answers: dict[str, Any] = {}
    for q in quiz.questions:
        if q.kind == "numeric":
            answers[f"q-{q.id}"] = repr(quizzes.expected_answer(q, user.student_key, quiz.id))
        elif q.kind == "true_false":
            answers[f"q-{q.id}"] = "true" if q.answer else "false"
        else:
            answers[f"q-{q.id}"] = sorted(q.correct_ids)
    page = client.post("/quizzes/quiz_vanishing", data=answers).get_data(as_text=True)
    assert f'<span class="big" id="score">{quiz.max_score:g}</span>' in page
