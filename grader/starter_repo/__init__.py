"""``gradwell starter export``: write a student's exercise repository.

What is written, and nothing else::

    DIR/README.md                          how to grade locally and in CI (ko/en)
    DIR/<file>.py                          each code exercise's starter file
    DIR/statements/<id>.en.md, .ko.md      each code exercise's statement
    DIR/.github/workflows/gradwell.yml     runs ``gradwell ci`` on every push
    DIR/.gitignore

References, mutants, misconception catalogues and the exercise TOML (tolerances,
hidden tests) stay with the instructor: only ``starter.py`` and the statements are
read from an exercise's directory.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from grader.exercise import Exercise
from grader.i18n import Text
from grader.render.messages import ui

__all__ = ["ExportReport", "StarterExportError", "default_install_spec", "export_starter"]


class StarterExportError(Exception):
    """The target directory cannot be used; ``text`` says why and what to do."""

    def __init__(self, text: Text) -> None:
        super().__init__(text.en)
        self.text = text


@dataclass(frozen=True)
class ExportReport:
    """What :func:`export_starter` wrote."""

    directory: Path
    files: tuple[Path, ...]
    exercises: tuple[str, ...]


def default_install_spec() -> str:
    """The pip requirement the workflow installs: this very version of gradwell."""
    from grader import __version__

    return f"gradwell=={__version__}"


def _template(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def _fill(text: str, values: Mapping[str, str]) -> str:
    for key, value in values.items():
        text = text.replace(f"@@{key}@@", value)
    return text


def _exercise_rows(exercises: list[Exercise], lang: str) -> str:
    return "\n".join(
        f"| {ex.title.get(lang)} (`{ex.id}`) | `{ex.file}` | {ex.max_score:g} "
        f"| [statements/{ex.id}.{lang}.md](statements/{ex.id}.{lang}.md) |"
        for ex in exercises
    )


def export_starter(
    directory: Path,
    exercises: Mapping[str, Exercise],
    *,
    install_spec: str | None = None,
    lang: str = "en",
    force: bool = False,
) -> ExportReport:
    """Write the student repository for the code exercises in ``exercises`` to ``directory``.

    Raises :class:`StarterExportError` if ``directory`` exists, is not empty and
    ``force`` is false.
    """
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())) and not force:
        raise StarterExportError(ui("starter.not-empty", path=str(directory)))
    code = [ex for ex in exercises.values() if ex.kind == "code"]
    files: dict[Path, str] = {}
    for ex in code:
        files[directory / ex.file] = ex.starter
        for lg in ("en", "ko"):
            files[directory / "statements" / f"{ex.id}.{lg}.md"] = ex.statement.get(lg)
    install = install_spec or default_install_spec()
    files[directory / "README.md"] = _fill(_template("README.template.md"), {
        "EXERCISES_KO": _exercise_rows(code, "ko"),
        "EXERCISES_EN": _exercise_rows(code, "en"),
        "INSTALL": install,
    })
    files[directory / ".github" / "workflows" / "gradwell.yml"] = _fill(
        _template("gradwell.template.yml"), {"INSTALL": install, "LANG": lang})
    files[directory / ".gitignore"] = _template("gitignore.txt")
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return ExportReport(directory, tuple(files), tuple(ex.id for ex in code))
