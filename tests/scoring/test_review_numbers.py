"""Review: a space inside a typed number groups thousands only; otherwise it separates two numbers."""

from __future__ import annotations

from decimal import Decimal

import pytest
from scoring_helpers import load_config

from scoring.engine import score_submission
from scoring.facts import SubmissionFacts
from scoring.flags import FlagCode
from scoring.model import ScoreStatus
from scoring.thai import NumberIssue, parse_number


@pytest.mark.parametrize("text", ["10 15", "2 3", "๑๒ ๑๕", "80 85 %", "1 25"])
def test_two_numbers_separated_by_a_space_are_not_one_number(text: str) -> None:
    """Two trainings typed "10 15" are two numbers to flag, never the number 1015."""
    parsed = parse_number(text)
    assert parsed.value is None
    assert parsed.error is NumberIssue.MULTIPLE_NUMBERS


@pytest.mark.parametrize(
    ("text", "value"),
    [("1 250", "1250"), ("1 250 000 บาท", "1250000"), ("12 345.50", "12345.50"), ("- 5", "-5")],
)
def test_spaces_grouping_thousands_still_parse(text: str, value: str) -> None:
    """A space between groups of three digits is a thousands separator, as before."""
    assert parse_number(text).value == Decimal(value)


def test_hours_typed_as_two_numbers_are_flagged_not_scored_full() -> None:
    """Seed 000's self-development hours "10 15" must not score as 1015 hours (full marks)."""
    indicator = load_config("sukhothai-2569.toml").indicators["ALL-5"]
    result = score_submission(indicator, SubmissionFacts(value_text="10 15"))
    assert result.value is None
    assert result.status is ScoreStatus.NOT_SCORABLE
    assert [flag.code for flag in result.flags] == [FlagCode.UNPARSEABLE]
