"""What the web knows of the grader: the exercises, the grade function, the quiz engine.

Each is taken from the app config when set (tests inject fakes there), otherwise from
the real grader: ``grader.exercise.load_all``, ``grader.engine.grade``, ``grader.quiz``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from flask import current_app

if TYPE_CHECKING:
    from grader.exercise import Exercise
    from grader.result import Result

__all__ = ["exercise", "exercises", "grade_function", "quiz_backend"]


def exercises() -> dict[str, Exercise]:
    loader = current_app.config.get("EXERCISE_LOADER")
    if loader is None:
        from grader.exercise import load_all

        loader = load_all
    found: dict[str, Exercise] = loader()
    return found


def exercise(exercise_id: str) -> Exercise | None:
    return exercises().get(exercise_id)


def grade_function() -> Callable[[str, str], Result]:
    fn = current_app.config.get("GRADE_FUNCTION")
    if fn is None:
        from grader.engine import grade

        return grade
    return fn  # type: ignore[no-any-return]


def quiz_backend() -> Any:
    """An object with ``load_quiz``, ``render`` and ``grade_quiz`` (``grader.quiz``)."""
    backend = current_app.config.get("QUIZ_BACKEND")
    return backend if backend is not None else importlib.import_module("grader.quiz")
