"""Fixtures for the scoring tests."""

from __future__ import annotations

import pytest
from scoring_helpers import load_config

from scoring.rubric import RubricSet


@pytest.fixture(scope="session")
def sukhothai() -> RubricSet:
    return load_config("sukhothai-2569.toml")
