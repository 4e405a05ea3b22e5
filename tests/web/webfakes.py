"""Small stand-ins for the grader, injected through the app config.

They build *real* ``grader.result.Result`` objects, so the web stores and shows exactly
the contract's JSON; only the judging is simplified (by markers in the source).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from grader.exercise import Exercise, TestSpec
from grader.i18n import Text
from grader.result import Misconception, Result, TestResult

CORRECT = """import numpy as np


def sigmoid(x):
    x = np.asarray(x, dtype=np.float64)
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))
"""
NAIVE = """import numpy as np


def sigmoid(x):
    return 1 / (1 + np.exp(-x))  # overflows for x = -1e4
"""
WRONG = """import numpy as np


def sigmoid(x):
    return np.tanh(x)
"""
STARTER = '''import numpy as np


def sigmoid(x):
    """1 / (1 + exp(-x)), stable for every finite x."""
    raise NotImplementedError
'''

OVERFLOW = Misconception(
    id="sigmoid-overflow",
    function="sigmoid",
    title=Text("Naive exponent overflows", "단순한 지수식의 오버플로"),
    explanation=Text(
        "exp(-x) overflows for large negative x.", "x가 큰 음수이면 exp(-x)가 넘칩니다."
    ),
    hint=Text("Branch on the sign of x.", "x의 부호로 나누어 계산하세요."),
)


def make_exercises(root: Path) -> dict[str, Exercise]:
    demo = root / "demo"
    demo.mkdir(parents=True, exist_ok=True)
    (demo / "starter.py").write_text(STARTER)
    quiz_dir = root / "quiz_demo"
    quiz_dir.mkdir(exist_ok=True)
    code = Exercise(
        id="demo",
        kind="code",
        title=Text("Stable sigmoid", "안정적인 시그모이드"),
        directory=demo,
        statement=Text(
            "Write $\\sigma(x) = 1/(1+e^{-x})$ for every *finite* x.\n\n"
            "$$\\sigma'(x) = \\sigma(x)(1-\\sigma(x))$$",
            "모든 유한한 x에 대해 $\\sigma(x) = 1/(1+e^{-x})$를 작성하세요.\n\n"
            "$$\\sigma'(x) = \\sigma(x)(1-\\sigma(x))$$",
        ),
        file="sigmoid.py",
        tests=(
            TestSpec(name="sigmoid: values", function="sigmoid", check="values", points=2.0),
            TestSpec(
                name="sigmoid: stability at ±1e4",
                function="sigmoid",
                check="stability",
                points=1.0,
                visibility="hidden",
            ),
        ),
    )
    quiz = Exercise(
        id="quiz_demo",
        kind="quiz",
        title=Text("Vanishing gradients quiz", "기울기 소실 퀴즈"),
        directory=quiz_dir,
        statement=Text("Answer every question.", "모든 문제에 답하세요."),
        quiz_points=3.0,
    )
    return {"demo": code, "quiz_demo": quiz}


class FakeGrader:
    """Judges by markers; counts calls; can be made to block until released."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []
        self.gate: threading.Event | None = None

    def __call__(self, exercise_id: str, source: str) -> Result:
        self.calls.append((exercise_id, source))
        if self.gate is not None:
            self.gate.wait(10)
        if "GRADER_BUG" in source:
            raise RuntimeError("grader exploded")
        if "def sigmoid(" not in source or "syntax(" in source:
            msg = Text(
                "sigmoid.py has a syntax error at line 1.",
                "sigmoid.py 1번째 줄에 문법 오류가 있습니다.",
            )
            tests = (
                TestResult("sigmoid: values", "sigmoid", 0.0, 2.0, msg),
                TestResult("sigmoid: stability at ±1e4", "sigmoid", 0.0, 1.0, msg, "hidden"),
            )
            return Result(exercise_id, tests, 0.01, status="ungradable", messages=(msg,))
        values_ok = "np.tanh" not in source
        stable = "np.abs" in source
        plot = {
            "kind": "line",
            "title": {"en": "sigmoid vs reference", "ko": "시그모이드와 기준"},
            "x": [-4.0, -2.0, 0.0, 2.0, 4.0],
            "x_label": "x",
            "y_label": "",
            "log_y": False,
            "series": [
                {
                    "label": {"en": "yours", "ko": "내 함수"},
                    "y": [0.018, 0.119, 0.5, 0.881, 0.982]
                    if values_ok
                    else [-1.0, -0.96, 0.0, 0.96, 1.0],
                },
                {
                    "label": {"en": "reference", "ko": "기준"},
                    "y": [0.018, 0.119, 0.5, 0.881, 0.982],
                },
            ],
        }
        tests = (
            TestResult(
                "sigmoid: values",
                "sigmoid",
                2.0 if values_ok else 0.0,
                2.0,
                Text("'sigmoid' looks good.", "'sigmoid'은(는) 잘 동작합니다.")
                if values_ok
                else Text(
                    "'sigmoid' is inaccurate for random inputs.", "'sigmoid'의 값이 부정확합니다."
                ),
                extra={"plot": plot},
            ),
            TestResult(
                "sigmoid: stability at ±1e4",
                "sigmoid",
                1.0 if stable else 0.0,
                1.0,
                Text("'sigmoid' looks good.", "'sigmoid'은(는) 잘 동작합니다.")
                if stable
                else Text(
                    "A hidden check failed (non-finite output); its inputs are not shown.",
                    "숨겨진 검사가 실패했습니다 (유한하지 않은 출력). 입력값은 공개되지 않습니다.",
                ),
                "hidden",
                misconceptions=() if stable or not values_ok else (OVERFLOW,),
            ),
        )
        return Result(exercise_id, tests, 0.02)


