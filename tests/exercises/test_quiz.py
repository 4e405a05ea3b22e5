"""The quiz: loading and validation, per-student numbers, grading and its messages."""

from __future__ import annotations

import json
import math
import re
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grader.exercise import EXERCISES_DIR, ExerciseError, load_exercise
from grader.quiz import Question, Quiz, draw_params, expected_answer, grade_quiz, load_quiz, render
from reference import activations, clipping, initializers, normalization

QUIZ_DIR = EXERCISES_DIR / "quiz_vanishing"
HANGUL = re.compile(r"[\uac00-\ud7a3]")


@pytest.fixture(scope="module")
def quiz() -> Quiz:
    return load_quiz(QUIZ_DIR)


def _correct(q: Question, student: str, quiz_id: str) -> Any:
    if q.kind == "single":
        return next(iter(q.correct_ids))
    if q.kind == "multiple":
        return sorted(q.correct_ids)
    if q.kind == "true_false":
        return q.answer
    return expected_answer(q, student, quiz_id)


def _wrong(q: Question, student: str, quiz_id: str) -> Any:
    if q.kind == "single":
        return next(c.id for c in q.choices if not c.correct)
    if q.kind == "multiple":
        return [c.id for c in q.choices if not c.correct]
    if q.kind == "true_false":
        return not q.answer
    return expected_answer(q, student, quiz_id) * 1.5 + 1.0


# -- the quiz file ---------------------------------------------------------------------


def test_quiz_has_at_least_12_questions_of_every_kind(quiz: Quiz) -> None:
    assert len(quiz.questions) >= 12
    assert {q.kind for q in quiz.questions} == {"single", "multiple", "true_false", "numeric"}
    assert sum(q.kind == "numeric" for q in quiz.questions) >= 4
    assert quiz.max_score == sum(q.points for q in quiz.questions) > 0


def test_loader_reports_the_quiz_points() -> None:
    exercise = load_exercise(QUIZ_DIR)
    assert exercise.kind == "quiz"
    assert exercise.max_score == load_quiz(QUIZ_DIR).max_score


def test_every_text_is_bilingual(quiz: Quiz) -> None:
    for q in quiz.questions:
        texts = [q.prompt, q.explanation] + [c.text for c in q.choices]
        texts += [q.unit] if q.unit else []
        for text in texts:
            assert text.en.strip() and text.ko.strip(), q.id
            assert not HANGUL.search(text.en), q.id
        for text in (q.prompt, q.explanation):
            assert HANGUL.search(text.ko) and text.ko != text.en, q.id


# -- per-student numbers ---------------------------------------------------------------


def _numeric(quiz: Quiz) -> list[Question]:
    return [q for q in quiz.questions if q.kind == "numeric"]


def test_numbers_are_stable_for_one_student(quiz: Quiz) -> None:
    first = render(quiz, "student-a@example.org")
    again = render(load_quiz(QUIZ_DIR), "student-a@example.org")
    assert first == again


def test_numbers_differ_between_students(quiz: Quiz) -> None:
    a = {i["id"]: i["prompt"] for i in render(quiz, "student-a@example.org")}
    b = {i["id"]: i["prompt"] for i in render(quiz, "student-b@example.org")}
    differing = [q.id for q in _numeric(quiz) if a[q.id] != b[q.id]]
    # Each question has its own seed; with these ranges a collision on all of them is
    # impossible in practice, and most questions differ.
    assert len(differing) >= len(_numeric(quiz)) - 2
    for q in _numeric(quiz):
        values = {expected_answer(q, f"s{i}", quiz.id) for i in range(20)}
        assert len(values) >= 3, q.id


def test_seed_depends_on_student_quiz_and_question(quiz: Quiz) -> None:
    q = quiz.question("xavier-uniform-bound")
    base = draw_params(q, "s1", quiz.id)
    assert draw_params(q, "s1", quiz.id) == base
    assert draw_params(q, "s1", "another_quiz") != base or draw_params(q, "s2", quiz.id) != base


