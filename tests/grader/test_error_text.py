"""What a student reads when a call or the import produced no value, in English and Korean.

Two layers:

- the pure translation (:mod:`grader.errors_text`): every ``CallError`` kind, every
  sandbox-made ``LoadFailure``, with the limits the parent set, checked word for word;
- end to end through :func:`grader.engine.grade` on the real ``activations`` exercise
  in the real sandbox: a hang, a segfault (``ctypes``), a memory error, the calls skipped
  after them, and a budget that runs out. The exercise's ``call_timeout`` (10 s) is
  shortened for the fast tests; one slow test keeps the real one.
"""

from __future__ import annotations

import re
import textwrap
import typing
from collections.abc import Iterator
from dataclasses import replace

import pytest

from grader import engine
from grader import exercise as exercises
from grader.errors_text import (
    Culprit,
    Limits,
    call_error_text,
    load_failure_text,
    signal_in,
    size_text,
)
from grader.i18n import Text, msg
from grader.result import Result
from grader.sandbox import EvalRequest, default_sandbox, runner, wire
from grader.sandbox.plan import CPU_TIME, Call, CallError, Outcome
from grader.sandbox.runner import LoadFailure

HANGUL = re.compile(r"[\uac00-\ud7a3]")
LIMITS = Limits(call_timeout=10.0, budget=60.0, memory_bytes=2 << 30, output_limit=8 << 20,
                file_bytes=8 << 20, source_chars=4 << 20)
KINDS = typing.get_args(typing.get_type_hints(CallError)["kind"])


def text_of(error: CallError, **kw: typing.Any) -> Text:
    kw.setdefault("function", "sigmoid")
    kw.setdefault("file", "activations.py")
    kw.setdefault("limits", LIMITS)
    return call_error_text(error, **kw)


# -- the pure translation ---------------------------------------------------------------


def test_a_call_that_hit_the_per_call_limit() -> None:
    assert text_of(CallError("timeout", message="exceeded 10 s"), seconds=10.002) == Text(
        "'sigmoid' did not finish within 10 s, the time one call may take. Look for an "
        "infinite loop or a Python-level loop over a large array.",
        "'sigmoid'이(가) 호출 한 번에 주어진 10초 안에 끝나지 않았습니다. 무한 루프나 큰 배열에 "
        "대한 파이썬 반복문이 있는지 보세요.",
    )


def test_a_call_stopped_by_the_evaluation_budget() -> None:
    assert text_of(CallError("timeout", message="whatever the sandbox says"), seconds=3.5) == Text(
        "'sigmoid' was stopped when the time budget of 60 s for the whole submission ran out. "
        "Make the slow functions faster: look for Python-level loops over large arrays.",
        "제출물 전체에 주어진 시간 예산 60초가 다 되어 'sigmoid'이(가) 중단되었습니다. 느린 함수를 "
        "빠르게 고치세요. 큰 배열에 대한 파이썬 반복문이 있는지 보세요.",
    )


def test_a_call_the_budget_never_reached() -> None:
    assert text_of(CallError("timeout"), seconds=0.0) == Text(
        "'sigmoid' was not run: the time budget of 60 s for the whole submission ran out "
        "before its turn. Make the slow functions faster.",
        "'sigmoid'은(는) 실행되지 않았습니다: 차례가 오기 전에 제출물 전체에 주어진 시간 예산 "
        "60초가 다 되었습니다. 느린 함수를 빠르게 고치세요.",
    )


