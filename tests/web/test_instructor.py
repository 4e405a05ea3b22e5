"""Instructor pages: gradebook (best/latest, late flags), CSV, statistics, regrading, users."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

from test_policy import set_policy
from webfakes import CORRECT, NAIVE, WRONG


def submit_as(client: Any, auth: Any, email: str, *sources: str) -> None:
    auth.as_student(email)
    for source in sources:
        client.post("/exercises/demo/submit", data={"source": source})
    client.post("/auth/logout")


def test_gradebook_best_and_latest_and_csv(app: Any, client: Any, auth: Any) -> None:
    submit_as(client, auth, "ann@example.com", CORRECT, WRONG)
    submit_as(client, auth, "bo@example.com", NAIVE)
    auth.as_instructor()
    page = client.get("/instructor/").get_data(as_text=True)
    assert "ann@example.com" in page and "bo@example.com" in page
    csv = client.get("/instructor/gradebook.csv")
    assert csv.headers["Content-Type"].startswith("text/csv")
    assert csv.get_data(as_text=True).splitlines() == [
        "email,name,demo,demo_late,quiz_demo,quiz_demo_late,total",
        "ann@example.com,,3,0,,0,3",
        "bo@example.com,,2,0,,0,2",
    ]
    set_policy(app, score_policy="latest")
    assert (
        client.get("/instructor/gradebook.csv").get_data(as_text=True).splitlines()[1]
        == "ann@example.com,,0,0,,0,0"
    )


def test_late_flag_in_gradebook(app: Any, client: Any, auth: Any) -> None:
    set_policy(app, due_at=dt.datetime.now(dt.UTC) - dt.timedelta(hours=1), late_penalty=0.5)
    submit_as(client, auth, "ann@example.com", CORRECT)
    auth.as_instructor()
    assert (
        client.get("/instructor/gradebook.csv").get_data(as_text=True).splitlines()[1]
        == "ann@example.com,,1.5,1,,0,1.5"
    )
    assert '<span class="pill late">late</span>' in client.get("/instructor/").get_data(
        as_text=True
    )


def test_statistics_page(client: Any, auth: Any) -> None:
    submit_as(client, auth, "ann@example.com", NAIVE, NAIVE)
    submit_as(client, auth, "bo@example.com", WRONG)
    auth.as_instructor()
    page = client.get("/instructor/exercises/demo").get_data(as_text=True)
    assert "3 graded submissions from 2 students" in page
    failed = page[page.index('id="most-failed"') : page.index('id="misconceptions"')]
    assert failed.index("sigmoid: stability at ±1e4") < failed.index("sigmoid: values")
    assert '<td>sigmoid: stability at ±1e4</td><td class="num">3</td>' in failed
    # two submissions showed the misconception (counted once per submission)
    assert re.search(r"<code>sigmoid-overflow</code>[^<]*</td><td class=\"num\">2</td>", page)
    assert '<svg class="plot"' in page


def test_regrade_one_and_all(app: Any, client: Any, auth: Any, grader: Any) -> None:
    submit_as(client, auth, "ann@example.com", CORRECT, WRONG)
    auth.as_instructor()
    before = len(grader.calls)
    r = client.post("/instructor/submissions/1/regrade", follow_redirects=True)
    assert "1 submission(s) queued for regrading." in r.get_data(as_text=True)
    assert len(grader.calls) == before + 1
    r = client.post("/instructor/exercises/demo/regrade", follow_redirects=True)
    assert "2 submission(s) queued for regrading." in r.get_data(as_text=True)
    assert len(grader.calls) == before + 3
    page = client.get("/submissions/2").get_data(as_text=True)  # any submission's source and result
    assert "np.tanh" in page and "ann@example.com" in page


def test_add_users_and_import_roster(app: Any, client: Any, auth: Any) -> None:
    auth.as_instructor()
    client.post(
        "/instructor/users",
        data={"email": "ta@example.com", "role": "instructor", "password": "password123"},
    )
    r = client.post(
        "/instructor/users",
        data={
            "roster": (
                io.BytesIO(b"email,name\nkim@example.com,Kim\nlee@example.com,Lee\n"),
                "roster.csv",
            )
        },
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "2 account(s) created" in r.get_data(as_text=True)
    page = client.get("/instructor/users").get_data(as_text=True)
    assert all(e in page for e in ("ta@example.com", "kim@example.com", "lee@example.com"))
    r = client.post("/instructor/users", data={"email": "kim@example.com"}, follow_redirects=True)
    assert "An account for kim@example.com already exists." in r.get_data(as_text=True)
    r = client.post(
        "/instructor/users?lang=ko", data={"email": "not-an-email"}, follow_redirects=True
    )
    assert "not-an-email은(는) 이메일 주소가 아닙니다." in r.get_data(as_text=True)


def test_quiz_statistics_count_wrong_answers(client: Any, auth: Any) -> None:
    auth.as_student("ann@example.com")
    client.post("/quizzes/quiz_demo", data={"q-q1": "b", "q-q2": "false", "q-q3": "x"})
    client.post("/quizzes/quiz_demo", data={"q-q1": "b", "q-q2": "true", "q-q3": "x"})
    client.post("/auth/logout")
    auth.as_instructor()
    page = client.get("/instructor/exercises/quiz_demo").get_data(as_text=True)
    assert "2 graded submissions from 1 students" in page
    failed = page[page.index('id="most-failed"') : page.index('id="misconceptions"')]
    assert '<td>q1: answer</td><td class="num">2</td>' in failed
    assert '<td>q2: answer</td><td class="num">1</td>' in failed


def test_gradebook_cell_opens_that_students_attempts(client: Any, auth: Any) -> None:
    submit_as(client, auth, "ann@example.com", CORRECT)
    submit_as(client, auth, "bo@example.com", WRONG)
    auth.as_instructor()
    page = client.get("/instructor/").get_data(as_text=True)
    link = re.search(r'href="(/instructor/exercises/demo\?student=\d+)">0<', page).group(1)  # type: ignore[union-attr]
    listing = client.get(link).get_data(as_text=True)
    table = listing[listing.index('id="submissions"') :]
    assert "bo@example.com" in table and "ann@example.com" not in table
