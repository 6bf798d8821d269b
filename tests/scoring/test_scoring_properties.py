"""Properties over many inputs: more achievement never scores less; counted ≥ sequential."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st
from scoring_helpers import one_indicator

from scoring.engine import ScoreStatus, score_submission
from scoring.facts import AWARD_LEVELS, SubmissionFacts

step_sets = st.frozensets(st.integers(min_value=1, max_value=5))
SEQUENTIAL = one_indicator("milestone", {"steps": 5, "mode": "sequential"})
COUNTED = one_indicator("milestone", {"steps": 5, "mode": "counted"})
AWARDS_OPEN = one_indicator(
    "awards", {"points": {"national": 5, "regional": 3, "provincial": 2, "district": 1}}, allow_above_max=True
)
AWARDS_CAPPED = one_indicator("awards", {"points": {"national": 5, "regional": 3, "provincial": 2}, "cap": 5})
LINEAR = one_indicator(
    "linear",
    {"thresholds": [[50, 1], [60, 2], [70, 3], [80, 4], [90, 5]], "floor": 0},
    value_range={"max": 100},
)
QUALITY = one_indicator("quality_matrix", {"aspects": 4})


def score(indicator: object, facts: SubmissionFacts) -> Decimal:
    result = score_submission(indicator, facts)  # type: ignore[arg-type]
    assert result.status is ScoreStatus.SCORED and result.value is not None
    return result.value


@given(step_sets, step_sets)
def test_more_steps_never_score_less(some: frozenset[int], more: frozenset[int]) -> None:
    """Adding steps to a submission never lowers a milestone score, in either mode."""
    for indicator in (SEQUENTIAL, COUNTED):
        assert score(indicator, SubmissionFacts(steps_met=some | more)) >= score(
            indicator, SubmissionFacts(steps_met=some)
        )


@given(step_sets)
def test_counted_at_least_sequential(met: frozenset[int]) -> None:
    """Counting steps one by one never gives less than counting them in sequence."""
    facts = SubmissionFacts(steps_met=met)
    assert score(COUNTED, facts) >= score(SEQUENTIAL, facts)


award_counts = st.fixed_dictionaries({level: st.integers(min_value=0, max_value=4) for level in AWARD_LEVELS})


@given(award_counts, award_counts)
def test_more_awards_never_score_less(base: dict[str, int], extra: dict[str, int]) -> None:
    """More awards at any level never lower the score, capped or not."""
    more = {level: base[level] + extra[level] for level in AWARD_LEVELS}
    for indicator in (AWARDS_OPEN, AWARDS_CAPPED):
        assert score(indicator, SubmissionFacts(awards=more)) >= score(
            indicator, SubmissionFacts(awards=base)
        )
    assert score(AWARDS_CAPPED, SubmissionFacts(awards=more)) <= Decimal(5)


values = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False)


@given(values, values)
def test_higher_value_never_scores_less(a: Decimal, b: Decimal) -> None:
    """On rising thresholds a higher measured value never scores less, and stays within floor..cap."""
    low, high = sorted((a, b))
    low_score = score(LINEAR, SubmissionFacts(value_text=str(low)))
    high_score = score(LINEAR, SubmissionFacts(value_text=str(high)))
    assert Decimal(0) <= low_score <= high_score <= Decimal(5)


@given(step_sets, step_sets, st.integers(min_value=0, max_value=4), st.integers(min_value=0, max_value=4))
def test_quality_never_falls_with_more_done_or_clear(
    done: frozenset[int], more: frozenset[int], clear: int, extra: int
) -> None:
    """More aspects done, or more clear (never more clear than done), never lowers the quality level."""
    done = frozenset(s for s in done if s <= 4)
    bigger = frozenset(s for s in done | more if s <= 4)
    clear = min(clear, len(done))
    more_clear = min(clear + extra, len(bigger))
    before = score(QUALITY, SubmissionFacts(value_text=str(clear), steps_met=done))
    after = score(QUALITY, SubmissionFacts(value_text=str(more_clear), steps_met=bigger))
    assert after >= before
