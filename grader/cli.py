"""The ``gradwell`` command line (contract §2): a thin click layer over plain functions.

Exit codes: 0 when the command did its job (``grade`` exits 0 whatever the score);
1 for a failed check (``exercises check``, ``ci`` below the pass mark) or a grader
error; 2 for a usage error (unknown exercise, unreadable file), always with one line
``Error: …`` on stderr that says how to fix it, never a traceback.

Other packages add commands through the entry point group ``gradwell.commands``
(``register(group)``); they are loaded only when a command that is not built in is
asked for (or for ``--help``), so a broken plugin never gets in the way of grading.
"""

from __future__ import annotations

import importlib.metadata
import io
import os
import sys
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import click
from rich import box
from rich.console import Console, RenderableType
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text as RichText

from grader import __version__
from grader.i18n import LANGS, Text, default_lang, msg
from grader.render import FORMATS, render
from grader.render.messages import ui
from grader.render.text import text_view

if TYPE_CHECKING:
    from grader.exercise import Exercise

__all__ = ["load_plugins", "main"]

PLUGIN_GROUP = "gradwell.commands"


# -- errors -------------------------------------------------------------------------


class UsageFailure(click.ClickException):
    """A usage error: exit 2 and one line ``Error: …`` (no usage block)."""

    exit_code = 2

    def __init__(self, text: Text, lang: str) -> None:
        super().__init__(" ".join(text.get(lang).split()))


class CommandFailure(click.ClickException):
    """The command could not do its job (broken exercises, a grader error): exit 1."""

    exit_code = 1

    def __init__(self, text: Text, lang: str) -> None:
        super().__init__(" ".join(text.get(lang).split()))


# -- shared helpers -----------------------------------------------------------------


def _h(key: str) -> str:
    """Help text in the start-up locale's language (click builds help once, at import)."""
    return ui(key).get(default_lang())


def _lang(value: str | None) -> str:
    return value or default_lang()


lang_option = click.option(
    "--lang", type=click.Choice(LANGS), default=None,
    help=_h("help.lang"),
)


def _echo_rich(renderable: RenderableType, *, err: bool = False) -> None:
    """Print a Rich renderable: coloured on a terminal, plain text otherwise."""
    stream: TextIO = sys.stderr if err else sys.stdout
    if stream.isatty():
        Console(file=stream).print(renderable)
        return
    buffer = io.StringIO()
    Console(file=buffer, width=120, force_terminal=False, no_color=True, color_system=None,
            highlight=False, emoji=False).print(renderable)
    text = "\n".join(line.rstrip() for line in buffer.getvalue().splitlines())
    click.echo(text, err=err)


def _progress() -> Progress:
    """A progress bar on stderr, so that stdout stays a clean report."""
    stderr: TextIO = sys.stderr
    console = Console(file=stderr, force_terminal=stderr.isatty() or None)
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), console=console, transient=False)


def _load_exercises(lang: str) -> Mapping[str, Exercise]:
    from grader import exercise

    try:
        return exercise.load_all()
    except exercise.ExerciseError as exc:
        raise CommandFailure(ui("cli.exercise-broken", error=exc.text.get(lang)), lang) from None


def _code_exercise(exercises: Mapping[str, Exercise], exercise_id: str, lang: str) -> Exercise:
    """The code exercise ``exercise_id``, or a usage error naming the known ones."""
    code = [ex.id for ex in exercises.values() if ex.kind == "code"]
    ex = exercises.get(exercise_id)
    if ex is None:
        raise UsageFailure(
            msg("exercise.unknown-exercise", id=exercise_id, known=", ".join(code) or "-"), lang)
    if ex.kind != "code":
        raise UsageFailure(ui("cli.not-code", id=exercise_id, known=", ".join(code) or "-"), lang)
    return ex


def _grader_failure(exc: Exception, lang: str) -> CommandFailure:
    return CommandFailure(ui("cli.grader-error", type=type(exc).__name__,
                             message=str(exc)[:300]), lang)