def test_a_call_killed_by_the_cpu_time_limit() -> None:
    # the kernel's limit (which the code may have lowered itself), not the grader's
    # clocks: the message does not depend on how long the call ran
    error = CallError("timeout", CPU_TIME, "exceeded the CPU time limit after 1.0 s of CPU "
                      "time (killed by SIGKILL)")
    expected = Text(
        "'sigmoid' was stopped when the process used up its CPU time (a limit that counts the "
        "CPU time of every thread, which the code may also have lowered itself). Look for an "
        "infinite loop, or threads that keep spinning.",
        "프로세스가 CPU 시간 한도를 다 써서 'sigmoid'이(가) 중단되었습니다 (이 한도는 모든 "
        "스레드의 CPU 시간을 합산하며, 코드가 스스로 낮췄을 수도 있습니다). 무한 루프나 계속 도는 "
        "스레드가 있는지 보세요.",
    )
    for seconds in (1.02, 10.0, None):
        assert text_of(error, seconds=seconds) == expected
    culprit = Culprit("group", "sigmoid", "sigmoid: values", Text("x", "x"), error, seconds=1.02)
    skipped = text_of(CallError("not-run"), culprit=culprit)
    assert "(x, in test 'sigmoid: values') used up the process's CPU time, which stopped" in (
        skipped.en)
    assert "('sigmoid: values' 테스트의 x)이 프로세스의 CPU 시간 한도를 다 써서 프로세스가 " in (
        skipped.ko)


def test_a_timeout_of_unknown_duration_names_both_limits() -> None:
    text = text_of(CallError("timeout"))
    assert "one call may take 10 s, the whole submission 60 s" in text.en
    assert "호출 한 번은 10초, 제출물 전체는 60초까지" in text.ko


def test_a_segfault() -> None:
    assert text_of(CallError("crashed", message="killed by SIGSEGV"), function="tanh") == Text(
        "'tanh' crashed the Python process: it was killed by SIGSEGV, a segmentation fault: an "
        "invalid memory access, typically through ctypes or a bug in C code.",
        "'tanh'이(가) 파이썬 프로세스를 비정상 종료시켰습니다: SIGSEGV 신호로 종료되었습니다. "
        "원인: 세그멘테이션 오류(잘못된 메모리 접근). 주로 ctypes나 C 코드의 버그 때문에 생깁니다.",
    )


def test_an_unlisted_signal_is_still_named() -> None:
    text = text_of(CallError("crashed", message="killed by SIGUSR1"))
    assert text.en.endswith("killed by SIGUSR1, a signal sent by the code itself or by the "
                            "operating system.")
    assert "SIGUSR1 신호로 종료되었습니다. 원인: 코드 자신이나 운영체제가 보낸 신호." in text.ko


@pytest.mark.parametrize("message", ["the process exited with code 3", "killed by SIGNOPE",
                                     "SIGSEGVX", ""])
def test_a_crash_without_a_real_signal_name(message: str) -> None:
    assert signal_in(message) is None
    assert text_of(CallError("crashed", message=message)) == Text(
        "'sigmoid' ended the Python process before returning a value (an exit such as "
        "os._exit, or a fatal error in C code).",
        "'sigmoid'이(가) 값을 반환하기 전에 파이썬 프로세스를 끝냈습니다 (os._exit 같은 종료 "
        "호출이나 C 코드의 치명적 오류).",
    )


def test_a_file_too_large() -> None:
    text = text_of(CallError("crashed", message="killed by SIGXFSZ (wrote a file larger than "
                                                "8388608 bytes)"))
    assert text == Text(
        "'sigmoid' wrote a file larger than 8 MiB, so its process was stopped. Return results "
        "instead of writing files.",
        "'sigmoid'이(가) 8 MiB보다 큰 파일을 써서 프로세스가 중단되었습니다. 파일에 쓰지 말고 "
        "결과를 반환하세요.",
    )


def test_a_memory_kill() -> None:
    assert text_of(CallError("memory", message="killed by SIGKILL (out of memory)")) == Text(
        "'sigmoid' ran out of memory: your code may use about 2 GiB beyond what Python and "
        "NumPy need. Look for an array far larger than the inputs (an outer product, a huge "
        "np.zeros).",
        "'sigmoid'이(가) 메모리 한도를 넘었습니다: 파이썬과 NumPy가 쓰는 메모리 외에 약 2 GiB까지 "
        "쓸 수 있습니다. 입력보다 훨씬 큰 배열(외적, 거대한 np.zeros 등)을 만들지 않는지 보세요.",
    )


