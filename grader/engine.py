"""Grade one submission: plan, evaluate in the sandbox, judge, diagnose.

The path of a submission (design.md)::

    plan_for(exercise)            seeded cases -> calls           (parent, cached)
    sandbox.evaluate(calls)       the student's values            (child, untrusted)
    trusted_runs.expected(...)    the reference's values          (parent, cached)
    check.judge(...)              points and feedback             (parent)
    diagnose(...)                 the mutants the student matches (parent)

Nothing that decides a score runs in the child; the child never sees a seed, an
expected value or the reference.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from grader import exercise as exercises
from grader.cases import Cases, case_seed
from grader.checks.base import Check, Judging
from grader.diagnose import diagnose
from grader.exercise import Exercise, MisconceptionSpec, TestSpec
from grader.i18n import Text, msg
from grader.result import Result, TestResult
from grader.sandbox.plan import Call, Outcome
from grader.sandbox.runner import LoadFailure, execute, load_module

if TYPE_CHECKING:
    from grader.sandbox import Sandbox

__all__ = ["Plan", "PlannedTest", "grade", "plan_for", "trusted_runs"]


@dataclass(frozen=True)
class PlannedTest:
    spec: TestSpec
    check: Check
    calls: tuple[Call, ...]
    labels: Mapping[str, str]


@dataclass(frozen=True)
class Plan:
    exercise: Exercise
    tests: tuple[PlannedTest, ...]

    @property
    def calls(self) -> tuple[Call, ...]:
        return tuple(c for t in self.tests for c in t.calls)


def check_for(exercise: Exercise, spec: TestSpec) -> Check:
    from grader.suites import SUITES

    return SUITES[exercise.suite].CHECKS[spec.function][spec.check]  # type: ignore[no-any-return]


_plans: dict[tuple[int, int], Plan] = {}
_plans_lock = threading.Lock()


def plan_for(exercise: Exercise) -> Plan:
    """The calls of every test of ``exercise`` (cached; deterministic for a secret)."""
    key = (id(exercise), case_seed(exercise.id, ""))
    with _plans_lock:
        plan = _plans.get(key)
        if plan is None or plan.exercise is not exercise:
            plan = _plans[key] = _build_plan(exercise)
        return plan


def _build_plan(exercise: Exercise) -> Plan:
    tests = []
    for index, spec in enumerate(exercise.tests):
        check = check_for(exercise, spec)
        pairs = check.calls(spec, Cases(case_seed(exercise.id, spec.name)))
        calls, labels = [], {}
        for label, call in pairs:
            renamed = _prefixed(call, f"t{index}.")
            calls.append(renamed)
            labels[renamed.id] = label
        tests.append(PlannedTest(spec, check, tuple(calls), labels))
    return Plan(exercise, tuple(tests))


def _prefixed(call: Call, prefix: str) -> Call:
    from dataclasses import replace

    from grader.sandbox.plan import Ref

    def fix(arg: object) -> object:
        if isinstance(arg, Ref):
            return Ref(prefix + arg.call_id, arg.index)
        if isinstance(arg, tuple):
            return tuple(fix(a) for a in arg)
        if isinstance(arg, list):
            return [fix(a) for a in arg]
        return arg

    return replace(
        call,
        id=prefix + call.id,
        args=tuple(fix(a) for a in call.args),  # type: ignore[misc]
        kwargs={k: fix(v) for k, v in call.kwargs.items()},  # type: ignore[misc]
        group=call.group or call.target,
    )


class TrustedRuns:
    """The plan run in-process on the reference and on each mutant (cached).

    These modules are ours, so they run in the parent, where they are never visible
    to a student's process.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cache: dict[tuple[str, str, int], Mapping[str, Outcome]] = {}

    def expected(self, plan: Plan) -> Mapping[str, Outcome]:
        ex = plan.exercise
        return self._run(plan, "reference", lambda: ex.reference_source())

    def mutant(self, plan: Plan, spec: MisconceptionSpec) -> Mapping[str, Outcome]:
        ex = plan.exercise
        return self._run(
            plan, spec.id,
            lambda: ex.reference_source() + "\n\n" + spec.mutant.read_text(encoding="utf-8"),
        )

    def _run(self, plan: Plan, which: str, source: object) -> Mapping[str, Outcome]:
        key = (plan.exercise.id, which, id(plan))
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None:
                return hit
            module = load_module(
                source(),  # type: ignore[operator]
                f"_gradwell_{which.replace('-', '_')}_{plan.exercise.id}",
                f"<{which}:{plan.exercise.file}>",
            )
            if isinstance(module, LoadFailure):
                raise RuntimeError(
                    f"trusted module {which!r} of {plan.exercise.id} does not load: "
                    f"{module.type}: {module.message} (line {module.lineno})"
                )
            outcomes = execute(module, plan.calls)
            self._cache[key] = outcomes
            return outcomes


