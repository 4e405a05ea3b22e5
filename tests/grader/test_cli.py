"""``gradwell`` through click's CliRunner: exact output, exit codes, one-line errors.

The exercises and the grader are the fakes of ``cli_fakes`` (the real engine is in
``test_cli_e2e.py``); what is checked here is what the user sees of the CLI layer.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import click
import jsonschema
import pytest
from cli_fakes import fake_grade, fakes_fixture  # noqa: F401  (the `fakes` fixture)
from click.testing import CliRunner

import grader.cli
from grader.cli import load_plugins, main
from grader.render.json import for_gradescope
from grader.schemas import gradescope_results_schema

GOOD = (
    "import numpy as np\n\n\ndef sigmoid(x):\n    return 1 / (1 + np.exp(-x))\n\n\n"
    "def relu(x):\n    return np.maximum(x, 0)\n"
)
BROKEN = GOOD.replace("def sigmoid(x):\n", "def sigmoid(x):\n    # BROKEN-SIGMOID\n")


def invoke(*args: str, env: dict[str, str] | None = None) -> Any:
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def submission(tmp_path: Path, text: str = GOOD, name: str = "activations.py") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_version() -> None:
    result = invoke("--version")
    assert result.exit_code == 0
    assert result.stdout == "gradwell 0.1.0\n"


def test_every_option_has_help() -> None:
    def walk(cmd: click.Command) -> list[click.Command]:
        subs = list(cmd.commands.values()) if isinstance(cmd, click.Group) else []
        return [cmd, *(c for s in subs for c in walk(s))]

    for cmd in walk(main):
        assert cmd.help, cmd.name
        for param in cmd.params:
            if isinstance(param, click.Option):
                assert param.help and param.help.endswith("."), (cmd.name, param.name)


def test_help_follows_the_locale() -> None:
    import subprocess
    import sys

    def help_of(lang: str) -> str:
        env = {"PATH": "/usr/bin:/bin", "GRADWELL_LANG": lang}
        return subprocess.run([sys.executable, "-m", "grader.cli", "grade", "--help"],
                              env=env, capture_output=True, text=True, check=True).stdout

    ko, en = help_of("ko"), help_of("en")
    assert "과제 제출물 FILE(-: 표준 입력) 하나를 채점합니다." in ko
    assert "결과를 출력할 형식." in ko
    assert "Grade one submission FILE (-: standard input) of an exercise" in en
    assert "How to print the result." in en


def test_exercises_list(fakes: object) -> None:
    result = invoke("exercises", "list")
    assert result.exit_code == 0
    assert result.stderr == ""
    assert result.stdout == (
        "                                      gradwell exercises\n"
        "\n"
        "  ID               Kind   Title                               File"
        "             Tests   Points\n"
        " " + "─" * 93 + "\n"
        "  activations      code   Activations and their derivatives   activations.py"
        "       3        5\n"
        "  quiz_vanishing   quiz   Vanishing gradients quiz            -"
        "                    -       12\n"
        "\n"
    )


def test_exercises_list_korean_from_the_environment(fakes: object) -> None:
    result = invoke("exercises", "list", env={"GRADWELL_LANG": "ko"})
    lines = result.stdout.splitlines()
    assert lines[0].strip() == "gradwell 과제 목록"
    assert lines[2].split() == ["ID", "종류", "제목", "파일", "검사", "배점"]
    assert lines[4].split() == ["activations", "코드", "활성화", "함수와", "그", "도함수",
                                "activations.py", "3", "5"]


def test_exercises_show(fakes: object) -> None:
    result = invoke("exercises", "show", "activations")
    assert result.exit_code == 0
    assert result.stdout == (
        "activations — Activations and their derivatives (code, 5 points)\n"
        "Submit the file activations.py.\n"
        "\n"
        "# Activations\n"
        "\n"
        "Write `sigmoid`.\n"
        "\n"
        "                       Tests\n"
        "\n"
        "  Test                         Points   Visibility\n"
        " ──────────────────────────────────────────────────\n"
        "  sigmoid: values                   2   visible\n"
        "  sigmoid: stability at ±1e4        2   visible\n"
        "  relu: values                      1   hidden\n"
        "\n"
    )


def test_exercises_show_korean_quiz(fakes: object) -> None:
    result = invoke("exercises", "show", "quiz_vanishing", "--lang", "ko")
    assert result.exit_code == 0
    assert result.stdout == "quiz_vanishing — 기울기 소실 퀴즈 (퀴즈, 12점)\n\n문제에 답하세요.\n"


def test_exercises_show_unknown_is_a_one_line_usage_error(fakes: object) -> None:
    result = invoke("exercises", "show", "nope")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "Error: unknown exercise 'nope'. Use one of: activations, quiz_vanishing.\n")


def test_exercises_check_passes(fakes: object) -> None:
    result = invoke("exercises", "check")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    rows = [ln.split(None, 1) for ln in lines if ln.startswith("  activations")]
    assert [r[1].split("  ")[0] for r in rows] == [
        "reference gets full marks", "misconception sigmoid-overflow is caught"]
    assert "5 / 5" in rows[0][1]
    assert "lost points and tagged on: 'sigmoid: stability at" in rows[1][1]
    assert result.stdout.splitlines()[-1] == "All 2 checks passed."
    assert "Checking the exercises" in result.stderr and "2/2" in result.stderr


@pytest.mark.parametrize(("mutant", "detail"), [
    ("def sigmoid(x):\n    return 1.0 / (1.0 + np.exp(-x))\n",
     "no test of sigmoid lost points"),
    ("def sigmoid(x):\n    # SLOPPY-SIGMOID\n    return 1.0 / (1.0 + np.exp(-x))\n",
     "'sigmoid: stability at ±1e4' lost points but do not carry the tag sigmoid-overflow"),
])
def test_exercises_check_fails_on_an_uncaught_mutant(
    fakes: dict[str, Any], mutant: str, detail: str,
) -> None:
    fakes["activations"].misconceptions[0].mutant.write_text(mutant, encoding="utf-8")
    result = invoke("exercises", "check", "activations")
    assert result.exit_code == 1
    row = next(ln for ln in result.stdout.splitlines() if "sigmoid-overflow is caught" in ln)
    assert row.split()[5] == "FAIL"
    flat = " ".join(result.stdout.split())
    assert " ".join(detail.split()) in flat
    assert result.stdout.splitlines()[-1] == "1 of 2 checks failed."


def test_exercises_check_fails_when_the_reference_loses_points(
    fakes: dict[str, Any], monkeypatch: pytest.MonkeyPatch,
) -> None:
    import grader.engine

    monkeypatch.setattr(grader.engine, "grade", lambda ex, src, **k: fake_grade(
        ex, src.replace("def relu", "def not_relu")))
    result = invoke("exercises", "check", "--lang", "ko")
    assert result.exit_code == 1
    assert "4 / 5; 감점된 검사: 'relu: values'" in " ".join(result.stdout.split())
    assert result.stdout.splitlines()[-1] == "확인 2개 중 1개가 실패했습니다."


def test_exercises_check_rejects_a_quiz(fakes: object) -> None:
    result = invoke("exercises", "check", "quiz_vanishing")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: 'quiz_vanishing' is a quiz, not a code exercise. Use one of: activations.\n")


# -- grade ----------------------------------------------------------------------------


def test_grade_json_is_the_contract_object(fakes: object, tmp_path: Path) -> None:
    result = invoke("grade", submission(tmp_path, BROKEN), "--exercise", "activations",
                    "--format", "json")
    assert result.exit_code == 0
    assert result.stderr == ""
    assert json.loads(result.stdout) == for_gradescope(
        fake_grade("activations", BROKEN).to_dict("en"))
    data = json.loads(result.stdout)
    assert (data["score"], data["max_score"]) == (3.0, 5.0)
    assert data["tests"][1]["status"] == "failed"
    assert data["tests"][1]["tags"] == ["sigmoid-overflow"]
    jsonschema.validate(data, gradescope_results_schema())


def test_grade_gradescope_in_korean_validates(fakes: object, tmp_path: Path) -> None:
    result = invoke("grade", submission(tmp_path, BROKEN), "--exercise", "activations",
                    "--format", "gradescope", "--lang", "ko")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    jsonschema.validate(data, gradescope_results_schema())
    assert data["output"] == "**합계: 3 / 5 (60.0%)**\n\n**오개념:** `sigmoid-overflow`"
    assert data["tests"][1]["output"].startswith(
        "'sigmoid'이(가) inf를 반환했습니다.\n예상되는 오개념 [sigmoid-overflow]")


def test_grade_text(fakes: object, tmp_path: Path) -> None:
    result = invoke("grade", submission(tmp_path, BROKEN), "--exercise", "activations")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].strip() == "gradwell: activations"
    assert lines[-1] == "Total: 3 / 5 (60.0%)"
    assert lines[2].split() == ["Test", "Points", "Feedback", "Misconceptions"]
    assert lines[4].split()[:4] == ["✓", "sigmoid:", "values", "2/2"]
    assert lines[5].split()[:6] == ["✗", "sigmoid:", "stability", "at", "±1e4", "0/2"]
    assert lines[5].split()[-1] == "sigmoid-overflow"


def test_grade_junit_to_a_file(fakes: object, tmp_path: Path) -> None:
    out = tmp_path / "reports" / "junit.xml"
    result = invoke("grade", submission(tmp_path, BROKEN), "--exercise", "activations",
                    "--format", "junit", "--out", str(out))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == f"Wrote {out}.\n"
    root = ET.parse(out).getroot()
    assert [c.get("name") for c in root.iter("testcase")] == [
        "sigmoid: values", "sigmoid: stability at ±1e4", "relu: values"]
    assert root.get("failures") == "1"


def test_grade_markdown(fakes: object, tmp_path: Path) -> None:
    result = invoke("grade", submission(tmp_path, GOOD), "--exercise", "activations",
                    "--format", "markdown")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[:3] == [
        "### gradwell: activations", "", "**Total: 5 / 5 (100.0%)**"]


def test_grade_ungradable_still_exits_0(fakes: object, tmp_path: Path) -> None:
    result = invoke("grade", submission(tmp_path, "# SYNTAX\n"), "--exercise", "activations",
                    "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["status"] == "ungradable" and data["score"] == 0.0


@pytest.mark.parametrize(("args", "message"), [
    (["--exercise", "nope"], "Error: unknown exercise 'nope'. Use one of: activations."),
    (["--exercise", "quiz_vanishing"],
     "Error: 'quiz_vanishing' is a quiz, not a code exercise. Use one of: activations."),
])
def test_grade_unknown_exercise(fakes: object, tmp_path: Path, args: list[str],
                                message: str) -> None:
    result = invoke("grade", submission(tmp_path), *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == message + "\n"


def test_grade_missing_file(fakes: object, tmp_path: Path) -> None:
    missing = tmp_path / "nothing.py"
    result = invoke("grade", str(missing), "--exercise", "activations")
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: cannot read {missing}: No such file or directory. "
        "Check the path and its permissions.\n")


def test_grade_directory_and_korean(fakes: object, tmp_path: Path) -> None:
    result = invoke("grade", str(tmp_path), "--exercise", "activations", "--lang", "ko")
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {tmp_path}을(를) 읽을 수 없습니다: Is a directory. 경로와 권한을 확인하세요.\n")


def test_grade_not_utf8(fakes: object, tmp_path: Path) -> None:
    path = tmp_path / "latin1.py"
    path.write_bytes(b"# caf\xe9\n")
    result = invoke("grade", str(path), "--exercise", "activations")
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {path} is not UTF-8 text (byte 5). Save it with UTF-8 encoding and try again.\n")


def test_grade_grader_error_is_one_line(fakes: object, tmp_path: Path) -> None:
    result = invoke("grade", submission(tmp_path, "# CRASH\n"), "--exercise", "activations")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: the grader failed (RuntimeError: sandbox pool is gone). This is a fault of "
        "gradwell, not of the submission: rerun with GRADWELL_DEBUG=1 to see the traceback, "
        "and report it.\n")
    assert "Traceback" not in result.output


def test_grade_grader_error_traceback_with_debug(fakes: object, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["grade", submission(tmp_path, "# CRASH\n"),
                                       "--exercise", "activations"], env={"GRADWELL_DEBUG": "1"})
    assert result.exit_code == 1
    assert isinstance(result.exception, RuntimeError)
    assert str(result.exception) == "sandbox pool is gone"


def test_grade_reads_standard_input(fakes: object) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["grade", "-", "--exercise", "activations", "--format", "json"],
                           input=BROKEN)
    assert result.exit_code == 0
    assert json.loads(result.stdout) == for_gradescope(
        fake_grade("activations", BROKEN).to_dict("en"))
    bad = runner.invoke(main, ["grade", "-", "--exercise", "activations"], input=b"ok\xff")
    assert bad.exit_code == 2
    assert bad.stderr == (
        "Error: <stdin> is not UTF-8 text (byte 2). Save it with UTF-8 encoding and try again.\n")


def test_grade_requires_exercise(fakes: object, tmp_path: Path) -> None:
    result = invoke("grade", submission(tmp_path))
    assert result.exit_code == 2
    assert "Missing option '--exercise'" in result.stderr


def test_grade_unwritable_out(fakes: object, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = invoke("grade", submission(tmp_path), "--exercise", "activations",
                    "--out", str(blocker / "r.json"), "--format", "json")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: cannot write {blocker / 'r.json'}: ")
    assert result.stderr.count("\n") == 1


# -- plugins --------------------------------------------------------------------------


class _EntryPoint:
    def __init__(self, name: str, value: str, register: Any) -> None:
        self.name, self.value, self._register = name, value, register

    def load(self) -> Any:
        if isinstance(self._register, BaseException):
            raise self._register
        return self._register


def _register_hello(group: click.Group) -> None:
    @group.command()
    def hello() -> None:
        """Say hello."""
        click.echo("hello from a plugin")


@pytest.fixture
def plugins(monkeypatch: pytest.MonkeyPatch) -> list[_EntryPoint]:
    eps: list[_EntryPoint] = []
    monkeypatch.setattr(grader.cli.importlib.metadata, "entry_points",
                        lambda group: eps if group == "gradwell.commands" else [])
    monkeypatch.setattr(main, "commands", dict(main.commands))
    monkeypatch.setattr(main, "plugins_loaded", False)
    return eps


def test_a_broken_plugin_warns_and_grading_still_works(
    fakes: object, plugins: list[_EntryPoint], tmp_path: Path,
) -> None:
    missing = ModuleNotFoundError("No module named 'flask'")
    plugins.append(_EntryPoint("web", "web.cli:register", missing))
    plugins.append(_EntryPoint("hello", "hello:register", _register_hello))
    result = invoke("--help")
    assert result.exit_code == 0
    assert result.stderr == (
        "Warning: the command plugin 'web' (web.cli:register) could not be loaded "
        "(ModuleNotFoundError: No module named 'flask'); its commands are unavailable, "
        "the others work.\n")
    assert "hello" in result.stdout and "grade" in result.stdout
    assert invoke("hello").stdout == "hello from a plugin\n"
    graded = invoke("grade", submission(tmp_path), "--exercise", "activations", "--format", "json")
    assert graded.exit_code == 0 and json.loads(graded.stdout)["score"] == 5.0


def test_the_plugin_warning_is_in_korean_too(
    plugins: list[_EntryPoint], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("GRADWELL_LANG", "ko")
    plugins.append(_EntryPoint("web", "web.cli:register", ImportError("boom")))
    group = click.Group("g")
    assert load_plugins(group) == []
    assert capsys.readouterr().err == (
        "경고: 명령 플러그인 'web' (web.cli:register)을(를) 불러오지 못했습니다 "
        "(ImportError: boom). 해당 명령만 쓸 수 없고 나머지는 동작합니다.\n")


def test_built_in_commands_do_not_load_plugins(
    fakes: object, plugins: list[_EntryPoint], tmp_path: Path,
) -> None:
    plugins.append(_EntryPoint("web", "web.cli:register", ImportError("boom")))
    result = invoke("grade", submission(tmp_path), "--exercise", "activations", "--format", "json")
    assert result.exit_code == 0
    assert result.stderr == ""
    assert main.plugins_loaded is False


def test_a_plugin_that_raises_in_register_is_reported(plugins: list[_EntryPoint],
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    def bad(group: click.Group) -> None:
        raise RuntimeError("no database")

    plugins.append(_EntryPoint("web", "web.cli:register", bad))
    assert load_plugins(click.Group("g")) == []
    assert "(RuntimeError: no database)" in capsys.readouterr().err


def test_the_sandbox_group_is_attached(plugins: list[_EntryPoint],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    import sys
    import types

    @click.group()
    def sandbox() -> None:
        """Inspect the sandbox."""

    @sandbox.command()
    def doctor() -> None:
        """Print the layers."""
        click.echo("all layers active")

    fake = types.ModuleType("grader.sandbox.cli")
    fake.sandbox = sandbox  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "grader.sandbox.cli", fake)
    result = invoke("sandbox", "doctor")
    assert result.exit_code == 0
    assert result.stdout == "all layers active\n"


def test_a_broken_sandbox_cli_warns(plugins: list[_EntryPoint], monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    import sys
    import types

    # a module without the group: `from grader.sandbox.cli import sandbox` fails
    monkeypatch.setitem(sys.modules, "grader.sandbox.cli", types.ModuleType("grader.sandbox.cli"))
    group = click.Group("g")
    load_plugins(group)
    assert "sandbox" not in group.commands
    assert capsys.readouterr().err.startswith(
        "Warning: the command plugin 'sandbox' (grader.sandbox.cli:sandbox) could not be loaded")
