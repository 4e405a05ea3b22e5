"""Fixtures for the reference proofs."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import torch


@pytest.fixture(autouse=True, scope="module")
def _one_torch_thread() -> Iterator[None]:
    """Run torch single-threaded here: the tensors are tiny, and on a loaded 2-core
    machine OpenMP's spinning threads made these proofs 4× slower (15 s vs 3.7 s)."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)