def test_a_memory_error_keeps_the_codes_own_message() -> None:
    error = CallError("memory", "MemoryError", "Unable to allocate 8 GiB", 7)
    assert text_of(error) == Text(
        "'sigmoid' ran out of memory: it raised MemoryError: Unable to allocate 8 GiB (line 7 "
        "of activations.py). Your code may use about 2 GiB beyond what Python and NumPy need; "
        "look for an array far larger than the inputs.",
        "'sigmoid'이(가) 메모리 한도를 넘었습니다: MemoryError 예외가 발생했습니다: Unable to "
        "allocate 8 GiB (activations.py 7번째 줄). 파이썬과 NumPy가 쓰는 메모리 외에 약 2 GiB까지 "
        "쓸 수 있으니, 입력보다 훨씬 큰 배열을 만들지 않는지 보세요.",
    )
    # the sandbox's English placeholder for an empty MemoryError() is not shown
    bare = text_of(CallError("memory", "MemoryError", "ran out of memory", 7))
    assert "ran out of memory" not in bare.ko and "it raised MemoryError (line 7" in bare.en
    hidden = text_of(error, hidden=True)
    assert "Unable to allocate" not in hidden.en + hidden.ko
    assert "on a hidden input" in hidden.en and "숨겨진 입력에서" in hidden.ko


def test_too_much_output() -> None:
    assert text_of(CallError("output-limit", message="printed more than 8388608 bytes")) == Text(
        "'sigmoid' printed more than 8 MiB (standard output and error together), so its process "
        "was stopped. Remove print calls, above all inside loops.",
        "'sigmoid'이(가) 표준 출력과 표준 오류를 합쳐 8 MiB보다 많이 출력해서 프로세스가 "
        "중단되었습니다. print 호출을 지우세요. 특히 반복문 안의 print를 확인하세요.",
    )


def test_a_call_skipped_after_its_group_stopped() -> None:
    culprit = Culprit("group", "sigmoid", "sigmoid: values", Text("a 1-d array", "1차원 배열"),
                      CallError("timeout", message="exceeded 10 s"), seconds=10.01)
    assert text_of(CallError("not-run", message="'t0.v0' of the same group stopped"),
                   culprit=culprit) == Text(
        "'sigmoid' was not run here: an earlier call of 'sigmoid' (a 1-d array, in test "
        "'sigmoid: values') did not finish within 10 s, which stopped the process; the rest of "
        "its group was skipped, as it would most likely fail the same way.",
        "'sigmoid'은(는) 여기서 실행되지 않았습니다: 앞선 'sigmoid' 호출"
        "('sigmoid: values' 테스트의 1차원 배열)이 10초 안에 끝나지 않아 프로세스가 멈췄습니다. "
        "같은 그룹의 나머지 호출도 같은 이유로 실패할 가능성이 커서 건너뛰었습니다.",
    )


def test_a_hidden_culprit_shows_no_case() -> None:
    culprit = Culprit("group", "tanh", "tanh: hidden", None,
                      CallError("crashed", message="killed by SIGSEGV"))
    text = text_of(CallError("not-run"), function="tanh", culprit=culprit)
    assert "(a hidden case of test 'tanh: hidden') was killed by SIGSEGV, which" in text.en
    assert ("호출('tanh: hidden' 테스트의 숨겨진 사례)이 SIGSEGV 신호로 종료되어 "
            "프로세스가") in text.ko