def test_answers_come_from_the_reference(quiz: Quiz) -> None:
    s = "student-c"
    p = draw_params(quiz.question("xavier-uniform-bound"), s, quiz.id)
    assert expected_answer(quiz.question("xavier-uniform-bound"), s, quiz.id) == pytest.approx(
        math.sqrt(6.0 / (p["n_in"] + p["n_out"])), rel=1e-12)
    p = draw_params(quiz.question("he-normal-std-conv"), s, quiz.id)
    w = initializers.fan_in_and_fan_out((p["c_out"], p["c_in"], p["k"], p["k"]))
    assert expected_answer(quiz.question("he-normal-std-conv"), s, quiz.id) == pytest.approx(
        math.sqrt(2.0 / w[0]), rel=1e-12)
    p = draw_params(quiz.question("sigmoid-grad-value"), s, quiz.id)
    assert expected_answer(quiz.question("sigmoid-grad-value"), s, quiz.id) == pytest.approx(
        float(activations.sigmoid_grad(p["x"])), rel=1e-12)
    p = draw_params(quiz.question("sigmoid-chain-bound"), s, quiz.id)
    assert expected_answer(quiz.question("sigmoid-chain-bound"), s, quiz.id) == pytest.approx(
        0.25 ** p["layers"], rel=1e-12)
    p = draw_params(quiz.question("batchnorm-running-mean"), s, quiz.id)
    mu = float(np.mean(p["batch"]))
    assert expected_answer(quiz.question("batchnorm-running-mean"), s, quiz.id) == pytest.approx(
        (1 - p["momentum"]) * p["running_mean"] + p["momentum"] * mu, rel=1e-12, abs=1e-12)
    p = draw_params(quiz.question("batchnorm-running-var"), s, quiz.id)
    var = float(np.var(p["batch"], ddof=1))
    assert expected_answer(quiz.question("batchnorm-running-var"), s, quiz.id) == pytest.approx(
        (1 - p["momentum"]) * p["running_var"] + p["momentum"] * var, rel=1e-12)
    p = draw_params(quiz.question("layernorm-value"), s, quiz.id)
    out, _ = normalization.layernorm_forward(np.array(p["x"]), np.ones(4), np.zeros(4))
    assert expected_answer(quiz.question("layernorm-value"), s, quiz.id) == float(out[0])
    p = draw_params(quiz.question("clipping-clipped-entry"), s, quiz.id)
    clipped, _ = clipping.clip_grad_norm([np.array(p["g1"]), np.array(p["g2"])], p["max_norm"])
    q = quiz.question("clipping-clipped-entry")
    assert expected_answer(q, s, quiz.id) == float(clipped[0][0])


# -- rendering -------------------------------------------------------------------------


def test_render_shows_own_numbers_and_never_the_answer(quiz: Quiz) -> None:
    student = "student-d"
    items = render(quiz, student)
    assert [i["id"] for i in items] == [q.id for q in quiz.questions]
    text = json.dumps(items, ensure_ascii=False)
    assert "correct" not in text and "answer\"" not in text
    for item, q in zip(items, quiz.questions, strict=False):
        assert set(item["prompt"]) == {"en", "ko"}
        assert "{" not in item["prompt"]["en"] and "{" not in item["prompt"]["ko"]
        assert item["points"] == q.points
        if q.kind == "numeric":
            assert "choices" not in item
            assert item["tolerance"] == {"rtol": q.rtol, "atol": q.atol}
            expected = expected_answer(q, student, quiz.id)
            assert f"{expected:.6g}" not in item["prompt"]["en"]
            for name, value in draw_params(q, student, quiz.id).items():
                shown = value if not isinstance(value, list) else value[0]
                assert f"{shown:g}" in item["prompt"]["en"], (q.id, name)
        else:
            assert all(set(c["text"]) == {"en", "ko"} for c in item["choices"])
            assert "tolerance" not in item


# -- grading ---------------------------------------------------------------------------


def test_correct_answers_score_full_marks(quiz: Quiz) -> None:
    student = "student-e"
    answers = {q.id: _correct(q, student, quiz.id) for q in quiz.questions}
    result = grade_quiz(quiz, student, answers)
    assert result.score == result.max_score == quiz.max_score
    assert len(result.tests) == len(quiz.questions)
    for test, q in zip(result.tests, quiz.questions, strict=False):
        assert test.name.startswith(f"{q.id}: ") and test.function == q.id
        assert test.status == "passed"
        assert q.explanation.en in test.output.en and q.explanation.ko in test.output.ko


def test_wrong_answers_score_zero(quiz: Quiz) -> None:
    student = "student-f"
    answers = {q.id: _wrong(q, student, quiz.id) for q in quiz.questions}
    result = grade_quiz(quiz, student, answers)
    assert result.score == 0.0
    assert all(t.status == "failed" and t.output.ko for t in result.tests)


def test_another_students_numbers_are_wrong_for_me(quiz: Quiz) -> None:
    q = quiz.question("xavier-uniform-bound")
    mine, theirs = expected_answer(q, "me", quiz.id), expected_answer(q, "them", quiz.id)
    assert not math.isclose(mine, theirs, rel_tol=q.rtol)
    result = grade_quiz(quiz, "me", {q.id: theirs})
    assert result.tests[[t.function for t in result.tests].index(q.id)].score == 0.0