def _write(path: Path, text: str, lang: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageFailure(ui("cli.cannot-write", path=str(path),
                              error=exc.strerror or type(exc).__name__), lang) from None


# -- the group and its plugins ------------------------------------------------------


class GradwellGroup(click.Group):
    """A group that loads plugin commands on first need, never for built-in commands."""

    plugins_loaded = False

    def load_plugins(self) -> None:
        if self.plugins_loaded:
            return
        self.plugins_loaded = True
        load_plugins(self)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands:
            self.load_plugins()
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        self.load_plugins()
        return super().list_commands(ctx)


def _warn_plugin(name: str, value: str, exc: BaseException) -> None:
    text = ui("cli.plugin-failed", name=name, value=value,
              error=f"{type(exc).__name__}: {exc}"[:300])
    click.echo(text.get(default_lang()), err=True)


def load_plugins(
    group: click.Group,
    entry_points: Callable[..., Sequence[Any]] | None = None,
) -> list[str]:
    """Attach the sandbox commands and every ``gradwell.commands`` plugin to ``group``.

    A plugin that fails to import or register is reported on stderr and skipped.
    Returns the names of the plugins that registered.
    """
    try:
        from grader.sandbox.cli import sandbox  # type: ignore[import-not-found, unused-ignore]
    except ModuleNotFoundError as exc:
        if exc.name != "grader.sandbox.cli":
            _warn_plugin("sandbox", "grader.sandbox.cli:sandbox", exc)
    except Exception as exc:  # a broken module must not take the CLI down
        _warn_plugin("sandbox", "grader.sandbox.cli:sandbox", exc)
    else:
        group.add_command(sandbox)
    loaded = []
    for ep in (entry_points or importlib.metadata.entry_points)(group=PLUGIN_GROUP):
        try:
            register = ep.load()
            register(group)
        except Exception as exc:
            _warn_plugin(ep.name, ep.value, exc)
        else:
            loaded.append(ep.name)
    return loaded


@click.group(cls=GradwellGroup, context_settings={"help_option_names": ["-h", "--help"]},
             help=_h("help.main"))
@click.version_option(__version__, "--version", prog_name="gradwell",
                      message="%(prog)s %(version)s",
                      help=_h("help.version"))
def main() -> None:
    """gradwell: an autograder for vanishing and exploding gradients.

    Grade submissions, check exercises, export a student repository, and (with the
    web plugin) run the web service.
    """


# -- gradwell exercises ---------------------------------------------------------------


@main.group(help=_h("help.exercises"))
def exercises() -> None:
    """List, show and self-check the exercises."""


def _kind(ex: Exercise, lang: str) -> str:
    return ui("ex.kind-code" if ex.kind == "code" else "ex.kind-quiz").get(lang)


def exercises_table(all_exercises: Mapping[str, Exercise], lang: str) -> Table:
    """The Rich table of ``gradwell exercises list``."""
    table = Table(title=ui("ex.list-title").get(lang), box=box.SIMPLE_HEAD)
    for key, justify in (("ex.id", "left"), ("ex.kind", "left"), ("ex.title", "left"),
                         ("ex.file", "left"), ("ex.tests", "right"), ("ex.points", "right")):
        table.add_column(ui(key).get(lang), justify=justify)  # type: ignore[arg-type]
    for ex in all_exercises.values():
        table.add_row(
            RichText(ex.id), RichText(_kind(ex, lang)), RichText(ex.title.get(lang)),
            RichText(ex.file or "-"), RichText(str(len(ex.tests)) if ex.kind == "code" else "-"),
            RichText(f"{ex.max_score:g}"),
        )
    return table


@exercises.command("list", help=_h("help.exercises-list"))
@lang_option
def exercises_list(lang: str | None) -> None:
    """List the exercises and quizzes with their ids, kinds, titles and points."""
    lg = _lang(lang)
    _echo_rich(exercises_table(_load_exercises(lg), lg))


@exercises.command("show", help=_h("help.exercises-show"))
@click.argument("exercise_id", metavar="ID")
@lang_option
def exercises_show(exercise_id: str, lang: str | None) -> None:
    """Show an exercise's statement, its tests and their points."""
    lg = _lang(lang)
    all_exercises = _load_exercises(lg)
    ex = all_exercises.get(exercise_id)
    if ex is None:
        raise UsageFailure(msg("exercise.unknown-exercise", id=exercise_id,
                               known=", ".join(all_exercises) or "-"), lg)
    click.echo(ui("ex.show-header", id=ex.id, title=ex.title.get(lg), kind=_kind(ex, lg),
                  points=ex.max_score).get(lg))
    if ex.kind == "code":
        click.echo(ui("ex.show-file", file=ex.file).get(lg))
    click.echo("")
    click.echo(ex.statement.get(lg).rstrip())
    if ex.kind != "code":
        return
    click.echo("")
    table = Table(title=ui("ex.tests").get(lg), box=box.SIMPLE_HEAD)
    table.add_column(ui("render.test").get(lg))
    table.add_column(ui("ex.points").get(lg), justify="right")
    table.add_column(ui("ex.visibility").get(lg))
    for t in ex.tests:
        table.add_row(RichText(t.name), RichText(f"{t.points:g}"),
                      RichText(ui(f"ex.{t.visibility}").get(lg)))
    _echo_rich(table)


@exercises.command("check", help=_h("help.exercises-check"))
@click.argument("exercise_ids", metavar="[ID]...", nargs=-1)
@click.option("--jobs", "-j", type=click.IntRange(1, 256), default=os.cpu_count() or 1,
              show_default=_h("help.default-cpus"), help=_h("help.check-jobs"))
@lang_option
def exercises_check(exercise_ids: tuple[str, ...], jobs: int, lang: str | None) -> None:
    """Grade each reference (full marks expected) and each misconception's mutant
    (points lost and the misconception tagged expected); exit 1 on any failure."""
    from grader.selfcheck import check_exercises, count_checks

    lg = _lang(lang)
    all_exercises = _load_exercises(lg)
    for exercise_id in exercise_ids:
        _code_exercise(all_exercises, exercise_id, lg)
    total = count_checks(all_exercises, exercise_ids)
    if not total:
        raise CommandFailure(ui("check.no-code"), lg)
    with _progress() as progress:
        task = progress.add_task(ui("check.progress").get(lg), total=total)
        checks = check_exercises(all_exercises, exercise_ids, jobs=jobs,
                                 on_check=lambda _c: progress.advance(task))
    table = Table(box=box.SIMPLE_HEAD)
    for key in ("ex.id", "check.what", "check.outcome", "check.detail"):
        table.add_column(ui(key).get(lg), overflow="fold")
    for c in checks:
        outcome = RichText(ui("check.ok" if c.ok else "check.fail").get(lg),
                           style="green" if c.ok else "bold red")
        table.add_row(RichText(c.exercise), RichText(c.what.get(lg)), outcome,
                      RichText(c.detail.get(lg)))
    _echo_rich(table)
    failed = sum(1 for c in checks if not c.ok)
    if failed:
        click.echo(ui("check.summary-fail", failed=failed, n=len(checks)).get(lg))
        sys.exit(1)
    click.echo(ui("check.summary-ok", n=len(checks)).get(lg))


# -- gradwell grade -------------------------------------------------------------------


@main.command(help=_h("help.grade"))
@click.argument("file", type=click.Path(path_type=Path, dir_okay=True))
@click.option("--exercise", "exercise_id", required=True, metavar="ID",
              help=_h("help.grade-exercise"))
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)), default="text",
              show_default=True, help=_h("help.grade-format"))
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help=_h("help.grade-out"))
@lang_option
def grade(file: Path, exercise_id: str, fmt: str, out: Path | None, lang: str | None) -> None:
    """Grade one submission FILE (``-``: standard input) of an exercise; exit 0 whatever
    the score."""
    from grader.batch import SubmissionReadError, default_grade, read_submission

    lg = _lang(lang)
    _code_exercise(_load_exercises(lg), exercise_id, lg)
    try:
        source = _read_stdin() if str(file) == "-" else read_submission(file)
    except SubmissionReadError as exc:
        raise UsageFailure(exc.text, lg) from None
    try:
        result = default_grade(exercise_id, source)
    except Exception as exc:  # a grader error: reported, never a traceback
        if os.environ.get("GRADWELL_DEBUG"):
            raise
        raise _grader_failure(exc, lg) from None
    if out is not None:
        _write(out, render(result, fmt, lg), lg)
        click.echo(ui("cli.wrote", path=str(out)).get(lg), err=True)
    elif fmt == "text":
        _echo_rich(text_view(result, lg))
    else:
        click.echo(render(result, fmt, lg).rstrip("\n"))


