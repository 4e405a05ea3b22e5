"""Grade every submission in a directory (``gradwell batch``) and write a CSV.

Layout accepted: ``DIR/<name>.py`` (the student is the file's stem) and one level of
student directories, ``DIR/<student>/<file>.py``. Submissions are graded by threads
calling :func:`grader.engine.grade`: the sandbox does the process isolation, so a
thread only waits. One bad file never stops the batch: an unreadable file, or a grader
error on one file, becomes a row with ``status = error`` and the reason.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from grader.exercise import Exercise
from grader.i18n import Text
from grader.render.messages import ui
from grader.result import Result, TestResult

__all__ = [
    "BatchRow",
    "Submission",
    "SubmissionReadError",
    "discover",
    "grade_batch",
    "read_submission",
    "rows_to_csv",
    "unreadable_result",
]

GradeFn = Callable[[str, str], Result]


class SubmissionReadError(Exception):
    """A submission file that cannot be read as UTF-8 text; ``text`` says why and how to fix."""

    def __init__(self, text: Text) -> None:
        super().__init__(text.en)
        self.text = text


def read_submission(path: Path) -> str:
    """The text of ``path``, or :class:`SubmissionReadError` (missing, unreadable, not UTF-8)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SubmissionReadError(
            ui("cli.unreadable", path=str(path), error=exc.strerror or type(exc).__name__)
        ) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SubmissionReadError(ui("cli.not-utf8", path=str(path), position=exc.start)) from None


def default_grade(exercise_id: str, source: str) -> Result:
    """:func:`grader.engine.grade`, looked up at call time (tests monkeypatch it)."""
    from grader import engine

    return engine.grade(exercise_id, source)


def unreadable_result(exercise: Exercise, reason: Text) -> Result:
    """An ungradable result for a file that could not be read: every test 0, with ``reason``."""
    tests = tuple(
        TestResult(name=t.name, function=t.function, score=0.0, max_score=t.points,
                   output=reason, visibility=t.visibility)
        for t in exercise.tests
    )
    return Result(exercise.id, tests, 0.0, status="ungradable", messages=(reason,))


@dataclass(frozen=True)
class Submission:
    """One file to grade and the student it belongs to."""

    student: str
    path: Path
    #: the path as written in the CSV (relative to the batch directory)
    file: str = ""


@dataclass(frozen=True)
class BatchRow:
    """The outcome of one submission: a result, or an error that kept it from grading."""

    submission: Submission
    result: Result | None = None
    error: Text | None = None


def _visible(p: Path) -> bool:
    return not p.name.startswith((".", "__"))


def discover(directory: Path) -> list[Submission]:
    """Every ``*.py`` in ``directory`` and in its student subdirectories, sorted."""
    found: list[Submission] = []
    for entry in sorted(directory.iterdir()):
        if not _visible(entry):
            continue
        if entry.is_file() and entry.suffix == ".py":
            found.append(Submission(entry.stem, entry, entry.name))
        elif entry.is_dir():
            found += [
                Submission(entry.name, f, f"{entry.name}/{f.name}") for f in sorted(entry.iterdir())
                if _visible(f) and f.is_file() and f.suffix == ".py"
            ]
    return found


def _grade_one(exercise_id: str, sub: Submission, grade: GradeFn) -> BatchRow:
    try:
        source = read_submission(sub.path)
    except SubmissionReadError as exc:
        return BatchRow(sub, error=exc.text)
    try:
        return BatchRow(sub, result=grade(exercise_id, source))
    except Exception as exc:  # a grader error on one file must not stop the batch
        return BatchRow(sub, error=ui("batch.grader-error", type=type(exc).__name__,
                                      message=str(exc)[:300]))


def grade_batch(
    exercise_id: str,
    submissions: Sequence[Submission],
    *,
    jobs: int = 1,
    grade: GradeFn | None = None,
    on_done: Callable[[BatchRow], None] | None = None,
) -> list[BatchRow]:
    """Grade ``submissions`` with ``jobs`` threads; rows come back in input order.

    ``on_done`` is called once per finished submission (from the calling thread),
    e.g. to advance a progress bar.
    """
    grade_fn = grade or default_grade
    rows: list[BatchRow | None] = [None] * len(submissions)
    with ThreadPoolExecutor(max_workers=max(1, jobs), thread_name_prefix="gradwell-batch") as pool:
        futures = {
            pool.submit(_grade_one, exercise_id, sub, grade_fn): i
            for i, sub in enumerate(submissions)
        }
        for future in as_completed(futures):
            row = future.result()
            rows[futures[future]] = row
            if on_done is not None:
                on_done(row)
    return [r for r in rows if r is not None]


def _num(x: float) -> str:
    return f"{x:g}"


def rows_to_csv(rows: Iterable[BatchRow], exercise: Exercise, lang: str = "en") -> str:
    """The CSV text: student, file, score, max_score, status, one column per test,
    misconceptions (``;``-separated ids) and error (the reason a file was not graded)."""
    names = [t.name for t in exercise.tests]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["student", "file", "score", "max_score", "status", *names,
                     "misconceptions", "error"])
    for row in rows:
        sub = row.submission
        if row.result is None:
            writer.writerow([
                sub.student, sub.file or str(sub.path), "0", _num(exercise.max_score), "error",
                *([""] * len(names)), "", row.error.get(lang) if row.error else "",
            ])
            continue
        result = row.result
        by_name = {t.name: t for t in result.tests}
        tags = dict.fromkeys(tag for t in result.tests for tag in t.tags)
        graded = result.status == "graded"
        error = "" if graded else "\n".join(m.get(lang) for m in result.messages)
        writer.writerow([
            sub.student, sub.file or str(sub.path), _num(result.score), _num(result.max_score),
            result.status,
            *(_num(by_name[n].score) if n in by_name else "" for n in names),
            ";".join(tags), error,
        ])
    return buffer.getvalue()
