"""``gradwell exercises check``: does each exercise grade its own reference and mutants right?

For every code exercise:

1. the reference source, graded as a submission, must get full marks;
2. for every misconception, ``reference source + "\\n\\n" + mutant source`` (the mutant
   redefines one function wrongly) must lose points on a test of that function, and a
   failed test of that function must carry the misconception's id in its tags.

A check that fails means the exercise, its suite or its catalogue is broken: the
instructor learns it before a student does.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from functools import partial

from grader.exercise import Exercise, MisconceptionSpec
from grader.i18n import Text
from grader.render.messages import ui
from grader.result import Result

__all__ = ["SelfCheck", "check_exercise", "check_exercises", "count_checks"]

GradeFn = Callable[[str, str], Result]


@dataclass(frozen=True)
class SelfCheck:
    """One verdict: what was checked, whether it held, and the evidence."""

    exercise: str
    what: Text
    ok: bool
    detail: Text


def _grade(grade: GradeFn | None) -> GradeFn:
    if grade is not None:
        return grade
    from grader.batch import default_grade

    return default_grade


def _names(tests: Sequence[str]) -> str:
    return ", ".join(repr(t) for t in tests)


def _check_reference(ex: Exercise, grade: GradeFn) -> SelfCheck:
    what = ui("check.reference")
    try:
        result = grade(ex.id, ex.reference_source())
    except Exception as exc:  # reported as a failed check, with the reason
        return SelfCheck(ex.id, what, False, ui("check.error", type=type(exc).__name__,
                                                  message=str(exc)[:300]))
    if result.status != "graded":
        return SelfCheck(ex.id, what, False, ui(
            "check.ref-ungradable", message=" ".join(m.en for m in result.messages)))
    lost = [t.name for t in result.tests if not t.passed]
    if lost:
        return SelfCheck(ex.id, what, False, ui(
            "check.ref-lost", score=result.score, max_score=result.max_score, tests=_names(lost)))
    return SelfCheck(ex.id, what, True, ui(
        "check.ref-score", score=result.score, max_score=result.max_score))


def _check_mutant(ex: Exercise, spec: MisconceptionSpec, grade: GradeFn) -> SelfCheck:
    what = ui("check.mutant", id=spec.id)
    try:
        source = ex.reference_source() + "\n\n" + spec.mutant.read_text(encoding="utf-8")
        result = grade(ex.id, source)
    except Exception as exc:
        return SelfCheck(ex.id, what, False, ui("check.error", type=type(exc).__name__,
                                                  message=str(exc)[:300]))
    lost = [t for t in result.tests
            if t.name.split(":", 1)[0].strip() == spec.function and not t.passed]
    if not lost:
        return SelfCheck(ex.id, what, False, ui("check.mutant-no-loss", function=spec.function))
    tagged = [t.name for t in lost if spec.id in t.tags]
    if not tagged:
        return SelfCheck(ex.id, what, False, ui(
            "check.mutant-untagged", tests=_names([t.name for t in lost]), id=spec.id))
    return SelfCheck(ex.id, what, True, ui("check.mutant-caught", tests=_names(tagged)))


def _tasks(ex: Exercise, grade: GradeFn) -> list[Callable[[], SelfCheck]]:
    tasks: list[Callable[[], SelfCheck]] = [partial(_check_reference, ex, grade)]
    tasks += [partial(_check_mutant, ex, spec, grade) for spec in ex.misconceptions]
    return tasks


def _run(
    tasks: Sequence[Callable[[], SelfCheck]], jobs: int,
    on_check: Callable[[SelfCheck], None] | None,
) -> list[SelfCheck]:
    """Run ``tasks`` on ``jobs`` threads (the sandbox isolates); results in task order."""
    out: list[SelfCheck | None] = [None] * len(tasks)
    with ThreadPoolExecutor(max_workers=max(1, jobs), thread_name_prefix="gradwell-check") as pool:
        futures = {pool.submit(task): i for i, task in enumerate(tasks)}
        for future in as_completed(futures):
            out[futures[future]] = check = future.result()
            if on_check is not None:
                on_check(check)
    return [c for c in out if c is not None]


def count_checks(exercises: Mapping[str, Exercise], ids: Sequence[str] = ()) -> int:
    """How many checks :func:`check_exercises` will run (for a progress bar)."""
    chosen = [exercises[i] for i in ids] if ids else list(exercises.values())
    return sum(1 + len(ex.misconceptions) for ex in chosen if ex.kind == "code")


def check_exercise(
    ex: Exercise, *, grade: GradeFn | None = None, jobs: int = 1,
    on_check: Callable[[SelfCheck], None] | None = None,
) -> list[SelfCheck]:
    """The reference check, then one check per misconception, of the code exercise ``ex``."""
    return _run(_tasks(ex, _grade(grade)), jobs, on_check)


def check_exercises(
    exercises: Mapping[str, Exercise], ids: Sequence[str] = (), *,
    grade: GradeFn | None = None, jobs: int = 1,
    on_check: Callable[[SelfCheck], None] | None = None,
) -> list[SelfCheck]:
    """:func:`check_exercise` for ``ids`` (default: every code exercise in ``exercises``)."""
    chosen = [exercises[i] for i in ids] if ids else list(exercises.values())
    grade_fn = _grade(grade)
    tasks = [t for ex in chosen if ex.kind == "code" for t in _tasks(ex, grade_fn)]
    return _run(tasks, jobs, on_check)
