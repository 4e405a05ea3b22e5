"""Load and validate the exercises in ``exercises/``.

Each exercise is a directory ``exercises/<id>/`` holding:

- ``exercise.toml``: id, kind (``code`` or ``quiz``), titles, and for code exercises
  the student's file name, the trusted reference module, the grading suite, the
  rules (forbidden calls) and the list of tests with their points and tolerances;
- ``statement.en.md`` and ``statement.ko.md``: what the student reads;
- ``starter.py`` (code exercises): the exact signatures, to be filled in;
- ``misconceptions.toml`` (code exercises): the catalogue of wrong ideas, each with
  a *mutant* under ``mutants/`` (a wrong definition appended to the reference source);
- ``questions.toml`` (quizzes), read by :mod:`grader.quiz`.

A broken file fails with :class:`ExerciseError`, whose message names the file, the
field and the fix, in English and Korean.
"""

from __future__ import annotations

import functools
import importlib
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from grader.i18n import Text, msg
from grader.result import Misconception
from grader.sandbox.runner import Rules

__all__ = [
    "EXERCISES_DIR",
    "Exercise",
    "ExerciseError",
    "MisconceptionSpec",
    "TestSpec",
    "get",
    "load_all",
    "load_exercise",
]

EXERCISES_DIR = Path(__file__).resolve().parent.parent / "exercises"
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_MISCONCEPTION_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class ExerciseError(ValueError):
    """An exercise file is missing, malformed or inconsistent."""

    def __init__(self, text: Text) -> None:
        super().__init__(text.en)
        self.text = text


@dataclass(frozen=True)
class TestSpec:
    """One test of a code exercise, as ``exercise.toml`` declares it.

    ``name`` is what the student sees (``"sigmoid: values"``): it starts with the
    function or class it judges. ``check`` names the suite's check kind; ``params``
    holds any further keys (check-specific settings).
    """

    __test__ = False

    name: str
    function: str
    check: str
    points: float
    visibility: Literal["visible", "hidden"] = "visible"
    rtol: float | None = None
    atol: float | None = None
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class MisconceptionSpec:
    """A catalogue entry and the path of its mutant."""

    info: Misconception
    mutant: Path

    @property
    def id(self) -> str:
        return self.info.id

    @property
    def function(self) -> str:
        return self.info.function


@dataclass(frozen=True)
class Exercise:
    """A validated exercise (code or quiz)."""

    id: str
    kind: Literal["code", "quiz"]
    title: Text
    directory: Path
    statement: Text
    file: str = ""
    reference: str = ""
    suite: str = ""
    pass_mark: float = 0.6
    rules: Rules = Rules()  # noqa: RUF009 - frozen, so one shared default is safe
    tests: tuple[TestSpec, ...] = ()
    misconceptions: tuple[MisconceptionSpec, ...] = ()
    call_timeout: float = 2.0
    budget: float = 20.0
    quiz_points: float = 0.0

    @property
    def module_name(self) -> str:
        return self.file.removesuffix(".py")

    @property
    def max_score(self) -> float:
        if self.kind == "quiz":
            return self.quiz_points
        return float(sum(t.points for t in self.tests))

    @property
    def functions(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(t.function for t in self.tests))

    @property
    def starter(self) -> str:
        path = self.directory / "starter.py"
        return path.read_text(encoding="utf-8") if path.is_file() else ""

    def reference_source(self) -> str:
        """The source text of the trusted reference module (a full-marks submission)."""
        module = importlib.import_module(self.reference)
        path = Path(module.__file__ or "")
        return path.read_text(encoding="utf-8")


# -- loading ------------------------------------------------------------------------

_CODE_KEYS = {
    "id", "kind", "title", "file", "reference", "suite", "pass_mark", "rules", "tests",
    "call_timeout", "budget",
}
_QUIZ_KEYS = {"id", "kind", "title", "pass_mark"}
_RULE_KEYS = {"forbidden_calls", "forbid_torch", "forbidden_aten_ops"}
_TEST_KEYS = {"name", "check", "points", "visibility", "rtol", "atol", "params"}
_MISCONCEPTION_KEYS = {"id", "function", "mutant", "title", "explanation", "hint"}


