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
from functools import cached_property
from typing import TYPE_CHECKING

from grader import exercise as exercises
from grader.cases import Cases, case_seed
from grader.checks.base import Check, Judging
from grader.diagnose import diagnose
from grader.errors_text import Culprit, Limits, load_failure_text
from grader.exercise import Exercise, MisconceptionSpec, TestSpec
from grader.i18n import Text, msg
from grader.result import Misconception, Result, TestResult
from grader.sandbox.plan import Call, Outcome, Ref
from grader.sandbox.runner import LoadFailure, execute, load_module

if TYPE_CHECKING:
    from grader.sandbox import Sandbox

__all__ = ["Plan", "PlannedTest", "grade", "plan_for", "trusted_runs"]


@dataclass(frozen=True)
class PlannedTest:
    spec: TestSpec
    check: Check
    calls: tuple[Call, ...]
    labels: Mapping[str, Text]


@dataclass(frozen=True)
class Plan:
    exercise: Exercise
    tests: tuple[PlannedTest, ...]

    @property
    def calls(self) -> tuple[Call, ...]:
        return tuple(c for t in self.tests for c in t.calls)

    @cached_property
    def placed(self) -> Mapping[str, tuple[int, PlannedTest, Call]]:
        """Call id -> (position in :attr:`calls`, its test, the call)."""
        out: dict[str, tuple[int, PlannedTest, Call]] = {}
        for t in self.tests:
            for c in t.calls:
                out[c.id] = (len(out), t, c)
        return out


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
        code = ", ".join(e.id for e in exercises.load_all().values() if e.kind == "code")
        raise exercises.ExerciseError(msg("exercise.unknown-exercise", id=exercise_id,
                                          known=code))
    plan = plan_for(ex)
    expected = trusted_runs.expected(plan)
    box = sandbox or default_sandbox()
    limits = Limits.of(ex, getattr(box, "config", None))
    early = _EarlyJudge(ex, plan, expected, limits)
    evaluation = box.evaluate(EvalRequest(
        source=source, filename=ex.file, module_name=ex.module_name, calls=plan.calls,
        rules=ex.rules, call_timeout=ex.call_timeout, budget=ex.budget,
    ), on_outcome=early.add)
    if evaluation.load_failure is not None:
        return _ungradable(ex, evaluation.load_failure, time.perf_counter() - started,
                           evaluation.stdout, limits)
    results = [
        early.results.get(index)
        or _judge(ex, plan, planned, evaluation.outcomes, expected, limits)
        for index, planned in enumerate(plan.tests)
    ]
    return Result(ex.id, tuple(results), time.perf_counter() - started, stdout=evaluation.stdout)


class _EarlyJudge:
    """Judges each test as soon as the child has sent all of its outcomes, so the
    parent's judging overlaps the child's running (the child streams outcomes)."""

    def __init__(self, ex: Exercise, plan: Plan, expected: Mapping[str, Outcome],
                 limits: Limits) -> None:
        self.ex, self.plan, self.expected, self.limits = ex, plan, expected, limits
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
                                         self.expected, self.limits)


def _judge(
    ex: Exercise, plan: Plan, planned: PlannedTest,
    student: Mapping[str, Outcome], expected: Mapping[str, Outcome],
    limits: Limits | None = None,
) -> TestResult:
    j = Judging(
        spec=planned.spec, file=ex.file, calls=planned.calls, labels=planned.labels,
        student={c.id: student[c.id] for c in planned.calls},
        expected={c.id: expected[c.id] for c in planned.calls},
        limits=limits or Limits.of(ex),
        culprits=_culprits(plan, planned, student),
    )
    verdict = planned.check.judge(j)
    found: tuple[Misconception, ...] = ()
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


def _culprits(plan: Plan, planned: PlannedTest,
              outcomes: Mapping[str, Outcome]) -> dict[str, Culprit]:
    """For each ``not-run`` call of ``planned``, the earlier call it was skipped because of.

    Found from the plan and the other outcomes, never from error messages:

    1. a call whose result it needs (a :class:`Ref`) that produced no value;
    2. else the last earlier call of its group (plan order is run order) whose error is
       one that stops the process — the sandbox then skips the rest of the group;
    3. else a call whose result it needs that did produce a value (unavailable later:
       too few items, or a re-run in a fresh process that failed).
    """
    out: dict[str, Culprit] = {}
    for call in planned.calls:
        outcome = outcomes.get(call.id)
        if outcome is None or outcome.error is None or outcome.error.kind != "not-run":
            continue
        needed = [plan.placed[r] for r in _refs(call) if r in plan.placed and r in outcomes]
        failed = [p for p in needed if outcomes[p[2].id].error is not None]
        if failed:
            out[call.id] = _culprit("needs", plan, failed[0][2], outcomes)
            continue
        stopper = _group_stopper(plan, call, outcomes)
        if stopper is not None:
            out[call.id] = _culprit("group", plan, stopper, outcomes)
        elif needed:
            out[call.id] = _culprit("needs", plan, needed[0][2], outcomes)
    return out


#: errors with which the sandbox stops a child (and skips the rest of the group)
_STOPPING = ("timeout", "memory", "crashed", "output-limit", "bad-output")


def _group_stopper(plan: Plan, call: Call, outcomes: Mapping[str, Outcome]) -> Call | None:
    position = plan.placed[call.id][0]
    found = None
    for other in plan.calls[:position]:
        err = outcomes[other.id].error if other.id in outcomes else None
        if (err is not None and other.group_key == call.group_key and err.kind in _STOPPING
                and not (err.kind == "memory" and err.type)):  # a MemoryError: it lived on
            found = other
    return found


def _culprit(relation: str, plan: Plan, call: Call, outcomes: Mapping[str, Outcome]) -> Culprit:
    test = plan.placed[call.id][1]
    outcome = outcomes[call.id]
    return Culprit(
        relation="group" if relation == "group" else "needs",
        function=test.spec.function if call.target.startswith("probe:") else call.target,
        test=test.spec.name,
        case=None if test.spec.visibility == "hidden" else test.labels[call.id],
        error=outcome.error,
        seconds=outcome.seconds,
    )


def _refs(call: Call) -> list[str]:
    found: list[str] = []

    def walk(arg: object) -> None:
        if isinstance(arg, Ref):
            found.append(arg.call_id)
        elif isinstance(arg, (tuple, list)):
            for a in arg:
                walk(a)

    for a in (*call.args, *call.kwargs.values()):
        walk(a)
    return found


def _ungradable(ex: Exercise, failure: LoadFailure, seconds: float, stdout: str,
                limits: Limits | None = None) -> Result:
    message = load_failure_text(failure, file=ex.file, limits=limits or Limits.of(ex))
    tests = tuple(
        TestResult(name=t.name, function=t.function, score=0.0, max_score=t.points,
                   output=message, visibility=t.visibility)
        for t in ex.tests
    )
    return Result(ex.id, tests, seconds, status="ungradable", messages=(message,), stdout=stdout)
