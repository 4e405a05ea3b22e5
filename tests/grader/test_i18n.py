"""Every message the grader can show exists in English and Korean, with the same fields."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from grader.i18n import MESSAGES, Text, default_lang, msg

HANGUL = re.compile(r"[\uac00-\ud7a3]")


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_message_has_both_languages_with_the_same_fields(key: str) -> None:
    en, ko = MESSAGES[key]
    assert en.strip() and ko.strip()
    assert HANGUL.search(ko), f"{key}: the Korean text has no Hangul"
    assert not HANGUL.search(en), f"{key}: the English text has Hangul"
    assert _fields(en) == _fields(ko), key


def test_msg_formats_both_languages() -> None:
    text = msg("grade.missing", function="sigmoid", file="activations.py")
    assert text.en == (
        "'sigmoid' is not defined in activations.py. "
        "Define it with the signature from the starter file."
    )
    assert text.ko.startswith("activations.py에 'sigmoid'이(가) 정의되어 있지 않습니다.")
    assert text.get("ko") == text.ko and text.get("en") == text.en and text.get("fr") == text.en


@pytest.mark.parametrize(
    ("env", "expected"),
    [({"GRADWELL_LANG": "ko"}, "ko"), ({"LANG": "ko_KR.UTF-8"}, "ko"),
     ({"LANG": "en_US.UTF-8"}, "en"), ({}, "en")],
)
def test_default_lang_follows_the_locale(monkeypatch: pytest.MonkeyPatch,
                                         env: dict[str, str], expected: str) -> None:
    for var in ("GRADWELL_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    assert default_lang() == expected


def test_text_join_keeps_languages_apart() -> None:
    joined = Text.join([Text("a", "가"), Text("b", "나")], sep=" ")
    assert joined == Text("a b", "가 나")


def test_every_message_is_non_empty_in_both_languages() -> None:
    empty = [k for k, (en, ko) in MESSAGES.items() if not en.strip() or not ko.strip()]
    assert not empty


def test_text_fields_go_in_language_by_language() -> None:
    where = msg("grade.where-line", line=3, file="f.py")
    text = msg("grade.exception", function="f", type="ValueError", message="bad", where=where)
    assert text == Text("'f' raised ValueError: bad (line 3 of f.py).",
                        "'f'에서 ValueError 예외가 발생했습니다: bad (f.py 3번째 줄).")


_KEY = re.compile(
    r"""["']((?:grade|exercise|reason|signal|returns|describe|detail|size|plot|quiz|case)\.[\w.-]+)["']""")


def test_every_message_the_grader_names_exists() -> None:
    """A literal message id anywhere in grader/ is in the table (a typo is a KeyError
    a student would meet)."""
    root = Path(__file__).resolve().parents[2] / "grader"
    used = {(path.name, key) for path in root.rglob("*.py")
            for key in _KEY.findall(path.read_text(encoding="utf-8"))}
    assert used
    files = {"exercise.toml", "exercise.py"}  # file names, not message ids
    assert not sorted(u for u in used if u[1] not in MESSAGES and u[1] not in files)


def _msg_calls() -> list[tuple[str, int, str, set[str]]]:
    """Every ``msg("literal key", field=...)`` call in grader/ without ``**fields``."""
    root = Path(__file__).resolve().parents[2] / "grader"
    calls = []
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id == "msg" and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)
                    and all(k.arg is not None for k in node.keywords)):
                calls.append((path.name, node.lineno, node.args[0].value,
                              {k.arg for k in node.keywords if k.arg}))
    return calls


def test_every_msg_call_supplies_the_fields_of_its_message() -> None:
    """A message whose fields change must not leave a caller behind (a KeyError at
    grading time)."""
    calls = _msg_calls()
    assert len(calls) > 50
    bad = [(f, line, key, sorted(_fields(MESSAGES[key][0]) - given))
           for f, line, key, given in calls
           if key in MESSAGES and not _fields(MESSAGES[key][0]) <= given]
    assert not bad
