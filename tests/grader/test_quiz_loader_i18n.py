"""A broken questions.toml is explained in Korean too: the quiz loader's problem and fix
texts come from the message catalogue, not English literals."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from grader.exercise import EXERCISES_DIR, ExerciseError
from grader.i18n import MESSAGES
from grader.quiz import load_quiz

QUIZ_PY = Path(__file__).resolve().parents[2] / "grader" / "quiz.py"
HANGUL = re.compile(r"[\uac00-\ud7a3]")
# the Korean template wraps the problem in "필드가 잘못되었습니다 (...)" and the fix after "해결:"
_KO_PARTS = re.compile(
    r"필드가 잘못되었습니다 \((?P<problem>.*), 받은 값 .*\)\. 해결: (?P<fix>.*)\.$")

_GOOD = '''
[[question]]
id = "q1"
kind = "true_false"
points = 1
prompt = { en = "Is it?", ko = "그런가요?" }
explanation = { en = "Yes.", ko = "네." }
answer = true

[[question]]
id = "q2"
kind = "numeric"
points = 2
prompt = { en = "x = {x}?", ko = "x = {x}인가요?" }
explanation = { en = "Compute it.", ko = "계산하세요." }
compute = "sigmoid_grad"
params = { x = { float = [-1, 1] } }
rtol = 1e-3
atol = 0
'''

_SINGLE = '''
[[question]]
id = "s"
kind = "single"
points = 1
prompt = { en = "Which?", ko = "어느 것?" }
explanation = { en = "This.", ko = "이것." }
[[question.choices]]
id = "a"
text = { en = "A", ko = "가" }
correct = true
[[question.choices]]
id = "b"
text = { en = "B", ko = "나" }
correct = true
'''

_PARAMS = "params = { x = { float = [-1, 1] } }"


def _quiz_dir(tmp_path: Path, questions: str) -> Path:
    directory = tmp_path / "quiz_broken"
    directory.mkdir()
    shutil.copy(EXERCISES_DIR / "quiz_vanishing" / "statement.en.md", directory)
    shutil.copy(EXERCISES_DIR / "quiz_vanishing" / "statement.ko.md", directory)
    (directory / "exercise.toml").write_text(
        'id = "quiz_broken"\nkind = "quiz"\ntitle = { en = "Broken", ko = "고장" }\n',
        encoding="utf-8")
    (directory / "questions.toml").write_text(questions, encoding="utf-8")
    return directory


# (questions.toml, the English problem and fix exactly as before the translation)
_CASES = {
    "duplicate-id": (
        _GOOD.replace('id = "q2"', 'id = "q1"'),
        "field 'question[1].id' must be unique in the quiz, got 'q1'. "
        "Fix: give each question its own id.",
        "must be unique in the quiz",
    ),
    "unknown-kind": (
        _GOOD.replace('kind = "true_false"', 'kind = "essay"'),
        "field 'question[0] (q1).kind' is not a known question kind, got 'essay'. "
        "Fix: use one of: single, multiple, true_false, numeric.",
        "is not a known question kind",
    ),
    "two-correct": (
        _SINGLE,
        "field 'question[0] (s).choices' must have exactly one correct choice, got 2. "
        "Fix: mark exactly one choice with correct = true.",
        "must have exactly one correct choice",
    ),
    "bad-range": (
        _GOOD.replace(_PARAMS, "params = { x = { float = [5, 1] } }"),
        "field 'question[1] (q2).params.x.float' must be [low, high] with low <= high, "
        "got [5, 1]. Fix: e.g. float = [1, 10].",
        "must be [low, high] with low <= high",
    ),
    "zero-tolerance": (
        _GOOD.replace("rtol = 1e-3", "rtol = 0"),
        "field 'question[1] (q2).rtol' and atol are both 0: no typed answer could pass, "
        "got 0. Fix: state a tolerance the student can meet, e.g. rtol = 1e-3.",
        "no typed answer could pass",
    ),
    "unknown-placeholder": (
        _GOOD.replace('x = {x}?", ko', 'y = {y}?", ko'),
        "field 'question[1] (q2).prompt.en' has a placeholder that is not a parameter ('y'), "
        "got 'y = {y}?'. Fix: use only {name} for names declared in params.",
        "has a placeholder that is not a parameter",
    ),
    "decimals": (
        _GOOD.replace(_PARAMS, "params = { x = { float = [-1, 1], decimals = 9 } }"),
        "field 'question[1] (q2).params.x.decimals' must be an integer from 0 to 6, got 9. "
        "Fix: e.g. decimals = 2.",
        "must be an integer from 0 to 6",
    ),
}


@pytest.mark.parametrize("case", sorted(_CASES))
def test_broken_quiz_error_reads_in_both_languages(tmp_path: Path, case: str) -> None:
    questions, english, problem = _CASES[case]
    with pytest.raises(ExerciseError) as info:
        load_quiz(_quiz_dir(tmp_path, questions))
    text = info.value.text
    # English: unchanged, word for word
    assert text.en.endswith(english), text.en
    assert str(info.value) == text.en
    # Korean: the problem and the fix are Korean sentences, not the English phrases
    parts = _KO_PARTS.search(text.ko)
    assert parts is not None, text.ko
    assert HANGUL.search(parts["problem"]), text.ko
    assert HANGUL.search(parts["fix"]), text.ko
    assert problem not in text.ko, text.ko
    fix_en = english.rsplit("Fix: ", 1)[1].rstrip(".")
    assert fix_en not in text.ko, text.ko


def test_missing_field_hints_are_korean_too(tmp_path: Path) -> None:
    with pytest.raises(ExerciseError) as info:
        load_quiz(_quiz_dir(tmp_path, _GOOD.replace("rtol = 1e-3\n", "")))
    text = info.value.text
    assert text.en.endswith("Fix: add rtol = 1e-3 (the stated tolerance).")
    assert "the stated tolerance" not in text.ko and "허용 오차" in text.ko


_MSG_KEY = re.compile(r"""\bmsg\(\s*["']([\w.-]+)["']""")


def test_every_message_the_quiz_loader_uses_exists_in_both_languages() -> None:
    keys = set(_MSG_KEY.findall(QUIZ_PY.read_text(encoding="utf-8")))
    assert {"quiz.problem.unique-in-quiz", "quiz.problem.low-high"} <= keys
    missing = sorted(k for k in keys if k not in MESSAGES)
    assert not missing
    for key in keys:
        en, ko = MESSAGES[key]
        assert en.strip() and not HANGUL.search(en), key
        assert ko.strip() and HANGUL.search(ko), key


def test_no_english_literal_is_passed_as_problem_or_fix() -> None:
    """Every ``_bad(...)`` in grader/quiz.py passes its problem through ``msg``."""
    source = QUIZ_PY.read_text(encoding="utf-8")
    calls = re.findall(r"_bad\((.*?)\)(?: from None)?\n", source, flags=re.S)
    assert len(calls) >= 20
    for call in calls:
        assert 'msg("' in call, call