def test_a_call_that_needs_a_failed_result() -> None:
    culprit = Culprit("needs", "batchnorm_forward", "batchnorm_forward: values", Text.same("N = 4"),
                      CallError("exception", "ValueError", "bad"))
    assert text_of(CallError("not-run"), function="batchnorm_backward", culprit=culprit) == Text(
        "'batchnorm_backward' was not run here: it needs the result of an earlier call of "
        "'batchnorm_forward' (N = 4, in test 'batchnorm_forward: values'), which raised "
        "ValueError.",
        "'batchnorm_backward'은(는) 여기서 실행되지 않았습니다: 앞선 'batchnorm_forward' 호출"
        "('batchnorm_forward: values' 테스트의 N = 4)의 결과가 필요한데, 그 호출이 "
        "ValueError 예외를 일으켜 결과가 없습니다.",
    )
    gone = text_of(CallError("not-run"), culprit=replace(culprit, error=None))
    assert "which was not available this time" in gone.en and "쓸 수 없었습니다" in gone.ko


def test_a_skipped_call_without_a_known_culprit() -> None:
    assert text_of(CallError("not-run", message="anything")) == Text(
        "'sigmoid' was not run here: an earlier call stopped the process, so the calls after it "
        "in the same group were skipped.",
        "'sigmoid'은(는) 여기서 실행되지 않았습니다: 앞선 호출이 프로세스를 멈추게 해서 같은 "
        "그룹의 나머지 호출을 건너뛰었습니다.",
    )


def test_an_exception_keeps_its_type_and_message_verbatim() -> None:
    error = CallError("exception", "ZeroDivisionError", "division by zero", 12)
    assert text_of(error) == Text(
        "'sigmoid' raised ZeroDivisionError: division by zero (line 12 of activations.py).",
        "'sigmoid'에서 ZeroDivisionError 예외가 발생했습니다: division by zero "
        "(activations.py 12번째 줄).",
    )
    assert text_of(error, hidden=True) == Text(
        "'sigmoid' raised ZeroDivisionError on a hidden input (line 12 of activations.py).",
        "'sigmoid'이(가) 숨겨진 입력에서 ZeroDivisionError 예외를 일으켰습니다 "
        "(activations.py 12번째 줄).",
    )
    assert text_of(CallError("exception", "KeyError", "")).en == "'sigmoid' raised KeyError."


def test_a_bad_output_says_what_was_expected() -> None:
    # as the sandbox sends it: the reason in English and in Korean
    error = CallError("bad-output", message="expected a tuple of 2 values, got a list of length 3",
                      message_ko="값 2개로 된 튜플이 아니라 길이가 3인 list입니다")
    assert text_of(error, function="layer_statistics", returns=("raw", "raw")) == Text(
        "'layer_statistics' returned a value the grader cannot use: it should be a tuple of 2 "
        "values. Details: expected a tuple of 2 values, got a list of length 3.",
        "'layer_statistics'의 반환값을 채점에 쓸 수 없습니다: 반환값은 값 2개로 된 튜플 형태여야 "
        "합니다. 세부 정보: 값 2개로 된 튜플이 아니라 길이가 3인 list입니다.",
    )


_UNUSABLE = """
import numpy as np

def triple():
    return [1.0, 2.0, 3.0]

def scalar():
    return 3.0

def text():
    return "abc"

def deep():
    x = 1.0
    for _ in range(12):
        x = [x]
    return x

def thing():
    return object()

def nested():
    return {"a": [1.0, object()]}
"""


def _over_the_wire(outcome: Outcome) -> Outcome:
    """The outcome as the parent reads it from the child's frame."""
    reader = wire.FrameReader()
    reader.feed(wire.encode_outcome("c", outcome))
    [(header, body)] = list(reader.frames())
    _, (_, back) = wire.decode_child_message(header, body)
    assert isinstance(back, Outcome)
    return back


