"""The ``world`` fixture: every contract test runs once on the fakes and once on the sandbox."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from conn_worlds import MemoryWorld, SandboxWorld, World


@pytest.fixture(params=["memory", pytest.param("google", marks=pytest.mark.integration)])
def world(request: pytest.FixtureRequest) -> Iterator[World]:
    """A MemoryWorld, or a SandboxWorld on a fresh empty sandbox (tests/conftest.py's ``empty_sandbox``)."""
    if request.param == "memory":
        made: World = MemoryWorld()
    else:
        made = SandboxWorld(request.getfixturevalue("empty_sandbox").base_url)
    yield made
    made.close()


@pytest.fixture
def sandbox_world(request: pytest.FixtureRequest) -> Iterator[SandboxWorld]:
    """A SandboxWorld only, for behaviour the fakes do not model (faults, transport)."""
    made = SandboxWorld(request.getfixturevalue("empty_sandbox").base_url)
    yield made
    made.close()
