"""Quizzes: load ``questions.toml``, show each student their own numbers, grade answers.

A quiz lives in ``exercises/<id>/`` with ``exercise.toml`` (``kind = "quiz"``), the
statements, and ``questions.toml``, an array of ``[[question]]`` tables::

    [[question]]
    id = "sigmoid-max"                 # unique in the quiz: [a-z0-9][a-z0-9_-]*
    kind = "single"                    # single | multiple | true_false | numeric
    points = 1
    prompt = { en = "...", ko = "..." }
    explanation = { en = "...", ko = "..." }   # shown after answering

    # single / multiple: the choices, at least one correct (exactly one for single)
    [[question.choices]]
    id = "a"
    text = { en = "...", ko = "..." }
    correct = true

    # true_false
    answer = false

    # numeric: parameters drawn per student, the answer computed by `reference`
    compute = "xavier_uniform_bound"   # a key of COMPUTE below
    params = { n_in = { int = [16, 1024] }, x = { float = [-4, 4], decimals = 2 } }
    rtol = 1e-3                        # |answer − expected| ≤ atol + rtol·|expected|
    atol = 1e-6
    unit = { en = "...", ko = "..." }  # optional

Prompts of numeric questions are ``str.format`` templates over the parameters. Each
student's parameters come from a generator seeded with
``sha256(student_key, quiz_id, question_id)``: the same student always sees the same
numbers, two students almost always different ones. Expected answers are computed in
the trusted process by :mod:`reference`, never stored in a file.

Scoring: single choice, true/false and numeric questions are all or nothing. A multiple
choice question earns ``points · max(0, (right − wrong) / number of correct choices)``,
where ``right`` and ``wrong`` count the selected choices that are and are not correct.
A missing or malformed answer scores 0 with a message saying what was expected; grading
never raises because of an answer.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np

from grader.exercise import (
    _bad,
    _no_unknown,
    _read_toml,
    _rel,
    _require,
    _table_list,
    _text,
)
from grader.i18n import Text, msg
from grader.result import Result, TestResult

__all__ = [
    "COMPUTE",
    "Choice",
    "Question",
    "Quiz",
    "draw_params",
    "expected_answer",
    "grade_quiz",
    "load_quiz",
    "render",
]

Kind = Literal["single", "multiple", "true_false", "numeric"]
KINDS: tuple[Kind, ...] = ("single", "multiple", "true_false", "numeric")
_QUESTION_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_COMMON_KEYS = {"id", "kind", "points", "prompt", "explanation"}
_KIND_KEYS: dict[str, set[str]] = {
    "single": {"choices"},
    "multiple": {"choices"},
    "true_false": {"answer"},
    "numeric": {"compute", "params", "rtol", "atol", "unit"},
}
_CHOICE_KEYS = {"id", "text", "correct"}
_KIND_LABEL: dict[str, Text] = {
    "single": Text("single choice", "단일 선택"),
    "multiple": Text("multiple choice", "복수 선택"),
    "true_false": Text("true or false", "참/거짓"),
    "numeric": Text("numeric answer", "수치 답"),
}


# -- what the trusted reference computes for numeric questions ------------------------


def _reference(name: str) -> Any:
    import importlib

    return importlib.import_module(f"reference.{name}")


def _xavier_uniform_bound(p: Mapping[str, Any]) -> float:
    init = _reference("initializers")
    fan_in, fan_out = init.fan_in_and_fan_out((p["n_out"], p["n_in"]))
    return float(init.calculate_gain("linear") * math.sqrt(6.0 / (fan_in + fan_out)))


def _he_normal_std(p: Mapping[str, Any]) -> float:
    init = _reference("initializers")
    fan_in, _ = init.fan_in_and_fan_out((p["c_out"], p["c_in"], p["k"], p["k"]))
    return float(init.calculate_gain("relu") / math.sqrt(fan_in))


def _sigmoid_grad(p: Mapping[str, Any]) -> float:
    return float(_reference("activations").sigmoid_grad(np.float64(p["x"])))


def _sigmoid_chain_bound(p: Mapping[str, Any]) -> float:
    steepest = float(_reference("activations").sigmoid_grad(np.float64(0.0)))
    return steepest ** int(p["layers"])


def _bn_step(p: Mapping[str, Any]) -> tuple[float, float]:
    norm = _reference("normalization")
    x = np.asarray(p["batch"], dtype=np.float64).reshape(-1, 1)
    _, mean, var, _ = norm.batchnorm_forward(
        x, np.ones(1), np.zeros(1), np.array([float(p.get("running_mean", 0.0))]),
        np.array([float(p.get("running_var", 1.0))]), training=True, momentum=float(p["momentum"]))
    return float(mean[0]), float(var[0])


def _layernorm_first(p: Mapping[str, Any]) -> float:
    norm = _reference("normalization")
    out, _ = norm.layernorm_forward(np.asarray(p["x"], dtype=np.float64), np.ones(len(p["x"])),
                                    np.zeros(len(p["x"])))
    return float(out[0])


def _clipped_first_entry(p: Mapping[str, Any]) -> float:
    clip = _reference("clipping")
    grads = [np.array(p["g1"], dtype=np.float64), np.array(p["g2"], dtype=np.float64)]
    clipped, _ = clip.clip_grad_norm(grads, float(p["max_norm"]))
    return float(clipped[0][0])


def _total_norm(p: Mapping[str, Any]) -> float:
    clip = _reference("clipping")
    grads = [np.array(p["g1"], dtype=np.float64), np.array(p["g2"], dtype=np.float64)]
    _, total = clip.clip_grad_norm(grads, math.inf, norm_type=float(p["p"]))
    return float(total)


#: compute name -> the expected answer for one student's parameters.
COMPUTE: dict[str, Callable[[Mapping[str, Any]], float]] = {
    "xavier_uniform_bound": _xavier_uniform_bound,
    "he_normal_std": _he_normal_std,
    "sigmoid_grad": _sigmoid_grad,
    "sigmoid_chain_bound": _sigmoid_chain_bound,
    "bn_running_mean": lambda p: _bn_step(p)[0],
    "bn_running_var": lambda p: _bn_step(p)[1],
    "layernorm_first": _layernorm_first,
    "clipped_first_entry": _clipped_first_entry,
    "total_norm": _total_norm,
}


# -- the model -------------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    id: str
    text: Text
    correct: bool


@dataclass(frozen=True)
class ParamSpec:
    """How one parameter is drawn: ``int``, ``float`` (rounded) or ``floats`` (a list)."""

    name: str
    kind: Literal["int", "float", "floats", "choice"]
    low: float = 0.0
    high: float = 0.0
    decimals: int = 2
    count: int = 1
    options: tuple[Any, ...] = ()

    def draw(self, rng: np.random.Generator) -> Any:
        if self.kind == "int":
            return int(rng.integers(int(self.low), int(self.high), endpoint=True))
        if self.kind == "choice":
            return self.options[int(rng.integers(0, len(self.options)))]
        drawn = rng.uniform(self.low, self.high, self.count)
        values = [round(float(v), self.decimals) for v in drawn]
        values = [v + 0.0 for v in values]  # -0.0 → 0.0, for display
        return values[0] if self.kind == "float" else values


@dataclass(frozen=True)
class Question:
    id: str
    kind: Kind
    points: float
    prompt: Text
    explanation: Text
    choices: tuple[Choice, ...] = ()
    answer: bool | None = None
    compute: str = ""
    params: tuple[ParamSpec, ...] = ()
    rtol: float = 0.0
    atol: float = 0.0
    unit: Text | None = None

    @property
    def correct_ids(self) -> frozenset[str]:
        return frozenset(c.id for c in self.choices if c.correct)


@dataclass(frozen=True)
class Quiz:
    id: str
    title: Text
    questions: tuple[Question, ...]
    pass_mark: float = 0.6

    @property
    def max_score(self) -> float:
        return float(sum(q.points for q in self.questions))

    def question(self, question_id: str) -> Question:
        for q in self.questions:
            if q.id == question_id:
                return q
        raise KeyError(question_id)


# -- loading ---------------------------------------------------------------------------


def load_quiz(directory: Path) -> Quiz:
    """The quiz in ``directory``, or :class:`ExerciseError` naming the file, the field
    and the fix for the first broken entry of ``questions.toml``."""
    meta = _read_toml(directory / "exercise.toml")
    meta_where = _rel(directory / "exercise.toml")
    quiz_id = _require(meta, "id", meta_where, f'id = "{directory.name}"')
    title = _text(meta, "title", meta_where)
    pass_mark = meta.get("pass_mark", 0.6)
    path = directory / "questions.toml"
    where = _rel(path)
    data = _read_toml(path)
    _no_unknown(data, {"question"}, where, "")
    questions: list[Question] = []
    for i, entry in enumerate(_table_list(data, "question", where)):
        question = _question(i, entry, where)
        if any(q.id == question.id for q in questions):
            raise _bad(where, f"question[{i}].id", msg("quiz.problem.unique-in-quiz"),
                       question.id, msg("quiz.fix.unique-ids"))
        questions.append(question)
    return Quiz(id=str(quiz_id), title=title, questions=tuple(questions),
                pass_mark=float(pass_mark))


def _question(i: int, q: Mapping[str, Any], where: str) -> Question:
    prefix = f"question[{i}]."
    qid = _require(q, "id", where, 'id = "short-kebab-id"', prefix)
    if not isinstance(qid, str) or not _QUESTION_ID.match(qid):
        raise _bad(where, prefix + "id", msg("quiz.problem.question-id"), qid,
                   msg("exercise.fix.example", snippet='id = "sigmoid-max"'))
    prefix = f"question[{i}] ({qid})."
    kind = _require(q, "kind", where,
                    msg("exercise.snippet.one-of", snippet='kind = "..."',
                        allowed=", ".join(KINDS)), prefix)
    if kind not in KINDS:
        raise _bad(where, prefix + "kind", msg("quiz.problem.unknown-kind"), kind,
                   msg("exercise.fix.one-of", allowed=", ".join(KINDS)))
    _no_unknown(q, _COMMON_KEYS | _KIND_KEYS[kind], where, prefix)
    points = _require(q, "points", where, "points = 1", prefix)
    if isinstance(points, bool) or not isinstance(points, (int, float)) or not points > 0:
        raise _bad(where, prefix + "points", msg("exercise.problem.positive"), points,
                   msg("exercise.fix.positive", field="points"))
    prompt = _text(q, "prompt", where, prefix)
    explanation = _text(q, "explanation", where, prefix)
    common = dict(id=qid, kind=kind, points=float(points), prompt=prompt, explanation=explanation)
    if kind in ("single", "multiple"):
        choices = _choices(q, kind, where, prefix)
        return Question(**common, choices=choices)
    if kind == "true_false":
        answer = _require(q, "answer", where, msg("exercise.snippet.either", a="answer = true",
                                                   b="answer = false"), prefix)
        if not isinstance(answer, bool):
            raise _bad(where, prefix + "answer", msg("quiz.problem.boolean"), answer,
                       msg("exercise.fix.write-either", a="answer = true", b="answer = false"))
        return Question(**common, answer=answer)
    return _numeric(common, q, where, prefix)


def _choices(q: Mapping[str, Any], kind: str, where: str, prefix: str) -> tuple[Choice, ...]:
    raw = _require(q, "choices", where, msg("quiz.snippet.choices"), prefix)
    if not isinstance(raw, list) or len(raw) < 2 or not all(isinstance(c, dict) for c in raw):
        raise _bad(where, prefix + "choices", msg("quiz.problem.choices"), raw,
                   msg("quiz.fix.choices"))
    out: list[Choice] = []
    for j, c in enumerate(raw):
        cprefix = f"{prefix}choices[{j}]."
        _no_unknown(c, _CHOICE_KEYS, where, cprefix)
        cid = _require(c, "id", where, 'id = "a"', cprefix)
        if not isinstance(cid, str) or not cid or any(o.id == cid for o in out):
            raise _bad(where, cprefix + "id", msg("quiz.problem.choice-id"), cid,
                       msg("exercise.fix.example", snippet='id = "a", "b", ...'))
        correct = c.get("correct", False)
        if not isinstance(correct, bool):
            raise _bad(where, cprefix + "correct", msg("quiz.problem.boolean"), correct,
                       msg("quiz.fix.correct"))
        out.append(Choice(cid, _text(c, "text", where, cprefix), correct))
    n_correct = sum(c.correct for c in out)
    if kind == "single" and n_correct != 1:
        raise _bad(where, prefix + "choices", msg("quiz.problem.one-correct"), n_correct,
                   msg("quiz.fix.one-correct"))
    if kind == "multiple" and n_correct < 1:
        raise _bad(where, prefix + "choices", msg("quiz.problem.some-correct"), n_correct,
                   msg("quiz.fix.some-correct"))
    return tuple(out)


def _numeric(common: dict[str, Any], q: Mapping[str, Any], where: str, prefix: str) -> Question:
    compute = _require(q, "compute", where,
                       msg("exercise.snippet.one-of", snippet='compute = "..."',
                           allowed=", ".join(sorted(COMPUTE))), prefix)
    if compute not in COMPUTE:
        raise _bad(where, prefix + "compute", msg("quiz.problem.unknown-compute"), compute,
                   msg("exercise.fix.one-of", allowed=", ".join(sorted(COMPUTE))))
    params = q.get("params", {})
    if not isinstance(params, dict):
        raise _bad(where, prefix + "params", msg("exercise.problem.table"), params,
                   msg("exercise.fix.write", snippet="params = { name = { int = [low, high] } }"))
    specs = tuple(_param(name, spec, where, f"{prefix}params.{name}")
                  for name, spec in params.items())
    tol: dict[str, float] = {}
    for key in ("rtol", "atol"):
        value = _require(q, key, where, msg("quiz.snippet.tolerance", snippet=f"{key} = 1e-3"),
                         prefix)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < 1:
            raise _bad(where, prefix + key, msg("exercise.problem.unit-interval"), value,
                       msg("exercise.fix.example", snippet=f"{key} = 1e-3"))
        tol[key] = float(value)
    if tol["rtol"] == 0 and tol["atol"] == 0:
        raise _bad(where, prefix + "rtol", msg("quiz.problem.zero-tolerance"), 0,
                   msg("quiz.fix.tolerance", snippet="rtol = 1e-3"))
    unit = _text(q, "unit", where, prefix) if "unit" in q else None
    question = Question(**common, compute=compute, params=specs, rtol=tol["rtol"],
                        atol=tol["atol"], unit=unit)
    # Every placeholder of both prompts must be a parameter, and the computation must
    # accept the parameters: try both on a sample draw now, not in front of a student.
    sample = draw_params(question, "validation", "quiz")
    for lang in ("en", "ko"):
        try:
            _format(question.prompt.get(lang), sample)
        except (KeyError, IndexError, ValueError) as exc:
            raise _bad(where, f"{prefix}prompt.{lang}",
                       msg("quiz.problem.unknown-placeholder", error=exc),
                       question.prompt.get(lang)[:60], msg("quiz.fix.placeholders")) from None
    try:
        value = COMPUTE[compute](sample)
    except Exception as exc:
        raise _bad(where, prefix + "params",
                   msg("quiz.problem.params-mismatch", compute=compute,
                       error=f"{type(exc).__name__}: {exc}"),
                   sorted(params), msg("quiz.fix.params-mismatch")) from None
    if not math.isfinite(value):
        raise _bad(where, prefix + "params", msg("quiz.problem.non-finite"), value,
                   msg("quiz.fix.narrow-ranges"))
    return question


def _param(name: str, spec: Any, where: str, fld: str) -> ParamSpec:
    if not isinstance(spec, dict):
        raise _bad(where, fld, msg("exercise.problem.table"), spec,
                   msg("exercise.fix.example", snippet="{ int = [16, 1024] }"))
    kinds: list[Literal["int", "float", "floats", "choice"]] = [
        k for k in ("int", "float", "floats", "choice") if k in spec]
    if len(kinds) != 1:
        raise _bad(where, fld,
                   msg("quiz.problem.one-param-kind", allowed="int, float, floats, choice"),
                   spec, msg("exercise.fix.example", snippet="{ float = [-4, 4], decimals = 2 }"))
    kind = kinds[0]
    _no_unknown(spec, {kind, "decimals", "count"}, where, fld + ".")
    value = spec[kind]
    if kind == "choice":
        if not isinstance(value, list) or not value:
            raise _bad(where, f"{fld}.choice", msg("quiz.problem.non-empty-list"), value,
                       msg("exercise.fix.example", snippet="choice = [1, 2, 3]"))
        return ParamSpec(name, "choice", options=tuple(value))
    if (not isinstance(value, list) or len(value) != 2
            or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value)
            or not value[0] <= value[1]):
        raise _bad(where, f"{fld}.{kind}", msg("quiz.problem.low-high"), value,
                   msg("exercise.fix.example", snippet=f"{kind} = [1, 10]"))
    decimals, count = spec.get("decimals", 2), spec.get("count", 1)
    if not isinstance(decimals, int) or not 0 <= decimals <= 6:
        raise _bad(where, f"{fld}.decimals", msg("quiz.problem.int-range", low=0, high=6),
                   decimals, msg("exercise.fix.example", snippet="decimals = 2"))
    if not isinstance(count, int) or not 1 <= count <= 16:
        raise _bad(where, f"{fld}.count", msg("quiz.problem.int-range", low=1, high=16), count,
                   msg("exercise.fix.example", snippet="count = 4"))
    return ParamSpec(name, kind, low=float(value[0]), high=float(value[1]), decimals=decimals,
                     count=count)


# -- per-student numbers ---------------------------------------------------------------


def _seed(student_key: str, quiz_id: str, question_id: str) -> int:
    digest = hashlib.sha256(f"{student_key}\0{quiz_id}\0{question_id}".encode()).digest()
    return int.from_bytes(digest[:8], "little")


def draw_params(question: Question, student_key: str, quiz_id: str) -> dict[str, Any]:
    """This student's parameters for ``question`` (the same every time)."""
    rng = np.random.default_rng(_seed(student_key, quiz_id, question.id))
    return {spec.name: spec.draw(rng) for spec in question.params}