class FakeQuiz:
    """A three-question quiz whose numeric answer depends on the student key."""

    @staticmethod
    def load_quiz(directory: Path) -> dict[str, Any]:
        return {"dir": str(directory)}

    @staticmethod
    def _n(student_key: str) -> int:
        return 10 + int(student_key[:4], 16) % 90

    def render(self, quiz: Any, student_key: str) -> list[dict[str, Any]]:
        n = self._n(student_key)
        return [
            {
                "id": "q1",
                "kind": "single",
                "points": 1,
                "prompt": {
                    "en": "Where does the sigmoid's derivative peak?",
                    "ko": "시그모이드 도함수의 최댓값은 어디에서?",
                },
                "choices": [
                    {"id": "a", "text": {"en": "x = 0", "ko": "x = 0"}},
                    {"id": "b", "text": {"en": "x = 1", "ko": "x = 1"}},
                ],
            },
            {
                "id": "q2",
                "kind": "true_false",
                "points": 1,
                "prompt": {
                    "en": "Layer norm uses batch statistics.",
                    "ko": "층 정규화는 배치 통계를 쓴다.",
                },
            },
            {
                "id": "q3",
                "kind": "numeric",
                "points": 1,
                "tolerance": "1e-3",
                "prompt": {
                    "en": f"What is $\\sqrt{{{n}}}$ to 3 decimals?",
                    "ko": f"$\\sqrt{{{n}}}$의 값은 (소수 셋째 자리까지)?",
                },
            },
        ]

    def grade_quiz(self, quiz: Any, student_key: str, answers: Mapping[str, Any]) -> Result:
        n = self._n(student_key)
        try:
            q3 = abs(float(answers.get("q3", "nan")) - n**0.5) <= 1e-3
        except ValueError:
            q3 = False
        marks = {"q1": answers.get("q1") == "a", "q2": answers.get("q2") == "false", "q3": q3}
        explain = {
            "q1": Text("σ'(0) = 1/4 is the maximum.", "σ'(0) = 1/4이 최댓값입니다."),
            "q2": Text(
                "Layer norm normalises each sample on its own.",
                "층 정규화는 샘플마다 따로 정규화합니다.",
            ),
            "q3": Text(f"√{n} = {n**0.5:.4f}.", f"√{n} = {n**0.5:.4f}."),
        }
        tests = tuple(
            TestResult(f"{q}: answer", q, 1.0 if ok else 0.0, 1.0, explain[q])
            for q, ok in marks.items()
        )
        return Result("quiz_demo", tests, 0.0)


def reset_pg(url: str) -> None:
    """Drop and recreate the public schema: a fresh, empty PostgreSQL database."""
    from sqlalchemy import create_engine, text

    eng = create_engine(url)
    with eng.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    eng.dispose()


class Auth:
    """Creates accounts and logs the test client in as one of them."""

    def __init__(self, app: Any, client: Any) -> None:
        self.app, self.client = app, client

    def user(self, email: str, role: str = "student", password: str = "password123") -> Any:
        from web.auth import create_user

        with self.app.app_context():
            return create_user(email, role, password)

    def login(self, email: str = "student@example.com", password: str = "password123") -> Any:
        return self.client.post("/auth/login", data={"email": email, "password": password})

    def as_student(self, email: str = "student@example.com") -> Any:
        user = self.user(email)
        self.login(email)
        return user

    def as_instructor(self, email: str = "prof@example.com") -> Any:
        user = self.user(email, "instructor")
        self.login(email)
        return user

    def token(self, email: str, role: str = "student") -> str:
        from web.auth import create_token

        user = self.user(email, role)
        with self.app.app_context():
            return create_token(user)
