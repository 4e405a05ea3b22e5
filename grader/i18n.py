"""Bilingual text: every user-facing message exists in English and Korean.

A :class:`Text` carries both languages; renderers pick one with :meth:`Text.get`.
Messages that the grader itself produces live in :data:`MESSAGES`, keyed by a stable
id, and are formatted with :func:`msg`, so a test can check that no message is
missing a language.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

__all__ = ["LANGS", "MESSAGES", "Lang", "Text", "default_lang", "msg"]

Lang = Literal["en", "ko"]
LANGS: tuple[Lang, ...] = ("en", "ko")


@dataclass(frozen=True)
class Text:
    """A message in English and Korean."""

    en: str
    ko: str

    def get(self, lang: str = "en") -> str:
        return self.ko if lang == "ko" else self.en

    def __add__(self, other: Text) -> Text:
        return Text(self.en + other.en, self.ko + other.ko)

    def to_dict(self) -> dict[str, str]:
        return {"en": self.en, "ko": self.ko}

    @classmethod
    def same(cls, s: str) -> Text:
        """Text that reads the same in both languages (a number, a code snippet)."""
        return cls(s, s)

    @classmethod
    def join(cls, parts: list[Text], sep: str = "\n") -> Text:
        return cls(sep.join(p.en for p in parts), sep.join(p.ko for p in parts))

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Text:
        return cls(str(data["en"]), str(data["ko"]))


def default_lang() -> Lang:
    """The language of the user's locale: ``GRADWELL_LANG``, then ``LANG``; English otherwise."""
    for var in ("GRADWELL_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "ko" if value.lower().startswith("ko") else "en"
    return "en"


def msg(key: str, **fields: Any) -> Text:
    """The message ``key`` with ``fields`` formatted into both languages.

    A field that is itself a :class:`Text` goes in language by language (its ``en``
    into the English template, its ``ko`` into the Korean one), so messages compose
    without an English fragment landing in a Korean sentence::

        msg("grade.exception", function="f", type="ValueError", message="bad",
            where=msg("grade.where-line", line=3, file="f.py"))
    """
    en, ko = MESSAGES[key]
    return Text(en.format(**_side(fields, "en")), ko.format(**_side(fields, "ko")))


def _side(fields: Mapping[str, Any], lang: Lang) -> dict[str, Any]:
    return {k: v.get(lang) if isinstance(v, Text) else v for k, v in fields.items()}


#: id -> (English, Korean). Placeholders are ``str.format`` fields.
MESSAGES: dict[str, tuple[str, str]] = {
    # -- exercise files -------------------------------------------------------------
    "exercise.missing-file": (
        "{path}: file not found. Fix: create it, or correct the exercise directory.",
        "{path}: 파일이 없습니다. 해결: 파일을 만들거나 과제 디렉터리 경로를 고치세요.",
    ),
    "exercise.bad-toml": (
        "{path}: not valid TOML at {where} (the parser says: {error}). Fix: correct the syntax there.",
        "{path}: {where}에서 올바른 TOML이 아닙니다 (TOML 파서의 메시지: {error}). 해결: 그 부분의 문법을 고치세요.",
    ),
    "exercise.bad-toml-unplaced": (
        "{path}: not valid TOML (the parser says: {error}). Fix: correct the syntax.",
        "{path}: 올바른 TOML이 아닙니다 (TOML 파서의 메시지: {error}). 해결: 문법을 고치세요.",
    ),
    "exercise.toml-at": ("line {line}, column {column}", "{line}번째 줄 {column}번째 열"),
    "exercise.toml-end": ("the end of the file", "파일 끝"),
    "exercise.missing-field": (
        "{path}: field '{field}' is missing. Fix: add {fix}.",
        "{path}: '{field}' 필드가 없습니다. 해결: {fix}을(를) 추가하세요.",
    ),
    "exercise.bad-field": (
        "{path}: field '{field}' {problem}, got {got!r}. Fix: {fix}.",
        "{path}: '{field}' 필드가 잘못되었습니다 ({problem}, 받은 값 {got!r}). 해결: {fix}.",
    ),
    "exercise.unknown-field": (
        "{path}: unknown field '{field}'. Fix: remove it, or use one of: {allowed}.",
        "{path}: 알 수 없는 필드 '{field}'. 해결: 지우거나 다음 중 하나를 쓰세요: {allowed}.",
    ),
    # what is wrong with a field ("{path}: field '{field}' {problem}, got ...")
    "exercise.problem.one-of": ("must be {choices}", "{choices} 중 하나여야 합니다"),
    "exercise.problem.directory-name": (
        "must equal the directory name", "디렉터리 이름과 같아야 합니다",
    ),
    "exercise.problem.python-file": ("must be a Python file name", "파이썬 파일 이름이어야 합니다"),
    "exercise.problem.import": ("cannot be imported ({error})", "불러올 수 없습니다 ({error})"),
    "exercise.problem.unique": ("must be unique", "서로 달라야 합니다"),
    "exercise.problem.range": (
        "must be a number from {low:g} to {high:g}", "{low:g}부터 {high:g}까지의 수여야 합니다",
    ),
    "exercise.problem.bilingual-table": (
        "must be a table with en and ko", "en과 ko 항목이 있는 테이블이어야 합니다",
    ),
    "exercise.problem.empty": ("is empty", "비어 있습니다"),
    "exercise.problem.table-array": (
        "must be a non-empty array of tables", "비어 있지 않은 테이블 배열이어야 합니다",
    ),
    "exercise.problem.unknown-suite": (
        "is not a known grading suite", "등록된 채점 스위트가 아닙니다",
    ),
    "exercise.problem.test-name": (
        "must read \"function: what it checks\"", "\"함수 이름: 검사 내용\" 형식이어야 합니다",
    ),
    "exercise.problem.unknown-function": (
        "names an unknown function {function!r}", "알 수 없는 함수 {function!r}을(를) 가리킵니다",
    ),
    "exercise.problem.unknown-check": (
        "is not a check of {function}", "{function}에 대한 검사 종류가 아닙니다",
    ),
    "exercise.problem.positive": ("must be a positive number", "양수여야 합니다"),
    "exercise.problem.unit-interval": ("must be a number in [0, 1)", "[0, 1) 범위의 수여야 합니다"),
    "exercise.problem.table": ("must be a table", "테이블이어야 합니다"),
    "exercise.problem.name-list": ("must be a list of names", "이름 목록(문자열 배열)이어야 합니다"),
    "exercise.problem.kebab-id": (
        "must be a unique kebab-case id", "서로 다른 kebab-case id여야 합니다",
    ),
    "exercise.problem.untested-function": (
        "is not a function this exercise tests", "이 과제가 검사하는 함수가 아닙니다",
    ),
    # how to fix it ("Fix: {fix}.")
    "exercise.fix.write": ("write {snippet}", "{snippet}(이)라고 쓰세요"),
    "exercise.fix.write-either": ("write {a} or {b}", "{a} 또는 {b}(이)라고 쓰세요"),
    "exercise.fix.write-or-omit": (
        "write {snippet} or leave it out", "{snippet}(이)라고 쓰거나 줄을 지우세요",
    ),
    "exercise.fix.example": ("e.g. {snippet}", "예: {snippet}"),
    "exercise.fix.module-under": (
        "name a module under {package}/", "{package}/ 아래에 있는 모듈 이름을 쓰세요",
    ),
    "exercise.fix.unique-names": ("give each test its own name", "테스트마다 서로 다른 이름을 붙이세요"),
    "exercise.fix.number-range": (
        "give {field} a number in that range", "{field}에 그 범위 안의 수를 쓰세요",
    ),
    "exercise.fix.write-statement": ("write the statement", "과제 설명을 쓰세요"),
    "exercise.fix.table-array": (
        "declare each entry as [[{table}]]", "각 항목을 [[{table}]]로 선언하세요",
    ),
    "exercise.fix.one-of": ("use one of: {allowed}", "다음 중 하나를 쓰세요: {allowed}"),
    "exercise.fix.name-start": (
        "start the name with one of: {allowed}", "이름을 다음 중 하나로 시작하세요: {allowed}",
    ),
    "exercise.fix.positive": (
        "give {field} as a number greater than 0", "{field}에 0보다 큰 수를 쓰세요",
    ),
    # what to add for a missing field ("Fix: add {fix}.")
    "exercise.snippet.either": ("{a} or {b}", "{a} 또는 {b}"),
    "exercise.snippet.one-of": ("{snippet} with one of {allowed}", "{allowed} 중 하나로 {snippet}"),
    "exercise.snippet.test-name": (
        'name = "function: what it checks"', 'name = "함수 이름: 검사 내용"',
    ),
    "exercise.snippet.bilingual": (
        "{snippet} (every text exists in English and Korean)",
        "{snippet} (모든 텍스트는 영어와 한국어로 씁니다)",
    ),
    "exercise.field.content": ("(content)", "(내용)"),
    "exercise.unknown-exercise": (
        "unknown exercise {id!r}. Use one of: {known}.",
        "알 수 없는 과제 {id!r}입니다. 다음 중 하나를 쓰세요: {known}.",
    ),
    # -- quiz files (questions.toml; the wording of exercise.bad-field) ---------------
    # what is wrong with a field ("{path}: field '{field}' {problem}, got ...")
    "quiz.problem.unique-in-quiz": (
        "must be unique in the quiz", "퀴즈 안에서 서로 달라야 합니다",
    ),
    "quiz.problem.question-id": (
        "must be a short lower-case id", "소문자로 된 짧은 id여야 합니다",
    ),
    "quiz.problem.unknown-kind": (
        "is not a known question kind", "알 수 없는 문항 종류입니다",
    ),
    "quiz.problem.boolean": ("must be true or false", "true 또는 false여야 합니다"),
    "quiz.problem.choices": (
        "must be an array of at least 2 tables", "테이블이 2개 이상인 배열이어야 합니다",
    ),
    "quiz.problem.choice-id": (
        "must be a unique non-empty string", "서로 다르고 비어 있지 않은 문자열이어야 합니다",
    ),
    "quiz.problem.one-correct": (
        "must have exactly one correct choice", "정답 선택지가 정확히 하나여야 합니다",
    ),
    "quiz.problem.some-correct": (
        "must have at least one correct choice", "정답 선택지가 하나 이상 있어야 합니다",
    ),
    "quiz.problem.unknown-compute": (
        "is not a known computation", "등록된 계산이 아닙니다",
    ),
    "quiz.problem.zero-tolerance": (
        "and atol are both 0: no typed answer could pass",
        "atol과 함께 둘 다 0이라서 입력한 어떤 답도 통과할 수 없습니다",
    ),
    "quiz.problem.unknown-placeholder": (
        "has a placeholder that is not a parameter ({error})",
        "매개변수가 아닌 자리표시자가 있습니다 ({error})",
    ),
    "quiz.problem.params-mismatch": (
        "do not fit compute {compute!r} ({error})",
        "계산 {compute!r}에 맞지 않습니다 ({error})",
    ),
    "quiz.problem.non-finite": (
        "give a non-finite answer", "유한하지 않은 답이 나옵니다",
    ),
    "quiz.problem.one-param-kind": (
        "must have exactly one of {allowed}", "{allowed} 중 정확히 하나만 있어야 합니다",
    ),
    "quiz.problem.non-empty-list": ("must be a non-empty list", "비어 있지 않은 목록이어야 합니다"),
    "quiz.problem.low-high": (
        "must be [low, high] with low <= high", "low <= high인 [low, high] 형식이어야 합니다",
    ),
    "quiz.problem.int-range": (
        "must be an integer from {low} to {high}", "{low}부터 {high}까지의 정수여야 합니다",
    ),
    # how to fix it ("Fix: {fix}.")
    "quiz.fix.unique-ids": (
        "give each question its own id", "문항마다 서로 다른 id를 붙이세요",
    ),
    "quiz.fix.choices": (
        "declare each choice as [[question.choices]] with id, text and correct",
        "각 선택지를 id, text, correct가 있는 [[question.choices]]로 선언하세요",
    ),
    "quiz.fix.correct": (
        "write correct = true, or leave it out for a wrong choice",
        "correct = true라고 쓰거나, 오답 선택지라면 줄을 지우세요",
    ),
    "quiz.fix.one-correct": (
        "mark exactly one choice with correct = true",
        "선택지 하나에만 correct = true를 표시하세요",
    ),
    "quiz.fix.some-correct": (
        "mark the right choices with correct = true",
        "정답 선택지에 correct = true를 표시하세요",
    ),
    "quiz.fix.tolerance": (
        "state a tolerance the student can meet, e.g. {snippet}",
        "학생이 맞출 수 있는 허용 오차를 쓰세요. 예: {snippet}",
    ),
    "quiz.fix.placeholders": (
        "use only {{name}} for names declared in params",
        "params에 선언한 이름만 {{name}} 형태로 쓰세요",
    ),
    "quiz.fix.params-mismatch": (
        "declare the parameters that computation reads",
        "그 계산이 읽는 매개변수를 선언하세요",
    ),
    "quiz.fix.narrow-ranges": ("narrow the ranges", "범위를 좁히세요"),
    # what to add for a missing field ("Fix: add {fix}.")
    "quiz.snippet.choices": ("[[question.choices]] tables", "[[question.choices]] 테이블"),
    "quiz.snippet.tolerance": (
        "{snippet} (the stated tolerance)", "{snippet} (명시한 허용 오차)",
    ),
    # -- grading feedback -----------------------------------------------------------
    "grade.passed": ("'{function}' looks good.", "'{function}'은(는) 잘 동작합니다."),
    "grade.hidden-failed": (
        "A hidden check failed ({reason}); its inputs are not shown.",
        "숨겨진 검사가 실패했습니다 ({reason}). 입력값은 공개되지 않습니다.",
    ),
    "grade.missing": (
        "'{function}' is not defined in {file}. Define it with the signature from the starter file.",
        "{file}에 '{function}'이(가) 정의되어 있지 않습니다. 시작 파일의 시그니처대로 정의하세요.",
    ),
    "grade.exception": (
        "'{function}' raised {type}: {message}{where}.",
        "'{function}'에서 {type} 예외가 발생했습니다: {message}{where}.",
    ),
    "grade.exception-bare": (
        "'{function}' raised {type}{where}.",
        "'{function}'에서 {type} 예외가 발생했습니다{where}.",
    ),
    "grade.exception-hidden": (
        "'{function}' raised {type} on a hidden input{where}.",
        "'{function}'이(가) 숨겨진 입력에서 {type} 예외를 일으켰습니다{where}.",
    ),
    "grade.where-line": (" (line {line} of {file})", " ({file} {line}번째 줄)"),
    # -- why a call produced no value (grader/errors_text.py) ----------------------------
    "grade.timeout": (
        "'{function}' did not finish within {limit:g} s, the time one call may take. Look for an infinite loop or a Python-level loop over a large array.",
        "'{function}'이(가) 호출 한 번에 주어진 {limit:g}초 안에 끝나지 않았습니다. 무한 루프나 큰 배열에 대한 파이썬 반복문이 있는지 보세요.",
    ),
    "grade.timeout-cpu": (
        "'{function}' was stopped when the process used up its CPU time (a limit that counts the CPU time of every thread, which the code may also have lowered itself). Look for an infinite loop, or threads that keep spinning.",
        "프로세스가 CPU 시간 한도를 다 써서 '{function}'이(가) 중단되었습니다 (이 한도는 모든 스레드의 CPU 시간을 합산하며, 코드가 스스로 낮췄을 수도 있습니다). 무한 루프나 계속 도는 스레드가 있는지 보세요.",
    ),
    "grade.timeout-budget": (
        "'{function}' was stopped when the time budget of {budget:g} s for the whole submission ran out. Make the slow functions faster: look for Python-level loops over large arrays.",
        "제출물 전체에 주어진 시간 예산 {budget:g}초가 다 되어 '{function}'이(가) 중단되었습니다. 느린 함수를 빠르게 고치세요. 큰 배열에 대한 파이썬 반복문이 있는지 보세요.",
    ),
    "grade.timeout-unreached": (
        "'{function}' was not run: the time budget of {budget:g} s for the whole submission ran out before its turn. Make the slow functions faster.",
        "'{function}'은(는) 실행되지 않았습니다: 차례가 오기 전에 제출물 전체에 주어진 시간 예산 {budget:g}초가 다 되었습니다. 느린 함수를 빠르게 고치세요.",
    ),
    "grade.timeout-either": (
        "'{function}' did not finish in time: one call may take {limit:g} s, the whole submission {budget:g} s. Look for an infinite loop or a Python-level loop over a large array.",
        "'{function}'이(가) 제한 시간 안에 끝나지 않았습니다: 호출 한 번은 {limit:g}초, 제출물 전체는 {budget:g}초까지 걸릴 수 있습니다. 무한 루프나 큰 배열에 대한 파이썬 반복문이 있는지 보세요.",
    ),
    "grade.memory": (
        "'{function}' ran out of memory: your code may use about {limit} beyond what Python and NumPy need. Look for an array far larger than the inputs (an outer product, a huge np.zeros).",
        "'{function}'이(가) 메모리 한도를 넘었습니다: 파이썬과 NumPy가 쓰는 메모리 외에 약 {limit}까지 쓸 수 있습니다. 입력보다 훨씬 큰 배열(외적, 거대한 np.zeros 등)을 만들지 않는지 보세요.",
    ),
    "grade.memory-raised": (
        "'{function}' ran out of memory: it raised {type}: {message}{where}. Your code may use about {limit} beyond what Python and NumPy need; look for an array far larger than the inputs.",
        "'{function}'이(가) 메모리 한도를 넘었습니다: {type} 예외가 발생했습니다: {message}{where}. 파이썬과 NumPy가 쓰는 메모리 외에 약 {limit}까지 쓸 수 있으니, 입력보다 훨씬 큰 배열을 만들지 않는지 보세요.",
    ),
    "grade.memory-raised-bare": (
        "'{function}' ran out of memory: it raised {type}{where}. Your code may use about {limit} beyond what Python and NumPy need; look for an array far larger than the inputs.",
        "'{function}'이(가) 메모리 한도를 넘었습니다: {type} 예외가 발생했습니다{where}. 파이썬과 NumPy가 쓰는 메모리 외에 약 {limit}까지 쓸 수 있으니, 입력보다 훨씬 큰 배열을 만들지 않는지 보세요.",
    ),
    "grade.memory-raised-hidden": (
        "'{function}' ran out of memory on a hidden input: it raised {type}{where}. Your code may use about {limit} beyond what Python and NumPy need; look for an array far larger than the inputs.",
        "'{function}'이(가) 숨겨진 입력에서 메모리 한도를 넘었습니다: {type} 예외가 발생했습니다{where}. 파이썬과 NumPy가 쓰는 메모리 외에 약 {limit}까지 쓸 수 있으니, 입력보다 훨씬 큰 배열을 만들지 않는지 보세요.",
    ),
    "grade.crashed": (
        "'{function}' ended the Python process before returning a value (an exit such as os._exit, or a fatal error in C code).",
        "'{function}'이(가) 값을 반환하기 전에 파이썬 프로세스를 끝냈습니다 (os._exit 같은 종료 호출이나 C 코드의 치명적 오류).",
    ),
    "grade.crashed-signal": (
        "'{function}' crashed the Python process: it was killed by {signal}, {reason}.",
        "'{function}'이(가) 파이썬 프로세스를 비정상 종료시켰습니다: {signal} 신호로 종료되었습니다. 원인: {reason}.",
    ),
    "grade.file-too-large": (
        "'{function}' wrote a file larger than {limit}, so its process was stopped. Return results instead of writing files.",
        "'{function}'이(가) {limit}보다 큰 파일을 써서 프로세스가 중단되었습니다. 파일에 쓰지 말고 결과를 반환하세요.",
    ),
    "grade.output-limit": (
        "'{function}' printed more than {limit} (standard output and error together), so its process was stopped. Remove print calls, above all inside loops.",
        "'{function}'이(가) 표준 출력과 표준 오류를 합쳐 {limit}보다 많이 출력해서 프로세스가 중단되었습니다. print 호출을 지우세요. 특히 반복문 안의 print를 확인하세요.",
    ),
    "grade.bad-output": (
        "'{function}' returned something that is not a float64 array of the right kind: {message}.",
        "'{function}'의 반환값이 올바른 float64 배열이 아닙니다: {message}.",
    ),
    "grade.bad-output-returns": (
        "'{function}' returned a value the grader cannot use: it should be {expected}. Details: {detail}.",
        "'{function}'의 반환값을 채점에 쓸 수 없습니다: 반환값은 {expected} 형태여야 합니다. 세부 정보: {detail}.",
    ),
    # details for grade.bad-output's {message}, for checks that find the problem themselves
    "detail.not-an-array": ("not an array", "배열이 아닙니다"),
    # why a result cannot be used, as the sandbox says it (runner, wire, executor)
    "detail.tuple-arity": ("expected a tuple of {n} values, got {got}",
                           "값 {n}개로 된 튜플이 아니라 {got}입니다"),
    "detail.not-a-list": ("expected a list of arrays, got {got}",
                          "배열의 리스트가 아니라 {got}입니다"),
    "detail.not-float": ("cannot be converted to a float64 array ({error})",
                         "float64 배열로 변환할 수 없습니다 ({error})"),
    "detail.dtype": ("converted to dtype {dtype}, not float64",
                     "변환한 배열의 dtype이 float64가 아니라 {dtype}입니다"),
    "detail.too-large": ("an array of {n} elements is larger than any expected result",
                         "원소가 {n}개인 배열은 어떤 기대 결과보다도 큽니다"),
    "detail.too-deep": ("the result is nested too deeply", "결과가 너무 깊이 중첩되어 있습니다"),
    "detail.not-plain": ("returned {got}, which is not a plain number, tuple or array",
                         "{got}을(를) 반환했는데, 이는 일반 숫자나 튜플이나 배열이 아닙니다"),
    "detail.unsendable": ("the result cannot be sent: {error}", "결과를 보낼 수 없습니다: {error}"),
    "detail.unreadable": ("the result could not be read: {error}",
                          "결과를 읽을 수 없습니다: {error}"),
    "detail.probe-malformed": (
        "the probe's report is malformed", "검사 도구가 보낸 보고의 형식이 잘못되었습니다",
    ),
    "grade.not-run": (
        "'{function}' was not run here: an earlier call stopped the process, so the calls after it in the same group were skipped.",
        "'{function}'은(는) 여기서 실행되지 않았습니다: 앞선 호출이 프로세스를 멈추게 해서 같은 그룹의 나머지 호출을 건너뛰었습니다.",
    ),
    "grade.not-run-group": (
        "'{function}' was not run here: an earlier call of '{culprit}' ({which}) {reason}, which stopped the process; the rest of its group was skipped, as it would most likely fail the same way.",
        "'{function}'은(는) 여기서 실행되지 않았습니다: 앞선 '{culprit}' 호출({which})이 {reason} 프로세스가 멈췄습니다. 같은 그룹의 나머지 호출도 같은 이유로 실패할 가능성이 커서 건너뛰었습니다.",
    ),
    "grade.not-run-needs": (
        "'{function}' was not run here: it needs the result of an earlier call of '{culprit}' ({which}), which {reason}.",
        "'{function}'은(는) 여기서 실행되지 않았습니다: 앞선 '{culprit}' 호출({which})의 결과가 필요한데, 그 호출이 {reason} 결과가 없습니다.",
    ),
    "grade.not-run-unavailable": (
        "'{function}' was not run here: it needs the result of an earlier call of '{culprit}' ({which}), which was not available this time (it returned too few items, or failed when it was run again after a crash).",
        "'{function}'은(는) 여기서 실행되지 않았습니다: 앞선 '{culprit}' 호출({which})의 결과가 필요한데, 이번에는 그 결과를 쓸 수 없었습니다 (반환한 항목 수가 모자라거나, 프로세스가 멈춘 뒤 다시 실행했을 때 실패했습니다).",
    ),
    "grade.which-case": ("{case}, in test '{test}'", "'{test}' 테스트의 {case}"),
    "grade.which-hidden": ("a hidden case of test '{test}'", "'{test}' 테스트의 숨겨진 사례"),
    # why the earlier call stopped: English clauses, Korean connective forms (-아/어)
    "reason.timeout": ("did not finish within {limit:g} s", "{limit:g}초 안에 끝나지 않아"),
    "reason.budget": (
        "was stopped when the time budget of {budget:g} s ran out",
        "시간 예산 {budget:g}초가 다 되어 중단되어",
    ),
    "reason.timeout-either": ("did not finish in time", "제한 시간 안에 끝나지 않아"),
    "reason.cpu-time": ("used up the process's CPU time", "프로세스의 CPU 시간 한도를 다 써서"),
    "reason.memory": ("ran out of memory", "메모리 한도를 넘어"),
    "reason.crashed": ("ended the process", "프로세스를 끝내"),
    "reason.crashed-signal": ("was killed by {signal}", "{signal} 신호로 종료되어"),
    "reason.output-limit": ("printed more than {limit}", "{limit}보다 많이 출력해"),
    "reason.bad-output": (
        "returned a result the grader could not use", "채점에 쓸 수 없는 결과를 내",
    ),
    "reason.exception": ("raised {type}", "{type} 예외를 일으켜"),
    "reason.missing": ("is not defined", "정의되어 있지 않아"),
    "reason.not-run": ("was not run either", "역시 실행되지 않아"),
    # what a signal means (grade.crashed-signal's {reason})
    "signal.SIGSEGV": (
        "a segmentation fault: an invalid memory access, typically through ctypes or a bug in C code",
        "세그멘테이션 오류(잘못된 메모리 접근). 주로 ctypes나 C 코드의 버그 때문에 생깁니다",
    ),
    "signal.SIGBUS": (
        "a bus error: an access to memory that does not exist, typically through ctypes or a bug in C code",
        "버스 오류(존재하지 않는 메모리에 접근). 주로 ctypes나 C 코드의 버그 때문에 생깁니다",
    ),
    "signal.SIGABRT": (
        "the process aborted itself: os.abort() or a failed check inside C code",
        "프로세스의 자체 중단. os.abort()나 C 코드 안의 검사 실패 때문입니다",
    ),
    "signal.SIGFPE": (
        "an arithmetic fault in C code, such as an integer division by zero",
        "C 코드의 산술 오류. 정수를 0으로 나눌 때 등에 생깁니다",
    ),
    "signal.SIGILL": (
        "an illegal machine instruction, typically from broken native code",
        "잘못된 기계어 명령. 주로 망가진 네이티브 코드 때문에 생깁니다",
    ),
    "signal.SIGSYS": (
        "a system call the sandbox does not allow",
        "샌드박스가 허용하지 않는 시스템 호출",
    ),
    "signal.other": (
        "a signal sent by the code itself or by the operating system",
        "코드 자신이나 운영체제가 보낸 신호",
    ),
    # what a call should return (grade.bad-output's {expected})
    "returns.array": (
        "a float64 NumPy array (or a value np.asarray(..., dtype=np.float64) turns into one)",
        "float64 NumPy 배열(또는 np.asarray(..., dtype=np.float64)로 변환되는 값)",
    ),
    "returns.array-list": ("a list of float64 arrays", "float64 배열의 리스트"),
    "returns.raw": (
        "plain Python numbers, strings, tuples, lists, dicts or NumPy arrays",
        "파이썬 숫자, 문자열, 튜플, 리스트, dict 또는 NumPy 배열",
    ),
    "returns.tuple": ("a tuple of {n} values", "값 {n}개로 된 튜플"),
    "returns.skip": ("a value that can be sent back", "돌려보낼 수 있는 값"),
    "size.bytes": ("{n} bytes", "{n}바이트"),
    "grade.wrong-shape": (
        "'{function}' returned shape {got} for {case}; expected {expected}.",
        "'{function}'이(가) {case}에 대해 모양 {got}을(를) 반환했습니다. 기대한 모양은 {expected}입니다.",
    ),
    # what a value looks like (grade.wrong-shape's {got} and {expected})
    "describe.array": ("an array of shape {shape}", "모양이 {shape}인 배열"),
    "describe.sequence-of": ("a sequence of {n}", "항목 {n}개로 된 시퀀스"),
    "describe.sized": ("a {type} of length {n}", "길이가 {n}인 {type}"),
    "describe.dict": ("a dict", "dict 객체"),
    "describe.object": ("a {type}", "{type} 객체"),
    "describe.nothing": ("nothing", "없음"),
    "describe.scalar": ("(scalar)", "(스칼라)"),
    "grade.not-finite": (
        "'{function}' returned inf or NaN for {case}, where the answer is finite.",
        "'{function}'이(가) {case}에서 inf 또는 NaN을 반환했습니다. 정답은 유한한 값입니다.",
    ),
    "grade.inaccurate": (
        "'{function}' is inaccurate for {case}: max |error| {err:.3g} at input {where} (tolerance: rtol {rtol:g}, atol {atol:g}).",
        "'{function}'의 값이 {case}에서 부정확합니다: 최대 |오차| {err:.3g}, 입력 {where} (허용 오차: rtol {rtol:g}, atol {atol:g}).",
    ),
    "grade.inaccurate-hidden": (
        "'{function}' is inaccurate on a hidden case: max |error| {err:.3g}.",
        "'{function}'의 값이 숨겨진 사례에서 부정확합니다: 최대 |오차| {err:.3g}.",
    ),
    "grade.mutated": (
        "'{function}' modified its input array '{arg}' in place; return a new array instead.",
        "'{function}'이(가) 입력 배열 '{arg}'을(를) 직접 수정했습니다. 새 배열을 반환하세요.",
    ),
    "grade.not-mutated": (
        "'{function}' leaves its inputs untouched.",
        "'{function}'은(는) 입력을 수정하지 않습니다.",
    ),
    "grade.forbidden": (
        "'{function}' uses {names}, which this exercise does not allow: write it with NumPy.",
        "'{function}'이(가) 이 과제에서 허용되지 않는 {names}을(를) 사용합니다. NumPy로 직접 작성하세요.",
    ),
    "grade.forbidden-torch": (
        "'{function}' uses {names}, which this exercise does not allow: build it from differentiable tensor operations.",
        "'{function}'이(가) 이 과제에서 허용되지 않는 {names}을(를) 사용합니다. 미분 가능한 텐서 연산으로 직접 만드세요.",
    ),
    "grade.warning-advice": (
        "Advice: '{function}' raised warnings ({warnings}). They cost nothing, but a numerically stable formula avoids them.",
        "조언: '{function}'에서 경고가 발생했습니다 ({warnings}). 감점은 없지만, 수치적으로 안정한 식을 쓰면 경고가 사라집니다.",
    ),
    "grade.misconception": (
        "Likely misconception [{id}]: {explanation} Hint: {hint}",
        "예상되는 오개념 [{id}]: {explanation} 힌트: {hint}",
    ),
    "grade.load-syntax": (
        "{file} has a syntax error at line {line}: {message}. Nothing could be graded; fix it and submit again.",
        "{file} {line}번째 줄에 문법 오류가 있습니다: {message}. 채점할 수 없으니 고쳐서 다시 제출하세요.",
    ),
    "grade.load-exception": (
        "Importing {file} raised {type}: {message}{where}. Nothing could be graded; fix it and submit again.",
        "{file}을(를) 불러오는 중 {type} 예외가 발생했습니다: {message}{where}. 채점할 수 없으니 고쳐서 다시 제출하세요.",
    ),
    "grade.load-cpu-time": (
        "Importing {file} was stopped when the process used up its CPU time (a limit that counts the CPU time of every thread, which the code may also have lowered itself). Nothing could be graded: move long computations out of the module level and submit again.",
        "{file}을(를) 불러오는 중 프로세스가 CPU 시간 한도를 다 써서 중단되었습니다 (이 한도는 모든 스레드의 CPU 시간을 합산하며, 코드가 스스로 낮췄을 수도 있습니다). 채점할 수 없으니 모듈 최상위의 오래 걸리는 계산을 함수 안으로 옮겨 다시 제출하세요.",
    ),
    "grade.load-timeout": (
        "Importing {file} did not finish in time (one step may take {limit:g} s, the whole submission {budget:g} s). Nothing could be graded: move long computations and loops out of the module level and submit again.",
        "{file}을(를) 불러오는 작업이 제한 시간 안에 끝나지 않았습니다 (한 단계는 {limit:g}초, 제출물 전체는 {budget:g}초까지 걸릴 수 있습니다). 채점할 수 없으니 모듈 최상위의 오래 걸리는 계산과 반복문을 함수 안으로 옮겨 다시 제출하세요.",
    ),
    "grade.load-memory": (
        "Importing {file} ran out of memory (your code may use about {limit} beyond what Python and NumPy need). Nothing could be graded: do not build large arrays at the module level, and submit again.",
        "{file}을(를) 불러오는 중 메모리 한도를 넘었습니다 (파이썬과 NumPy가 쓰는 메모리 외에 약 {limit}까지 쓸 수 있습니다). 채점할 수 없으니 모듈 최상위에서 큰 배열을 만들지 말고 다시 제출하세요.",
    ),
    "grade.load-output-limit": (
        "Importing {file} printed more than {limit}, so its process was stopped. Nothing could be graded: remove the print calls at the module level and submit again.",
        "{file}을(를) 불러오는 중 {limit}보다 많이 출력해서 프로세스가 중단되었습니다. 채점할 수 없으니 모듈 최상위의 print 호출을 지우고 다시 제출하세요.",
    ),
    "grade.load-crashed": (
        "Importing {file} ended the Python process (an exit such as os._exit or sys.exit, or a fatal error in C code). Nothing could be graded; fix it and submit again.",
        "{file}을(를) 불러오는 중 파이썬 프로세스가 끝났습니다 (os._exit나 sys.exit 같은 종료 호출, 또는 C 코드의 치명적 오류). 채점할 수 없으니 고쳐서 다시 제출하세요.",
    ),
    "grade.load-crashed-signal": (
        "Importing {file} crashed the Python process: it was killed by {signal}, {reason}. Nothing could be graded; fix it and submit again.",
        "{file}을(를) 불러오는 중 파이썬 프로세스가 비정상 종료되었습니다: {signal} 신호로 종료되었습니다. 원인: {reason}. 채점할 수 없으니 고쳐서 다시 제출하세요.",
    ),
    "grade.load-file-too-large": (
        "Importing {file} wrote a file larger than {limit}, so its process was stopped. Nothing could be graded; do not write files, and submit again.",
        "{file}을(를) 불러오는 중 {limit}보다 큰 파일을 써서 프로세스가 중단되었습니다. 채점할 수 없으니 파일을 쓰지 말고 다시 제출하세요.",
    ),
    "grade.load-too-large": (
        "{file} is too large: a submission may have at most {limit} characters. Nothing could be graded; shorten it and submit again.",
        "{file}이(가) 너무 큽니다: 제출물은 최대 {limit}자까지 허용됩니다. 채점할 수 없으니 줄여서 다시 제출하세요.",
    ),
    "grade.load-unreadable": (
        "Importing {file} sent something the grader could not read, so its process was stopped. Nothing could be graded; do not write to file descriptors your code did not open, and submit again.",
        "{file}을(를) 불러오는 중 채점기가 읽을 수 없는 데이터를 보내서 프로세스가 중단되었습니다. 채점할 수 없으니 직접 열지 않은 파일 디스크립터에 쓰지 말고 다시 제출하세요.",
    ),
    "grade.load-exception-bare": (
        "Importing {file} raised {type}{where}. Nothing could be graded; fix it and submit again.",
        "{file}을(를) 불러오는 중 {type} 예외가 발생했습니다{where}. 채점할 수 없으니 고쳐서 다시 제출하세요.",
    ),
    "grade.expected-error": (
        "'{function}' should raise {expected} for {case}, but {got}.",
        "'{function}'은(는) {case}에 대해 {expected}을(를) 발생시켜야 하지만, {got}.",
    ),
    "grade.fd-mismatch": (
        "'{function}' does not match the slope of your own '{forward}': at x = {x:.6g} it returns {got:.6g}, but the central difference of '{forward}' there is {numeric:.6g}.",
        "'{function}'이(가) 직접 작성한 '{forward}'의 기울기와 맞지 않습니다: x = {x:.6g}에서 {got:.6g}을(를) 반환했지만, 그 점에서 '{forward}'의 중심 차분은 {numeric:.6g}입니다.",
    ),
    "grade.fd-consistent": (
        "'{function}' matches the finite-difference slope of your '{forward}'.",
        "'{function}'이(가) 직접 작성한 '{forward}'의 유한 차분 기울기와 일치합니다.",
    ),
    "grade.fd-backward": (
        "'{function}' does not match your own '{forward}': output {output} at index {index} is {got:.6g}, but the central difference of Σ out·dout there is {numeric:.6g}.",
        "'{function}'이(가) 직접 작성한 '{forward}'와 맞지 않습니다: 출력 {output}의 인덱스 {index} 값은 {got:.6g}이지만, 그 점에서 Σ out·dout의 중심 차분은 {numeric:.6g}입니다.",
    ),
    "grade.kink-range": (
        "'{function}' returns {got:g} at x = 0; any value from {low:g} to {high:g} is accepted there.",
        "'{function}'이(가) x = 0에서 {got:g}을(를) 반환합니다. 그 점에서는 {low:g}부터 {high:g}까지의 값만 인정됩니다.",
    ),
    "grade.kink-near": (
        "'{function}' is wrong next to the kink: at x = {x:g} it returns {got:g}, expected {want:g}. Check which side of 0 each branch covers.",
        "'{function}'이(가) 꺾이는 점 근처에서 틀립니다: x = {x:g}에서 {got:g}을(를) 반환했고, 기대값은 {want:g}입니다. 각 분기가 0의 어느 쪽을 맡는지 확인하세요.",
    ),
    "grade.batch-dependent": (
        "'{function}' gives sample {i} a different output alone than inside the batch: layer normalisation must use each sample's own statistics.",
        "'{function}'이(가) 샘플 {i}에 대해 배치 안에서와 혼자일 때 다른 출력을 냅니다. 층 정규화는 각 샘플 자신의 통계만 써야 합니다.",
    ),
    "grade.batch-independent": (
        "'{function}' treats every sample independently of the batch.",
        "'{function}'은(는) 각 샘플을 배치와 무관하게 처리합니다.",
    ),
    "grade.float-lists": (
        "'{function}' should return a tuple of two lists of Python floats (use float(...) on NumPy scalars, or .tolist()).",
        "'{function}'은(는) 파이썬 float 리스트 두 개의 튜플을 반환해야 합니다 (NumPy 스칼라에는 float(...)을, 배열에는 .tolist()를 쓰세요).",
    ),
    "grade.got-returned": ("it returned a value", "값을 반환했습니다"),
    "grade.got-raised": ("it raised {type}", "{type}을(를) 발생시켰습니다"),
    # -- statistics of random initialisers (grader/checks/statistics.py) ------------
    "grade.stat-ok": (
        "'{function}' looks good: for {case} your samples' std is {got:.4g} ({name}'s is {want:.4g} for {context}) and they pass every statistical test against {dist}.",
        "'{function}'은(는) 잘 동작합니다: {case}에서 표본의 표준편차는 {got:.4g}이고 ({context}일 때 {name} 초기화의 표준편차는 {want:.4g}), {dist}에 대한 모든 통계 검정을 통과합니다.",
    ),
    "grade.stat-scale": (
        "'{function}' draws at the wrong scale for {case}: your samples' std is {got:.4g}, {name}'s is {want:.4g} for {context} (a correct implementation lands between {low:.4g} and {high:.4g}).",
        "'{function}'의 분포 크기가 {case}에서 틀립니다: 표본의 표준편차는 {got:.4g}인데, {context}일 때 {name} 초기화의 표준편차는 {want:.4g}입니다 (올바른 구현이면 {low:.4g}에서 {high:.4g} 사이가 나옵니다).",
    ),
    "grade.stat-above-bound": (
        "'{function}' returned a value beyond the bound for {case}: max |w| = {got:.6g}, but {name}'s bound is {bound:.6g} for {context}.",
        "'{function}'이(가) {case}에서 경계를 넘는 값을 반환했습니다: max |w| = {got:.6g}인데, {context}일 때 {name} 초기화의 경계는 {bound:.6g}입니다.",
    ),
    "grade.stat-below-bound": (
        "'{function}' never comes near the bound for {case}: max |w| = {got:.6g}, but {n} samples from U(−{bound:.4g}, {bound:.4g}) ({name}, {context}) reach at least {low:.6g}. Is your bound too small?",
        "'{function}'의 값이 {case}에서 경계 근처에 오지 않습니다: max |w| = {got:.6g}인데, U(−{bound:.4g}, {bound:.4g}) ({name}, {context})에서 뽑은 표본 {n}개라면 최댓값이 {low:.6g} 이상이 됩니다. 경계를 너무 작게 잡지 않았나요?",
    ),
    "grade.stat-ks": (
        "'{function}' does not draw from {dist} for {case}: the Kolmogorov–Smirnov distance is {d:.4f} (p = {p:.2g}, below {alpha:.2g}). Check normal against uniform, and the scale.",
        "'{function}'이(가) {case}에서 {dist}를 따르지 않습니다: 콜모고로프–스미르노프 거리가 {d:.4f}입니다 (p = {p:.2g}, 기준 {alpha:.2g} 미만). 정규분포와 균등분포를 바꿔 쓰지 않았는지, 크기는 맞는지 확인하세요.",
    ),
    "grade.stat-mean": (
        "'{function}' is not centred at 0 for {case}: the sample mean is {got:.4g}, beyond ±{high:.3g}.",
        "'{function}'의 분포가 {case}에서 0을 중심으로 하지 않습니다: 표본 평균이 {got:.4g}로 ±{high:.3g}을(를) 벗어납니다.",
    ),
    "plot.init-histogram": (
        "{function}: your samples against {dist}",
        "{function}: 제출한 표본과 {dist} 비교",
    ),
    "grade.not-int": (
        "'{function}' returned {got} for {case}; the fans must be Python ints, not floats.",
        "'{function}'이(가) {case}에 대해 {got}을(를) 반환했습니다. fan 값은 float가 아니라 파이썬 int여야 합니다.",
    ),
    "grade.wrong-value": (
        "'{function}' returned {got} for {case}; expected {expected}.",
        "'{function}'이(가) {case}에 대해 {got}을(를) 반환했습니다. 기대값은 {expected}입니다.",
    ),
    "grade.wrong-dtype": (
        "'{function}' returned {got} for {case}; expected a float64 NumPy array of shape {expected}.",
        "'{function}'이(가) {case}에 대해 {got}을(를) 반환했습니다. 모양이 {expected}인 float64 NumPy 배열이어야 합니다.",
    ),
    "grade.shape-ok": (
        "'{function}' returns float64 arrays of the requested shape.",
        "'{function}'은(는) 요청한 모양의 float64 배열을 반환합니다.",
    ),
    "grade.not-reproducible": (
        "'{function}' returned different values for two generators with the same seed ({case}): take every random number from the generator you are given, not from a global random state.",
        "'{function}'이(가) 같은 시드의 생성기 두 개에 대해 다른 값을 반환했습니다 ({case}). 전역 난수 상태가 아니라 인자로 받은 생성기에서 모든 난수를 뽑으세요.",
    ),
    "grade.ignores-seed": (
        "'{function}' returned the same values for two different seeds ({case}): draw from the generator you are given instead of a fixed one.",
        "'{function}'이(가) 서로 다른 시드에 대해 같은 값을 반환했습니다 ({case}). 고정된 생성기가 아니라 인자로 받은 생성기에서 뽑으세요.",
    ),
    "grade.reproducible": (
        "'{function}' is reproducible: the same seed gives the same values, another seed other values.",
        "'{function}'은(는) 재현 가능합니다: 같은 시드는 같은 값을, 다른 시드는 다른 값을 줍니다.",
    ),
    "grade.not-in-place": (
        "'{function}' did not fill the tensor it was given ({case}): write into it in place (e.g. tensor.uniform_(...) under torch.no_grad()).",
        "'{function}'이(가) 받은 텐서를 채우지 않았습니다 ({case}). torch.no_grad() 안에서 tensor.uniform_(...)처럼 그 텐서에 직접 값을 써 넣으세요.",
    ),
    "grade.returned-other": (
        "'{function}' must return the very tensor it filled, as torch.nn.init does, but returned another object ({case}).",
        "'{function}'은(는) torch.nn.init처럼 자신이 채운 바로 그 텐서를 반환해야 하지만, 다른 객체를 반환했습니다 ({case}).",
    ),
    "grade.in-place": (
        "'{function}' fills its tensor in place and returns it.",
        "'{function}'은(는) 텐서를 제자리에서 채우고 그 텐서를 반환합니다.",
    ),
    # -- torch modules (grader/suites/torch_layers.py) ----------------------------------
    "grade.module-missing": (
        "'{function}' has no {kind} called '{name}'; torch.nn.{function} has one of shape {shape}.",
        "'{function}'에 '{name}'이라는 {kind}이(가) 없습니다. torch.nn.{function}에는 모양이 {shape}인 {kind}이(가) 있습니다.",
    ),
    "grade.module-kind": (
        "'{function}.{name}' should be a {expected}, but it is registered as a {got}. Use {fix}.",
        "'{function}.{name}'은(는) {expected}여야 하는데 {got}(으)로 등록되어 있습니다. {fix}을(를) 쓰세요.",
    ),
    "grade.module-initial": (
        "'{function}.{name}' starts as {got}; torch.nn.{function} starts it as {expected}.",
        "'{function}.{name}'의 초깃값이 {got}입니다. torch.nn.{function}에서는 {expected}입니다.",
    ),
    "grade.module-ok": (
        "'{function}' has the parameters (and buffers) of torch.nn.{function}, with the right initial values.",
        "'{function}'에는 torch.nn.{function}과 같은 파라미터(와 버퍼)가 있고 초깃값도 맞습니다.",
    ),
    "grade.module-mismatch": (
        "'{function}' differs from torch.nn.{function} in {mode} mode, step {step} ({case}): {what} is off by up to {err:.3g} (tolerance: rtol {rtol:g}, atol {atol:g}).",
        "'{function}'이(가) {mode} 모드 {step}단계({case})에서 torch.nn.{function}과 다릅니다: {what}의 오차가 최대 {err:.3g}입니다 (허용 오차: rtol {rtol:g}, atol {atol:g}).",
    ),
    "grade.module-mismatch-hidden": (
        "'{function}' differs from torch.nn.{function} on a hidden case: {what} is off by up to {err:.3g}.",
        "'{function}'이(가) 숨겨진 사례에서 torch.nn.{function}과 다릅니다: {what}의 오차가 최대 {err:.3g}입니다.",
    ),
    "grade.module-missing-value": (
        "'{function}' in {mode} mode, step {step} ({case}): {what} is missing; after backward() it should exist. Compute the output from x, weight and bias with differentiable tensor operations.",
        "'{function}'의 {mode} 모드 {step}단계({case})에서 {what}이(가) 없습니다. backward() 뒤에는 있어야 합니다. 출력을 x, weight, bias로부터 미분 가능한 텐서 연산으로 계산하세요.",
    ),
    "grade.module-matches": (
        "'{function}' matches torch.nn.{function} at every step checked: outputs, gradients and any running statistics.",
        "'{function}'은(는) 검사한 모든 단계에서 출력, 기울기, 이동 통계까지 torch.nn.{function}과 일치합니다.",
    ),
    # -- case labels: which input a message is about (``{case}`` in grade.*) ---------
    "case.with": (" with {args}", " ({args}일 때)"),
    "case.array": ("a {ndim}-d array of shape {shape}{kw}", "모양이 {shape}인 {ndim}차원 배열{kw}"),
    "case.array-nd": ("a {ndim}-d array", "{ndim}차원 배열"),
    "case.grid": ("x from {low:g} to {high:g}", "{low:g}부터 {high:g}까지의 x"),
    "case.large": ("large inputs {values}{kw}", "큰 입력 {values}{kw}"),
    "case.edge": ("edge values (±0, subnormal, ±709…±1e4){kw}",
                  "경곗값 (±0, 비정규 수, ±709…±1e4){kw}"),
    "case.scalar": ("the scalar {value}{kw}", "스칼라 {value}{kw}"),
    "case.exact-zeros": ("x with exact zeros{kw}", "정확히 0인 원소가 있는 x{kw}"),
    "case.output": ("output {k}", "출력 {k}"),
    "case.forward": ("the forward pass", "순전파"),
    "case.backward": ("the backward pass", "역전파"),
    "case.perturbed": ("perturbed input {pos} at {index}", "{index} 위치를 조금 움직인 입력 {pos}"),
    "case.x-of-shape": ("x of shape {shape}", "모양이 {shape}인 x"),
    "case.input-shape": ("an input of shape {shape}", "모양이 {shape}인 입력"),
    "case.shape": ("shape {shape}{kw}", "모양 {shape}{kw}"),
    "case.shape-seed": ("shape {shape}, seed {seed}", "모양 {shape}, 시드 {seed}"),
    "case.shape-seed-again": ("shape {shape}, seed {seed} again", "모양 {shape}, 같은 시드 {seed}로 한 번 더"),
    "case.shape-no-rng": ("shape {shape}, rng=None", "모양 {shape}, rng=None"),
    "case.shape-generator": ("shape {shape}, a seeded generator", "모양 {shape}, 시드를 준 생성기"),
    "case.tensor": ("a tensor of shape {shape}{kw}", "모양이 {shape}인 텐서{kw}"),
    "case.parameter": ("an nn.Parameter of shape {shape}{kw}", "모양이 {shape}인 nn.Parameter{kw}"),
    "case.bn-train": ("a training batch of N={n}, D={d}{kw}", "N={n}, D={d}인 학습 배치{kw}"),
    "case.bn-eval": ("an evaluation batch of N={n}, D={d}", "N={n}, D={d}인 평가 배치"),
    "case.bn-one": ("a training batch of one sample (N=1)", "표본이 하나뿐인 학습 배치 (N=1)"),
    "case.bn-train-mode": ("a batch in training mode", "학습 모드의 배치"),
    "case.bn-eval-mode": ("a batch in evaluation mode", "평가 모드의 배치"),
    "case.forward-nd": ("the forward pass of N={n}, D={d}", "N={n}, D={d}의 순전파"),
    "case.backward-nd": ("the backward pass of N={n}, D={d}", "N={n}, D={d}의 역전파"),
    "case.forward-shape": ("the forward pass of shape {shape}", "모양 {shape}의 순전파"),
    "case.backward-shape": ("the backward pass of shape {shape}", "모양 {shape}의 역전파"),
    "case.whole-batch": ("the whole batch", "배치 전체"),
    "case.sample-alone": ("sample {i} alone", "표본 {i} 하나만"),
    "case.network": ("a {layers}-layer {act} network", "{layers}층 {act} 신경망"),
    "case.network-widths": ("a {layers}-layer {act} network of widths {widths}",
                            "너비가 {widths}인 {layers}층 {act} 신경망"),
    "case.network-init": ("a {layers}-layer {act} network ({init} weights)",
                          "{layers}층 {act} 신경망 ({init} 가중치)"),
    "case.network-one-sample": ("a batch of one sample through a 1-layer relu network",
                                "1층 relu 신경망에 넣은 표본 하나짜리 배치"),
    "case.clip-above": ("gradients whose total norm exceeds max_norm",
                        "전체 노름이 max_norm을 넘는 기울기"),
    "case.clip-below": ("gradients whose total norm is below max_norm (left as they are)",
                        "전체 노름이 max_norm보다 작은 기울기 (그대로 두어야 함)"),
    "case.clip-tiny": ("tiny gradients (total 1e-4, max_norm 1e-5)",
                       "아주 작은 기울기 (전체 1e-4, max_norm 1e-5)"),
    "case.clip-one": ("a single gradient", "기울기 하나"),
    "case.clip-none": ("an empty list of gradients", "빈 기울기 리스트"),
    "case.clip-both-sides": ("gradients on both sides of ±clip_value",
                             "±clip_value 양쪽에 걸친 기울기"),
    "case.clip-value-large": ("clip_value larger than every gradient",
                              "모든 기울기보다 큰 clip_value"),
    "case.clip-needed": ("gradients that need clipping", "잘라 내야 하는 기울기"),
    "case.module-steps": ("{count} training batches of {n}, momentum={momentum:g}, eps={eps:g}",
                          "크기 {n}인 학습 배치 {count}개, momentum={momentum:g}, eps={eps:g}"),
    "case.module-train-then-eval": (
        "2 training batches, then evaluation batches of another distribution",
        "학습 배치 2개, 그다음 분포가 다른 평가 배치"),
    "case.module-batch": ("a training batch of {n}", "크기 {n}인 학습 배치"),
    "case.module-shapes": (
        "inputs of shape (4, 6), (2, 3, 6), (1, 6) and (3, 6) in eval mode{eps}",
        "모양이 (4, 6), (2, 3, 6), (1, 6)인 입력과 평가 모드의 (3, 6) 입력{eps}"),
    "case.module-batch-then-alone": ("a batch of {n}, then each sample alone",
                                     "크기 {n}인 배치, 그다음 표본 하나씩"),
    "detail.described-array": ("{type} of dtype {dtype} and shape {shape}",
                               "dtype이 {dtype}이고 모양이 {shape}인 {type}"),
}
