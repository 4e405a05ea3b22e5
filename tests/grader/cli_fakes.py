"""Shared fakes for the CLI, batch and CI tests: two exercises and a deterministic grader.

The fake grader reads markers in the source, so each test states what it grades:
``# BROKEN-SIGMOID`` loses the stability test with the ``sigmoid-overflow`` tag,
``# SLOPPY-SIGMOID`` loses it without a tag, ``# SYNTAX`` is ungradable, ``# CRASH``
makes the grader itself raise, and a source without ``def sigmoid`` loses everything.
The real engine is exercised by the end-to-end tests.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from grader.exercise import Exercise, MisconceptionSpec, TestSpec
from grader.i18n import Text
from grader.result import Misconception, Result, TestResult

OVERFLOW = Misconception(
    id="sigmoid-overflow", function="sigmoid",
    title=Text("Overflow in exp", "exp 오버플로"),
    explanation=Text("exp(-x) overflows for x = -1e4.", "x = -1e4에서 exp(-x)가 넘칩니다."),
    hint=Text("Split by sign.", "부호로 나누세요."),
)
STARTER = (
    'import numpy as np\n\n\ndef sigmoid(x):\n    """1 / (1 + e^(-x))."""\n'
    "    raise NotImplementedError\n"
)
MUTANT = "def sigmoid(x):\n    # BROKEN-SIGMOID\n    return 1.0 / (1.0 + np.exp(-x))\n"


def make_exercises(root: Path, *, mutant: str = MUTANT) -> dict[str, Exercise]:
    code_dir = root / "activations"
    (code_dir / "mutants").mkdir(parents=True)
    (code_dir / "starter.py").write_text(STARTER, encoding="utf-8")
    (code_dir / "mutants" / "sigmoid_overflow.py").write_text(mutant, encoding="utf-8")
    quiz_dir = root / "quiz_vanishing"
    quiz_dir.mkdir()
    code = Exercise(
        id="activations", kind="code",
        title=Text("Activations and their derivatives", "활성화 함수와 그 도함수"),
        directory=code_dir,
        statement=Text("# Activations\n\nWrite `sigmoid`.\n",
                       "# 활성화 함수\n\n`sigmoid`를 작성하세요.\n"),
        file="activations.py", reference="reference.activations", suite="activations",
        pass_mark=0.6,
        tests=(
            TestSpec("sigmoid: values", "sigmoid", "values", 2.0),
            TestSpec("sigmoid: stability at ±1e4", "sigmoid", "stability", 2.0),
            TestSpec("relu: values", "relu", "values", 1.0, visibility="hidden"),
        ),
        misconceptions=(
            MisconceptionSpec(OVERFLOW, code_dir / "mutants" / "sigmoid_overflow.py"),
        ),
    )
    quiz = Exercise(
        id="quiz_vanishing", kind="quiz",
        title=Text("Vanishing gradients quiz", "기울기 소실 퀴즈"),
        directory=quiz_dir, statement=Text("Answer the questions.", "문제에 답하세요."),
        quiz_points=12.0,
    )
    return {"activations": code, "quiz_vanishing": quiz}


def fake_grade(exercise_id: str, source: str, **_: object) -> Result:
    """A deterministic stand-in for :func:`grader.engine.grade` (see the module docstring)."""
    if "# CRASH" in source:
        raise RuntimeError("sandbox pool is gone")
    if "# SYNTAX" in source:
        why = Text("activations.py has a syntax error at line 1: invalid syntax.",
                   "activations.py 1번째 줄에 문법 오류가 있습니다: invalid syntax.")
        return Result(exercise_id, (
            TestResult("sigmoid: values", "sigmoid", 0.0, 2.0, why),
            TestResult("sigmoid: stability at ±1e4", "sigmoid", 0.0, 2.0, why),
            TestResult("relu: values", "relu", 0.0, 1.0, why, visibility="hidden"),
        ), 0.01, status="ungradable", messages=(why,))
    has_sigmoid = "def sigmoid" in source and "NotImplementedError" not in source.split(
        "def sigmoid")[-1].split("def ")[0]
    ok = Text("'sigmoid' looks good.", "'sigmoid'은(는) 잘 동작합니다.")
    missing = Text("'sigmoid' is not defined.", "'sigmoid'이(가) 정의되어 있지 않습니다.")
    inf = Text("'sigmoid' returned inf.", "'sigmoid'이(가) inf를 반환했습니다.")
    tests = [TestResult("sigmoid: values", "sigmoid", 2.0 if has_sigmoid else 0.0, 2.0,
                        ok if has_sigmoid else missing)]
    if "# BROKEN-SIGMOID" in source:
        tests.append(TestResult("sigmoid: stability at ±1e4", "sigmoid", 0.0, 2.0,
                                inf, misconceptions=(OVERFLOW,)))
    elif "# SLOPPY-SIGMOID" in source:
        tests.append(TestResult("sigmoid: stability at ±1e4", "sigmoid", 1.0, 2.0, inf))
    else:
        tests.append(TestResult("sigmoid: stability at ±1e4", "sigmoid",
                                2.0 if has_sigmoid else 0.0, 2.0, ok if has_sigmoid else missing))
    relu = "def relu" in source
    relu_text = (Text("'relu' looks good.", "'relu'은(는) 잘 동작합니다.") if relu
                 else Text("'relu' is not defined.", "'relu'이(가) 정의되어 있지 않습니다."))
    tests.append(TestResult("relu: values", "relu", 1.0 if relu else 0.0, 1.0, relu_text,
                            visibility="hidden"))
    return Result(exercise_id, tuple(tests), 0.05)


@pytest.fixture(name="fakes")
def fakes_fixture(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Exercise]:
    """The fake exercises installed as ``grader.exercise.load_all`` and the fake grader
    as ``grader.engine.grade``; English unless a test sets ``GRADWELL_LANG``."""
    import grader.engine
    import grader.exercise

    exercises = make_exercises(tmp_path / "exercises")
    monkeypatch.setattr(grader.exercise, "load_all", lambda *a, **k: exercises)
    monkeypatch.setattr(grader.engine, "grade", fake_grade)
    for var in ("GRADWELL_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "GITHUB_STEP_SUMMARY"):
        monkeypatch.delenv(var, raising=False)
    return exercises


def reference_body_lines(exercises: dict[str, Exercise]) -> set[str]:
    """Every non-trivial line inside a function body of each exercise's reference.

    Lines that only open a call (``self.register_buffer(``) carry no solution and may
    be quoted by a statement, so they are left out.
    """
    lines: set[str] = set()
    for ex in exercises.values():
        if ex.kind != "code":
            continue
        source = ex.reference_source()
        text = source.splitlines()
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                body = node.body[1:] if ast.get_docstring(node) else node.body
                for stmt in body:
                    for ln in text[stmt.lineno - 1:stmt.end_lineno]:
                        ln = ln.strip()
                        if (len(ln) > 20 and not ln.startswith(("#", '"', "'"))
                                and not ln.endswith(("(", "[", "{", ","))):
                            lines.add(ln)
    return lines


def assert_no_leaks(root: Path, exercises: dict[str, Exercise]) -> None:
    exported = "\n".join(p.read_text(encoding="utf-8") for p in root.rglob("*") if p.is_file())
    leaked = sorted(ln for ln in reference_body_lines(exercises) if ln in exported)
    assert leaked == []
    for ex in exercises.values():
        for spec in ex.misconceptions:
            assert spec.mutant.read_text(encoding="utf-8").strip() not in exported
    names = {p.name for p in root.rglob("*")}
    assert not names & {"exercise.toml", "misconceptions.toml", "mutants", "reference"}
