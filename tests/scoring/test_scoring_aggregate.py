"""Aggregation per person, category and unit; ranks with ties; seed 001's weighted score."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scoring_helpers import load_config

from scoring.aggregate import aggregate_person, aggregate_units, rank_with_ties, weighted_score
from scoring.engine import score_submission
from scoring.facts import SubmissionFacts
from scoring.rubric import RubricSet, ScaleConfig

D = Decimal
SCALE = ScaleConfig()
SEED_001 = [D("5.00000"), D("4.75000"), D("5.00000"), D("5.00000"), D("5.00000"), D("5.00000"), D("4.80653")]


@pytest.mark.parametrize(
    ("values", "ranks"),
    [
        ([D(5), D(4), D(4), D(3)], [1, 2, 2, 4]),
        ([D(3), D(4), D(5), D(4)], [4, 2, 1, 2]),
        ([D(1), D(1), D(1)], [1, 1, 1]),
        ([], []),
        ([D("4.74511"), D("4.745110"), D("4.7451")], [1, 1, 3]),
    ],
)
def test_rank_with_ties(values: list[Decimal], ranks: list[int]) -> None:
    """Ties share a rank and the next rank skips (1, 2, 2, 4), aligned with the input order."""
    assert rank_with_ties(values) == ranks


def test_weighted_formula_worked_example() -> None:
    """Weighted = Σ(weight × score) ÷ Σ weight: (2×5 + 1×4 + 1×3) ÷ 4 = 4.25000."""
    assert weighted_score([(D(2), D(5)), (D(1), D(4)), (D(1), D(3))], SCALE) == D("4.25000")


def test_weighted_rounds_half_up_to_five_places() -> None:
    """(5 + 5 + 4.23534) ÷ 3 = 4.745113… → 4.74511; and 4.745105 rounds up, not to even."""
    assert weighted_score([(D(1), D(5)), (D(1), D(5)), (D(1), D("4.23534"))], SCALE) == D("4.74511")
    assert weighted_score([(D(1), D("4.74510")), (D(1), D("4.74511"))], SCALE) == D("4.74511")


def test_seed_001_weights_are_not_recoverable() -> None:
    """Seed 001's 4.74511 is below every one of its seven category scores, so no weights over those seven
    alone reproduce it: the equal-weight PMQA set gives 34.55653 ÷ 7 = 4.93665 instead."""
    assert D("4.74511") < min(SEED_001)
    pmqa = load_config("krs-pmqa.toml")
    codes = [f"PMQA-{i}" for i in range(1, 8)]
    scores = {
        code: score_submission(pmqa.indicators[code], SubmissionFacts(manual_score=value))
        for code, value in zip(codes, SEED_001, strict=True)
    }
    assert all(str(scores[c].value) == str(v) for c, v in zip(codes, SEED_001, strict=True))
    person = aggregate_person("สพป.มหาสารคาม เขต 3", [pmqa.indicators[c] for c in codes], scores, pmqa.scale)
    assert person.weighted == D("4.93665")
    assert person.per_category == {"pmqa": D("4.93665")}


@given(st.lists(st.integers(min_value=0, max_value=100), min_size=7, max_size=7).filter(any))
def test_no_weights_reproduce_seed_001(weights: list[int]) -> None:
    """Any non-negative weights put the weighted score of seed 001's categories within [4.75, 5]."""
    result = weighted_score([(D(w), s) for w, s in zip(weights, SEED_001, strict=True)], SCALE)
    assert D("4.75") <= result <= D(5)


def test_missing_scores_zero_or_skip(sukhothai: RubricSet) -> None:
    """A missing indicator counts 0 with missing_scores = "zero" and is left out with "skip"."""
    indicators = [sukhothai.indicators["TCH-2"], sukhothai.indicators["TCH-3"]]
    scores = {"TCH-2": D("4.00000"), "TCH-3": None}
    zero = aggregate_person("a", indicators, scores, ScaleConfig(missing_scores="zero"))
    skip = aggregate_person("a", indicators, scores, ScaleConfig(missing_scores="skip"))
    assert (zero.weighted, skip.weighted) == (D("2.00000"), D("4.00000"))
    assert (zero.scored, zero.expected) == (1, 2)


