"""What scoring does with what it was not told: evidence Drive never answered about, a number too long to be
one, and the fiscal year a report belongs to when it comes in around the turn of the year."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scoring_helpers import one_indicator

from scoring.calendar import FiscalYear, Round, fiscal_year_of, fiscal_year_of_report, in_fiscal_year
from scoring.engine import score_submission
from scoring.facts import EvidenceFact, EvidenceKind, SubmissionFacts
from scoring.flags import FlagCode
from scoring.model import ScoreStatus
from scoring.thai import NumberIssue, parse_number

DMIS = one_indicator("evidence_present", required_evidence=[{"name": "ภาพหน้าจอ DMIS"}])
UNCHECKED = EvidenceFact(
    EvidenceKind.OTHER, False, "https://drive.google.com/file/d/1x/view", kind_known=False, checked=False
)
TWELVE = Round(12, FiscalYear(2569), date(2026, 9, 30), date(2026, 10, 15))


def test_evidence_not_checked_yet_keeps_the_score_pending() -> None:
    """An evidence-present indicator whose only file Drive has not answered about is pending, not 0, and
    raises no unreadable or missing flag."""
    result = score_submission(DMIS, SubmissionFacts(evidence=(UNCHECKED,)))
    assert (result.value, result.status) == (None, ScoreStatus.PENDING)
    assert not {f.code for f in result.flags} & {FlagCode.EVIDENCE_UNREADABLE, FlagCode.EVIDENCE_MISSING}
    assert "ยังตรวจหลักฐาน" in result.explanation


def test_a_requirement_already_missing_is_a_verdict_despite_an_unchecked_file() -> None:
    """With one required document missing for sure, an unchecked upload that can only be the other one
    cannot save it: 0."""
    two = one_indicator(
        "evidence_present",
        required_evidence=[{"name": "แผน", "match": ["แผน"]}, {"name": "รายงาน", "match": ["รายงาน"]}],
    )
    plan = EvidenceFact(EvidenceKind.DOCUMENT, False, "แผน.pdf", "application/pdf", checked=False)
    result = score_submission(two, SubmissionFacts(evidence=(plan,)))
    assert result.value == Decimal("0.00000") and result.status is ScoreStatus.SCORED
    assert FlagCode.EVIDENCE_MISSING in {f.code for f in result.flags}


@pytest.mark.parametrize(
    "text", ["1" + "0" * 50, "100000000000000007629769841091887003294964970946560", "0.00000000001"]
)
def test_numbers_with_more_digits_than_any_score_are_refused(text: str) -> None:
    """1E50 read back from a Sheet as 51 digits is too large: an issue, never a value to round."""
    assert parse_number(text).error is NumberIssue.TOO_LARGE


def test_a_too_large_value_is_flagged_not_scored() -> None:
    """A linear indicator given a 60-digit value flags it as unparseable and scores nothing."""
    linear = one_indicator("linear", {"thresholds": [[50, 1], [90, 5]]})
    result = score_submission(linear, SubmissionFacts(value_text="9" * 60))
    assert result.value is None and FlagCode.UNPARSEABLE in {f.code for f in result.flags}


@given(st.integers(min_value=-(10**15) + 1, max_value=10**15 - 1))
def test_every_15_digit_number_still_parses(value: int) -> None:
    """Budgets up to 15 digits (hundreds of trillions of baht) parse exactly."""
    assert parse_number(f"{value:,}").value == Decimal(value)


@pytest.mark.parametrize(
    ("when", "year_be"),
    [
        (datetime(2026, 9, 30, 12, tzinfo=UTC), 2569),  # within the year
        (datetime(2026, 10, 10, 3, tzinfo=UTC), 2569),  # after the year, before its 12-month deadline
        (datetime(2026, 10, 15, 16, 59, tzinfo=UTC), 2569),  # 23:59 Bangkok on the deadline day
        (datetime(2026, 10, 15, 17, 0, tzinfo=UTC), 2570),  # midnight Bangkok: the deadline has passed
        (datetime(2027, 3, 1, tzinfo=UTC), 2570),
    ],
)
def test_a_twelve_month_report_belongs_to_the_year_its_deadline_is_still_open_for(
    when: datetime, year_be: int
) -> None:
    """A 12-month report sent before the just-ended year's deadline reports on that year; later, the next."""
    assert fiscal_year_of_report(TWELVE, when).year_be == year_be


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2090, 1, 1), timezones=st.just(UTC)))  # noqa: DTZ001 (hypothesis takes naive bounds)
def test_a_six_month_report_belongs_to_the_year_of_its_date(when: datetime) -> None:
    """The 6-month deadline falls inside its year, so a 6-month report's year is simply its date's."""
    six = Round(6, FiscalYear(2569), date(2026, 3, 31), date(2026, 4, 15))
    bangkok = (when + timedelta(hours=7)).date()
    assert fiscal_year_of_report(six, when) == fiscal_year_of(bangkok)


def test_rounds_repeat_every_year() -> None:
    """The same round in fiscal year 2570 has its cutoff and deadline one year later (29 Feb clamped)."""
    moved = in_fiscal_year(TWELVE, FiscalYear(2570))
    assert (moved.cutoff, moved.deadline, moved.fiscal_year.year_be) == (
        date(2027, 9, 30),
        date(2027, 10, 15),
        2570,
    )
    leap = Round(6, FiscalYear(2567), date(2024, 2, 29), date(2024, 2, 29))
    assert in_fiscal_year(leap, FiscalYear(2568)).deadline == date(2025, 2, 28)
