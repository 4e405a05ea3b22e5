"""Name the misconception behind a wrong answer.

Each catalogued misconception comes with a *mutant*: the reference module with one
function redefined the wrong way. When a test fails, the same calls are run on the
mutants of the function under test (in the trusted parent), and every mutant whose
outcomes the student's outcomes reproduce, while differing from the reference's, is
named. When none matches, nothing is said: a wrong guess teaches the wrong lesson.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from grader.checks.base import Check, Judging
from grader.exercise import Exercise, MisconceptionSpec
from grader.result import Misconception
from grader.sandbox.plan import Outcome

__all__ = ["diagnose"]

MutantRuns = Callable[[Exercise, MisconceptionSpec], Mapping[str, Outcome]]


def diagnose(
    exercise: Exercise, check: Check, judging: Judging, mutant_runs: MutantRuns
) -> tuple[Misconception, ...]:
    """The misconceptions of ``judging.spec.function`` that the student's outcomes match."""
    agrees = check.agrees
    found: list[Misconception] = []
    for spec in exercise.misconceptions:
        if spec.function != judging.spec.function:
            continue
        runs = mutant_runs(exercise, spec)
        if agrees(judging, runs):
            found.append(spec.info)
    return tuple(found)
