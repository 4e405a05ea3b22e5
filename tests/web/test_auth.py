"""Accounts: sign-up, log-in/out, password hashing, CSRF, cookie settings, rate limits."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select


def test_signup_logs_in_and_stores_an_argon2_hash(app: Any, client: Any) -> None:
    r = client.post(
        "/auth/signup",
        data={
            "email": "New@Example.com",
            "name": "Nam",
            "password": "correct horse",
            "password2": "correct horse",
        },
    )
    assert r.status_code == 302 and r.location == "/"
    page = client.get("/").get_data(as_text=True)
    assert "Welcome, Nam!" in page and "Stable sigmoid" in page
    from web.db import db
    from web.models import User

    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "new@example.com"))
        assert user is not None and user.role == "student"
        assert user.password_hash.startswith("$argon2id$")
        assert "correct horse" not in user.password_hash


def test_signup_rejects_bad_input_in_both_languages(client: Any, auth: Any) -> None:
    auth.user("taken@example.com")
    r = client.post(
        "/auth/signup",
        data={"email": "taken@example.com", "password": "short", "password2": "other"},
    )
    page = r.get_data(as_text=True)
    assert r.status_code == 400
    assert "The password needs at least 8 characters." in page
    assert "The two passwords differ." in page
    r = client.post(
        "/auth/signup?lang=ko",
        data={"email": "nope", "password": "longenough", "password2": "longenough"},
    )
    assert "올바른 이메일 주소를 입력하세요." in r.get_data(as_text=True)
    r = client.post(
        "/auth/signup?lang=en",
        data={"email": "taken@example.com", "password": "longenough", "password2": "longenough"},
    )
    assert "An account with this email already exists." in r.get_data(as_text=True)


def test_login_logout(client: Any, auth: Any) -> None:
    auth.user("s@example.com")
    assert client.get("/").status_code == 302
    r = auth.login("s@example.com", "wrong-password")
    assert r.status_code == 401 and "Wrong email or password." in r.get_data(as_text=True)
    r = auth.login("s@example.com")
    assert r.status_code == 302
    assert client.get("/").status_code == 200
    client.post("/auth/logout")
    assert client.get("/").status_code == 302


def test_login_redirects_only_to_local_next(client: Any, auth: Any) -> None:
    auth.user("s@example.com")
    r = client.post(
        "/auth/login?next=https://evil.example/",
        data={"email": "s@example.com", "password": "password123"},
    )
    assert r.location == "/"
    client.post("/auth/logout")
    r = client.post(
        "/auth/login?next=/exercises/demo",
        data={"email": "s@example.com", "password": "password123"},
    )
    assert r.location == "/exercises/demo"


def test_login_is_rate_limited(app: Any, client: Any, auth: Any) -> None:
    app.config["LOGIN_RATE"] = (3, 300)
    auth.user("s@example.com")
    for _ in range(3):
        assert auth.login("s@example.com", "bad-password").status_code == 401
    r = auth.login("s@example.com")  # even the right password waits
    assert r.status_code == 429
    assert re.search(r"Too many log-in attempts\. Try again in \d+ s\.", r.get_data(as_text=True))


def test_csrf_is_required_on_forms(make_app: Any, sqlite_url: str) -> None:
    app = make_app(sqlite_url, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    r = client.post(
        "/auth/signup",
        data={"email": "a@example.com", "password": "password123", "password2": "password123"},
    )
    assert r.status_code == 400
    assert "The form expired" in r.get_data(as_text=True)
    page = client.get("/auth/signup").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    r = client.post(
        "/auth/signup",
        data={
            "email": "a@example.com",
            "password": "password123",
            "password2": "password123",
            "csrf_token": token,
        },
    )
    assert r.status_code == 302


def test_session_cookie_is_httponly_and_samesite(client: Any, auth: Any) -> None:
    auth.user("s@example.com")
    r = auth.login("s@example.com")
    cookie = r.headers["Set-Cookie"]
    assert cookie.startswith("gradwell_session=")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_security_headers_forbid_outside_scripts(client: Any) -> None:
    r = client.get("/auth/login")
    csp = r.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "default-src 'self'" in csp
    assert r.headers["X-Frame-Options"] == "DENY"


def test_roster_account_is_claimed_by_signup(app: Any, client: Any, auth: Any) -> None:
    from web.auth import create_user

    with app.app_context():
        create_user("listed@example.com", "student", None, "Listed")
    assert auth.login("listed@example.com", "anything-at-all").status_code == 401
    r = client.post(
        "/auth/signup",
        data={"email": "listed@example.com", "password": "password123", "password2": "password123"},
    )
    assert r.status_code == 302
    assert "Welcome, Listed!" in client.get("/").get_data(as_text=True)


def test_tokens_page_shows_a_token_once(app: Any, client: Any, auth: Any) -> None:
    auth.as_student()
    page = client.post("/auth/tokens").get_data(as_text=True)
    token = re.search(r'id="new-token">(gw_[^<]+)<', page).group(1)  # type: ignore[union-attr]
    assert (
        client.get("/api/v1/exercises", headers={"Authorization": f"Bearer {token}"}).status_code
        == 200
    )
    assert token not in client.get("/auth/tokens").get_data(as_text=True)


def test_weak_hash_is_upgraded_at_log_in(app: Any, client: Any, auth: Any) -> None:
    from argon2 import PasswordHasher

    from web.db import db
    from web.models import User

    auth.user("s@example.com")  # hashed with the fast test parameters
    app.config["ARGON2_PARAMS"] = {"time_cost": 2, "memory_cost": 2048, "parallelism": 1}
    assert auth.login("s@example.com").status_code == 302
    with app.app_context():
        stored = db.session.scalar(select(User.password_hash))
    assert "m=2048,t=2" in stored
    assert PasswordHasher().verify(stored, "password123")


def test_anonymous_visitors_are_sent_to_log_in(client: Any) -> None:
    assert client.get("/").location == "/auth/login"
    assert client.get("/exercises/demo").location == "/auth/login?next=/exercises/demo"
