"""A broken exercise file fails with a message naming the file, the field and the fix."""

from __future__ import annotations

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
                        '[[tests]]\nname = "clip_grad_norm: values"\ncheck = "no-mutation"\npoints = 2')
    err = error_of(make(tmp_path, toml))
    assert "field 'tests.name' must be unique" in err.text.en