def load_exercise(directory: Path) -> Exercise:
    """Load the exercise in ``directory``, or raise :class:`ExerciseError`."""
    toml_path = directory / "exercise.toml"
    data = _read_toml(toml_path)
    where = _rel(toml_path)
    kind = _require(data, "kind", where,
                    msg("exercise.snippet.either", a='kind = "code"', b='kind = "quiz"'))
    if kind not in ("code", "quiz"):
        raise _bad(where, "kind",
                   msg("exercise.problem.one-of",
                       choices=msg("exercise.snippet.either", a='"code"', b='"quiz"')),
                   kind, msg("exercise.fix.write-either", a='kind = "code"', b='kind = "quiz"'))
    _no_unknown(data, _CODE_KEYS if kind == "code" else _QUIZ_KEYS, where, "")
    ex_id = _require(data, "id", where, f'id = "{directory.name}"')
    if not isinstance(ex_id, str) or not _ID.match(ex_id) or ex_id != directory.name:
        raise _bad(where, "id", msg("exercise.problem.directory-name"), ex_id,
                   msg("exercise.fix.write", snippet=f'id = "{directory.name}"'))
    title = _text(data, "title", where)
    statement = _statement(directory)
    pass_mark = _number(data.get("pass_mark", 0.6), where, "pass_mark", low=0.0, high=1.0)
    if kind == "quiz":
        from grader import quiz

        points = quiz.load_quiz(directory).max_score
        return Exercise(
            id=ex_id, kind="quiz", title=title, directory=directory, statement=statement,
            pass_mark=pass_mark, quiz_points=points,
        )

    file = _require(data, "file", where, f'file = "{ex_id}.py"')
    if not isinstance(file, str) or not re.match(r"^[a-z_][a-z0-9_]*\.py$", file):
        raise _bad(where, "file", msg("exercise.problem.python-file"), file,
                   msg("exercise.fix.write", snippet=f'file = "{ex_id}.py"'))
    reference = _require(data, "reference", where, f'reference = "reference.{ex_id}"')
    try:
        importlib.import_module(str(reference))
    except ImportError as exc:
        raise _bad(where, "reference", msg("exercise.problem.import", error=exc), reference,
                   msg("exercise.fix.module-under", package="reference")) from None
    suite_name = _require(data, "suite", where, f'suite = "{ex_id}"')
    suite = _load_suite(str(suite_name), where)
    if not (directory / "starter.py").is_file():
        raise ExerciseError(msg("exercise.missing-file", path=_rel(directory / "starter.py")))
    tests = tuple(_test(i, t, where, suite)
                  for i, t in enumerate(_table_list(data, "tests", where)))
    names = [t.name for t in tests]
    dup = next((n for n in names if names.count(n) > 1), None)
    if dup is not None:
        raise _bad(where, "tests.name", msg("exercise.problem.unique"), dup,
                   msg("exercise.fix.unique-names"))
    misconceptions = _misconceptions(directory, {t.function for t in tests})
    return Exercise(
        id=ex_id, kind="code", title=title, directory=directory, statement=statement,
        file=file, reference=str(reference), suite=str(suite_name), pass_mark=pass_mark,
        rules=_rules(data.get("rules", {}), where), tests=tests,
        misconceptions=misconceptions,
        call_timeout=_number(data.get("call_timeout", 2.0), where, "call_timeout",
                             low=0.01, high=600),
        budget=_number(data.get("budget", 20.0), where, "budget", low=0.1, high=3600),
    )


@functools.cache
def load_all(root: Path = EXERCISES_DIR) -> dict[str, Exercise]:
    """Every exercise under ``root``, by id, in directory order."""
    out: dict[str, Exercise] = {}
    for directory in sorted(p for p in root.iterdir() if (p / "exercise.toml").is_file()):
        exercise = load_exercise(directory)
        out[exercise.id] = exercise
    return out


def get(exercise_id: str, root: Path = EXERCISES_DIR) -> Exercise:
    """The exercise ``exercise_id``, or :class:`ExerciseError` naming the known ones."""
    exercises = load_all(root)
    try:
        return exercises[exercise_id]
    except KeyError:
        raise ExerciseError(
            msg("exercise.unknown-exercise", id=exercise_id, known=", ".join(exercises))
        ) from None


# -- helpers ------------------------------------------------------------------------


def _rel(path: Path) -> str:
    try:
        return str(path.relative_to(EXERCISES_DIR.parent))
    except ValueError:
        return str(path)