def expected_answer(question: Question, student_key: str, quiz_id: str) -> float:
    """The reference's answer to this student's numeric question."""
    return COMPUTE[question.compute](draw_params(question, student_key, quiz_id))


def _show(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _format(template: str, params: Mapping[str, Any]) -> str:
    return template.format(**{k: _show(v) for k, v in params.items()})


def _prompt(question: Question, student_key: str, quiz_id: str) -> Text:
    if question.kind != "numeric":
        return question.prompt
    params = draw_params(question, student_key, quiz_id)
    return Text(_format(question.prompt.en, params), _format(question.prompt.ko, params))


def render(quiz: Quiz, student_key: str) -> list[dict[str, Any]]:
    """The questions as this student sees them: their own numbers, never the answers."""
    out: list[dict[str, Any]] = []
    for q in quiz.questions:
        item: dict[str, Any] = {
            "id": q.id,
            "kind": q.kind,
            "prompt": _prompt(q, student_key, quiz.id).to_dict(),
            "points": q.points,
        }
        if q.kind in ("single", "multiple"):
            item["choices"] = [{"id": c.id, "text": c.text.to_dict()} for c in q.choices]
        elif q.kind == "true_false":
            item["choices"] = [
                {"id": "true", "text": {"en": "True", "ko": "참"}},
                {"id": "false", "text": {"en": "False", "ko": "거짓"}},
            ]
        else:
            item["tolerance"] = {"rtol": q.rtol, "atol": q.atol}
            if q.unit is not None:
                item["unit"] = q.unit.to_dict()
        out.append(item)
    return out


# -- grading ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Verdict:
    fraction: float
    output: Text
    extra: Mapping[str, Any] = field(default_factory=dict)


def grade_quiz(quiz: Quiz, student_key: str, answers: Mapping[str, Any]) -> Result:
    """One :class:`TestResult` per question; a missing or malformed answer scores 0."""
    if not isinstance(answers, Mapping):
        answers = {}
    tests = []
    for q in quiz.questions:
        if q.id not in answers or answers[q.id] is None:
            verdict = _Verdict(0.0, Text("No answer was given.", "답을 입력하지 않았습니다."))
        else:
            verdict = _GRADERS[q.kind](q, answers[q.id], student_key, quiz.id)
        explanation = Text("\nExplanation: ", "\n해설: ") + q.explanation
        tests.append(TestResult(
            name=f"{q.id}: {q.kind.replace('_', '/')}",
            function=q.id,
            score=round(q.points * verdict.fraction, 6),
            max_score=q.points,
            output=verdict.output + explanation,
            extra={"kind": q.kind, **verdict.extra},
        ))
    return Result(exercise=quiz.id, tests=tuple(tests))


_RIGHT = Text("Correct.", "정답입니다.")
_WRONG = Text("Not correct.", "틀렸습니다.")


def _grade_single(q: Question, answer: Any, student_key: str, quiz_id: str) -> _Verdict:
    if isinstance(answer, (list, tuple)) and len(answer) == 1:
        answer = answer[0]
    known = [c.id for c in q.choices]
    if not isinstance(answer, str) or answer not in known:
        return _malformed(Text(
            f"Expected the id of one choice ({', '.join(known)}), got {answer!r}.",
            f"선택지 하나의 id({', '.join(known)})가 필요하지만 {answer!r}을(를) 받았습니다."))
    ok = answer in q.correct_ids
    return _Verdict(1.0 if ok else 0.0, _RIGHT if ok else _WRONG, {"answer": answer})


def _grade_multiple(q: Question, answer: Any, student_key: str, quiz_id: str) -> _Verdict:
    known = [c.id for c in q.choices]
    if isinstance(answer, str):
        answer = [answer]
    is_list = isinstance(answer, (list, tuple, set, frozenset))
    if not is_list or not all(isinstance(a, str) for a in answer):
        return _malformed(Text(
            f"Expected a list of choice ids (from {', '.join(known)}), got {answer!r}.",
            f"선택지 id의 목록({', '.join(known)} 중에서)이 필요하지만 "
            f"{answer!r}을(를) 받았습니다."))
    unknown = sorted(set(answer) - set(known))
    if unknown:
        return _malformed(Text(
            f"Unknown choice id(s) {', '.join(map(repr, unknown))}; "
            f"the choices are {', '.join(known)}.",
            f"알 수 없는 선택지 id {', '.join(map(repr, unknown))}. "
            f"선택지는 {', '.join(known)}입니다."))
    chosen = set(answer)
    right = len(chosen & q.correct_ids)
    wrong = len(chosen - q.correct_ids)
    fraction = max(0.0, (right - wrong) / len(q.correct_ids))
    if fraction == 1.0:
        output = _RIGHT
    else:
        output = Text(
            f"Partly correct: {right} of {len(q.correct_ids)} right choices selected, "
            f"{wrong} wrong one(s) selected (each wrong choice cancels a right one).",
            f"부분 정답: 맞는 선택지 {len(q.correct_ids)}개 중 {right}개를 골랐고, 틀린 선택지를 "
            f"{wrong}개 골랐습니다(틀린 선택지 하나가 맞는 선택지 하나를 상쇄합니다).")
        if fraction == 0.0:
            output = _WRONG + Text(" ", " ") + output
    return _Verdict(fraction, output, {"answer": sorted(chosen)})


def _grade_true_false(q: Question, answer: Any, student_key: str, quiz_id: str) -> _Verdict:
    if isinstance(answer, str) and answer.strip().lower() in ("true", "false"):
        answer = answer.strip().lower() == "true"
    if not isinstance(answer, bool):
        return _malformed(Text(f"Expected true or false, got {answer!r}.",
                               f"true 또는 false가 필요하지만 {answer!r}을(를) 받았습니다."))
    ok = answer == q.answer
    return _Verdict(1.0 if ok else 0.0, _RIGHT if ok else _WRONG, {"answer": answer})


def _grade_numeric(q: Question, answer: Any, student_key: str, quiz_id: str) -> _Verdict:
    value = _number(answer)
    if value is None:
        return _malformed(Text(f"Expected a number, got {answer!r}.",
                               f"숫자가 필요하지만 {answer!r}을(를) 받았습니다."))
    expected = expected_answer(q, student_key, quiz_id)
    ok = abs(value - expected) <= q.atol + q.rtol * abs(expected)
    tolerance = f"rtol {q.rtol:g}, atol {q.atol:g}"
    if ok:
        output = Text(f"Correct (expected {expected:.6g}; tolerance {tolerance}).",
                      f"정답입니다(기댓값 {expected:.6g}, 허용 오차 {tolerance}).")
    else:
        output = Text(f"Not correct: you answered {value:.6g}, the answer is {expected:.6g} "
                      f"(tolerance {tolerance}).",
                      f"틀렸습니다: {value:.6g}이라고 답했지만 정답은 {expected:.6g}입니다"
                      f"(허용 오차 {tolerance}).")
    return _Verdict(1.0 if ok else 0.0, output, {"answer": value, "expected": expected})


def _number(answer: Any) -> float | None:
    """A finite float from a number or a numeric string (as a web form sends it)."""
    if isinstance(answer, bool):
        return None
    if isinstance(answer, (int, float, np.integer, np.floating)):
        value = float(answer)
    elif isinstance(answer, str):
        try:
            value = float(answer.strip())
        except ValueError:
            return None
    else:
        return None
    return value if math.isfinite(value) else None


def _malformed(text: Text) -> _Verdict:
    return _Verdict(0.0, Text("Answer not understood: ", "답을 해석할 수 없습니다: ") + text,
                    {"malformed": True})


_GRADERS: dict[str, Callable[[Question, Any, str, str], _Verdict]] = {
    "single": _grade_single,
    "multiple": _grade_multiple,
    "true_false": _grade_true_false,
    "numeric": _grade_numeric,
}
