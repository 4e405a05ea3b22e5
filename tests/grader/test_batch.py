"""``gradwell batch``: discovery, a bad file in the middle, the CSV, the CLI."""

from __future__ import annotations

import csv
import io
import threading
import time
from pathlib import Path
from typing import Any

from cli_fakes import fake_grade, fakes_fixture  # noqa: F401  (the `fakes` fixture)
from click.testing import CliRunner

from grader.batch import Submission, discover, grade_batch, rows_to_csv
from grader.cli import main
from grader.result import Result

GOOD = (
    "import numpy as np\n\ndef sigmoid(x):\n    return 1 / (1 + np.exp(-x))\n\n"
    "def relu(x):\n    return x\n"
)
BROKEN = GOOD.replace("def sigmoid(x):\n", "def sigmoid(x):\n    # BROKEN-SIGMOID\n")


def make_submissions(root: Path) -> Path:
    """alice.py (top level), bob/ (bad bytes), carol/ (grader crash), dave/ (two files)."""
    root.mkdir()
    (root / "alice.py").write_text(GOOD, encoding="utf-8")
    (root / "bob").mkdir()
    (root / "bob" / "activations.py").write_bytes(b"\xff\xfe not utf-8")
    (root / "carol").mkdir()
    (root / "carol" / "activations.py").write_text("# CRASH\n", encoding="utf-8")
    (root / "dave").mkdir()
    (root / "dave" / "activations.py").write_text(BROKEN, encoding="utf-8")
    (root / "dave" / "scratch.py").write_text("# SYNTAX\n", encoding="utf-8")
    (root / "dave" / "notes.txt").write_text("not python", encoding="utf-8")
    (root / ".hidden.py").write_text(GOOD, encoding="utf-8")
    (root / "__pycache__").mkdir()
    (root / "__pycache__" / "x.py").write_text(GOOD, encoding="utf-8")
    (root / "erin").mkdir()
    (root / "erin" / "deeper").mkdir()
    (root / "erin" / "deeper" / "too_deep.py").write_text(GOOD, encoding="utf-8")
    return root


def test_discover_top_level_and_one_level_of_students(tmp_path: Path) -> None:
    root = make_submissions(tmp_path / "subs")
    assert [(s.student, s.file) for s in discover(root)] == [
        ("alice", "alice.py"),
        ("bob", "bob/activations.py"),
        ("carol", "carol/activations.py"),
        ("dave", "dave/activations.py"),
        ("dave", "dave/scratch.py"),
    ]


EXPECTED_CSV = (
    "student,file,score,max_score,status,sigmoid: values,sigmoid: stability at ±1e4,"
    "relu: values,misconceptions,error\n"
    "alice,alice.py,5,5,graded,2,2,1,,\n"
    "bob,bob/activations.py,0,5,error,,,,,"
    "{bob} is not UTF-8 text (byte 0). Save it with UTF-8 encoding and try again.\n"
    "carol,carol/activations.py,0,5,error,,,,,"
    "the grader failed on this file (RuntimeError: sandbox pool is gone)\n"
    "dave,dave/activations.py,3,5,graded,2,0,1,sigmoid-overflow,\n"
    "dave,dave/scratch.py,0,5,ungradable,0,0,0,,"
    "activations.py has a syntax error at line 1: invalid syntax.\n"
)


def test_a_bad_file_in_the_middle_never_stops_the_batch(
    fakes: dict[str, Any], tmp_path: Path,
) -> None:
    root = make_submissions(tmp_path / "subs")
    seen: list[str] = []
    rows = grade_batch("activations", discover(root), jobs=3, grade=fake_grade,
                       on_done=lambda row: seen.append(row.submission.file))
    assert sorted(seen) == [s.file for s in discover(root)]
    assert [r.submission.student for r in rows] == ["alice", "bob", "carol", "dave", "dave"]
    text = rows_to_csv(rows, fakes["activations"], "en")
    assert text == EXPECTED_CSV.format(bob=root / "bob" / "activations.py")


def test_csv_in_korean(fakes: dict[str, Any], tmp_path: Path) -> None:
    root = make_submissions(tmp_path / "subs")
    rows = grade_batch("activations", discover(root), grade=fake_grade)
    table = list(csv.DictReader(io.StringIO(rows_to_csv(rows, fakes["activations"], "ko"))))
    assert table[2]["error"] == (
        "이 파일에서 채점기 오류가 발생했습니다 (RuntimeError: sandbox pool is gone)")


def test_jobs_run_in_parallel_and_keep_the_order(fakes: object, tmp_path: Path) -> None:
    subs = []
    for i in range(6):
        path = tmp_path / f"s{i}.py"
        path.write_text(GOOD + f"# {i}\n", encoding="utf-8")
        subs.append(Submission(f"s{i}", path, path.name))
    active, peak, lock = 0, 0, threading.Lock()

    def slow_grade(exercise_id: str, source: str) -> Result:
        nonlocal active, peak
        with lock:
            active += 1
            peak = max(peak, active)
        time.sleep(0.05)
        with lock:
            active -= 1
        return fake_grade(exercise_id, source)

    rows = grade_batch("activations", subs, jobs=3, grade=slow_grade)
    assert [r.submission.student for r in rows] == [f"s{i}" for i in range(6)]
    assert peak == 3


def test_batch_cli_writes_the_csv(fakes: object, tmp_path: Path) -> None:
    root = make_submissions(tmp_path / "subs")
    out = tmp_path / "grades.csv"
    result = CliRunner().invoke(main, ["batch", str(root), "--exercise", "activations",
                                       "--jobs", "2", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == EXPECTED_CSV.format(
        bob=root / "bob" / "activations.py")
    last = result.stdout.splitlines()[-1]
    assert last.startswith("Graded 5 submissions (2 could not be read) in ")
    assert last.endswith(f" s; wrote {out}.")
    # the progress bar goes to stderr, so stdout stays a clean report
    assert "Grading activations" in result.stderr and "5/5" in result.stderr


def test_batch_cli_usage_errors(fakes: object, tmp_path: Path) -> None:
    runner = CliRunner()
    missing = runner.invoke(main, ["batch", str(tmp_path / "nope"), "--exercise", "activations"])
    assert missing.exit_code == 2
    assert missing.stderr == (
        f"Error: {tmp_path / 'nope'} is not a directory. "
        "Give the directory that holds the submissions.\n")
    (tmp_path / "empty").mkdir()
    empty = runner.invoke(main, ["batch", str(tmp_path / "empty"), "--exercise", "activations"])
    assert empty.exit_code == 2
    assert empty.stderr == (
        f"Error: no *.py files in {tmp_path / 'empty'} or its student subdirectories.\n")
    unknown = runner.invoke(main, ["batch", str(tmp_path), "--exercise", "nope"])
    assert unknown.exit_code == 2
    assert unknown.stderr == "Error: unknown exercise 'nope'. Use one of: activations.\n"
