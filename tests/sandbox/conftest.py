"""A shared sandbox for the attack suite, with short limits so attacks end fast."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from grader.sandbox import Sandbox, SandboxConfig

#: put in the grader's environment before the zygote starts; must never come back
SECRET_NAME = "GRADWELL_TEST_SECRET_TOKEN"
SECRET = "gw-secret-9f1c2e7ab44d"


@pytest.fixture(scope="session")
def secret() -> tuple[str, str]:
    """``(name, value)`` of the secret in the grader's environment."""
    return SECRET_NAME, SECRET


@pytest.fixture(scope="session")
def sandbox() -> Iterator[Sandbox]:
    old = os.environ.get(SECRET_NAME)
    os.environ[SECRET_NAME] = SECRET
    config = SandboxConfig(output_keep=16 << 10, output_limit=1 << 20, memory_bytes=256 << 20,
                           uid_base=62000)
    sb = Sandbox(1, config=config)
    try:
        sb.layers()  # start the zygote now, with the secret in our environment
        yield sb
    finally:
        sb.close()
        if old is None:
            os.environ.pop(SECRET_NAME, None)
        else:
            os.environ[SECRET_NAME] = old