def test_numeric_tolerance_is_honoured_at_the_boundary(quiz: Quiz) -> None:
    student = "student-g"
    for q in _numeric(quiz):
        expected = expected_answer(q, student, quiz.id)
        allowed = q.atol + q.rtol * abs(expected)
        index = [t.function for t in grade_quiz(quiz, student, {}).tests].index(q.id)

        def score(value: float, q: Question = q, index: int = index) -> float:
            return grade_quiz(quiz, student, {q.id: value}).tests[index].score

        assert score(expected + 0.999 * allowed) == q.points, q.id
        assert score(expected - 0.999 * allowed) == q.points, q.id
        assert score(expected + 1.01 * allowed) == 0.0, q.id
        assert score(expected - 1.01 * allowed) == 0.0, q.id
        # A numeric string, as a web form sends it, is read as a number.
        assert score(f" {expected!r} ") == q.points  # type: ignore[arg-type]


def test_multiple_choice_partial_credit(quiz: Quiz) -> None:
    q = quiz.question("batchnorm-train-eval")  # correct: a, b, d
    assert q.correct_ids == {"a", "b", "d"}
    index = [x.id for x in quiz.questions].index(q.id)

    def score(answer: Any) -> float:
        return grade_quiz(quiz, "s", {q.id: answer}).tests[index].score

    assert score(["a", "b", "d"]) == q.points
    assert score(["a", "b"]) == pytest.approx(q.points * 2 / 3)
    assert score(["a", "b", "c"]) == pytest.approx(q.points * 1 / 3)
    assert score(["a", "c", "e"]) == 0.0
    assert score([]) == 0.0
    assert score(["d", "b", "a", "a"]) == q.points  # order and repeats do not matter


@pytest.mark.parametrize("bad", ["abc", "", "nan", "inf", [], {"x": 1}, True, object()])
def test_malformed_numeric_answers_score_zero_with_a_message(quiz: Quiz, bad: Any) -> None:
    q = _numeric(quiz)[0]
    index = [x.id for x in quiz.questions].index(q.id)
    test = grade_quiz(quiz, "s", {q.id: bad}).tests[index]
    assert test.score == 0.0
    assert "Expected a number" in test.output.en and "숫자가 필요" in test.output.ko


@pytest.mark.parametrize("qid,bad,phrase", [
    ("sigmoid-max-derivative", "z", "Expected the id of one choice"),
    ("sigmoid-max-derivative", ["a", "c"], "Expected the id of one choice"),
    ("sigmoid-max-derivative", 3, "Expected the id of one choice"),
    ("batchnorm-train-eval", ["a", "zz"], "Unknown choice id"),
    ("batchnorm-train-eval", 7, "Expected a list of choice ids"),
    ("relu-passes-gradient", "maybe", "Expected true or false"),
    ("relu-passes-gradient", 1, "Expected true or false"),
])
def test_malformed_choice_answers_score_zero_with_a_message(
        quiz: Quiz, qid: str, bad: Any, phrase: str) -> None:
    index = [x.id for x in quiz.questions].index(qid)
    test = grade_quiz(quiz, "s", {qid: bad}).tests[index]
    assert test.score == 0.0 and phrase in test.output.en and HANGUL.search(test.output.ko)


def test_missing_answers_and_bad_containers_score_zero(quiz: Quiz) -> None:
    result = grade_quiz(quiz, "s", {})
    assert result.score == 0.0 and len(result.tests) == len(quiz.questions)
    assert all("No answer" in t.output.en for t in result.tests)
    assert grade_quiz(quiz, "s", None).score == 0.0  # type: ignore[arg-type]
    # Unknown question ids are ignored, not fatal.
    assert grade_quiz(quiz, "s", {"no-such-question": 1}).score == 0.0


def test_true_false_accepts_form_strings(quiz: Quiz) -> None:
    q = quiz.question("tanh-saturation")  # false
    index = [x.id for x in quiz.questions].index(q.id)
    assert grade_quiz(quiz, "s", {q.id: "false"}).tests[index].score == q.points
    assert grade_quiz(quiz, "s", {q.id: False}).tests[index].score == q.points
    assert grade_quiz(quiz, "s", {q.id: "true"}).tests[index].score == 0.0


def test_result_json_has_the_contract_shape(quiz: Quiz) -> None:
    result = grade_quiz(quiz, "s", {})
    data = result.to_dict("ko")
    assert data["max_score"] == quiz.max_score and data["exercise"] == "quiz_vanishing"
    assert all(t["status"] == "failed" and HANGUL.search(t["output"]) for t in data["tests"])
    json.dumps(data)


# -- a broken questions.toml -----------------------------------------------------------

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


def _quiz_dir(tmp_path: Path, questions: str) -> Path:
    directory = tmp_path / "quiz_broken"
    directory.mkdir()
    shutil.copy(QUIZ_DIR / "statement.en.md", directory)
    shutil.copy(QUIZ_DIR / "statement.ko.md", directory)
    (directory / "exercise.toml").write_text(
        'id = "quiz_broken"\nkind = "quiz"\ntitle = { en = "Broken", ko = "고장" }\n',
        encoding="utf-8")
    (directory / "questions.toml").write_text(questions, encoding="utf-8")
    return directory


