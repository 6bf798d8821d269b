"""Rules across kinds: N/A per round, numbers missing, unreadable answers, ranges, above full score."""

from __future__ import annotations

from decimal import Decimal

import pytest
from scoring_helpers import one_indicator

from scoring.engine import ScoreStatus, score_submission
from scoring.facts import SubmissionFacts
from scoring.flags import FlagCode, flag_label
from scoring.rubric import RubricSet


@pytest.mark.parametrize("code", ["TCH-2", "DST-2", "DST-1"])
@pytest.mark.parametrize(
    ("months", "status", "value"),
    [(6, ScoreStatus.PENDING, None), (9, ScoreStatus.PENDING, None), (12, ScoreStatus.SCORED, "1.00000")],
)
def test_na_by_round(
    sukhothai: RubricSet, code: str, months: int, status: ScoreStatus, value: str | None
) -> None:
    """N/A is pending in the 6- and 9-month rounds and scores 1.00000 in the 12-month round (seed 004)."""
    facts = SubmissionFacts(value_text="N/A", steps_met=frozenset({1, 2, 3, 4}), round_months=months)  # type: ignore[arg-type]
    result = score_submission(sukhothai.indicators[code], facts)
    assert result.status is status
    assert result.value == (None if value is None else Decimal(value))
    assert result.flags == ()
    assert "N/A" in result.explanation


def test_na_final_score_and_decimals_come_from_config() -> None:
    """The N/A score and the number of decimals are the config's (seed 004 shows 1.0000: 4 places)."""
    indicator = one_indicator(
        "linear", {"thresholds": [[0, 1], [10, 5]]}, scale={"decimals": 4, "na_final_score": 1}
    )
    result = score_submission(indicator, SubmissionFacts(value_text="n/a", round_months=12))
    assert str(result.value) == "1.0000"


def test_file_without_numbers_cannot_score(sukhothai: RubricSet) -> None:
    """An attached file without the numbers is not scored and is flagged (seed 004)."""
    result = score_submission(
        sukhothai.indicators["TCH-2"], SubmissionFacts(value_text="", files_attached=True)
    )
    assert result.status is ScoreStatus.NOT_SCORABLE and result.value is None
    assert [f.code for f in result.flags] == [FlagCode.NUMBERS_MISSING]
    assert "แนบไฟล์แต่ไม่ได้กรอกตัวเลข" in result.explanation


@pytest.mark.parametrize("typed", ["ประมาณ 80", "ดีมาก", "80-90"])
def test_unparseable_answer_is_flagged(sukhothai: RubricSet, typed: str) -> None:
    """An answer that is not a number is flagged with the text as typed, never guessed."""
    result = score_submission(sukhothai.indicators["TCH-2"], SubmissionFacts(value_text=typed))
    assert result.status is ScoreStatus.NOT_SCORABLE
    assert [(f.code, f.detail) for f in result.flags] == [(FlagCode.UNPARSEABLE, typed)]
    assert typed in result.explanation


def test_value_out_of_range(sukhothai: RubricSet) -> None:
    """A percentage above 100 is flagged out of range and not scored."""
    result = score_submission(sukhothai.indicators["TCH-2"], SubmissionFacts(value_text="120%"))
    assert result.status is ScoreStatus.NOT_SCORABLE
    assert [f.code for f in result.flags] == [FlagCode.VALUE_OUT_OF_RANGE]


def test_value_text_ignored_by_non_value_kinds(sukhothai: RubricSet) -> None:
    """N/A typed on an awards indicator does not make it pending: awards do not read the number."""
    result = score_submission(
        sukhothai.indicators["TCH-1"], SubmissionFacts(value_text="N/A", round_months=6)
    )
    assert result.status is ScoreStatus.SCORED and result.value == Decimal("0.00000")


def test_english_explanations(sukhothai: RubricSet) -> None:
    """Every explanation is available in English."""
    result = score_submission(sukhothai.indicators["TCH-2"], SubmissionFacts(value_text="N/A"), lang="en")
    assert result.explanation == "N/A in the 12-month round scores 1.00000 by rule"


def test_every_flag_has_both_labels() -> None:
    """Each flag code has a Thai and an English label."""
    for code in FlagCode:
        assert flag_label(code) and flag_label(code, "en")
        assert flag_label(code) != flag_label(code, "en")