def _read_stdin() -> str:
    from grader.batch import SubmissionReadError

    data: bytes = sys.stdin.buffer.read()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SubmissionReadError(ui("cli.not-utf8", path="<stdin>", position=exc.start)) from None


# -- gradwell batch -------------------------------------------------------------------


@main.command(help=_h("help.batch"))
@click.argument("directory", metavar="DIR", type=click.Path(path_type=Path))
@click.option("--exercise", "exercise_id", required=True, metavar="ID",
              help=_h("help.batch-exercise"))
@click.option("--jobs", "-j", type=click.IntRange(1, 256), default=os.cpu_count() or 1,
              show_default=_h("help.default-cpus"), help=_h("help.batch-jobs"))
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False),
              default=Path("grades.csv"), show_default=True,
              help=_h("help.batch-out"))
@lang_option
def batch(directory: Path, exercise_id: str, jobs: int, out: Path, lang: str | None) -> None:
    """Grade every *.py in DIR (and in DIR/<student>/) and write a CSV of grades."""
    from grader import batch as batch_mod

    lg = _lang(lang)
    ex = _code_exercise(_load_exercises(lg), exercise_id, lg)
    if not directory.is_dir():
        raise UsageFailure(ui("cli.not-a-dir", path=str(directory)), lg)
    submissions = batch_mod.discover(directory)
    if not submissions:
        raise UsageFailure(ui("cli.no-submissions", path=str(directory)), lg)
    started = time.perf_counter()
    with _progress() as progress:
        task = progress.add_task(ui("batch.progress", exercise=ex.id).get(lg),
                                 total=len(submissions))
        rows = batch_mod.grade_batch(
            ex.id, submissions, jobs=jobs, on_done=lambda _row: progress.advance(task))
    _write(out, batch_mod.rows_to_csv(rows, ex, lg), lg)
    errors = sum(1 for r in rows if r.result is None)
    click.echo(ui("batch.done", n=len(rows), errors=errors,
                  seconds=time.perf_counter() - started, path=str(out)).get(lg))


