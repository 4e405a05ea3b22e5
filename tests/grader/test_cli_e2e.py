"""End to end: the real exercises, the real engine and sandbox, through the CLI.

Slow-ish (the sandbox starts once per test process, then each grading is ~1 s), so only
one exercise is graded here; ``exercises check`` over every exercise is marked slow.
"""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from cli_fakes import assert_no_leaks
from click.testing import CliRunner

from grader import exercise as exercises
from grader.cli import main
from grader.schemas import gradescope_results_schema

EXERCISE = "activations"


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("GRADWELL_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "GITHUB_STEP_SUMMARY"):
        monkeypatch.delenv(var, raising=False)


def invoke(*args: str) -> Any:
    return CliRunner().invoke(main, list(args))


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_reference_gets_full_marks_as_json(tmp_path: Path) -> None:
    ex = exercises.get(EXERCISE)
    result = invoke("grade", write(tmp_path, ex.file, ex.reference_source()),
                    "--exercise", EXERCISE, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    jsonschema.validate(data, gradescope_results_schema())
    assert data["status"] == "graded"
    assert data["score"] == data["max_score"] == ex.max_score
    assert [t["name"] for t in data["tests"]] == [t.name for t in ex.tests]
    assert {t["status"] for t in data["tests"]} == {"passed"}


def test_a_mutant_is_named_in_junit_and_gradescope(tmp_path: Path) -> None:
    ex = exercises.get(EXERCISE)
    spec = ex.misconceptions[0]
    source = ex.reference_source() + "\n\n" + spec.mutant.read_text(encoding="utf-8")
    path = write(tmp_path, ex.file, source)
    out = tmp_path / "junit.xml"
    junit = invoke("grade", path, "--exercise", EXERCISE, "--format", "junit", "--out", str(out))
    assert junit.exit_code == 0, junit.output
    cases = list(ET.parse(out).getroot().iter("testcase"))
    assert len(cases) == len(ex.tests)
    failed = [c for c in cases if c.find("failure") is not None]
    assert failed and all(c.get("name", "").startswith(spec.function) for c in failed)
    assert any(spec.id in (c.find("failure").get("type") or "") for c in failed)  # type: ignore[union-attr]
    gs = invoke("grade", path, "--exercise", EXERCISE, "--format", "gradescope", "--lang", "ko")
    data = json.loads(gs.stdout)
    jsonschema.validate(data, gradescope_results_schema())
    assert spec.id in data["extra_data"]["misconceptions"]
    tagged = [t for t in data["tests"] if spec.id in t["tags"]]
    assert tagged and all(t["status"] == "failed" for t in tagged)
    assert all(f"예상되는 오개념 [{spec.id}]" in t["output"] for t in tagged)


def test_starter_repository_round_trip(tmp_path: Path) -> None:
    """Export, solve one exercise with the reference, and let `gradwell ci` judge it."""
    repo = tmp_path / "repo"
    exported = invoke("starter", "export", str(repo))
    assert exported.exit_code == 0, exported.output
    all_exercises = exercises.load_all()
    code = [ex for ex in all_exercises.values() if ex.kind == "code"]
    assert sorted(p.name for p in repo.glob("*.py")) == sorted(ex.file for ex in code)
    # no line of any reference's function bodies, no mutant, no catalogue is exported
    assert_no_leaks(repo, dict(all_exercises))
    ex = all_exercises[EXERCISE]
    for p in repo.glob("*.py"):
        if p.name != ex.file:
            p.unlink()
    starter = invoke("ci", str(repo))
    assert starter.exit_code == 1, starter.output
    assert starter.stdout.splitlines()[-1] == f"Below the pass mark: {EXERCISE}."
    (repo / ex.file).write_text(ex.reference_source(), encoding="utf-8")
    solved = invoke("ci", str(repo))
    assert solved.exit_code == 0, solved.output
    summary = (repo / "gradwell-summary.md").read_text(encoding="utf-8")
    assert f"| {EXERCISE} | {ex.max_score:g} / {ex.max_score:g} (100.0%) |" in summary
    shutil.rmtree(repo)


@pytest.mark.slow
def test_exercises_check_every_exercise() -> None:
    result = invoke("exercises", "check")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1].startswith("All ")
