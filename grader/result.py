"""Grading results: frozen dataclasses with derived totals, and their JSON form.

The JSON form (:meth:`Result.to_dict`) is the contract's: an object Gradescope accepts
as ``results.json``. Keys beyond Gradescope's are extras (``output_i18n``,
``misconceptions``, ``extra_data``), never renames.

Three outcomes are kept apart, as PrairieLearn does: a failed check (points lost,
feedback), an ungradable submission (a syntax error: :attr:`Result.status` is
``"ungradable"``), and a grader error, which is raised, never folded into a score.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from grader.i18n import MESSAGES, Text

__all__ = ["Misconception", "Result", "TestResult"]

Visibility = Literal["visible", "hidden"]


@dataclass(frozen=True)
class Misconception:
    """A catalogued wrong idea, named when a student's outputs match its mutant's."""

    id: str
    function: str
    title: Text
    explanation: Text
    hint: Text

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "function": self.function,
            "title": self.title.to_dict(),
            "explanation": self.explanation.to_dict(),
            "hint": self.hint.to_dict(),
        }


@dataclass(frozen=True)
class TestResult:
    """One named check (``"sigmoid: values"``) with its points and feedback.

    ``extra`` holds plain data for richer views (the web's plots): never anything the
    student's process produced other than numbers.
    """

    __test__ = False  # not a pytest test class

    name: str
    function: str
    score: float
    max_score: float
    output: Text
    visibility: Visibility = "visible"
    misconceptions: tuple[Misconception, ...] = ()
    advice: tuple[Text, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return self.score >= self.max_score - 1e-9

    @property
    def status(self) -> Literal["passed", "failed"]:
        return "passed" if self.passed else "failed"

    @property
    def tags(self) -> tuple[str, ...]:
        return tuple(m.id for m in self.misconceptions)

    def feedback(self, lang: str = "en") -> str:
        """The output shown to the student: verdict, misconceptions, then advice."""
        parts = [self.output.get(lang)]
        parts += [_misconception_line(m, lang) for m in self.misconceptions]
        parts += [a.get(lang) for a in self.advice]
        return "\n".join(p for p in parts if p)

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        return {
            "name": self.name,
            "score": round(self.score, 6),
            "max_score": self.max_score,
            "status": self.status,
            "output": self.feedback(lang),
            "tags": list(self.tags),
            "visibility": self.visibility,
            "output_i18n": {lang_: self.feedback(lang_) for lang_ in ("en", "ko")},
            "misconceptions": [m.to_dict() for m in self.misconceptions],
            "extra_data": dict(self.extra),
        }


def _misconception_line(m: Misconception, lang: str) -> str:
    en, ko = MESSAGES["grade.misconception"]
    return (ko if lang == "ko" else en).format(
        id=m.id, explanation=m.explanation.get(lang), hint=m.hint.get(lang)
    )


@dataclass(frozen=True)
class Result:
    """The grading of one submission of one exercise."""

    exercise: str
    tests: tuple[TestResult, ...]
    execution_time: float = 0.0
    status: Literal["graded", "ungradable"] = "graded"
    messages: tuple[Text, ...] = ()
    stdout: str = ""

    @property
    def score(self) -> float:
        return round(sum(t.score for t in self.tests), 6)

    @property
    def max_score(self) -> float:
        return round(sum(t.max_score for t in self.tests), 6)

    @property
    def fraction(self) -> float:
        return self.score / self.max_score if self.max_score else 0.0

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        """The contract's JSON: Gradescope's ``results.json`` plus extra keys."""
        return {
            "score": self.score,
            "max_score": self.max_score,
            "execution_time": round(self.execution_time, 4),
            "output": "\n".join(m.get(lang) for m in self.messages),
            "tests": [t.to_dict(lang) for t in self.tests],
            "exercise": self.exercise,
            "status": self.status,
        }
