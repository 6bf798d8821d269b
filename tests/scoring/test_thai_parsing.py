"""Parsing answers as Thai staff type them: numbers and dates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scoring.thai import (
    DateIssue,
    NumberIssue,
    be_to_ce,
    ce_to_be,
    format_thai_date,
    parse_number,
    parse_thai_date,
    to_thai_digits,
)


@pytest.mark.parametrize(
    ("text", "value", "percent"),
    [
        ("85", "85", False),
        ("85%", "85", True),
        ("85 %", "85", True),
        ("๘๕ %", "85", True),
        ("ร้อยละ 85", "85", True),
        ("ร้อยละ ๘๕.๕", "85.5", True),
        ("85.5", "85.5", False),
        ("  85  ", "85", False),
        ("1,250 บาท", "1250", False),
        ("12 ชั่วโมง", "12", False),
        ("0", "0", False),
        ("-5", "-5", False),
        ("85 เปอร์เซ็นต์", "85", True),
    ],
)
def test_numbers_that_parse(text: str, value: str, percent: bool) -> None:
    """Every spelling of a number people type gives the same exact Decimal."""
    parsed = parse_number(text)
    assert parsed.value == Decimal(value)
    assert parsed.is_percent is percent
    assert parsed.error is None


@pytest.mark.parametrize("text", ["N/A", "n/a", "NA", "N.A.", "#N/A", "ไม่มีข้อมูล"])
def test_na_spellings(text: str) -> None:
    """N/A in its usual spellings is N/A, not an error and not blank."""
    parsed = parse_number(text)
    assert parsed.is_na and not parsed.is_blank and parsed.value is None and parsed.error is None


@pytest.mark.parametrize("text", ["", "   ", "-", "–", "—", None])
def test_blanks(text: str | None) -> None:
    """An empty answer or a lone dash means nothing was reported."""
    parsed = parse_number(text)
    assert parsed.is_blank and parsed.value is None and parsed.error is None


@pytest.mark.parametrize(
    ("text", "issue"),
    [
        ("ประมาณ 80", NumberIssue.EXTRA_TEXT),
        ("ดีมาก", NumberIssue.NOT_A_NUMBER),
        ("80-90", NumberIssue.MULTIPLE_NUMBERS),
        ("80 หรือ 85", NumberIssue.MULTIPLE_NUMBERS),
        ("85,5", NumberIssue.AMBIGUOUS_COMMA),
        ("=1+1", NumberIssue.MULTIPLE_NUMBERS),
    ],
)
def test_unparseable_numbers_say_why(text: str, issue: NumberIssue) -> None:
    """A failed parse is a value naming the problem, never an exception."""
    parsed = parse_number(text)
    assert parsed.value is None
    assert parsed.error is issue
    assert parsed.detail


@given(st.decimals(min_value=-(10**6), max_value=10**6, places=3, allow_nan=False, allow_infinity=False))
def test_thai_digits_parse_like_arabic(value: Decimal) -> None:
    """A number written in Thai digits parses to the same value as in Arabic digits."""
    text = format(value, "f")
    assert parse_number(to_thai_digits(text)).value == parse_number(text).value == value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("29 สิงหาคม 2568", date(2025, 8, 29)),
        ("29 ส.ค. 68", date(2025, 8, 29)),
        ("29 ส.ค. 2568", date(2025, 8, 29)),
        ("29 สค 68", date(2025, 8, 29)),
        ("๒๙/๐๘/๒๕๖๘", date(2025, 8, 29)),
        ("29/08/2025", date(2025, 8, 29)),
        ("2025-08-29", date(2025, 8, 29)),
        ("วันที่ 29 เดือน สิงหาคม พ.ศ.2566", date(2023, 8, 29)),
        ("อังคาร ที่ 29 เดือน สิงหาคม พ.ศ.2566", date(2023, 8, 29)),
        ("วันจันทร์ที่ 1 ม.ค. 2567", date(2024, 1, 1)),
        ("1 ม.ค. 69", date(2026, 1, 1)),
        ("1 มกราคม ค.ศ. 2026", date(2026, 1, 1)),
        ("29 Aug 2025", date(2025, 8, 29)),
    ],
)
def test_dates_that_parse(text: str, expected: date) -> None:
    """Thai month names, abbreviations, Thai digits and Buddhist-era years all give the Common-era date."""
    assert parse_thai_date(text).value == expected


@pytest.mark.parametrize(
    ("text", "issue"),
    [
        ("", DateIssue.BLANK),
        ("เมื่อวาน", DateIssue.UNKNOWN_FORMAT),
        ("29 ฤดูฝน 68", DateIssue.UNKNOWN_MONTH),
        ("31 ก.พ. 68", DateIssue.INVALID_DATE),
        ("12/13/2568", DateIssue.INVALID_DATE),
    ],
)
def test_bad_dates_say_why(text: str, issue: DateIssue) -> None:
    """A date that cannot be read is a value naming the problem."""
    parsed = parse_thai_date(text)
    assert parsed.value is None and parsed.error is issue


@given(
    st.dates(min_value=date(1958, 1, 1), max_value=date(2056, 12, 31)),
    st.sampled_from(["full", "abbr", "numeric"]),
    st.booleans(),
)
def test_be_ce_round_trip(day: date, style: str, thai_digits: bool) -> None:
    """A date written the Thai way (Buddhist era) parses back to the same date."""
    text = format_thai_date(day, style, thai_digits=thai_digits)  # type: ignore[arg-type]
    assert parse_thai_date(text).value == day


@given(st.integers(min_value=1, max_value=9999))
def test_year_conversion_round_trips(year: int) -> None:
    """พ.ศ. = ค.ศ. + 543 both ways."""
    assert be_to_ce(ce_to_be(year)) == year
    assert ce_to_be(2024) == 2567
