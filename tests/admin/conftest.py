"""Fixtures of the admin commands' tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.daemon.sync_world import World, make_world


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    """The one-form world on the in-memory fakes (tests/daemon/sync_world.py)."""
    made = make_world(tmp_path)
    yield made
    made.deps.close()
