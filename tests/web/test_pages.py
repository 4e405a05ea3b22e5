"""Student pages: list, statement, editor, submission by form and upload, results, languages."""

from __future__ import annotations

import io
import re
from typing import Any

from webfakes import CORRECT, NAIVE, WRONG


def test_exercise_list_shows_status_and_best_score(client: Any, auth: Any) -> None:
    auth.as_student()
    page = client.get("/").get_data(as_text=True)
    assert page.count("Not started") == 2
    client.post("/exercises/demo/submit", data={"source": WRONG})
    client.post("/exercises/demo/submit", data={"source": NAIVE})
    page = client.get("/").get_data(as_text=True)
    card = page[page.index('data-exercise="demo"') : page.index('data-exercise="quiz_demo"')]
    assert "Passed" in card and '<span class="big">2</span>' in card


def test_exercise_page_renders_statement_math_and_starter(client: Any, auth: Any) -> None:
    auth.as_student()
    page = client.get("/exercises/demo").get_data(as_text=True)
    assert '<span class="math" data-display="0">\\sigma(x) = 1/(1+e^{-x})</span>' in page
    assert '<div class="math" data-display="1">' in page
    assert "raise NotImplementedError" in page  # the starter fills the editor
    assert "vendor/katex/katex.min.js" in page and "vendor/codemirror/codemirror.js" in page
    assert "cdn" not in page.lower()


def test_vendored_assets_are_served(client: Any) -> None:
    for path in (
        "vendor/katex/katex.min.js",
        "vendor/katex/katex.min.css",
        "vendor/katex/fonts/KaTeX_Main-Regular.woff2",
        "vendor/codemirror/codemirror.js",
        "vendor/codemirror/mode/python/python.js",
        "app.js",
        "app.css",
    ):
        r = client.get(f"/static/{path}")
        assert r.status_code == 200, path
        r.close()


def test_korean_by_accept_language_and_switch(client: Any, auth: Any) -> None:
    auth.as_student()
    page = client.get("/exercises/demo", headers={"Accept-Language": "ko-KR,ko;q=0.9"}).get_data(
        as_text=True
    )
    assert "안정적인 시그모이드" in page and "채점 제출" in page and '<html lang="ko">' in page
    page = client.get("/exercises/demo?lang=en", headers={"Accept-Language": "ko"}).get_data(
        as_text=True
    )
    assert "Submit for grading" in page
    # the choice is remembered over the browser's preference
    page = client.get("/", headers={"Accept-Language": "ko"}).get_data(as_text=True)
    assert "Exercises" in page and '<html lang="en">' in page


def test_submit_by_form_shows_results_hidden_tests_and_plot(client: Any, auth: Any) -> None:
    auth.as_student()
    r = client.post("/exercises/demo/submit", data={"source": NAIVE})
    assert r.status_code == 302
    page = client.get(r.location).get_data(as_text=True)
    assert "1 of 2 checks passed; every visible check passed, but 1 hidden check(s) failed." in page
    assert "All 2 checks passed" not in page
    assert '<span class="pill hidden">hidden</span>' in page
    assert "Likely misconception: Naive exponent overflows" in page
    assert "Branch on the sign of x." in page
    assert '<svg class="plot"' in page and "<polyline" in page
    ko = client.get(r.location + "?lang=ko").get_data(as_text=True)
    assert "숨겨진 검사 1개가 실패했습니다" in ko and "x의 부호로 나누어 계산하세요." in ko


def test_all_passed_only_when_hidden_pass_too(client: Any, auth: Any) -> None:
    auth.as_student()
    r = client.post("/exercises/demo/submit", data={"source": CORRECT})
    page = client.get(r.location).get_data(as_text=True)
    assert "All 2 checks passed, hidden ones included." in page
    assert '<span class="big" id="score">3</span>' in page


def test_upload_replaces_the_editor_text(client: Any, auth: Any, grader: Any) -> None:
    auth.as_student()
    r = client.post(
        "/exercises/demo/submit",
        data={"source": "ignored", "upload": (io.BytesIO(CORRECT.encode()), "sigmoid.py")},
        content_type="multipart/form-data",
    )
    assert r.status_code == 302
    assert grader.calls[-1] == ("demo", CORRECT)
    r = client.post(
        "/exercises/demo/submit",
        data={"upload": (io.BytesIO(b"\xff\xfe\x00bad"), "x.py")},
        content_type="multipart/form-data",
    )
    assert r.status_code == 400 and "not UTF-8 text" in r.get_data(as_text=True)


def test_ungradable_submission_does_not_count(client: Any, auth: Any) -> None:
    auth.as_student()
    r = client.post("/exercises/demo/submit", data={"source": "syntax(("})
    page = client.get(r.location).get_data(as_text=True)
    assert "This attempt does not count." in page
    page = client.get("/exercises/demo").get_data(as_text=True)
    assert "Attempts: 0 (no limit)" in page


def test_results_fragment_and_status_polling(client: Any, auth: Any) -> None:
    auth.as_student()
    client.post("/exercises/demo/submit", data={"source": CORRECT})
    status = client.get("/api/v1/submissions/1").get_json()  # the page polls with its session
    assert status["status"] == "done"
    frag = client.get("/submissions/1/results").get_data(as_text=True)
    assert frag.lstrip().startswith('<section class="card results"')


def test_students_cannot_see_each_others_pages(client: Any, auth: Any) -> None:
    auth.as_student("a@example.com")
    client.post("/exercises/demo/submit", data={"source": CORRECT})
    client.post("/auth/logout")
    auth.as_student("b@example.com")
    assert client.get("/submissions/1").status_code == 404
    assert client.get("/submissions/1/results").status_code == 404
    assert client.get("/api/v1/submissions/1").status_code == 404
    assert client.get("/instructor/").status_code == 403
    assert client.get("/instructor/gradebook.csv").status_code == 403
    assert client.post("/instructor/submissions/1/regrade").status_code == 403


def test_unknown_pages_are_bilingual_404(client: Any, auth: Any) -> None:
    auth.as_student()
    assert "Page not found." in client.get("/nope").get_data(as_text=True)
    r = client.get("/exercises/nope?lang=ko")
    assert r.status_code == 404 and "페이지를 찾을 수 없습니다." in r.get_data(as_text=True)


def test_quiz_numbers_are_per_student_and_graded_at_once(client: Any, auth: Any) -> None:
    user = auth.as_student()
    page = client.get("/quizzes/quiz_demo").get_data(as_text=True)
    n = int(re.search(r"\\sqrt\{(\d+)\}", page).group(1))  # type: ignore[union-attr]
    assert n == 10 + int(user.student_key[:4], 16) % 90
    r = client.post(
        "/quizzes/quiz_demo", data={"q-q1": "a", "q-q2": "true", "q-q3": f"{n**0.5:.4f}"}
    )
    page = r.get_data(as_text=True)
    assert '<span class="big" id="score">2</span>' in page
    assert "Layer norm normalises each sample on its own." in page  # the explanation
    assert client.get("/exercises/quiz_demo").location == "/quizzes/quiz_demo"


def test_editor_starts_from_the_last_attempt(client: Any, auth: Any) -> None:
    auth.as_student()
    client.post("/exercises/demo/submit", data={"source": WRONG})
    page = client.get("/exercises/demo").get_data(as_text=True)
    editor = page[page.index('id="source"') : page.index("</textarea>")]
    assert "np.tanh" in editor and "NotImplementedError" not in editor
    assert "NotImplementedError" in page[page.index('<template id="starter">') :]  # for "reset"
