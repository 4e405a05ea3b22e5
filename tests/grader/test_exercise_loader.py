"""A broken exercise file fails with a message naming the file, the field and the fix."""

from __future__ import annotations

import importlib
import re
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest

from grader.exercise import ExerciseError, load_exercise

TOML = '''
id = "clipping"
kind = "code"
file = "clipping.py"
reference = "reference.clipping"
suite = "clipping"

[title]
en = "Gradient clipping"
ko = "기울기 클리핑"

[rules]
forbid_torch = true

[[tests]]
name = "clip_grad_norm: values"
check = "values"
points = 5

[[tests]]
name = "clip_grad_value: values"
check = "values"
points = 2
visibility = "hidden"
'''

CATALOGUE = '''
[[misconception]]
id = "clip-per-tensor"
function = "clip_grad_norm"
mutant = "mutants/clip_per_tensor.py"
title = { en = "Per-tensor clipping", ko = "텐서별 클리핑" }
explanation = { en = "Each tensor clipped alone.", ko = "텐서마다 따로 잘랐습니다." }
hint = { en = "One norm for all.", ko = "모두를 합친 노름 하나를 쓰세요." }
'''


def make(root: Path, toml: str = TOML, catalogue: str = CATALOGUE) -> Path:
    d = root / "clipping"
    (d / "mutants").mkdir(parents=True)
    (d / "exercise.toml").write_text(toml, encoding="utf-8")
    (d / "misconceptions.toml").write_text(catalogue, encoding="utf-8")
    (d / "mutants" / "clip_per_tensor.py").write_text("def clip_grad_norm(g, m, norm_type=2.0):\n"
                                                      "    return g, 0.0\n")
    (d / "statement.en.md").write_text("# Clipping\n", encoding="utf-8")
    (d / "statement.ko.md").write_text("# 클리핑\n", encoding="utf-8")
    (d / "starter.py").write_text("def clip_grad_norm(grads, max_norm, norm_type=2.0): ...\n")
    return d


def error_of(directory: Path) -> ExerciseError:
    with pytest.raises(ExerciseError) as info:
        load_exercise(directory)
    return info.value


