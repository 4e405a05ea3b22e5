"""``gradwell sandbox …``: inspect the sandbox on this host.

``gradwell sandbox doctor`` starts a zygote exactly as grading does and prints each
containment layer: active or not, and why (see ``grader/sandbox/README.md``).
"""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING

import click

from grader.sandbox.limits import Layer

if TYPE_CHECKING:
    from grader.sandbox import Sandbox

__all__ = ["doctor", "run_doctor", "sandbox"]

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


def _t(key: str, lang: str, **kw: object) -> str:
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
    width = max(len(layer.id) for layer in layers)
    lines = [_t("title", lang), ""]
    for layer in layers:
        mark = "✓" if layer.active else "✗"
        state = _t("on" if layer.active else "off", lang)
        lines.append(f"{mark} {layer.id:<{width}}  {state:<10}  {layer.text(lang)}")
    missing = sum(not layer.active for layer in layers)
    lines += ["", _t("some", lang, n=missing) if missing else _t("all", lang)]
    return layers, "\n".join(lines)


@click.group()
def sandbox() -> None:
    """Inspect the sandbox that runs submissions."""


@sandbox.command()
@click.option("--lang", type=click.Choice(["en", "ko"]), default=None,
              help="Language of the report (default: from GRADWELL_LANG or LANG).")
@click.option("--json", "as_json", is_flag=True, help="Print the layers as a JSON list.")
@click.option("--strict", is_flag=True, help="Exit with status 1 if any layer is not active.")
def doctor(lang: str | None, as_json: bool, strict: bool) -> None:
    """Print each containment layer: active or not, and why."""
    from grader.i18n import default_lang
    from grader.sandbox import SandboxError

    lang = lang or default_lang()
    try:
        layers, text = run_doctor(lang)
    except SandboxError as exc:
        raise click.ClickException(_t("failed", lang, error=exc)) from None
    if as_json:
        click.echo(json.dumps([layer.to_json() for layer in layers], ensure_ascii=False,
                              indent=2))
    else:
        click.echo(text)
    if strict and not all(layer.active for layer in layers):
        sys.exit(1)
