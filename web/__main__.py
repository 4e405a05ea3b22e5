"""``python -m web COMMAND``: the web's commands without the grader's CLI."""

from __future__ import annotations

import click

from web.cli import register


@click.group()
def main() -> None:
    """gradwell web commands."""


register(main)

if __name__ == "__main__":
    main()