def _read_toml(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise ExerciseError(msg("exercise.missing-file", path=_rel(path)))
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ExerciseError(_toml_error(_rel(path), str(exc))) from None


#: where ``tomllib`` says an error is (its message ends with it); only used to say the
#: same place in Korean: without a match, the parser's text is shown as it is
_TOML_AT = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")
_TOML_END = re.compile(r"\s*\(at end of document\)$")


def _toml_error(path: str, error: str) -> Text:
    """``exercise.bad-toml``: the place in both languages, the parser's words verbatim."""
    at = _TOML_AT.search(error)
    if at is not None:
        where = msg("exercise.toml-at", line=int(at[1]), column=int(at[2]))
        return msg("exercise.bad-toml", path=path, where=where, error=error[:at.start()])
    end = _TOML_END.search(error)
    if end is not None:
        return msg("exercise.bad-toml", path=path, where=msg("exercise.toml-end"),
                   error=error[:end.start()])
    return msg("exercise.bad-toml-unplaced", path=path, error=error)


def _require(data: Mapping[str, Any], key: str, where: str, fix: str | Text,
             prefix: str = "") -> Any:
    """``data[key]``, or an error asking to add ``fix`` (a TOML snippet, or a
    :class:`Text` when the advice has words)."""
    if key not in data:
        raise ExerciseError(msg("exercise.missing-field", path=where, field=prefix + key, fix=fix))
    return data[key]


def _bad(where: str, fld: str | Text, problem: str | Text, got: Any, fix: str | Text
         ) -> ExerciseError:
    """``{where}: field '{fld}' {problem}, got {got!r}. Fix: {fix}.`` in both languages.

    ``problem`` and ``fix`` are :class:`Text` from the ``exercise.problem.*`` /
    ``quiz.problem.*`` and ``exercise.fix.*`` / ``quiz.fix.*`` messages. A plain
    string is still accepted, and then reads the same in both languages.
    """
    return ExerciseError(msg("exercise.bad-field", path=where, field=fld, problem=problem,
                             got=got, fix=fix))


def _no_unknown(data: Mapping[str, Any], allowed: set[str], where: str, prefix: str) -> None:
    for key in data:
        if key not in allowed:
            raise ExerciseError(msg(
                "exercise.unknown-field", path=where, field=prefix + key,
                allowed=", ".join(sorted(allowed)),
            ))


def _number(value: Any, where: str, fld: str, *, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
        raise _bad(where, fld, msg("exercise.problem.range", low=low, high=high), value,
                   msg("exercise.fix.number-range", field=fld))
    return float(value)


def _text(data: Mapping[str, Any], key: str, where: str, prefix: str = "") -> Text:
    value = _require(data, key, where, f'{key} = {{ en = "...", ko = "..." }}', prefix)
    if not isinstance(value, dict):
        raise _bad(where, prefix + key, msg("exercise.problem.bilingual-table"), value,
                   msg("exercise.fix.write", snippet=f'{key} = {{ en = "...", ko = "..." }}'))
    _no_unknown(value, {"en", "ko"}, where, f"{prefix}{key}.")  # a "kr" typo, a third language
    for lang in ("en", "ko"):
        if not isinstance(value.get(lang), str) or not value[lang].strip():
            raise ExerciseError(msg(
                "exercise.missing-field", path=where, field=f"{prefix}{key}.{lang}",
                fix=msg("exercise.snippet.bilingual", snippet=f'{key}.{lang} = "..."'),
            ))
    return Text(value["en"], value["ko"])


def _statement(directory: Path) -> Text:
    texts = {}
    for lang in ("en", "ko"):
        path = directory / f"statement.{lang}.md"
        if not path.is_file():
            raise ExerciseError(msg("exercise.missing-file", path=_rel(path)))
        text = path.read_text(encoding="utf-8")
        if not text.strip():
            raise _bad(_rel(path), msg("exercise.field.content"), msg("exercise.problem.empty"),
                       "", msg("exercise.fix.write-statement"))
        texts[lang] = text
    return Text(texts["en"], texts["ko"])


def _table_list(data: Mapping[str, Any], key: str, where: str) -> list[dict[str, Any]]:
    value = data.get(key)
    if not isinstance(value, list) or not value or not all(isinstance(v, dict) for v in value):
        raise _bad(where, key, msg("exercise.problem.table-array"), value,
                   msg("exercise.fix.table-array", table=key))
    return value


def _load_suite(name: str, where: str) -> Any:
    from grader.suites import SUITES

    if name not in SUITES:
        raise _bad(where, "suite", msg("exercise.problem.unknown-suite"), name,
                   msg("exercise.fix.one-of", allowed=", ".join(sorted(SUITES))))
    return SUITES[name]


def _test(i: int, t: Mapping[str, Any], where: str, suite: Any) -> TestSpec:
    prefix = f"tests[{i}]."
    _no_unknown(t, _TEST_KEYS, where, prefix)
    name = _require(t, "name", where, msg("exercise.snippet.test-name"), prefix)
    if not isinstance(name, str) or ":" not in name:
        raise _bad(where, prefix + "name", msg("exercise.problem.test-name"), name,
                   msg("exercise.fix.example", snippet='name = "sigmoid: values"'))
    function = name.split(":", 1)[0].strip()
    checks = suite.CHECKS.get(function)
    if checks is None:
        raise _bad(where, prefix + "name", msg("exercise.problem.unknown-function",
                                                function=function), name,
                   msg("exercise.fix.name-start", allowed=", ".join(suite.CHECKS)))
    check = _require(t, "check", where, msg("exercise.snippet.one-of", snippet='check = "..."',
                                            allowed=", ".join(sorted(checks))), prefix)
    if check not in checks:
        raise _bad(where, prefix + "check", msg("exercise.problem.unknown-check",
                                                 function=function), check,
                   msg("exercise.fix.one-of", allowed=", ".join(sorted(checks))))
    points = t.get("points")
    if isinstance(points, bool) or not isinstance(points, (int, float)) or points <= 0:
        raise _bad(where, prefix + "points", msg("exercise.problem.positive"), points,
                   msg("exercise.fix.positive", field="points"))
    visibility = t.get("visibility", "visible")
    if visibility not in ("visible", "hidden"):
        raise _bad(where, prefix + "visibility",
                   msg("exercise.problem.one-of",
                       choices=msg("exercise.snippet.either", a='"visible"', b='"hidden"')),
                   visibility, msg("exercise.fix.write-or-omit", snippet='visibility = "hidden"'))
    tol: dict[str, float | None] = {}
    for key in ("rtol", "atol"):
        value = t.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))
                                  or not 0 <= value < 1):
            raise _bad(where, prefix + key, msg("exercise.problem.unit-interval"), value,
                       msg("exercise.fix.example", snippet=f"{key} = 1e-7"))
        tol[key] = None if value is None else float(value)
    params = t.get("params", {})
    if not isinstance(params, dict):
        raise _bad(where, prefix + "params", msg("exercise.problem.table"), params,
                   msg("exercise.fix.write", snippet="params = { ... }"))
    return TestSpec(
        name=name, function=function, check=check, points=float(points),
        visibility=visibility, rtol=tol["rtol"], atol=tol["atol"], params=params,
    )


