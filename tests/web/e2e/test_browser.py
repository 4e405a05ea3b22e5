"""End to end in a real browser: sign up, submit right and wrong code through the form, see
results and plots, take the quiz, and the instructor's gradebook and CSV export."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.e2e]

PASSWORD = "password-1234"


def signup(page: Any, url: str, email: str, name: str) -> None:
    page.goto(f"{url}/auth/signup?lang=en")
    page.fill("input[name=name]", name)
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.click("#signup-submit")
    page.wait_for_url(f"{url}/")


def submit_code(page: Any, url: str, source: str) -> None:
    page.goto(f"{url}/exercises/activations")
    page.wait_for_selector(".CodeMirror")
    page.evaluate("src => window.gradwellEditor.setValue(src)", source)
    page.click("#submit-code")
    page.wait_for_url(re.compile(r".*/submissions/\d+$"))
    # the page polls the API and swaps the results in without a reload
    page.wait_for_selector("#results[data-status=done]", timeout=120_000)


def test_student_journey(server: Any, browser: Any, shoot: Any) -> None:
    from grader.exercise import get

    ex = get("activations")
    url = server.url
    ctx = browser.new_context(viewport={"width": 1360, "height": 900}, locale="en-US")
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))

    signup(page, url, "student@example.com", "Kim Student")
    assert page.locator("[data-exercise=activations]").count() == 1
    shoot(page, "01-exercise-list")

    page.goto(f"{url}/exercises/activations")
    page.wait_for_selector(".CodeMirror")
    assert page.locator(".statement .katex").count() > 0  # math rendered by the vendored KaTeX
    assert "def sigmoid" in page.evaluate("() => window.gradwellEditor.getValue()")  # starter
    shoot(page, "02-exercise-page")

    # a correct solution: every check passes, hidden ones included
    submit_code(page, url, ex.reference_source())
    summary = page.locator("#summary").inner_text()
    first = page.locator(".test").first.inner_text()
    assert re.fullmatch(r"All \d+ checks passed, hidden ones included\.", summary), first
    assert page.locator("#score").inner_text() == f"{ex.max_score:g}"
    page.locator("details.plots summary").first.click()  # passed tests keep their plot folded
    assert page.locator("details.plots svg.plot").first.is_visible()
    shoot(page, "03-results-correct")

    # a wrong one: s(1 - s) applied to x instead of sigma(x), a catalogued misconception
    wrong = ex.reference_source() + (
        "\n\ndef sigmoid_grad(x):\n    x = np.asarray(x, dtype=np.float64)\n"
        "    return x * (1.0 - x)\n"
    )
    submit_code(page, url, wrong)
    summary = page.locator("#summary").inner_text()
    assert not summary.startswith("All")
    assert float(page.locator("#score").inner_text()) < ex.max_score
    assert page.locator(".test.bad").count() >= 1
    box = page.locator(".misconception").first.inner_text()
    assert "s(1 − s) applied to x instead of σ(x)" in box
    assert page.locator(".test.bad svg.plot").count() > 0  # yours vs the reference
    shoot(page, "04-results-wrong")

    # the same page in Korean
    page.goto(page.url + "?lang=ko")
    assert "채점 완료" in page.locator("#status-pill").inner_text()
    shoot(page, "05-results-korean")

    # the results arrived by polling the JSON API, without a reload
    assert any(re.search(r"/api/v1/submissions/\d+$", r) for r in requests)
    assert any(re.search(r"/submissions/\d+/results$", r) for r in requests)
    # nothing was fetched from anywhere but this server, and no script failed
    assert all(r.startswith(url) or r.startswith("data:") for r in requests), requests
    assert errors == []
    ctx.close()


def test_quiz_with_own_numbers(server: Any, browser: Any, shoot: Any) -> None:
    from grader import quiz as quizzes
    from grader.exercise import get
    from web.auth import find_user

    url = server.url
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = ctx.new_page()
    signup(page, url, "quizzer@example.com", "Lee Quizzer")
    with server.app_.app_context():
        key = find_user("quizzer@example.com").student_key
    quiz = quizzes.load_quiz(get("quiz_vanishing").directory)
    page.goto(f"{url}/quizzes/quiz_vanishing")
    shoot(page, "06-quiz")
    for q in quiz.questions:
        field = f"[name='q-{q.id}']"
        if q.kind == "numeric":
            page.fill(field, repr(quizzes.expected_answer(q, key, quiz.id)))
        elif q.kind == "true_false":
            page.check(f"{field}[value={'true' if q.answer else 'false'}]")
        else:
            for cid in sorted(q.correct_ids):
                page.check(f"{field}[value='{cid}']")
    page.click("#quiz-submit")
    page.wait_for_selector("#quiz-result")
    assert page.locator("#score").inner_text() == f"{quiz.max_score:g}"
    assert page.locator(".test.bad").count() == 0
    shoot(page, "07-quiz-result")
    ctx.close()


def test_instructor_gradebook_and_csv(server: Any, browser: Any, shoot: Any) -> None:
    from web.auth import create_user

    url = server.url
    with server.app_.app_context():
        create_user("prof@example.com", "instructor", PASSWORD, "Prof. Park")
    ctx = browser.new_context(
        viewport={"width": 1440, "height": 900}, locale="en-US", accept_downloads=True
    )
    page = ctx.new_page()
    page.goto(f"{url}/auth/login")
    page.fill("input[name=email]", "prof@example.com")
    page.fill("input[name=password]", PASSWORD)
    page.click("#login-submit")
    page.goto(f"{url}/instructor/")
    table = page.locator("#gradebook").inner_text()
    assert "student@example.com" in table and "quizzer@example.com" in table
    shoot(page, "08-gradebook")
    with page.expect_download() as info:
        page.click("#export-csv")
    csv_text = Path(info.value.path()).read_text(encoding="utf-8")
    lines = csv_text.splitlines()
    assert lines[0].startswith("email,name,activations,activations_late")
    assert any(line.startswith("student@example.com,Kim Student,") for line in lines)
    page.goto(f"{url}/instructor/exercises/activations")
    assert "2 graded submissions from 1 students" in page.content()
    assert page.locator("svg.plot").count() == 1
    shoot(page, "09-statistics")
    ctx.close()