@pytest.mark.parametrize(("target", "returns", "ko"), [
    ("triple", ("raw", "raw"), "값 2개로 된 튜플이 아니라 길이가 3인 list입니다"),
    ("scalar", "array-list", "배열의 리스트가 아니라 float 객체입니다"),
    ("text", "array", "float64 배열로 변환할 수 없습니다 (ValueError: could not convert string "
                      "to float: 'abc')"),
    ("deep", "raw", "결과가 너무 깊이 중첩되어 있습니다"),
    ("thing", "raw", "object 객체을(를) 반환했는데, 이는 일반 숫자나 튜플이나 배열이 아닙니다"),
    ("nested", "raw", "object 객체을(를) 반환했는데, 이는 일반 숫자나 튜플이나 배열이 아닙니다"),
])
def test_the_sandboxs_own_bad_output_sentences_are_translated(
        target: str, returns: typing.Any, ko: str) -> None:
    # the runner itself says why, in both languages, and the wire carries both
    module = runner.load_module(_UNUSABLE, "unusable", "unusable.py", register=False)
    assert not isinstance(module, LoadFailure)
    error = _over_the_wire(runner.execute(module, [Call("c", target, returns=returns)])["c"]).error
    assert error is not None and error.kind == "bad-output"
    assert Text(error.message, error.message_ko) == Text(error.message, ko)
    assert f"Details: {error.message}" in text_of(error, returns=returns).en
    assert f"세부 정보: {ko}" in text_of(error, returns=returns).ko


def test_bad_output_sentences_from_the_wire_and_the_parent_are_translated() -> None:
    for (key, fields), message, ko in [
        (("detail.dtype", {"dtype": "float32"}), "converted to dtype float32, not float64",
         "변환한 배열의 dtype이 float64가 아니라 float32입니다"),
        (("detail.too-large", {"n": 16777217}),
         "an array of 16777217 elements is larger than any expected result",
         "원소가 16777217개인 배열은 어떤 기대 결과보다도 큽니다"),
        (("detail.unsendable", {"error": "a Foo cannot be sent"}),
         "the result cannot be sent: a Foo cannot be sent",
         "결과를 보낼 수 없습니다: a Foo cannot be sent"),
        (("detail.unreadable", {"error": "bad frame"}), "the result could not be read: bad frame",
         "결과를 읽을 수 없습니다: bad frame"),
    ]:
        assert msg(key, **fields) == Text(message, ko)
    # a value the wire refuses, sent for real
    outcome = _over_the_wire(Outcome(value=1 + 2j))
    assert outcome.error is not None
    assert outcome.error.message_ko.startswith("결과를 보낼 수 없습니다: ")
    # a detail without Korean (a forged frame's text) is shown as it is, never dropped
    text = text_of(CallError("bad-output", message="I am a forged detail"))
    assert "Details: I am a forged detail." in text.en
    assert "세부 정보: I am a forged detail." in text.ko


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_reads_in_both_languages(kind: str) -> None:
    error = CallError(kind, "ValueError", "detail", 3)  # type: ignore[arg-type]
    for culprit in (None, Culprit("group", "f", "f: values", Text.same("case"), error, 1.0)):
        text = text_of(error, culprit=culprit, seconds=1.0)
        assert text.en and HANGUL.search(text.ko), (kind, text)
        assert not HANGUL.search(text.en), (kind, text)


# -- import failures --------------------------------------------------------------------

FILE = "activations.py"


