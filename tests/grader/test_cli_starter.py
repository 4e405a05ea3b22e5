"""``gradwell starter export``: exactly the student's files, a valid workflow, no leaks."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest
import yaml
from cli_fakes import (  # noqa: F401  (the `fakes` fixture)
    MUTANT,
    STARTER,
    assert_no_leaks,
    fakes_fixture,
)
from click.testing import CliRunner

from grader.cli import main


def export(directory: Path, *args: str) -> Any:
    return CliRunner().invoke(main, ["starter", "export", str(directory), *args])


def tree(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): p.read_text(encoding="utf-8")
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_export_writes_exactly_the_student_files(fakes: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "student-repo"
    result = export(out, "--lang", "ko", "--install-spec", "gradwell @ git+https://example.org/gradwell")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"과제 저장소를 {out}에 썼습니다 (과제 1개, 파일 6개).\n"
    files = tree(out)
    assert sorted(files) == [
        ".github/workflows/gradwell.yml", ".gitignore", "README.md", "activations.py",
        "statements/activations.en.md", "statements/activations.ko.md",
    ]
    assert files["activations.py"] == STARTER
    assert files["statements/activations.en.md"] == "# Activations\n\nWrite `sigmoid`.\n"
    assert files["statements/activations.ko.md"] == "# 활성화 함수\n\n`sigmoid`를 작성하세요.\n"
    assert MUTANT not in "".join(files.values())
    assert_no_leaks(out, fakes)


def test_readme_is_bilingual_and_lists_the_exercises(fakes: object, tmp_path: Path) -> None:
    assert export(tmp_path / "r").exit_code == 0
    readme = (tmp_path / "r" / "README.md").read_text(encoding="utf-8")
    assert "## 한국어" in readme and "## English" in readme
    assert ("| 활성화 함수와 그 도함수 (`activations`) | `activations.py` | 5 "
            "| [statements/activations.ko.md](statements/activations.ko.md) |") in readme
    assert ("| Activations and their derivatives (`activations`) | `activations.py` | 5 "
            "| [statements/activations.en.md](statements/activations.en.md) |") in readme
    assert 'python -m pip install "gradwell==0.1.0"' in readme
    assert "gradwell ci ." in readme
    assert "@@" not in readme


def test_workflow_runs_gradwell_ci(fakes: object, tmp_path: Path) -> None:
    assert export(tmp_path / "r", "--lang", "en").exit_code == 0
    text = (tmp_path / "r" / ".github" / "workflows" / "gradwell.yml").read_text(encoding="utf-8")
    flow = yaml.safe_load(text)
    assert flow["name"] == "gradwell"
    assert set(flow[True]) == {"push", "pull_request", "workflow_dispatch"}  # YAML 1.1: on -> True
    assert flow["permissions"] == {"contents": "read"}
    steps = flow["jobs"]["grade"]["steps"]
    assert steps[0]["uses"] == "actions/checkout@v4"
    assert steps[1]["with"]["python-version"] == "3.11"
    install = steps[2]["run"]
    assert "torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu" in install
    assert 'python -m pip install "gradwell==0.1.0"' in install
    assert steps[3]["run"] == "gradwell ci . --lang en"
    assert steps[4]["if"] == "always()"
    assert steps[4]["with"]["path"] == "gradwell-junit.xml"


def test_export_refuses_a_non_empty_directory(fakes: object, tmp_path: Path) -> None:
    (tmp_path / "r").mkdir()
    (tmp_path / "r" / "mine.txt").write_text("keep me", encoding="utf-8")
    result = export(tmp_path / "r")
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {tmp_path / 'r'} exists and is not empty. Choose a new directory, "
        "or pass --force to overwrite.\n")
    forced = export(tmp_path / "r", "--force")
    assert forced.exit_code == 0
    assert (tmp_path / "r" / "mine.txt").read_text(encoding="utf-8") == "keep me"
    assert (tmp_path / "r" / "activations.py").is_file()


def test_install_spec_with_quotes_is_rejected(fakes: object, tmp_path: Path) -> None:
    result = export(tmp_path / "r", "--install-spec", 'x"; rm -rf ~; "')
    assert result.exit_code == 2
    assert result.stderr == "Error: --install-spec must not contain quotes or line breaks.\n"
    assert not (tmp_path / "r").exists()


def test_exported_starter_is_gradable_by_ci(fakes: object, tmp_path: Path) -> None:
    """The exported repository is what `gradwell ci` expects: the starter scores 0 and fails."""
    assert export(tmp_path / "r").exit_code == 0
    result = CliRunner().invoke(main, ["ci", str(tmp_path / "r")])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-1] == "Below the pass mark: activations."


def test_leak_detector_detects_a_leak(fakes: dict[str, Any], tmp_path: Path) -> None:
    """The no-leak assertion is not vacuous: a copied reference body is caught."""
    assert export(tmp_path / "r").exit_code == 0
    module = importlib.import_module("reference.activations")
    (tmp_path / "r" / "activations.py").write_text(
        Path(module.__file__ or "").read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(AssertionError):
        assert_no_leaks(tmp_path / "r", fakes)
