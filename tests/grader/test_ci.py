"""``gradwell ci``: reports written, the step summary appended, exit codes by pass mark."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from cli_fakes import fake_grade, fakes_fixture  # noqa: F401  (the `fakes` fixture)
from click.testing import CliRunner

from grader.ci import CiError, run_ci
from grader.cli import main

GOOD = (
    "import numpy as np\n\ndef sigmoid(x):\n    return 1 / (1 + np.exp(-x))\n\n"
    "def relu(x):\n    return x\n"
)
BROKEN = GOOD.replace("def sigmoid(x):\n", "def sigmoid(x):\n    # BROKEN-SIGMOID\n")  # 3 / 5
NO_RELU = GOOD.replace("def relu", "def not_relu")  # 4 / 5


def repo(tmp_path: Path, source: str | bytes) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    path = root / "activations.py"
    if isinstance(source, bytes):
        path.write_bytes(source)
    else:
        path.write_text(source, encoding="utf-8")
    return root


def ci(*args: str, env: dict[str, str] | None = None) -> Any:
    return CliRunner().invoke(main, ["ci", *args], env=env)


def test_passing_repository(fakes: object, tmp_path: Path) -> None:
    root = repo(tmp_path, GOOD)
    summary_file = tmp_path / "step-summary.md"
    summary_file.write_text("earlier step\n", encoding="utf-8")
    result = ci(str(root), env={"GITHUB_STEP_SUMMARY": str(summary_file)})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "Total: 5 / 5 (100.0%)" in lines
    assert lines[-2:] == [
        f"Wrote {root / 'gradwell-junit.xml'} and {root / 'gradwell-summary.md'}.",
        "Every exercise reached its pass mark.",
    ]
    summary = (root / "gradwell-summary.md").read_text(encoding="utf-8")
    assert "| activations | 5 / 5 (100.0%) | 60% | ✅ pass |" in summary.splitlines()
    assert summary_file.read_text(encoding="utf-8") == "earlier step\n" + summary + "\n"
    junit = ET.parse(root / "gradwell-junit.xml").getroot()
    assert [s.get("name") for s in junit.iter("testsuite")] == ["gradwell.activations"]
    assert junit.get("tests") == "3" and junit.get("failures") == "0"


@pytest.mark.parametrize(("source", "args", "code"), [
    (BROKEN, [], 0),                       # 60 % reaches the exercise's pass mark 0.6
    (BROKEN, ["--pass-mark", "0.61"], 1),  # ... but not 61 %
    (NO_RELU, ["--pass-mark", "0.8"], 0),
    (NO_RELU, ["--pass-mark", "1"], 1),
    ("# SYNTAX\n", [], 1),
])
def test_exit_code_follows_the_pass_mark(fakes: object, tmp_path: Path, source: str,
                                         args: list[str], code: int) -> None:
    root = repo(tmp_path, source)
    result = ci(str(root), *args)
    assert result.exit_code == code, result.output
    last = result.stdout.splitlines()[-1]
    assert last == ("Every exercise reached its pass mark." if code == 0
                    else "Below the pass mark: activations.")


def test_exercise_pass_mark_is_used(fakes: dict[str, Any], tmp_path: Path) -> None:
    from dataclasses import replace

    strict = {**fakes, "activations": replace(fakes["activations"], pass_mark=0.9)}
    report = run_ci(repo(tmp_path, NO_RELU), strict, grade=fake_grade, env={})
    assert [(o.exercise.id, o.pass_mark, o.passed) for o in report.outcomes] == [
        ("activations", 0.9, False)]
    assert not report.passed and report.failed_ids == ["activations"]


def test_unreadable_student_file_is_graded_zero(fakes: object, tmp_path: Path) -> None:
    root = repo(tmp_path, b"\xff\xfe")
    result = ci(str(root), "--lang", "ko", "--out-dir", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-1] == "통과 기준 미달: activations."
    root_xml = ET.parse(tmp_path / "out" / "gradwell-junit.xml").getroot()
    assert root_xml.get("errors") == "3"
    error = root_xml.find("testsuite/testcase/error")
    assert error is not None
    assert error.text == (
        f"{root / 'activations.py'}은(는) UTF-8 텍스트가 아닙니다 (0번째 바이트). "
        "UTF-8로 저장한 뒤 다시 시도하세요.")
    assert not (root / "gradwell-junit.xml").exists()


def test_no_exercise_file_is_a_usage_error(fakes: object, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = ci(str(tmp_path / "empty"))
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: no exercise file found in {tmp_path / 'empty'}. "
        "Expected one of: activations.py.\n")
    with pytest.raises(CiError):
        run_ci(tmp_path / "empty", fakes, grade=fake_grade, env={})  # type: ignore[arg-type]


def test_grader_error_is_one_line(fakes: object, tmp_path: Path) -> None:
    result = ci(str(repo(tmp_path, "# CRASH\n")))
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: the grader failed (RuntimeError: sandbox pool is gone). This is a fault of "
        "gradwell, not of the submission: rerun with GRADWELL_DEBUG=1 to see the traceback, "
        "and report it.\n")


def test_student_text_cannot_issue_workflow_commands(fakes: object, tmp_path: Path) -> None:
    root = repo(tmp_path, GOOD)
    result = ci(str(root), env={"GITHUB_ACTIONS": "true"})
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.startswith("::stop-commands::"))
    token = lines[start].removeprefix("::stop-commands::")
    assert len(token) == 32
    end = lines.index(f"::{token}::")
    assert any("Total: 5 / 5" in ln for ln in lines[start:end])
    assert "::" not in "".join(lines[:start] + lines[end + 1:])
    plain = ci(str(root), env={"GITHUB_ACTIONS": ""})
    assert "::stop-commands::" not in plain.stdout


def test_default_path_is_the_current_directory(fakes: object, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo(tmp_path, GOOD))
    result = ci()
    assert result.exit_code == 0
    assert Path("gradwell-junit.xml").is_file() and Path("gradwell-summary.md").is_file()