def test_a_valid_exercise_loads(tmp_path: Path) -> None:
    ex = load_exercise(make(tmp_path))
    assert ex.id == "clipping" and ex.max_score == 7.0
    assert [t.name for t in ex.tests] == ["clip_grad_norm: values", "clip_grad_value: values"]
    assert ex.tests[1].visibility == "hidden" and ex.rules.forbid_torch
    assert ex.misconceptions[0].id == "clip-per-tensor"
    assert ex.title.ko == "기울기 클리핑"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('points = 5', 'points = -1',
         "field 'tests[0].points' must be a positive number, got -1. "
         "Fix: give points as a number greater than 0."),
        ('points = 5', 'points = "five"', "field 'tests[0].points' must be a positive number"),
        ('check = "values"\npoints = 5', 'check = "valeus"\npoints = 5',
         "field 'tests[0].check' is not a check of clip_grad_norm, got 'valeus'. "
         "Fix: use one of: no-mutation, values."),
        ('name = "clip_grad_norm: values"', 'name = "clip_norm: values"',
         "field 'tests[0].name' names an unknown function 'clip_norm'"),
        ('suite = "clipping"', 'suite = "clippin"', "field 'suite' is not a known grading suite"),
        ('ko = "기울기 클리핑"\n', '', "field 'title.ko' is missing. Fix: add title.ko"),
        ('ko = "기울기 클리핑"', 'kr = "기울기 클리핑"',
         "unknown field 'title.kr'. Fix: remove it, or use one of: en, ko"),
        ('visibility = "hidden"', 'visibility = "secret"', "field 'tests[1].visibility'"),
        ('reference = "reference.clipping"', 'reference = "reference.nope"',
         "field 'reference' cannot be imported"),
        ('[rules]', '[rulez]', "unknown field 'rulez'. Fix: remove it, or use one of:"),
        ('points = 5', 'points = 5\nrtol = 2', "field 'tests[0].rtol' must be a number in [0, 1)"),
    ],
)
def test_broken_exercise_toml_names_file_field_and_fix(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    assert old in TOML
    err = error_of(make(tmp_path, TOML.replace(old, new, 1)))
    assert "clipping/exercise.toml" in err.text.en
    assert expected in err.text.en
    assert "clipping/exercise.toml" in err.text.ko and "해결" in err.text.ko


def test_invalid_toml_syntax_points_at_the_line(tmp_path: Path) -> None:
    err = error_of(make(tmp_path, TOML.replace('points = 5', 'points = = 5', 1)))
    assert "not valid TOML" in err.text.en and "line 18" in err.text.en


def test_missing_statement_language(tmp_path: Path) -> None:
    d = make(tmp_path)
    (d / "statement.ko.md").unlink()
    assert "statement.ko.md: file not found" in error_of(d).text.en


def test_catalogue_entry_for_an_untested_function(tmp_path: Path) -> None:
    err = error_of(make(tmp_path, catalogue=CATALOGUE.replace(
        'function = "clip_grad_norm"', 'function = "clip_norms"')))
    assert "misconceptions.toml" in err.text.en
    assert "field 'misconception[0].function' is not a function this exercise tests" in err.text.en


def test_catalogue_entry_without_korean_hint(tmp_path: Path) -> None:
    err = error_of(make(tmp_path, catalogue=CATALOGUE.replace(
        ', ko = "모두를 합친 노름 하나를 쓰세요."', '')))
    assert "field 'misconception[0].hint.ko' is missing" in err.text.en


def test_missing_mutant_file(tmp_path: Path) -> None:
    d = make(tmp_path)
    (d / "mutants" / "clip_per_tensor.py").unlink()
    assert "mutants/clip_per_tensor.py: file not found" in error_of(d).text.en


def test_duplicate_test_names(tmp_path: Path) -> None:
    toml = TOML.replace('name = "clip_grad_value: values"', 'name = "clip_grad_norm: values"')
    toml = toml.replace('[[tests]]\nname = "clip_grad_norm: values"\ncheck = "values"\npoints = 2',
                        '[[tests]]\nname = "clip_grad_norm: values"\ncheck = "no-mutation"\n'
                        'points = 2')
    err = error_of(make(tmp_path, toml))
    assert "field 'tests.name' must be unique" in err.text.en


# -- every loader error is fully bilingual ---------------------------------------------

HANGUL = re.compile(r"[\uac00-\ud7a3]")


def _names() -> set[str]:
    """Words that may appear in a Korean message because they are names: TOML keys and
    values, suite, function and check names, Python's literals."""
    from grader import exercise
    from grader.suites import SUITES

    words = {"TOML", "True", "False", "None", "en", "ko", "kebab-case"}
    for keys in (exercise._CODE_KEYS, exercise._QUIZ_KEYS, exercise._RULE_KEYS,
                 exercise._TEST_KEYS, exercise._MISCONCEPTION_KEYS):
        words.update(keys)
    for name, suite in SUITES.items():
        words.add(name)
        for function, checks in suite.CHECKS.items():
            words.add(function)
            words.update(checks)
    for text in (TOML, CATALOGUE):
        words.update(re.findall(r"^\[*([\w.]+)\]*", text, re.MULTILINE))  # keys and tables
        words.update(w for line in text.splitlines() if "=" in line and " en = " not in line
                     for w in re.findall(r"[A-Za-z_][\w-]*", line.split("=", 1)[1]))
    return words


NAMES = _names()


def english_words(ko: str, *verbatim: str) -> list[str]:
    """English words left in a Korean message once names, paths, quoted values, TOML
    snippets and verbatim tool output (a parser's or Python's message) are taken out."""
    for v in verbatim:
        ko = ko.replace(v, " ")
    ko = re.sub(r"\S*/\S*", " ", ko)  # paths
    ko = re.sub(r"(?<![A-Za-z_])[-+]?\d[\w.+-]*", " ", ko)  # numbers: -1, 1e-7, 0.5
    ko = re.sub(r"'[^']*'|\"[^\"]*\"|\[[^\]]*\]|\{[^}]*\}", " ", ko)  # quoted, lists, tables
    words = re.findall(r"[A-Za-z][A-Za-z0-9_-]*", ko)
    return [w for w in words if w not in NAMES and not all(p in NAMES for p in w.split("_"))]


def _toml(old: str, new: str) -> Callable[[Path], Path]:
    def build(root: Path) -> Path:
        assert old in TOML, old
        return make(root, TOML.replace(old, new, 1))
    return build


def _catalogue(old: str, new: str) -> Callable[[Path], Path]:
    def build(root: Path) -> Path:
        assert old in CATALOGUE, old
        return make(root, catalogue=CATALOGUE.replace(old, new, 1))
    return build


def _file(name: str, content: str | None) -> Callable[[Path], Path]:
    def build(root: Path) -> Path:
        d = make(root)
        if content is None:
            (d / name).unlink()
        else:
            (d / name).write_text(content, encoding="utf-8")
        return d
    return build


BROKEN: dict[str, Callable[[Path], Path]] = {
    "kind missing": _toml('kind = "code"\n', ""),
    "kind wrong": _toml('kind = "code"', 'kind = "cod"'),
    "id not the directory": _toml('id = "clipping"', 'id = "clip"'),
    "file not python": _toml('file = "clipping.py"', 'file = "clipping.txt"'),
    "file missing": _toml('file = "clipping.py"\n', ""),
    "reference not importable": _toml('reference = "reference.clipping"',
                                      'reference = "reference.nope"'),
    "suite missing": _toml('suite = "clipping"\n', ""),
    "suite unknown": _toml('suite = "clipping"', 'suite = "clippin"'),
    "call_timeout out of range": _toml('suite = "clipping"',
                                       'suite = "clipping"\ncall_timeout = 0'),
    "budget not a number": _toml('suite = "clipping"', 'suite = "clipping"\nbudget = "x"'),
    "unknown top-level field": _toml('suite = "clipping"', 'suite = "clipping"\nsuit = 1'),
    "title not a table": _toml('[title]\nen = "Gradient clipping"\nko = "기울기 클리핑"\n',
                               'title = "Gradient clipping"\n'),
    "title.ko missing": _toml('ko = "기울기 클리핑"\n', ""),
    "rules not a table": lambda root: make(root, TOML.replace(
        "[rules]\nforbid_torch = true\n", "").replace('suite = "clipping"',
                                                     'suite = "clipping"\nrules = 3')),
    "rules list not names": _toml("forbid_torch = true", 'forbidden_calls = "torch"'),
    "unknown rule": _toml("[rules]", "[rulez]"),
    "test name missing": _toml('name = "clip_grad_norm: values"\n', ""),
    "test name without colon": _toml('name = "clip_grad_norm: values"',
                                     'name = "clip_grad_norm values"'),
    "test of unknown function": _toml('name = "clip_grad_norm: values"',
                                      'name = "clip_norm: values"'),
    "check missing": _toml('check = "values"\npoints = 5', "points = 5"),
    "check unknown": _toml('check = "values"\npoints = 5', 'check = "valeus"\npoints = 5'),
    "points negative": _toml("points = 5", "points = -1"),
    "points a string": _toml("points = 5", 'points = "five"'),
    "visibility unknown": _toml('visibility = "hidden"', 'visibility = "secret"'),
    "rtol out of range": _toml("points = 5", "points = 5\nrtol = 2"),
    "params not a table": _toml("points = 5", "points = 5\nparams = 3"),
    "unknown test field": _toml("points = 5", "points = 5\npoint = 5"),
    "duplicate test names": _toml('name = "clip_grad_value: values"\ncheck = "values"',
                                  'name = "clip_grad_norm: values"\ncheck = "no-mutation"'),
    "no tests": _toml('[[tests]]\nname = "clip_grad_norm: values"', '[[testz]]\nname = "x"'),
    "bad toml syntax": _toml("points = 5", "points = = 5"),
    "toml cut short": _toml('suite = "clipping"', 'suite = "clipping'),
    "misconception id": _catalogue('id = "clip-per-tensor"', 'id = "Clip_Per"'),
    "misconception function": _catalogue('function = "clip_grad_norm"', 'function = "clip_norms"'),
    "misconception mutant missing": _catalogue('mutant = "mutants/clip_per_tensor.py"\n', ""),
    "misconception title not a table": _catalogue(
        'title = { en = "Per-tensor clipping", ko = "텐서별 클리핑" }', 'title = "Per-tensor"'),
    "misconception hint.ko missing": _catalogue(', ko = "모두를 합친 노름 하나를 쓰세요."', ""),
    "misconception unknown field": _catalogue('function = "clip_grad_norm"',
                                              'function = "clip_grad_norm"\nfunc = 1'),
    "catalogue empty": lambda root: _catalogue(CATALOGUE, "")(root),
    "statement missing": _file("statement.ko.md", None),
    "statement empty": _file("statement.en.md", "  \n"),
    "starter missing": _file("starter.py", None),
    "mutant file missing": _file("mutants/clip_per_tensor.py", None),
    "exercise.toml missing": _file("exercise.toml", None),
}


def _verbatim(d: Path) -> list[str]:
    """Tool output a message may quote as it is: the TOML parser's, Python's ImportError."""
    out = []
    for name in ("exercise.toml", "misconceptions.toml"):
        try:
            tomllib.loads((d / name).read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, FileNotFoundError) as exc:
            out.append(re.sub(r"\s*\(at .*\)$", "", str(exc)))
    try:
        importlib.import_module("reference.nope")
    except ImportError as exc:
        out.append(str(exc))
    return out


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_every_loader_error_is_korean_in_korean(tmp_path: Path, case: str) -> None:
    d = BROKEN[case](tmp_path)
    err = error_of(d)
    en, ko = err.text.en, err.text.ko
    assert str(err) == en
    assert HANGUL.search(ko) and not HANGUL.search(en), (en, ko)
    assert ("Fix:" in en) == ("해결:" in ko), (en, ko)
    assert "Fix:" not in ko and "must" not in ko, ko
    left = english_words(ko, *_verbatim(d))
    assert not left, f"English in the Korean message {ko!r}: {left}"


def test_a_korean_loader_error_word_for_word(tmp_path: Path) -> None:
    err = error_of(make(tmp_path, TOML.replace("points = 5", "points = -1", 1)))
    where = str(tmp_path / "clipping" / "exercise.toml")
    assert err.text.en == (f"{where}: field 'tests[0].points' must be a positive number, got -1. "
                           "Fix: give points as a number greater than 0.")
    assert err.text.ko == (f"{where}: 'tests[0].points' 필드가 잘못되었습니다 (양수여야 합니다, "
                           "받은 값 -1). 해결: points에 0보다 큰 수를 쓰세요.")


def test_a_toml_syntax_error_is_placed_in_both_languages(tmp_path: Path) -> None:
    err = error_of(make(tmp_path, TOML.replace("points = 5", "points = = 5", 1)))
    assert "not valid TOML at line 18, column 10 (the parser says: " in err.text.en
    assert "18번째 줄 10번째 열에서 올바른 TOML이 아닙니다 (TOML 파서의 메시지: " in err.text.ko
