"""Every message the grader can show exists in English and Korean, with the same fields."""

from __future__ import annotations

import re
import string

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
