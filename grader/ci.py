"""``gradwell ci``: grade a student's exercise repository inside CI.

Every code exercise whose file (``activations.py``, …) exists at the repository's top
level is graded. The run writes ``gradwell-junit.xml`` (for test reporters) and
``gradwell-summary.md`` (appended to ``$GITHUB_STEP_SUMMARY`` when that is set) and
fails when an exercise's fraction is below its pass mark (the exercise's
``pass_mark``, or one mark for all from ``--pass-mark``).

This is the student's own feedback loop: the workflow runs in a repository the
student controls, so the grade of record comes from the instructor's grader.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from grader.batch import SubmissionReadError, read_submission, unreadable_result
from grader.exercise import Exercise
from grader.i18n import Text
from grader.render.junit import render_junit
from grader.render.markdown import render_markdown_summary
from grader.render.messages import ui
from grader.result import Result

__all__ = ["JUNIT_FILE", "SUMMARY_FILE", "CiError", "CiOutcome", "CiReport", "run_ci"]

JUNIT_FILE = "gradwell-junit.xml"
SUMMARY_FILE = "gradwell-summary.md"

GradeFn = Callable[[str, str], Result]


class CiError(Exception):
    """Nothing to grade at the path (a usage error); ``text`` says what was expected."""

    def __init__(self, text: Text) -> None:
        super().__init__(text.en)
        self.text = text


@dataclass(frozen=True)
class CiOutcome:
    """One exercise's result and the mark it had to reach."""

    exercise: Exercise
    result: Result
    pass_mark: float

    @property
    def passed(self) -> bool:
        return self.result.fraction >= self.pass_mark - 1e-9


@dataclass(frozen=True)
class CiReport:
    """Everything ``gradwell ci`` found and wrote."""

    outcomes: tuple[CiOutcome, ...]
    junit_path: Path
    summary_path: Path
    summary: str

    @property
    def passed(self) -> bool:
        return all(o.passed for o in self.outcomes)

    @property
    def failed_ids(self) -> list[str]:
        return [o.exercise.id for o in self.outcomes if not o.passed]


def run_ci(
    path: Path,
    exercises: Mapping[str, Exercise],
    *,
    pass_mark: float | None = None,
    lang: str = "en",
    out_dir: Path | None = None,
    grade: GradeFn | None = None,
    env: Mapping[str, str] | None = None,
) -> CiReport:
    """Grade the exercise repository at ``path``; write the JUnit and Markdown reports.

    Raises :class:`CiError` when no exercise file exists at ``path``.
    """
    from grader.batch import default_grade

    grade_fn = grade or default_grade
    env = os.environ if env is None else env
    code = [ex for ex in exercises.values() if ex.kind == "code"]
    present = [ex for ex in code if (path / ex.file).is_file()]
    if not present:
        raise CiError(ui("ci.no-files", path=str(path),
                         files=", ".join(ex.file for ex in code) or "-"))
    outcomes = []
    for ex in present:
        try:
            result = grade_fn(ex.id, read_submission(path / ex.file))
        except SubmissionReadError as exc:
            result = unreadable_result(ex, exc.text)
        mark = ex.pass_mark if pass_mark is None else pass_mark
        outcomes.append(CiOutcome(ex, result, mark))
    out = out_dir or path
    out.mkdir(parents=True, exist_ok=True)
    junit_path, summary_path = out / JUNIT_FILE, out / SUMMARY_FILE
    junit_path.write_text(render_junit([o.result for o in outcomes], lang), encoding="utf-8")
    summary = render_markdown_summary([(o.result, o.pass_mark) for o in outcomes], lang)
    summary_path.write_text(summary, encoding="utf-8")
    step_summary = env.get("GITHUB_STEP_SUMMARY")
    if step_summary:
        with open(step_summary, "a", encoding="utf-8") as fh:
            fh.write(summary + "\n")
    return CiReport(tuple(outcomes), junit_path, summary_path, summary)
