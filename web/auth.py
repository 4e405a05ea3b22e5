"""Accounts: sign-up, log-in, log-out, roles; argon2 password hashes; API tokens."""

from __future__ import annotations

import functools
import hashlib
import re
import secrets
from collections.abc import Callable
from typing import Any, TypeVar

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from sqlalchemy import func, select

from web import ratelimit
from web.db import db, utcnow
from web.i18n import t
from web.models import ROLES, ApiToken, User

__all__ = [
    "AccountError",
    "bp",
    "create_token",
    "create_user",
    "current_user",
    "hash_password",
    "instructor_required",
    "login_required",
    "user_for_token",
    "verify_password",
]

bp = Blueprint("auth", __name__, url_prefix="/auth")
F = TypeVar("F", bound=Callable[..., Any])
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_DUMMY_HASH: str | None = None


def _hasher() -> PasswordHasher:
    params = current_app.config.get("ARGON2_PARAMS") or {}
    return PasswordHasher(**params)


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(user: User | None, password: str) -> bool:
    """Constant work whether or not the account exists (no user enumeration by timing)."""
    global _DUMMY_HASH
    ph = _hasher()
    stored = user.password_hash if user is not None else None
    if stored is None:
        _DUMMY_HASH = _DUMMY_HASH or ph.hash("not-a-password")
        stored = _DUMMY_HASH
    try:
        ok = ph.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False
    return ok and user is not None and user.password_hash is not None


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


class AccountError(ValueError):
    """Bad input for a new account: an English one-liner, and a key of :mod:`web.i18n`."""

    def __init__(self, message: str, key: str, **fields: Any) -> None:
        super().__init__(message)
        self.key, self.fields = key, fields


def create_user(
    email: str, role: str = "student", password: str | None = None, name: str = ""
) -> User:
    """A new account (:class:`AccountError` with a one-line reason for bad input)."""
    email = normalise_email(email)
    if not EMAIL.match(email):
        raise AccountError(f"{email!r} is not an email address", "ins.users.bad-email", email=email)
    if role not in ROLES:
        raise AccountError(
            f"role {role!r} not supported, use one of {ROLES}", "ins.users.bad-role", role=role
        )
    if find_user(email) is not None:
        raise AccountError(
            f"an account for {email} already exists", "ins.users.exists", email=email
        )
    user = User(
        email=email,
        role=role,
        name=name.strip(),
        password_hash=hash_password(password) if password else None,
    )
    db.session.add(user)
    db.session.commit()
    return user


def create_token(user: User) -> str:
    """A new bearer token for ``user``; only its SHA-256 is stored."""
    token = "gw_" + secrets.token_urlsafe(32)
    db.session.add(ApiToken(user_id=user.id, token_hash=_digest(token), prefix=token[:10]))
    db.session.commit()
    return token


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def user_for_token(token: str) -> User | None:
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(token)))
    if row is None:
        return None
    row.last_used_at = utcnow()
    db.session.commit()
    return row.user


def current_user() -> User | None:
    if "user" not in g:
        uid = session.get("uid")
        g.user = db.session.get(User, uid) if isinstance(uid, int) else None
    return g.user  # type: ignore[no-any-return]


def _here() -> str:
    return request.full_path.rstrip("?")


def login_required(view: F) -> F:
    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if current_user() is None:
            if request.path == "/":  # the front door: no scolding, no ?next
                return redirect(url_for("auth.login"))
            flash(t("auth.login-required"), "info")
            return redirect(url_for("auth.login", next=_here()))
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def instructor_required(view: F) -> F:
    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        user = current_user()
        if user is None:
            return redirect(url_for("auth.login", next=_here()))
        if not user.is_instructor:
            abort(403)
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def _log_in(user: User) -> None:
    lang = session.get("lang")
    session.clear()  # a fresh session on log-in: no fixation
    if lang:
        session["lang"] = lang
    session["uid"] = user.id
    session.permanent = True


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("exercises.index")


@bp.route("/signup", methods=["GET", "POST"])
def signup() -> Any:
    if not current_app.config["SIGNUP_ENABLED"]:
        flash(t("auth.signup-closed"), "error")
        return redirect(url_for("auth.login"))
    errors: list[str] = []
    form = {"email": "", "name": ""}
    if request.method == "POST":
        form = {"email": request.form.get("email", ""), "name": request.form.get("name", "")}
        password = request.form.get("password", "")
        email = normalise_email(form["email"])
        if not EMAIL.match(email):
            errors.append(t("auth.bad-email"))
        if len(password) < 8:
            errors.append(t("auth.short-password"))
        if password != request.form.get("password2", ""):
            errors.append(t("auth.mismatch"))
        existing = find_user(email) if not errors else None
        if existing is not None and existing.password_hash is not None:
            errors.append(t("auth.email-taken"))
        if not errors:
            if existing is not None:  # created by an instructor (roster): claim it
                existing.password_hash = hash_password(password)
                existing.name = existing.name or form["name"].strip()
                db.session.commit()
                user = existing
            else:
                user = create_user(email, "student", password, form["name"])
            _log_in(user)
            flash(t("auth.welcome", name=user.display_name), "success")
            return redirect(url_for("exercises.index"))
    return render_template("auth/signup.html", errors=errors, form=form), (400 if errors else 200)


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    errors: list[str] = []
    email = ""
    if request.method == "POST":
        email = normalise_email(request.form.get("email", ""))
        limit, window = current_app.config["LOGIN_RATE"]
        keys = [f"login:ip:{request.remote_addr}", f"login:email:{email}"]
        blocked = [k for k in keys if not ratelimit.hit(k, limit, window)]
        if blocked:
            seconds = max(ratelimit.retry_after(k, window) for k in blocked)
            errors.append(t("auth.rate-limited", seconds=seconds))
            return render_template("auth/login.html", errors=errors, email=email), 429
        user = find_user(email)
        if verify_password(user, request.form.get("password", "")):
            assert user is not None
            if user.password_hash and _hasher().check_needs_rehash(user.password_hash):
                user.password_hash = hash_password(request.form.get("password", ""))
                db.session.commit()  # stronger parameters since it was set
            _log_in(user)
            flash(t("auth.welcome", name=user.display_name), "success")
            return redirect(_safe_next(request.args.get("next")))
        errors.append(t("auth.bad-login"))
    return render_template("auth/login.html", errors=errors, email=email), (401 if errors else 200)


@bp.post("/logout")
def logout() -> Any:
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    flash(t("auth.logged-out"), "info")
    return redirect(url_for("auth.login"))


@bp.route("/tokens", methods=["GET", "POST"])
@login_required
def tokens() -> Any:
    user = current_user()
    assert user is not None
    new_token = None
    if request.method == "POST":
        if request.form.get("revoke"):
            row = db.session.get(ApiToken, int(request.form["revoke"]))
            if row is not None and row.user_id == user.id:
                db.session.delete(row)
                db.session.commit()
        else:
            new_token = create_token(user)
    rows = db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id)
    ).all()
    return render_template("auth/tokens.html", tokens=rows, new_token=new_token)
