"""Template helpers shared by every page: language, user, formatting, static versions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Flask, request, url_for

from web.auth import current_user
from web.i18n import LANGS, current_lang, t, text_of
from web.markup import render_markdown

__all__ = ["init_app"]


def _fmt_time(when: dt.datetime | None) -> str:
    if when is None:
        return ""
    return when.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


def _score(value: float | None) -> str:
    return "–" if value is None else f"{value:g}"


def _lang_url(lang: str) -> str:
    values: dict[str, Any] = {**(request.view_args or {}), **request.args.to_dict(), "lang": lang}
    return url_for(request.endpoint or "exercises.index", **values)


def init_app(app: Flask) -> None:
    @app.context_processor
    def inject() -> dict[str, Any]:
        return {
            "t": t,
            "lang": current_lang(),
            "langs": LANGS,
            "user": current_user(),
            "text_of": text_of,
            "fmt_time": _fmt_time,
            "fmt_score": _score,
            "lang_url": _lang_url,
            "markdown": render_markdown,
        }

    @app.after_request
    def security_headers(response: Any) -> Any:
        h = response.headers
        h.setdefault("X-Content-Type-Options", "nosniff")
        h.setdefault("X-Frame-Options", "DENY")
        h.setdefault("Referrer-Policy", "same-origin")
        # Everything is served from here: no CDN, no inline script.
        h.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
            "font-src 'self'; script-src 'self'; object-src 'none'; base-uri 'self'; "
            "frame-ancestors 'none'",
        )
        return response
