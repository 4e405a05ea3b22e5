"""Error answers: JSON under ``/api/`` (always ``{"error": ...}``), pages elsewhere."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from web.db import db
from web.i18n import t

__all__ = ["error_response", "init_app"]

log = logging.getLogger(__name__)


def error_response(status: int, message: str) -> Response:
    """The API's one error shape: ``{"error": message}`` with ``status``."""
    response = jsonify({"error": message})
    response.status_code = status
    return response


def _is_api() -> bool:
    return request.path.startswith("/api/")


_API_MESSAGES = {
    401: "api.unauthorized",
    403: "api.forbidden",
    404: "api.not-found",
    405: "api.method",
    413: "err.413",
}


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError) -> Any:
        return render_template("error.html", code=400, message=t("auth.csrf")), 400

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Any:
        code = exc.code or 500
        if _is_api():
            key = _API_MESSAGES.get(code)
            return error_response(code, t(key) if key else (exc.description or exc.name))
        message = {403: t("auth.forbidden"), 404: t("err.404"), 413: t("err.413")}.get(
            code, exc.description or exc.name
        )
        return render_template("error.html", code=code, message=message), code

    @app.errorhandler(Exception)
    def server_error(exc: Exception) -> Any:
        if isinstance(exc, HTTPException):
            return http_error(exc)
        log.exception("unhandled error on %s %s", request.method, request.path)
        db.session.rollback()
        if _is_api():
            return error_response(500, t("api.server-error"))
        return render_template("error.html", code=500, message=t("err.500")), 500
