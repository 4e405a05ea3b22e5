"""``gradwell sandbox …``: inspect the sandbox on this host.

``gradwell sandbox doctor`` starts a zygote exactly as grading does and prints each
containment layer: active or not, and why (see ``grader/sandbox/README.md``).
"""

from __future__ import annotations

import json
import sys

import click

from grader.sandbox.doctor import message, run_doctor

__all__ = ["doctor", "run_doctor", "sandbox"]


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
        raise click.ClickException(message("failed", lang, error=exc)) from None
    if as_json:
        click.echo(json.dumps([layer.to_json() for layer in layers], ensure_ascii=False,
                              indent=2))
    else:
        click.echo(text)
    if strict and not all(layer.active for layer in layers):
        sys.exit(1)
