"""Builders for the scoring tests: the real config files, and one-indicator rubric sets."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from scoring.rubric import Indicator, RubricSet, load_rubric_set

RUBRICS = Path(__file__).resolve().parents[2] / "config" / "rubrics"


def load_config(name: str) -> RubricSet:
    path = RUBRICS / name
    with path.open("rb") as handle:
        return load_rubric_set(tomllib.load(handle), path.name)


def one_indicator(kind: str, table: dict[str, Any] | None = None, **fields: Any) -> Indicator:
    """A rubric set of one indicator ``X-1`` of ``kind`` with its kind table and extra indicator fields."""
    indicator: dict[str, Any] = {"name_th": "ตัวชี้วัดทดสอบ", "category": "c", "roles": ["*"], "kind": kind}
    if table is not None:
        indicator[kind] = table
    scale = fields.pop("scale", {})
    indicator.update(fields)
    data = {"rubric_set": {"name_th": "ทดสอบ"}, "scale": scale, "indicators": {"X-1": indicator}}
    return load_rubric_set(data, "test.toml").indicators["X-1"]