# -- gradwell starter -----------------------------------------------------------------


@main.group(help=_h("help.starter"))
def starter() -> None:
    """Student exercise repositories."""


@starter.command("export", help=_h("help.starter-export"))
@click.argument("directory", metavar="DIR", type=click.Path(path_type=Path, file_okay=False))
@click.option("--install-spec", default=None, metavar="REQUIREMENT",
              help=_h("help.starter-install"))
@click.option("--force", is_flag=True, help=_h("help.starter-force"))
@lang_option
def starter_export(directory: Path, install_spec: str | None, force: bool,
                   lang: str | None) -> None:
    """Write a student repository to DIR: starter files, statements, README and a CI workflow.

    References, mutants and hidden tests are never exported.
    """
    from grader.starter_repo import StarterExportError, export_starter

    lg = _lang(lang)
    if install_spec is not None and any(c in install_spec for c in "\"'\n\r"):
        raise UsageFailure(Text("--install-spec must not contain quotes or line breaks.",
                                "--install-spec에는 따옴표나 줄바꿈이 들어갈 수 없습니다."), lg)
    try:
        report = export_starter(directory, _load_exercises(lg), install_spec=install_spec,
                                lang=lg, force=force)
    except StarterExportError as exc:
        raise UsageFailure(exc.text, lg) from None
    except OSError as exc:
        raise UsageFailure(ui("cli.cannot-write", path=str(directory),
                              error=exc.strerror or type(exc).__name__), lg) from None
    click.echo(ui("starter.done", path=str(directory), n=len(report.exercises),
                  files=len(report.files)).get(lg))


# -- gradwell ci ----------------------------------------------------------------------


@main.command(help=_h("help.ci"))
@click.argument("path", type=click.Path(path_type=Path, file_okay=False), default=Path("."))
@click.option("--pass-mark", type=click.FloatRange(0.0, 1.0), default=None,
              help=_h("help.ci-pass-mark"))
@click.option("--out-dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              help=_h("help.ci-out-dir"))
@lang_option
def ci(path: Path, pass_mark: float | None, out_dir: Path | None, lang: str | None) -> None:
    """Grade the exercise repository at PATH; exit 1 if an exercise is below its pass mark."""
    from grader.ci import CiError, run_ci

    lg = _lang(lang)
    try:
        report = run_ci(path, _load_exercises(lg), pass_mark=pass_mark, lang=lg, out_dir=out_dir)
    except CiError as exc:
        raise UsageFailure(exc.text, lg) from None
    except OSError as exc:
        raise UsageFailure(ui("cli.cannot-write", path=str(out_dir or path),
                              error=exc.strerror or type(exc).__name__), lg) from None
    except Exception as exc:  # a grader error: reported, never a traceback
        if os.environ.get("GRADWELL_DEBUG"):
            raise
        raise _grader_failure(exc, lg) from None
    # In GitHub Actions, text from the student's code must not be read as a workflow
    # command (``::set-env``, ``::add-mask::``): pause command processing around it.
    token = uuid.uuid4().hex if os.environ.get("GITHUB_ACTIONS") == "true" else None
    if token:
        click.echo(f"::stop-commands::{token}")
    for outcome in report.outcomes:
        _echo_rich(text_view(outcome.result, lg))
    if token:
        click.echo(f"::{token}::")
    click.echo(ui("ci.wrote", junit=str(report.junit_path),
                  summary=str(report.summary_path)).get(lg))
    if report.passed:
        click.echo(ui("ci.passed").get(lg))
        return
    click.echo(ui("ci.failed", ids=", ".join(report.failed_ids)).get(lg))
    sys.exit(1)


if __name__ == "__main__":  # pragma: no cover
    main()
