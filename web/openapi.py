"""The OpenAPI 3.1 description of the JSON API, served at ``/api/v1/openapi.json``."""

from __future__ import annotations

from typing import Any

__all__ = ["SPEC"]

_error = {"$ref": "#/components/schemas/Error"}


def _errors(*codes: int) -> dict[str, Any]:
    return {
        str(c): {"description": "error", "content": {"application/json": {"schema": _error}}}
        for c in codes
    }


SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {
        "title": "gradwell",
        "version": "1",
        "description": "Submit solutions and read their grading.",
    },
    "servers": [{"url": "/api/v1"}],
    "security": [{"bearer": []}],
    "components": {
        "securitySchemes": {
            "bearer": {
                "type": "http",
                "scheme": "bearer",
                "description": "`gradwell tokens create EMAIL`",
            }
        },
        "schemas": {
            "Error": {
                "type": "object",
                "required": ["error"],
                "properties": {"error": {"type": "string"}},
            },
            "Exercise": {
                "type": "object",
                "required": ["id", "title", "max_score", "kind"],
                "properties": {
                    "id": {"type": "string"},
                    "title": {"type": "string"},
                    "max_score": {"type": "number"},
                    "kind": {"enum": ["code", "quiz"]},
                },
            },
            "Test": {
                "type": "object",
                "required": ["name", "score", "max_score", "status", "output", "tags"],
                "properties": {
                    "name": {"type": "string"},
                    "score": {"type": "number"},
                    "max_score": {"type": "number"},
                    "status": {"enum": ["passed", "failed"]},
                    "output": {"type": "string"},
                    "tags": {"type": "array", "items": {"type": "string"}},
                    "visibility": {"enum": ["visible", "hidden"]},
                },
            },
            "Submission": {
                "type": "object",
                "required": ["id", "exercise", "status", "score", "max_score", "tests"],
                "properties": {
                    "id": {"type": "integer"},
                    "exercise": {"type": "string"},
                    "status": {"enum": ["queued", "running", "done", "error"]},
                    "score": {"type": ["number", "null"]},
                    "max_score": {"type": ["number", "null"]},
                    "tests": {"type": "array", "items": {"$ref": "#/components/schemas/Test"}},
                    "late": {"type": "boolean"},
                    "raw_score": {"type": ["number", "null"]},
                    "created_at": {"type": "string", "format": "date-time"},
                },
            },
        },
    },
    "paths": {
        "/exercises": {
            "get": {
                "summary": "The exercises and quizzes",
                "responses": {
                    "200": {
                        "description": "list",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "array",
                                    "items": {"$ref": "#/components/schemas/Exercise"},
                                }
                            }
                        },
                    },
                    **_errors(401),
                },
            }
        },
        "/exercises/{id}/submissions": {
            "post": {
                "summary": "Submit a solution (queued for grading)",
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["source"],
                                "properties": {"source": {"type": "string"}},
                            }
                        }
                    },
                },
                "responses": {
                    "202": {
                        "description": "queued",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["id", "status"],
                                    "properties": {
                                        "id": {"type": "integer"},
                                        "status": {"const": "queued"},
                                    },
                                }
                            }
                        },
                    },
                    **_errors(400, 401, 403, 404, 413, 429),
                },
            }
        },
        "/submissions/{id}": {
            "get": {
                "summary": "A submission's status and result",
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}
                ],
                "responses": {
                    "200": {
                        "description": "submission",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/Submission"}
                            }
                        },
                    },
                    **_errors(401, 404),
                },
            }
        },
        "/gradebook": {
            "get": {
                "summary": "Every student's score per exercise (instructors)",
                "responses": {"200": {"description": "rows"}, **_errors(401, 403)},
            }
        },
    },
}
