"""Why a call (or the import) produced no value, told to the student in English and Korean.

The sandbox (:mod:`grader.sandbox`) reports a failed call as a
:class:`~grader.sandbox.plan.CallError`: a ``kind`` from a closed set, plus an English
``message`` meant for logs. This module is the trusted parent's translation of that
report into feedback. It builds each sentence from what the parent knows for certain:

- the ``kind``;
- the limits the parent itself set (:class:`Limits`: the exercise's ``call_timeout``
  and ``budget``, the sandbox configuration's memory, output and file caps);
- the outcome's ``seconds`` (a killed call that ran for the whole ``call_timeout`` hit
  the per-call limit; one killed sooner hit the evaluation's budget; one that never
  ran has 0 s);
- the plan (:class:`Culprit`: which earlier call stopped a ``not-run`` call's group,
  found by the engine from the other outcomes).

``CallError.message`` is read in two narrow ways only: a signal name token (``SIGSEGV``),
accepted only if it names a real signal, and as the *detail* of a ``bad-output``, in
Korean from ``message_ko`` where the sandbox wrote one (verbatim in both languages
otherwise: a forged frame's text). An exception the student's code
raised keeps its type and message verbatim: that is their code speaking.

Every function here is pure: no sandbox, no I/O.
"""

from __future__ import annotations

import re
import signal
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from grader.i18n import MESSAGES, Text, msg
from grader.sandbox.limits import SandboxConfig
from grader.sandbox.plan import CPU_TIME, CallError, Returns
from grader.sandbox.runner import LoadFailure
from grader.sandbox.wire import DEFAULT_LIMITS

if TYPE_CHECKING:
    from grader.exercise import Exercise

__all__ = [
    "Culprit",
    "Limits",
    "call_error_text",
    "load_failure_text",
    "reason_text",
    "returns_text",
    "signal_in",
    "size_text",
]

_NO_TEXT = Text("", "")
#: what the sandbox writes in place of an empty ``MemoryError()`` message: it is the
#: sandbox's English, not the student's, so it is left out (anything else is shown)
_MEMORY_PLACEHOLDER = "ran out of memory"


@dataclass(frozen=True)
class Limits:
    """The limits a submission ran under, as the parent set them.

    Defaults are those of an :class:`~grader.exercise.Exercise` and a
    :class:`~grader.sandbox.limits.SandboxConfig` that set nothing.
    """

    call_timeout: float = 2.0  #: wall seconds one call may take
    budget: float = 20.0  #: wall seconds for the whole evaluation
    memory_bytes: int = SandboxConfig.memory_bytes
    output_limit: int = SandboxConfig.output_limit
    file_bytes: int = SandboxConfig.file_bytes
    source_chars: int = DEFAULT_LIMITS.text

    @classmethod
    def of(cls, exercise: Exercise | None = None, config: SandboxConfig | None = None) -> Limits:
        """The limits of ``exercise`` evaluated by a sandbox configured with ``config``."""
        base = cls()
        cfg = config if isinstance(config, SandboxConfig) else None
        return cls(
            call_timeout=exercise.call_timeout if exercise is not None else base.call_timeout,
            budget=exercise.budget if exercise is not None else base.budget,
            memory_bytes=cfg.memory_bytes if cfg is not None else base.memory_bytes,
            output_limit=cfg.output_limit if cfg is not None else base.output_limit,
            file_bytes=cfg.file_bytes if cfg is not None else base.file_bytes,
        )


@dataclass(frozen=True)
class Culprit:
    """The earlier call a ``not-run`` call was skipped because of.

    Attributes:
        relation: ``"group"``: it stopped the process, and the rest of its group was
            skipped; ``"needs"``: the skipped call needs its result (a ``Ref``).
        function: what the earlier call ran (the student's function or class).
        test: the name of the test the earlier call belongs to.
        case: its case label, or ``None`` when that test is hidden.
        error: why it produced no value; ``None`` when it did produce one (then its
            result was unavailable later: too few items, or a failed re-run).
        seconds: how long it ran (see :func:`call_error_text`).
    """

    relation: Literal["group", "needs"]
    function: str
    test: str
    case: Text | None
    error: CallError | None
    seconds: float = 0.0


# -- small pieces --------------------------------------------------------------------