def test_person_totals_per_category(sukhothai: RubricSet) -> None:
    """Totals sum every score (awards past 5 included); categories average within themselves."""
    teacher = sukhothai.for_role("ครู")
    scores = {i.code: D(5) for i in teacher} | {"TCH-1": D(7), "TCH-2": D(3)}
    person = aggregate_person("t@sukho.nfe.go.th", teacher, scores, sukhothai.scale)
    assert person.total == D("50.00000")
    assert person.per_category == {"all_staff": D("5.00000"), "teacher": D("5.00000")}
    assert person.weighted == D("5.00000")
    assert person.per_indicator["TCH-1"] == D("7.00000")


def test_round_only_at_the_end_uses_exact_scores() -> None:
    """With round_each_step = false the unrounded indicator scores feed the total."""
    rubric = load_config("sukhothai-2569.toml")
    indicator = rubric.indicators["ALL-5"]
    thirds = score_submission(indicator, SubmissionFacts(value_text="7"))  # 1.1666…
    each = aggregate_person("p", [indicator] * 3, {"ALL-5": thirds}, ScaleConfig(round_each_step=True))
    assert each.weighted == D("1.16667")
    end = aggregate_person("p", [indicator], {"ALL-5": thirds}, ScaleConfig(round_each_step=False))
    assert end.weighted == D("1.16667") and thirds.exact is not None and thirds.exact != thirds.value


def test_units_rank_by_mean(sukhothai: RubricSet) -> None:
    """Units are ranked by their people's mean weighted score, ties sharing a rank."""
    indicators = [sukhothai.indicators["TCH-2"]]
    people = [
        aggregate_person(p, indicators, {"TCH-2": D(v)}, SCALE) for p, v in [("a", 5), ("b", 3), ("c", 4)]
    ]
    units = aggregate_units(people, {"a": "เมือง", "b": "เมือง", "c": "ศรีสำโรง"}, SCALE)
    assert [(u.unit, u.people, u.weighted_mean, u.rank) for u in units] == [
        ("ศรีสำโรง", 1, D("4.00000"), 1),
        ("เมือง", 2, D("4.00000"), 1),
    ]


score_values = st.decimals(min_value=0, max_value=10, places=5, allow_nan=False, allow_infinity=False)


@given(
    st.lists(st.tuples(st.integers(min_value=0, max_value=5), score_values), min_size=1, max_size=12),
    st.randoms(),
)
def test_aggregation_independent_of_order(pairs: list[tuple[int, Decimal]], rng: object) -> None:
    """Shuffling the indicators changes neither the weighted score nor the per-person totals."""
    weighted = [(D(w), s) for w, s in pairs]
    shuffled = list(weighted)
    rng.shuffle(shuffled)  # type: ignore[attr-defined]
    assert weighted_score(weighted, SCALE) == weighted_score(shuffled, SCALE)


@given(st.lists(score_values, max_size=30), st.randoms())
def test_ranks_follow_their_values(values: list[Decimal], rng: object) -> None:
    """A value's rank does not depend on where it stands in the input."""
    order = list(range(len(values)))
    rng.shuffle(order)  # type: ignore[attr-defined]
    ranks = rank_with_ties(values)
    shuffled_ranks = rank_with_ties([values[i] for i in order])
    assert [ranks[i] for i in order] == shuffled_ranks
    assert all(r == 1 + sum(v > values[i] for v in values) for i, r in enumerate(ranks))


@given(st.lists(st.tuples(st.integers(min_value=1, max_value=5), score_values), min_size=1, max_size=12))
def test_weighted_lies_between_min_and_max(pairs: list[tuple[int, Decimal]]) -> None:
    """A weighted mean never leaves the range of the scores it averages."""
    result = weighted_score([(D(w), s) for w, s in pairs], SCALE)
    assert min(s for _, s in pairs) <= result <= max(s for _, s in pairs)
