"""One submission graded the fresh-process way: a new ``pytest`` per submission.

This is the baseline of ``bench/grade_latency.py``: what a GitHub-Classroom-style
grader pays (a fresh interpreter, torch and the test framework imported for every
submission), running *the same checks* as gradwell — the same plan, the same trusted
expected values, the same judges — in-process, with no sandbox at all (so the
baseline is, if anything, flattered).

Environment: ``GRADWELL_BENCH_EXERCISE`` (an exercise id), ``GRADWELL_BENCH_SUBMISSION``
(the file), ``GRADWELL_BENCH_OUT`` (where the score is written as JSON, so the
benchmark can check that both ways agree).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

from grader import engine, exercise
from grader.sandbox import runner
from grader.sandbox.plan import Outcome

EXERCISE = exercise.get(os.environ["GRADWELL_BENCH_EXERCISE"])
SOURCE = Path(os.environ["GRADWELL_BENCH_SUBMISSION"]).read_text(encoding="utf-8")
PLAN = engine.plan_for(EXERCISE)
SCORES: dict[str, float] = {}


@pytest.fixture(scope="module", autouse=True)
def report() -> Iterator[None]:
    yield
    Path(os.environ["GRADWELL_BENCH_OUT"]).write_text(
        json.dumps({"score": round(sum(SCORES.values()), 6), "tests": SCORES}), encoding="utf-8")


@pytest.fixture(scope="module")
def outcomes() -> Mapping[str, Outcome] | None:
    tripwires = runner.Tripwires(EXERCISE.rules)
    tripwires.install()
    module = runner.load_module(SOURCE, EXERCISE.module_name, EXERCISE.file)
    if isinstance(module, runner.LoadFailure):
        return None
    return runner.execute(module, PLAN.calls, tripwires=tripwires)


@pytest.mark.parametrize("planned", PLAN.tests, ids=[t.spec.name for t in PLAN.tests])
def test_check(planned: engine.PlannedTest, outcomes: Mapping[str, Outcome] | None) -> None:
    SCORES[planned.spec.name] = 0.0
    assert outcomes is not None, "the submission does not load"
    expected = engine.trusted_runs.expected(PLAN)
    result = engine._judge(EXERCISE, PLAN, planned, outcomes, expected)
    SCORES[planned.spec.name] = result.score
    assert result.score == result.max_score, result.output.en