_UNITS = ((1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB"))


def size_text(n: int) -> Text:
    """``8388608`` → ``8 MiB``; below 1 KiB, ``512 bytes`` / ``512바이트``."""
    for unit, name in _UNITS:
        if n >= unit:
            value = n / unit
            shown = f"{value:g}" if value == round(value, 1) else f"{value:.1f}"
            return Text.same(f"{shown} {name}")
    return msg("size.bytes", n=n)


_SIGNAL_TOKEN = re.compile(r"\bSIG[A-Z0-9]+\b")


def signal_in(message: str) -> str | None:
    """The name of a real signal mentioned in ``message`` (``"SIGSEGV"``), if any.

    Only a token that :class:`signal.Signals` knows is accepted, so a reworded or
    forged message yields ``None`` (and a less specific, still correct, sentence).
    """
    for token in _SIGNAL_TOKEN.findall(message):
        if token in signal.Signals.__members__:
            return str(token)
    return None


def _signal_reason(name: str) -> Text:
    key = f"signal.{name}"
    return msg(key) if key in MESSAGES else msg("signal.other")


def returns_text(returns: Returns | None) -> Text:
    """What a call with this :data:`~grader.sandbox.plan.Returns` rule must return."""
    if isinstance(returns, tuple):
        return msg("returns.tuple", n=len(returns))
    key = f"returns.{returns or 'array'}"
    return msg(key) if key in MESSAGES else msg("returns.array")


def _timeout_key(seconds: float | None, limits: Limits) -> Literal["call", "budget", "unreached",
                                                                   "either"]:
    """Which limit a timed-out call hit, from how long it ran."""
    if seconds is None:
        return "either"
    if seconds <= 0.0:
        return "unreached"
    if limits.call_timeout <= limits.budget and seconds >= limits.call_timeout * 0.999:
        return "call"
    return "budget"


def reason_text(error: CallError | None, seconds: float | None, limits: Limits) -> Text:
    """A short clause for why an earlier call stopped (``"did not finish within 10 s"``).

    The Korean side is a connective form (``"10초 안에 끝나지 않아"``) that the
    ``grade.not-run-*`` sentences continue.
    """
    if error is None:
        return msg("reason.crashed")
    kind = error.kind
    if kind == "timeout":
        if error.type == CPU_TIME:
            return msg("reason.cpu-time")
        which = _timeout_key(seconds, limits)
        if which == "call":
            return msg("reason.timeout", limit=limits.call_timeout)
        if which == "either":
            return msg("reason.timeout-either")
        return msg("reason.budget", budget=limits.budget)
    if kind == "crashed":
        sig = signal_in(error.message)
        return msg("reason.crashed-signal", signal=sig) if sig else msg("reason.crashed")
    if kind == "output-limit":
        return msg("reason.output-limit", limit=size_text(limits.output_limit))
    if kind == "exception":
        return msg("reason.exception", type=error.type or "Exception")
    key = f"reason.{kind}"
    return msg(key) if key in MESSAGES else msg("reason.crashed")


def _which(culprit: Culprit) -> Text:
    if culprit.case is None:
        return msg("grade.which-hidden", test=culprit.test)
    return msg("grade.which-case", case=culprit.case, test=culprit.test)


# -- the two public translations -------------------------------------------------------


def call_error_text(
    error: CallError,
    *,
    function: str,
    file: str,
    limits: Limits,
    seconds: float | None = None,
    hidden: bool = False,
    culprit: Culprit | None = None,
    returns: Returns | None = None,
) -> Text:
    """What the student reads when a call of ``function`` produced no value.

    Args:
        error: the sandbox's report.
        function: the student's function the call ran (for a probe, the function
            the test judges).
        file: the student's file name, for line references.
        limits: the limits the evaluation ran under.
        seconds: the outcome's wall time (``Outcome.seconds``); ``None`` if unknown.
        hidden: the call belongs to a hidden test: no exception message (it may
            show the input), no case label.
        culprit: for ``not-run``, the earlier call it was skipped because of.
        returns: the call's ``returns`` rule, for ``bad-output``.
    """
    where = msg("grade.where-line", line=error.lineno, file=file) if error.lineno else _NO_TEXT
    kind = error.kind
    if kind == "missing":
        return msg("grade.missing", function=error.message or function, file=file)
    if kind == "exception":
        if hidden:
            return msg("grade.exception-hidden", function=function, type=error.type, where=where)
        if not error.message:
            return msg("grade.exception-bare", function=function, type=error.type, where=where)
        return msg("grade.exception", function=function, type=error.type, message=error.message,
                   where=where)
    if kind == "memory":
        limit = size_text(limits.memory_bytes)
        if error.type:  # a MemoryError the code raised (the process lived on)
            if hidden:
                return msg("grade.memory-raised-hidden", function=function, type=error.type,
                           where=where, limit=limit)
            if error.message in ("", _MEMORY_PLACEHOLDER):
                return msg("grade.memory-raised-bare", function=function, type=error.type,
                           where=where, limit=limit)
            return msg("grade.memory-raised", function=function, type=error.type,
                       message=error.message, where=where, limit=limit)
        return msg("grade.memory", function=function, limit=limit)
    if kind == "timeout":
        if error.type == CPU_TIME:
            return msg("grade.timeout-cpu", function=function)
        which = _timeout_key(seconds, limits)
        if which == "call":
            return msg("grade.timeout", function=function, limit=limits.call_timeout)
        if which == "budget":
            return msg("grade.timeout-budget", function=function, budget=limits.budget)
        if which == "unreached":
            return msg("grade.timeout-unreached", function=function, budget=limits.budget)
        return msg("grade.timeout-either", function=function, limit=limits.call_timeout,
                   budget=limits.budget)
    if kind == "output-limit":
        return msg("grade.output-limit", function=function, limit=size_text(limits.output_limit))
    if kind == "crashed":
        sig = signal_in(error.message)
        if sig == "SIGXFSZ":
            return msg("grade.file-too-large", function=function,
                       limit=size_text(limits.file_bytes))
        if sig is not None:
            return msg("grade.crashed-signal", function=function, signal=sig,
                       reason=_signal_reason(sig))
        return msg("grade.crashed", function=function)
    if kind == "not-run":
        return _not_run_text(function, culprit, limits)
    # "bad-output", and any kind this version does not know: the parent knows what the
    # call should have returned; the sandbox's detail says what it got.
    detail = error.message.rstrip(".") or error.kind
    return msg("grade.bad-output-returns", function=function, expected=returns_text(returns),
               detail=Text(detail, error.message_ko.rstrip(".") or detail))


def _not_run_text(function: str, culprit: Culprit | None, limits: Limits) -> Text:
    if culprit is None:
        return msg("grade.not-run", function=function)
    fields: dict[str, Any] = dict(function=function, culprit=culprit.function,
                                  which=_which(culprit))
    if culprit.relation == "group":
        return msg("grade.not-run-group", reason=reason_text(culprit.error, culprit.seconds,
                                                              limits), **fields)
    if culprit.error is None:
        return msg("grade.not-run-unavailable", **fields)
    return msg("grade.not-run-needs", reason=reason_text(culprit.error, culprit.seconds, limits),
               **fields)


#: ``LoadFailure.type`` values the sandbox itself makes (never with a line number)
_SANDBOX_LOAD_TYPES = frozenset(
    {"Timeout", "CPUTime", "MemoryError", "OutputLimit", "BadOutput", "Crashed",
     "SourceTooLarge"})
_SYNTAX = frozenset({"SyntaxError", "IndentationError", "TabError"})


def load_failure_text(failure: LoadFailure, *, file: str, limits: Limits) -> Text:
    """What the student reads when their module could not be loaded at all."""
    if failure.type in _SYNTAX:
        return msg("grade.load-syntax", file=file, line=failure.lineno or "?",
                   message=failure.message)
    if failure.type == "MemoryError" and not failure.message:
        return msg("grade.load-memory", file=file, limit=size_text(limits.memory_bytes))
    if failure.lineno is None and failure.type in _SANDBOX_LOAD_TYPES:
        if failure.type == "Timeout":
            return msg("grade.load-timeout", file=file, limit=limits.call_timeout,
                       budget=limits.budget)
        if failure.type == "CPUTime":
            return msg("grade.load-cpu-time", file=file)
        if failure.type == "MemoryError":
            return msg("grade.load-memory", file=file, limit=size_text(limits.memory_bytes))
        if failure.type == "OutputLimit":
            return msg("grade.load-output-limit", file=file,
                       limit=size_text(limits.output_limit))
        if failure.type == "SourceTooLarge":
            return msg("grade.load-too-large", file=file, limit=f"{limits.source_chars:,}")
        if failure.type == "BadOutput":
            return msg("grade.load-unreadable", file=file)
        sig = signal_in(failure.message)
        if sig == "SIGXFSZ":
            return msg("grade.load-file-too-large", file=file, limit=size_text(limits.file_bytes))
        if sig is not None:
            return msg("grade.load-crashed-signal", file=file, signal=sig,
                       reason=_signal_reason(sig))
        return msg("grade.load-crashed", file=file)
    where = msg("grade.where-line", line=failure.lineno, file=file) if failure.lineno else _NO_TEXT
    if not failure.message:
        return msg("grade.load-exception-bare", file=file, type=failure.type, where=where)
    return msg("grade.load-exception", file=file, type=failure.type, message=failure.message,
               where=where)