@pytest.mark.parametrize(
    ("failure", "en", "ko"),
    [
        (LoadFailure("Timeout", "while loading the module: exceeded 10 s"),
         "Importing activations.py did not finish in time (one step may take 10 s, the whole "
         "submission 60 s).",
         "activations.py을(를) 불러오는 작업이 제한 시간 안에 끝나지 않았습니다 (한 단계는 10초, "
         "제출물 전체는 60초까지 걸릴 수 있습니다)."),
        (LoadFailure("CPUTime", "while loading the module: exceeded the CPU time limit after "
                     "1.0 s of CPU time (killed by SIGKILL)"),
         "Importing activations.py was stopped when the process used up its CPU time",
         "activations.py을(를) 불러오는 중 프로세스가 CPU 시간 한도를 다 써서 중단되었습니다"),
        (LoadFailure("Crashed", "while loading the module: killed by SIGSEGV"),
         "Importing activations.py crashed the Python process: it was killed by SIGSEGV, a "
         "segmentation fault",
         "activations.py을(를) 불러오는 중 파이썬 프로세스가 비정상 종료되었습니다: SIGSEGV 신호로 "
         "종료되었습니다."),
        (LoadFailure("Crashed", "while loading the module: the process exited with code 2"),
         "Importing activations.py ended the Python process",
         "activations.py을(를) 불러오는 중 파이썬 프로세스가 끝났습니다"),
        (LoadFailure("MemoryError", "while loading the module: killed by SIGKILL (out of memory)"),
         "Importing activations.py ran out of memory (your code may use about 2 GiB",
         "activations.py을(를) 불러오는 중 메모리 한도를 넘었습니다 (파이썬과 NumPy가 쓰는 메모리 "
         "외에 약 2 GiB까지"),
        (LoadFailure("MemoryError", "", 1),
         "Importing activations.py ran out of memory", "메모리 한도를 넘었습니다"),
        (LoadFailure("OutputLimit", "while loading the module: printed more than 8388608 bytes"),
         "Importing activations.py printed more than 8 MiB, so its process was stopped.",
         "activations.py을(를) 불러오는 중 8 MiB보다 많이 출력해서 프로세스가 중단되었습니다."),
        (LoadFailure("SourceTooLarge", "the source is longer than 4194304 characters"),
         "activations.py is too large: a submission may have at most 4,194,304 characters.",
         "activations.py이(가) 너무 큽니다: 제출물은 최대 4,194,304자까지 허용됩니다."),
        (LoadFailure("BadOutput", "while loading the module: the result could not be read"),
         "Importing activations.py sent something the grader could not read",
         "activations.py을(를) 불러오는 중 채점기가 읽을 수 없는 데이터를 보내서"),
        (LoadFailure("Crashed", "while loading the module: killed by SIGXFSZ (wrote a file)"),
         "Importing activations.py wrote a file larger than 8 MiB",
         "activations.py을(를) 불러오는 중 8 MiB보다 큰 파일을 써서"),
        # the student's own exceptions: verbatim, even one named like a sandbox type
        (LoadFailure("NameError", "name 'np' is not defined", 3),
         "Importing activations.py raised NameError: name 'np' is not defined (line 3 of "
         "activations.py). Nothing could be graded; fix it and submit again.",
         "activations.py을(를) 불러오는 중 NameError 예외가 발생했습니다: name 'np' is not defined "
         "(activations.py 3번째 줄). 채점할 수 없으니 고쳐서 다시 제출하세요."),
        (LoadFailure("Timeout", "my own exception", 4),
         "Importing activations.py raised Timeout: my own exception (line 4",
         "Timeout 예외가 발생했습니다: my own exception"),
        (LoadFailure("SyntaxError", "invalid syntax", 2),
         "activations.py has a syntax error at line 2: invalid syntax.",
         "activations.py 2번째 줄에 문법 오류가 있습니다: invalid syntax."),
    ],
)
def test_import_failures(failure: LoadFailure, en: str, ko: str) -> None:
    text = load_failure_text(failure, file=FILE, limits=LIMITS)
    assert en in text.en and ko in text.ko, text
    assert "while loading the module" not in text.en + text.ko
    assert HANGUL.search(text.ko) and not HANGUL.search(text.en)


def test_sizes() -> None:
    assert size_text(8 << 20) == Text.same("8 MiB")
    assert size_text(2 << 30) == Text.same("2 GiB")
    assert size_text(1536) == Text.same("1.5 KiB")
    assert size_text(100) == Text("100 bytes", "100바이트")


def test_limits_come_from_the_exercise_and_the_sandbox() -> None:
    ex = exercises.get("activations")
    limits = Limits.of(ex, default_sandbox().config)
    assert (limits.call_timeout, limits.budget) == (ex.call_timeout, ex.budget)
    assert limits.output_limit == default_sandbox().config.output_limit