def _rules(data: Any, where: str) -> Rules:
    if not isinstance(data, dict):
        raise _bad(where, "rules", msg("exercise.problem.table"), data,
                   msg("exercise.fix.write", snippet="[rules]"))
    _no_unknown(data, _RULE_KEYS, where, "rules.")
    for key in ("forbidden_calls", "forbidden_aten_ops"):
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise _bad(where, f"rules.{key}", msg("exercise.problem.name-list"), value,
                       msg("exercise.fix.example", snippet=f'{key} = ["scipy.special.expit"]'))
    return Rules(
        forbidden_calls=tuple(data.get("forbidden_calls", [])),
        forbid_torch=bool(data.get("forbid_torch", False)),
        forbidden_aten_ops=tuple(data.get("forbidden_aten_ops", [])),
    )


def _misconceptions(directory: Path, functions: set[str]) -> tuple[MisconceptionSpec, ...]:
    path = directory / "misconceptions.toml"
    where = _rel(path)
    data = _read_toml(path)
    _no_unknown(data, {"misconception"}, where, "")
    out: list[MisconceptionSpec] = []
    seen: set[str] = set()
    for i, entry in enumerate(_table_list(data, "misconception", where)):
        prefix = f"misconception[{i}]."
        _no_unknown(entry, _MISCONCEPTION_KEYS, where, prefix)
        mid = _require(entry, "id", where, 'id = "kebab-case-id"', prefix)
        if not isinstance(mid, str) or not _MISCONCEPTION_ID.match(mid) or mid in seen:
            raise _bad(where, prefix + "id", msg("exercise.problem.kebab-id"), mid,
                       msg("exercise.fix.example", snippet='id = "sigmoid-overflow"'))
        seen.add(mid)
        function = _require(entry, "function", where, 'function = "name"', prefix)
        if function not in functions:
            raise _bad(where, prefix + "function", msg("exercise.problem.untested-function"),
                       function, msg("exercise.fix.one-of", allowed=", ".join(sorted(functions))))
        mutant_rel = _require(entry, "mutant", where,
                              f'mutant = "mutants/{mid.replace("-", "_")}.py"', prefix)
        mutant = directory / str(mutant_rel)
        if not mutant.is_file():
            raise ExerciseError(msg("exercise.missing-file", path=_rel(mutant)))
        out.append(MisconceptionSpec(
            Misconception(
                id=mid, function=str(function),
                title=_text(entry, "title", where, prefix),
                explanation=_text(entry, "explanation", where, prefix),
                hint=_text(entry, "hint", where, prefix),
            ),
            mutant,
        ))
    return tuple(out)
