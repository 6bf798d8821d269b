"""The JSON schemas shipped in config/ for editors: current, and agreeing with the loader."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from daemon.schema import CONFIG_SCHEMA_FILE, RUBRIC_SCHEMA_FILE, config_schema, render, rubric_schema

CONFIG = Path(__file__).resolve().parents[2] / "config"


def _as_json(value: Any) -> Any:
    """TOML dates are native values; an editor checks them as the schema's date strings."""
    if isinstance(value, dict):
        return {k: _as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_json(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _toml(path: Path) -> Any:
    return _as_json(tomllib.loads(path.read_text(encoding="utf-8")))


def test_committed_schemas_match_the_models() -> None:
    """config/*.schema.json are exactly what the models generate (regenerate with python -m daemon.schema)."""
    assert (CONFIG / CONFIG_SCHEMA_FILE).read_text(encoding="utf-8") == render(config_schema())
    assert (CONFIG / RUBRIC_SCHEMA_FILE).read_text(encoding="utf-8") == render(rubric_schema())


def test_example_config_and_rubric_sets_are_valid() -> None:
    """The shipped kpisync.toml and every rubric set pass their schema."""
    jsonschema.validate(_toml(CONFIG / "kpisync.toml"), config_schema())
    rubric_files = sorted((CONFIG / "rubrics").glob("*.toml"))
    assert len(rubric_files) >= 4
    for path in rubric_files:
        jsonschema.validate(_toml(path), rubric_schema())


def test_schema_refuses_a_misspelt_key() -> None:
    """A key the loader would refuse (here 'timezon') is refused by the schema too, so the editor shows it."""
    data = _toml(CONFIG / "kpisync.toml")
    data["timezon"] = data.pop("timezone")
    with pytest.raises(jsonschema.ValidationError, match="timezon"):
        jsonschema.validate(data, config_schema())
