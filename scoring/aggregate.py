"""Totals per person per round, per category and per unit, and ranks in which ties share a place.

Weighted score = Σ(weight × score) ÷ Σ weight, over the indicators that apply to the person's role. An
indicator with no score yet (not submitted, pending, waiting for the committee) counts as 0 when the config
says ``missing_scores = "zero"`` and is left out of both sums with ``"skip"``. Exact decimals throughout; each
result rounds half-up to the configured places, and when ``round_each_step`` is false the exact indicator
scores (``ScoreResult.exact``) are used so only the final figure rounds.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from scoring.decimals import ZERO, div, mul, quantize, total
from scoring.model import Indicator, ScoreResult
from scoring.rubric import ScaleConfig

ScoreInput = ScoreResult | Decimal | None


@dataclass(frozen=True)
class PersonTotal:
    """One person's figures for one round."""

    person: str
    per_indicator: dict[str, Decimal | None]  # code → score, None when there is none yet
    per_category: dict[str, Decimal]  # category → weighted mean within it
    total: Decimal  # plain sum of the indicator scores (seed 000 adds award points)
    weighted: Decimal  # Σ(weight × score) ÷ Σ weight
    scored: int  # how many applicable indicators have a score
    expected: int  # how many indicators apply to the person's role


@dataclass(frozen=True)
class UnitTotal:
    unit: str
    people: int
    total: Decimal  # sum of the people's totals
    weighted_mean: Decimal  # mean of the people's weighted scores
    rank: int


def _value(score: ScoreInput, scale: ScaleConfig) -> Decimal | None:
    if isinstance(score, ScoreResult):
        exact = score.exact if score.exact is not None else score.value
        return score.value if scale.round_each_step or exact is None else exact
    return score


def _weighted(pairs: Sequence[tuple[Decimal, Decimal | None]], scale: ScaleConfig) -> Decimal:
    """Σ(w × s) ÷ Σ w over (weight, score) pairs, with missing scores as the config says."""
    counted = [
        (w, s if s is not None else ZERO) for w, s in pairs if s is not None or scale.missing_scores == "zero"
    ]
    weights = total(w for w, _ in counted)
    if weights == 0:
        return ZERO
    return div(total(mul(w, s) for w, s in counted), weights)


def weighted_score(pairs: Sequence[tuple[Decimal, Decimal | None]], scale: ScaleConfig) -> Decimal:
    """The weighted score of (weight, score) pairs, rounded half-up to the configured places."""
    return quantize(_weighted(pairs, scale), scale.decimals)


def aggregate_person(
    person: str,
    indicators: Sequence[Indicator],
    scores: Mapping[str, ScoreInput],
    scale: ScaleConfig,
    category_weights: Mapping[str, Decimal] | None = None,
) -> PersonTotal:
    """A person's totals for a round from the indicators of their role and their scores by code.

    Scores for codes outside ``indicators`` (an indicator of another role) are not counted. With
    ``category_weights`` the weighted score is Σ(w × category score) ÷ Σ w over the person's categories
    (a category with no score at all is left out when missing scores are skipped); else it is over the
    indicators.
    """
    step = (lambda x: quantize(x, scale.decimals)) if scale.round_each_step else (lambda x: x)
    values = {i.code: _value(scores.get(i.code), scale) for i in indicators}
    by_category: dict[str, list[tuple[Decimal, Decimal | None]]] = defaultdict(list)
    for indicator in indicators:
        by_category[indicator.category].append((indicator.weight, values[indicator.code]))
    per_category = {
        cat: quantize(step(_weighted(pairs, scale)), scale.decimals) for cat, pairs in by_category.items()
    }
    if category_weights is None:
        weighted = _weighted([(i.weight, values[i.code]) for i in indicators], scale)
    else:
        # The category figures as shown (rounded when each step rounds, exact otherwise) are what is weighed.
        by_weight = [
            (
                category_weights.get(cat, ZERO),
                step(_weighted(pairs, scale)) if _any_score(pairs, scale) else None,
            )
            for cat, pairs in by_category.items()
        ]
        weighted = _weighted(by_weight, scale)
    present = [v for v in values.values() if v is not None]
    return PersonTotal(
        person=person,
        per_indicator={
            code: None if v is None else quantize(v, scale.decimals) for code, v in values.items()
        },
        per_category=per_category,
        total=quantize(total(present), scale.decimals),
        weighted=quantize(weighted, scale.decimals),
        scored=len(present),
        expected=len(indicators),
    )


def _any_score(pairs: Sequence[tuple[Decimal, Decimal | None]], scale: ScaleConfig) -> bool:
    return scale.missing_scores == "zero" or any(s is not None for _, s in pairs)


def rank_with_ties(values: Sequence[Decimal]) -> list[int]:
    """Competition ranks, highest first, aligned with the input: [5, 4, 4, 3] → [1, 2, 2, 4]."""
    ascending = sorted(values)
    return [len(ascending) - bisect_right(ascending, value) + 1 for value in values]


def rank_people(totals: Sequence[PersonTotal], by: str = "weighted") -> list[int]:
    """Ranks of people by their weighted score (or ``by="total"``), ties sharing a place."""
    return rank_with_ties([t.weighted if by == "weighted" else t.total for t in totals])


def aggregate_units(
    totals: Sequence[PersonTotal], unit_of: Mapping[str, str], scale: ScaleConfig
) -> list[UnitTotal]:
    """Per unit (district office): people counted, summed totals, mean weighted score, ranked by that mean."""
    groups: dict[str, list[PersonTotal]] = defaultdict(list)
    for person_total in totals:
        groups[unit_of.get(person_total.person, "")].append(person_total)
    units = sorted(groups)
    means = [
        quantize(div(total(t.weighted for t in groups[u]), Decimal(len(groups[u]))), scale.decimals)
        for u in units
    ]
    ranks = rank_with_ties(means)
    return [
        UnitTotal(
            unit=unit,
            people=len(groups[unit]),
            total=quantize(total(t.total for t in groups[unit]), scale.decimals),
            weighted_mean=mean,
            rank=rank,
        )
        for unit, mean, rank in zip(units, means, ranks, strict=True)
    ]
