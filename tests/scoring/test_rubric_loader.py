"""Loading rubric sets: the shipped configs, and errors that name the file and the dotted key."""

from __future__ import annotations

import copy
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from scoring_helpers import RUBRICS, load_config

from scoring.rubric import RubricConfigError, RubricSet, load_rubric_set

SAMPLE_CODES = (
    {f"ALL-{i}" for i in range(1, 6)} | {f"TCH-{i}" for i in range(1, 6)} | {f"DST-{i}" for i in range(1, 5)}
)


@pytest.mark.parametrize("path", sorted(RUBRICS.glob("*.toml")), ids=lambda p: p.name)
def test_every_shipped_config_loads(path: Path) -> None:
    """Each example rubric set in config/rubrics/ is valid."""
    rubric_set = load_config(path.name)
    assert rubric_set.indicators
    assert all(indicator.version for indicator in rubric_set.indicators.values())


def test_sukhothai_matches_the_sample_spec(sukhothai: RubricSet) -> None:
    """The sample world's indicator codes, kinds, Thai names and rounds are in the Sukhothai set."""
    assert SAMPLE_CODES | {"PLN-1", "PLN-2", "FIN-1"} <= set(sukhothai.indicators)
    kinds = {code: sukhothai.indicators[code].kind for code in SAMPLE_CODES}
    assert kinds["ALL-1"] == "evidence_present" and kinds["DST-2"] == "quality_matrix"
    assert sukhothai.by_name("ร้อยละของผู้เข้าสอบ N-NET") is sukhothai.indicators["TCH-2"]
    assert [(r.months, r.cutoff, r.deadline) for r in sukhothai.rounds] == [
        (6, date(2026, 3, 31), date(2026, 4, 15)),
        (9, date(2026, 6, 30), date(2026, 7, 15)),
        (12, date(2026, 9, 30), date(2026, 10, 15)),
    ]


@pytest.mark.parametrize(
    ("role", "codes"),
    [
        ("ครู", {"ALL-1", "ALL-2", "ALL-3", "ALL-4", "ALL-5", "TCH-1", "TCH-2", "TCH-3", "TCH-4", "TCH-5"}),
        ("เจ้าหน้าที่แผน", {"ALL-1", "ALL-2", "ALL-3", "ALL-4", "ALL-5", "PLN-1", "PLN-2"}),
        ("เจ้าหน้าที่การเงิน", {"ALL-1", "ALL-2", "ALL-3", "ALL-4", "ALL-5", "FIN-1"}),
        ("สกร.อำเภอ", {"ALL-1", "ALL-2", "ALL-3", "ALL-4", "ALL-5", "DST-1", "DST-2", "DST-3", "DST-4"}),
    ],
)
def test_for_role(sukhothai: RubricSet, role: str, codes: set[str]) -> None:
    """Indicators apply by the roster's Thai role value, with "*" meaning every role."""
    assert {i.code for i in sukhothai.for_role(role)} == codes


def _raw() -> dict[str, Any]:
    with (RUBRICS / "sukhothai-2569.toml").open("rb") as handle:
        return tomllib.load(handle)


def _mutate(path: str, value: Any) -> dict[str, Any]:
    data = copy.deepcopy(_raw())
    *parents, last = path.split(".")
    node = data
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    node[last] = value
    return data


@pytest.mark.parametrize(
    ("path", "value", "key_path"),
    [
        ("indicators.TCH-1.awards.points.national", "lots", "indicators.TCH-1.awards.points.national"),
        ("indicators.TCH-1.awards.points.statewide", 3, "indicators.TCH-1.awards.points.statewide"),
        ("indicators.TCH-1.kind", "guess", "indicators.TCH-1.kind"),
        ("indicators.TCH-1.allow_above_max", False, "indicators.TCH-1.allow_above_max"),
        ("indicators.TCH-2.linear.thresholds", [[50, 1], [40, 2]], "indicators.TCH-2.linear.thresholds"),
        ("indicators.ALL-2.milestone.mode", "random", "indicators.ALL-2.milestone.mode"),
        ("indicators.ALL-2.milestone.points_per_step", [1, 1], "indicators.ALL-2.milestone.points_per_step"),
        ("indicators.ALL-2.weight", -1, "indicators.ALL-2.weight"),
        ("indicators.ALL-2.colour", "red", "indicators.ALL-2.colour"),
        ("indicators.ALL-2.category", "nowhere", "indicators.ALL-2.category"),
        ("indicators.ALL-2.awards", {"points": {}}, "indicators.ALL-2.awards"),
        ("indicators.ALL-3.name_th", "DMIS 100%", "indicators.ALL-3.name_th"),
        ("indicators.ALL-1.required_evidence", [], "indicators.ALL-1.required_evidence"),
        ("rounds.1.deadline", date(2026, 6, 1), "rounds.1.deadline"),
        ("rounds.0.months", 7, "rounds.0.months"),
        ("scale.decimals", 99, "scale.decimals"),
    ],
)
def test_config_errors_name_the_key(path: str, value: Any, key_path: str) -> None:
    """A bad value raises RubricConfigError carrying the file and the dotted key path."""
    with pytest.raises(RubricConfigError) as caught:
        load_rubric_set(_mutate(path, value), "sukhothai-2569.toml")
    assert caught.value.source == "sukhothai-2569.toml"
    assert caught.value.key_path == key_path
    assert caught.value.message
    assert key_path in str(caught.value)


def test_version_changes_with_the_definition() -> None:
    """An indicator's version hash changes when its rubric changes and only then."""
    before = load_rubric_set(_raw(), "a.toml").indicators
    after = load_rubric_set(_mutate("indicators.TCH-2.linear.floor", 1), "b.toml").indicators
    assert before["TCH-2"].version != after["TCH-2"].version
    assert before["TCH-3"].version == after["TCH-3"].version