# -- end to end: the real exercise in the real sandbox ---------------------------------

#: a hang, a segfault and an allocation far beyond the address-space limit
SUBMISSION = textwrap.dedent('''\
    import ctypes

    import numpy as np


    def sigmoid(x):
        while True:
            pass


    def tanh(x):
        return ctypes.string_at(0)


    def relu(x):
        return np.ones((200_000, 100_000))
''')
RELU_LINE = 1 + SUBMISSION.splitlines().index("    return np.ones((200_000, 100_000))")


def _warm() -> None:
    """Start the process-wide sandbox's zygote before anything is timed (its start-up
    must not eat into a shortened budget)."""
    default_sandbox().evaluate(EvalRequest(source="", filename="warm.py",
                                           module_name="warm", calls=()))


def _grade(source: str, *, call_timeout: float, budget: float) -> tuple[Result, engine.Plan]:
    real = exercises.get("activations")
    short = replace(real, call_timeout=call_timeout, budget=budget)
    _warm()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(engine.exercises, "get", lambda _id, *a: short)
        return engine.grade("activations", source), engine.plan_for(short)


@pytest.fixture(scope="module")
def graded() -> Iterator[tuple[Result, engine.Plan]]:
    yield _grade(SUBMISSION, call_timeout=1.5, budget=30.0)


def _output(result: Result, name: str) -> Text:
    return next(t.output for t in result.tests if t.name == name)


def _first_call(plan: engine.Plan, target: str) -> tuple[str, Text]:
    """(test name, case label) of the first call of ``target``: the one that stops its group."""
    call = next(c for c in plan.calls if c.group_key == target)
    test = plan.placed[call.id][1]
    return test.spec.name, test.labels[call.id]


def test_graded_hang(graded: tuple[Result, engine.Plan]) -> None:
    result, plan = graded
    test, _case = _first_call(plan, "sigmoid")
    assert _output(result, test) == Text(
        "'sigmoid' did not finish within 1.5 s, the time one call may take. Look for an "
        "infinite loop or a Python-level loop over a large array.",
        "'sigmoid'이(가) 호출 한 번에 주어진 1.5초 안에 끝나지 않았습니다. 무한 루프나 큰 배열에 "
        "대한 파이썬 반복문이 있는지 보세요.",
    )


def test_graded_calls_skipped_after_the_hang(graded: tuple[Result, engine.Plan]) -> None:
    result, plan = graded
    test, case = _first_call(plan, "sigmoid")
    skipped = [t for t in plan.tests if t.spec.function == "sigmoid" and t.spec.name != test]
    assert skipped
    assert case == Text("a 0-d array of shape ()", "모양이 ()인 0차원 배열")
    for t in skipped:
        assert _output(result, t.spec.name) == Text(
            f"'sigmoid' was not run here: an earlier call of 'sigmoid' ({case.en}, in test "
            f"'{test}') did not finish within 1.5 s, which stopped the process; the rest of its "
            "group was skipped, as it would most likely fail the same way.",
            f"'sigmoid'은(는) 여기서 실행되지 않았습니다: 앞선 'sigmoid' 호출('{test}' 테스트의 "
            f"{case.ko})이 1.5초 안에 끝나지 않아 프로세스가 멈췄습니다. 같은 그룹의 나머지 호출도 "
            "같은 이유로 실패할 가능성이 커서 건너뛰었습니다.",
        ), t.spec.name


def test_graded_segfault(graded: tuple[Result, engine.Plan]) -> None:
    result, plan = graded
    test, _case = _first_call(plan, "tanh")
    assert _output(result, test) == Text(
        "'tanh' crashed the Python process: it was killed by SIGSEGV, a segmentation fault: an "
        "invalid memory access, typically through ctypes or a bug in C code.",
        "'tanh'이(가) 파이썬 프로세스를 비정상 종료시켰습니다: SIGSEGV 신호로 종료되었습니다. "
        "원인: 세그멘테이션 오류(잘못된 메모리 접근). 주로 ctypes나 C 코드의 버그 때문에 생깁니다.",
    )