def test_a_good_small_quiz_loads(tmp_path: Path) -> None:
    quiz = load_quiz(_quiz_dir(tmp_path, _GOOD))
    assert [q.id for q in quiz.questions] == ["q1", "q2"] and quiz.max_score == 3.0


@pytest.mark.parametrize("old,new,field", [
    ('answer = true\n', '', "question[0] (q1).answer"),
    ('kind = "true_false"', 'kind = "essay"', "question[0] (q1).kind"),
    ('prompt = { en = "Is it?", ko = "그런가요?" }', 'prompt = { en = "Is it?" }',
     "question[0] (q1).prompt.ko"),
    ('explanation = { en = "Yes.", ko = "네." }', 'explanation = { en = "Yes.", ko = "" }',
     "question[0] (q1).explanation.ko"),
    ('points = 1\n', 'points = 0\n', "question[0] (q1).points"),
    ('compute = "sigmoid_grad"', 'compute = "magic"', "question[1] (q2).compute"),
    ('rtol = 1e-3', 'rtol = 2', "question[1] (q2).rtol"),
    ('atol = 0\n', '', "question[1] (q2).atol"),
    ('x = {x}?", ko', 'y = {y}?", ko', "question[1] (q2).prompt.en"),
    ('params = { x = { float = [-1, 1] } }', 'params = { x = { float = [1, -1] } }',
     "question[1] (q2).params.x.float"),
    ('params = { x = { float = [-1, 1] } }', 'params = { x = { choice = ["a"] } }',
     "question[1] (q2).params"),
    ('id = "q2"', 'id = "q1"', "question[1].id"),
    ('answer = true', 'answer = true\nhint = "x"', "question[0] (q1).hint"),
])
def test_broken_questions_name_the_field(tmp_path: Path, old: str, new: str, field: str) -> None:
    assert old in _GOOD
    directory = _quiz_dir(tmp_path, _GOOD.replace(old, new, 1))
    with pytest.raises(ExerciseError) as info:
        load_quiz(directory)
    text = info.value.text
    assert "questions.toml" in text.en and f"'{field}'" in text.en, text.en
    assert "Fix:" in text.en and "해결" in text.ko


#: a single-choice question with two correct choices
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


def test_broken_choices_name_the_field(tmp_path: Path) -> None:
    with pytest.raises(ExerciseError) as info:
        load_quiz(_quiz_dir(tmp_path, _SINGLE))
    assert "'question[0] (s).choices'" in info.value.text.en
    assert "exactly one correct" in info.value.text.en


def test_missing_questions_file_is_reported(tmp_path: Path) -> None:
    directory = _quiz_dir(tmp_path, _GOOD)
    (directory / "questions.toml").unlink()
    with pytest.raises(ExerciseError) as info:
        load_exercise(directory)
    assert "questions.toml" in info.value.text.en


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=4), children,
                                                                      max_size=3),
    max_leaves=8,
)


@settings(max_examples=60, deadline=None)
@given(answers=st.dictionaries(st.sampled_from(
    ["sigmoid-max-derivative", "initialisation-facts", "tanh-saturation", "xavier-uniform-bound",
     "clipping-total-norm", "unknown"]), _JSON, max_size=6))
def test_grading_never_raises_on_any_json_answer(answers: dict[str, Any]) -> None:
    quiz = load_quiz(QUIZ_DIR)
    result = grade_quiz(quiz, "fuzz", answers)
    assert len(result.tests) == len(quiz.questions)
    assert all(0.0 <= t.score <= t.max_score for t in result.tests)
    json.dumps(result.to_dict())


# -- the loader's errors in both languages ------------------------------------------

QUIZ_PY = Path(__file__).resolve().parents[2] / "grader" / "quiz.py"
# the Korean template wraps the problem in "필드가 잘못되었습니다 (...)" and the fix after "해결:"
_KO_PARTS = re.compile(
    r"필드가 잘못되었습니다 \((?P<problem>.*), 받은 값 .*\)\. 해결: (?P<fix>.*)\.$")


_PARAMS = "params = { x = { float = [-1, 1] } }"


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


def test_no_english_literal_is_passed_as_problem_or_fix() -> None:
    """Every ``_bad(...)`` in grader/quiz.py passes its problem through ``msg``."""
    source = QUIZ_PY.read_text(encoding="utf-8")
    calls = re.findall(r"_bad\((.*?)\)(?: from None)?\n", source, flags=re.S)
    assert len(calls) >= 20
    for call in calls:
        assert 'msg("' in call, call