trusted_runs = TrustedRuns()


def grade(
    exercise_id: str, source: str, *, sandbox: Sandbox | None = None,
) -> Result:
    """Grade ``source`` as a submission of the code exercise ``exercise_id``.

    Raises :class:`grader.exercise.ExerciseError` for an unknown exercise (a usage
    error); anything the submission does becomes a failed test, never an exception.
    """
    from grader.sandbox import EvalRequest, default_sandbox

    started = time.perf_counter()
    ex = exercises.get(exercise_id)
    if ex.kind != "code":
        raise exercises.ExerciseError(msg("exercise.unknown-exercise", id=exercise_id, known=", ".join(
            e.id for e in exercises.load_all().values() if e.kind == "code")))
    plan = plan_for(ex)
    expected = trusted_runs.expected(plan)
    early = _EarlyJudge(ex, plan, expected)
    evaluation = (sandbox or default_sandbox()).evaluate(EvalRequest(
        source=source, filename=ex.file, module_name=ex.module_name, calls=plan.calls,
        rules=ex.rules, call_timeout=ex.call_timeout, budget=ex.budget,
    ), on_outcome=early.add)
    if evaluation.load_failure is not None:
        return _ungradable(ex, evaluation.load_failure, time.perf_counter() - started,
                           evaluation.stdout)
    results = [
        early.results.get(index) or _judge(ex, plan, planned, evaluation.outcomes, expected)
        for index, planned in enumerate(plan.tests)
    ]
    return Result(ex.id, tuple(results), time.perf_counter() - started, stdout=evaluation.stdout)


class _EarlyJudge:
    """Judges each test as soon as the child has sent all of its outcomes, so the
    parent's judging overlaps the child's running (the child streams outcomes)."""

    def __init__(self, ex: Exercise, plan: Plan, expected: Mapping[str, Outcome]) -> None:
        self.ex, self.plan, self.expected = ex, plan, expected
        self.outcomes: dict[str, Outcome] = {}
        self.missing = [len(t.calls) for t in plan.tests]
        self.test_of = {c.id: i for i, t in enumerate(plan.tests) for c in t.calls}
        self.results: dict[int, TestResult] = {}

    def add(self, call_id: str, outcome: Outcome) -> None:
        self.outcomes[call_id] = outcome
        index = self.test_of[call_id]
        self.missing[index] -= 1
        if self.missing[index] == 0:
            planned = self.plan.tests[index]
            self.results[index] = _judge(self.ex, self.plan, planned, self.outcomes,
                                         self.expected)


def _judge(
    ex: Exercise, plan: Plan, planned: PlannedTest,
    student: Mapping[str, Outcome], expected: Mapping[str, Outcome],
) -> TestResult:
    j = Judging(
        spec=planned.spec, file=ex.file, calls=planned.calls, labels=planned.labels,
        student={c.id: student[c.id] for c in planned.calls},
        expected={c.id: expected[c.id] for c in planned.calls},
    )
    verdict = planned.check.judge(j)
    found = ()
    if verdict.fraction < 1.0 and verdict.diagnosable:
        found = diagnose(ex, planned.check, j, lambda _ex, spec: trusted_runs.mutant(plan, spec))
    return TestResult(
        name=planned.spec.name,
        function=planned.spec.function,
        score=round(planned.spec.points * max(0.0, min(1.0, verdict.fraction)), 6),
        max_score=planned.spec.points,
        output=verdict.output,
        visibility=planned.spec.visibility,
        misconceptions=found,
        advice=verdict.advice,
        extra=verdict.extra,
    )


def _ungradable(ex: Exercise, failure: LoadFailure, seconds: float, stdout: str) -> Result:
    where = msg("grade.where-line", line=failure.lineno, file=ex.file) if failure.lineno else Text("", "")
    if failure.type in ("SyntaxError", "IndentationError", "TabError"):
        message = msg("grade.load-syntax", file=ex.file, line=failure.lineno or "?",
                      message=failure.message)
    else:
        message = Text(
            msg("grade.load-exception", file=ex.file, type=failure.type, message=failure.message,
                where=where.en).en,
            msg("grade.load-exception", file=ex.file, type=failure.type, message=failure.message,
                where=where.ko).ko,
        )
    tests = tuple(
        TestResult(name=t.name, function=t.function, score=0.0, max_score=t.points,
                   output=message, visibility=t.visibility)
        for t in ex.tests
    )
    return Result(ex.id, tests, seconds, status="ungradable", messages=(message,), stdout=stdout)
