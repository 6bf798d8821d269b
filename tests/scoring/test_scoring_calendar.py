"""Fiscal years (1 Oct – 30 Sep, Buddhist era) and the 6-, 9- and 12-month rounds."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scoring.calendar import (
    FiscalYear,
    default_cutoff,
    fiscal_year_of,
    parse_round_months,
    round_for_submission,
)
from scoring.rubric import RubricSet


@pytest.mark.parametrize(
    ("day", "year_be"),
    [
        (date(2025, 10, 1), 2569),
        (date(2026, 9, 30), 2569),
        (date(2025, 9, 30), 2568),
        (date(2023, 10, 1), 2567),
    ],
)
def test_fiscal_year_of(day: date, year_be: int) -> None:
    """October starts the next Buddhist-era fiscal year (DOMAIN: FY2567 = 1 Oct 2023 – 30 Sep 2024)."""
    assert fiscal_year_of(day) == FiscalYear(year_be)


@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2100, 12, 31)))
def test_every_day_is_in_its_fiscal_year(day: date) -> None:
    """A day lies within the bounds of the fiscal year it is assigned to."""
    fiscal_year = fiscal_year_of(day)
    assert fiscal_year.start <= day <= fiscal_year.end
    assert (fiscal_year.end - fiscal_year.start).days in (364, 365)


def test_default_cutoffs() -> None:
    """Rounds cover the fiscal year up to 31 March, 30 June and 30 September."""
    fiscal_year = FiscalYear(2569)
    assert [default_cutoff(fiscal_year, m) for m in (6, 9, 12)] == [
        date(2026, 3, 31),
        date(2026, 6, 30),
        date(2026, 9, 30),
    ]


def test_late_is_after_end_of_day_bangkok(sukhothai: RubricSet) -> None:
    """A submission at 23:59 Bangkok on the deadline is on time; at midnight it is late."""
    six = sukhothai.round(6)
    assert six is not None
    assert not six.is_late(datetime(2026, 4, 15, 16, 59, 59, tzinfo=UTC))  # 23:59:59 +07:00
    assert six.is_late(datetime(2026, 4, 15, 17, 0, 0, tzinfo=UTC))
    assert six.label() == "รอบ 6 เดือน ปีงบประมาณ 2569"
    with pytest.raises(ValueError, match="aware"):
        six.is_late(datetime(2026, 4, 1))  # noqa: DTZ001 - a naive timestamp is the error under test


def test_round_for_submission(sukhothai: RubricSet) -> None:
    """An answer without a round goes to the earliest round whose deadline it meets."""
    found = round_for_submission(sukhothai.rounds, datetime(2026, 5, 1, tzinfo=UTC))
    assert found is not None and found.months == 9
    assert round_for_submission(sukhothai.rounds, datetime(2026, 11, 1, tzinfo=UTC)) is None


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("รอบ 6 เดือน", 6),
        ("รอบ ๙ เดือน", 9),
        ("รอบ 12 เดือน", 12),
        ("12 months", 12),
        ("รอบ 7 เดือน", None),
        ("", None),
    ],
)
def test_parse_round_months(text: str, months: int | None) -> None:
    """The form's round option gives 6, 9 or 12 (Thai digits too), anything else None."""
    assert parse_round_months(text) == months
