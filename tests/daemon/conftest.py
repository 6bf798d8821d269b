"""Fixtures shared by the daemon's tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.daemon.sync_world import World, make_world


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    """The one-form world on the in-memory fakes (a module may override it with a richer world)."""
    made = make_world(tmp_path)
    yield made
    made.deps.close()
