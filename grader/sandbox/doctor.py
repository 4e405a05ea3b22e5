"""The containment report: which sandbox layers are active on this host, and why not.

``run_doctor`` starts a zygote exactly as grading does (or asks a running sandbox) and
renders its :class:`~grader.sandbox.limits.Layer` list in English or Korean; it is what
``gradwell sandbox doctor`` prints.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from grader.sandbox.limits import Layer

if TYPE_CHECKING:
    from grader.sandbox import Sandbox

__all__ = ["message", "render", "run_doctor"]

_TEXT = {
    "title": ("gradwell sandbox layers on this host", "이 호스트의 gradwell 샌드박스 계층"),
    "on": ("active", "활성"),
    "off": ("NOT ACTIVE", "비활성"),
    "all": ("Every layer is active.", "모든 계층이 활성입니다."),
    "some": ("{n} layer(s) NOT active: submissions run with less containment. "
             "See grader/sandbox/README.md for what to enable on this host.",
             "{n}개 계층이 비활성입니다: 제출물이 더 약한 격리에서 실행됩니다. "
             "이 호스트에서 켜야 할 것은 grader/sandbox/README.md를 보세요."),
    "failed": ("the sandbox could not start: {error}", "샌드박스를 시작할 수 없습니다: {error}"),
}


def message(key: str, lang: str, **kw: object) -> str:
    en, ko = _TEXT[key]
    return (ko if lang == "ko" else en).format(**kw)


def run_doctor(lang: str = "en", box: Sandbox | None = None) -> tuple[list[Layer], str]:
    """Return the layers of ``box`` (default: a new one-slot sandbox, started exactly as
    grading starts one) and the report text."""
    from grader.sandbox import Sandbox

    if box is None:
        with Sandbox(1) as new:
            layers = new.layers()
    else:
        layers = box.layers()
    return layers, render(layers, lang)


def render(layers: list[Layer], lang: str = "en") -> str:
    """The report: one line per layer (✓/✗, id, state, what it is or why it is off)."""
    width = max(len(layer.id) for layer in layers)
    lines = [message("title", lang), ""]
    for layer in layers:
        mark = "✓" if layer.active else "✗"
        state = message("on" if layer.active else "off", lang)
        lines.append(f"{mark} {layer.id:<{width}}  {state:<10}  {layer.text(lang)}")
    missing = sum(not layer.active for layer in layers)
    lines += ["", message("some", lang, n=missing) if missing else message("all", lang)]
    return "\n".join(lines)