def test_graded_memory_error(graded: tuple[Result, engine.Plan]) -> None:
    result, _plan = graded
    numpy_says = ("Unable to allocate 149. GiB for an array with shape (200000, 100000) and "
                  "data type float64")
    assert _output(result, "relu: values") == Text(
        f"'relu' ran out of memory: it raised MemoryError: {numpy_says} (line {RELU_LINE} of "
        "activations.py). Your code may use about 2 GiB beyond what Python and NumPy need; "
        "look for an array far larger than the inputs.",
        f"'relu'이(가) 메모리 한도를 넘었습니다: MemoryError 예외가 발생했습니다: {numpy_says} "
        f"(activations.py {RELU_LINE}번째 줄). 파이썬과 NumPy가 쓰는 메모리 외에 약 2 GiB까지 "
        "쓸 수 있으니, 입력보다 훨씬 큰 배열을 만들지 않는지 보세요.",
    )


def test_graded_feedback_carries_no_sandbox_english(graded: tuple[Result, engine.Plan]) -> None:
    result, _plan = graded
    for t in result.tests:
        for sandbox_words in ("exceeded", "killed by", "of the same group", "not-run",
                              "stopped the process (", "t0."):
            assert sandbox_words not in t.output.ko, (t.name, t.output.ko)
        assert HANGUL.search(t.output.ko) and not HANGUL.search(t.output.en)


def test_graded_budget_that_runs_out() -> None:
    """A per-call limit longer than the budget: the budget stops the hang, and every
    call after it is reported as never reached."""
    result, plan = _grade("import numpy as np\n\ndef sigmoid(x):\n    while True:\n"
                          "        pass\n\ndef tanh(x):\n    return np.tanh(x)\n",
                          call_timeout=20.0, budget=2.0)
    test, _case = _first_call(plan, "sigmoid")
    assert _output(result, test) == Text(
        "'sigmoid' was stopped when the time budget of 2 s for the whole submission ran out. "
        "Make the slow functions faster: look for Python-level loops over large arrays.",
        "제출물 전체에 주어진 시간 예산 2초가 다 되어 'sigmoid'이(가) 중단되었습니다. 느린 함수를 "
        "빠르게 고치세요. 큰 배열에 대한 파이썬 반복문이 있는지 보세요.",
    )
    tanh_test, _ = _first_call(plan, "tanh")
    assert _output(result, tanh_test) == Text(
        "'tanh' was not run: the time budget of 2 s for the whole submission ran out before its "
        "turn. Make the slow functions faster.",
        "'tanh'은(는) 실행되지 않았습니다: 차례가 오기 전에 제출물 전체에 주어진 시간 예산 2초가 "
        "다 되었습니다. 느린 함수를 빠르게 고치세요.",
    )


@pytest.mark.slow
def test_graded_hang_with_the_exercises_own_limit() -> None:
    """The real ``call_timeout`` of ``activations`` (10 s), unshortened."""
    ex = exercises.get("activations")
    _warm()
    result = engine.grade("activations", "def sigmoid(x):\n    while True:\n        pass\n")
    test, _case = _first_call(engine.plan_for(ex), "sigmoid")
    assert _output(result, test) == Text(
        f"'sigmoid' did not finish within {ex.call_timeout:g} s, the time one call may take. "
        "Look for an infinite loop or a Python-level loop over a large array.",
        f"'sigmoid'이(가) 호출 한 번에 주어진 {ex.call_timeout:g}초 안에 끝나지 않았습니다. 무한 "
        "루프나 큰 배열에 대한 파이썬 반복문이 있는지 보세요.",
    )
