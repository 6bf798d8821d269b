"""Category weights: with a weight on every category the weighted score is Σ(w × category score) ÷ Σ w over
the categories; without, it stays over the indicators; a half-weighted set is refused."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from scoring.aggregate import aggregate_person
from scoring.rubric import RubricConfigError, RubricSet, load_rubric_set

D = Decimal


def _set(categories: dict[str, dict[str, Any]], missing: str = "zero") -> RubricSet:
    """Two categories: A with two manual indicators (weights 1 and 3), B with one."""

    def indicator(name: str, category: str, weight: int = 1) -> dict[str, Any]:
        return {"name_th": name, "category": category, "roles": ["*"], "kind": "manual", "weight": weight}

    data = {
        "rubric_set": {"name_th": "ทดสอบ"},
        "scale": {"missing_scores": missing},
        "categories": categories,
        "indicators": {
            "A-1": indicator("ก1", "a"),
            "A-2": indicator("ก2", "a", 3),
            "B-1": indicator("ข1", "b"),
        },
    }
    return load_rubric_set(data, "test.toml")


def _person(rubrics: RubricSet, scores: dict[str, Decimal | None]) -> Any:
    indicators = list(rubrics.indicators.values())
    return aggregate_person("p", indicators, scores, rubrics.scale, rubrics.category_weights())


def test_category_weights_weigh_the_category_scores() -> None:
    """A: (1×5 + 3×3) ÷ 4 = 3.5; B: 2. Weights a=3, b=1: (3×3.5 + 1×2) ÷ 4 = 3.125."""
    rubrics = _set({"a": {"name_th": "ก", "weight": 3}, "b": {"name_th": "ข", "weight": 1}})
    person = _person(rubrics, {"A-1": D(5), "A-2": D(3), "B-1": D(2)})
    assert person.per_category == {"a": D("3.50000"), "b": D("2.00000")}
    assert person.weighted == D("3.12500")


def test_without_category_weights_the_indicators_are_weighed() -> None:
    """No category weight: (1×5 + 3×3 + 1×2) ÷ 5 = 3.2, as before."""
    rubrics = _set({"a": {"name_th": "ก"}, "b": {"name_th": "ข"}})
    assert rubrics.category_weights() is None
    assert _person(rubrics, {"A-1": D(5), "A-2": D(3), "B-1": D(2)}).weighted == D("3.20000")


def test_a_category_without_scores_is_left_out_when_skipping() -> None:
    """missing_scores = "skip": B has no score, so only A counts (3.5); with "zero" B counts as 0."""
    weights = {"a": {"name_th": "ก", "weight": 3}, "b": {"name_th": "ข", "weight": 1}}
    scores = {"A-1": D(5), "A-2": D(3), "B-1": None}
    assert _person(_set(weights, "skip"), scores).weighted == D("3.50000")
    assert _person(_set(weights, "zero"), scores).weighted == D("2.62500")


def test_weights_on_some_categories_only_are_refused() -> None:
    """Every category weighted or none: the first without a weight is named."""
    with pytest.raises(RubricConfigError) as info:
        _set({"a": {"name_th": "ก", "weight": 2}, "b": {"name_th": "ข"}})
    assert info.value.key_path == "categories.b.weight"


def test_weights_adding_up_to_zero_are_refused() -> None:
    """All-zero category weights would divide by zero: refused at load."""
    with pytest.raises(RubricConfigError, match="add up to 0"):
        _set({"a": {"name_th": "ก", "weight": 0}, "b": {"name_th": "ข", "weight": 0}})
