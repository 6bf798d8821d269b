"""Dates typed under USER_ENTERED become serial numbers with a DATE format, read by the sheet's locale."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from gspread.utils import ValueInputOption, ValueRenderOption

from sandbox import dates
from tests.sandbox.gspread_helpers import clients

pytestmark = pytest.mark.integration


def serial(year: int, month: int, day: int) -> int:
    return (date(year, month, day) - date(1899, 12, 30)).days


@pytest.fixture
def make_book(empty_sandbox) -> Iterator[Any]:
    """A factory of spreadsheets with a given locale; yields (gspread worksheet, Sheets service, id)."""
    with clients(empty_sandbox.base_url) as (gc, service):

        def make(locale: str) -> tuple[Any, Any, str]:
            body = {"properties": {"title": f"วันที่ {locale}", "locale": locale}}
            sid = service.spreadsheets().create(body=body).execute()["spreadsheetId"]
            return gc.open_by_key(sid).sheet1, service, sid

        yield make


def _typed(make_book, locale: str, text: str) -> tuple[Any, Any]:
    sheet, _, _ = make_book(locale)
    sheet.update([[text]], "A1", value_input_option=ValueInputOption.user_entered)
    unformatted = sheet.get("A1", value_render_option=ValueRenderOption.unformatted)[0][0]
    formatted = sheet.get("A1", value_render_option=ValueRenderOption.formatted)[0][0]
    return unformatted, formatted


@pytest.mark.parametrize(
    ("locale", "text", "expected", "shown"),
    [
        ("en_US", "3/4/2026", serial(2026, 3, 4), "3/4/2026"),
        ("th_TH", "3/4/2026", serial(2026, 4, 3), "3/4/2026"),
        ("en_GB", "3/4/2026", serial(2026, 4, 3), "3/4/2026"),
        ("en_US", "2026-03-04", serial(2026, 3, 4), "2026-03-04"),
        ("th_TH", "2026-03-04", serial(2026, 3, 4), "2026-03-04"),
        ("th_TH", "2026/3/4", serial(2026, 3, 4), "2026/03/04"),
    ],
)
def test_a_typed_date_is_a_serial_number_read_by_locale(
    make_book, locale: str, text: str, expected: int, shown: str
) -> None:
    """A typed date reads as days since 1899-12-30 (day/month by locale), shown as typed."""
    unformatted, formatted = _typed(make_book, locale, text)
    assert (unformatted, formatted) == (expected, shown)


def test_a_typed_date_and_time_keeps_the_time_as_a_fraction(make_book) -> None:
    """ "2026-03-04 13:30" is the serial plus 13.5/24, shown with seconds, formatted DATE_TIME."""
    unformatted, formatted = _typed(make_book, "th_TH", "2026-03-04 13:30")
    assert unformatted == pytest.approx(serial(2026, 3, 4) + 13.5 / 24)
    assert formatted == "2026-03-04 13:30:00"


@pytest.mark.parametrize("text", ["31/02/2026", "29 สิงหาคม 2568", "๒๙/๐๘/๒๕๖๘", "29.08.2025", "4/3/26"])
def test_what_is_not_a_date_stays_text(make_book, text: str) -> None:
    """An impossible date, month names, Thai digits, dots and two-digit years are kept as typed text."""
    unformatted, formatted = _typed(make_book, "th_TH", text)
    assert unformatted == formatted == text


def test_raw_input_never_makes_a_date(make_book) -> None:
    """RAW stores "2026-03-04" as the string it is."""
    sheet, _, _ = make_book("en_US")
    sheet.update([["2026-03-04"]], "A1", value_input_option=ValueInputOption.raw)
    assert sheet.get("A1", value_render_option=ValueRenderOption.unformatted) == [["2026-03-04"]]


def test_the_cell_gets_a_date_number_format(make_book) -> None:
    """The cell holds numberValue and numberFormat {type: DATE, pattern: m/d/yyyy}."""
    sheet, service, sid = make_book("en_US")
    sheet.update([["3/4/2026"]], "A1", value_input_option=ValueInputOption.user_entered)
    got = (
        service.spreadsheets()
        .get(
            spreadsheetId=sid,
            ranges=["A1"],
            fields="sheets.data.rowData.values(userEnteredValue,userEnteredFormat)",
        )
        .execute()
    )
    cell = got["sheets"][0]["data"][0]["rowData"][0]["values"][0]
    assert cell["userEnteredValue"] == {"numberValue": serial(2026, 3, 4)}
    assert cell["userEnteredFormat"]["numberFormat"] == {"type": "DATE", "pattern": "m/d/yyyy"}


def test_date_time_render_option_formatted_string(make_book) -> None:
    """UNFORMATTED_VALUE with FORMATTED_STRING answers dates as text, numbers as numbers."""
    sheet, service, sid = make_book("th_TH")
    sheet.update([["15/8/2026", "12"]], "A1", value_input_option=ValueInputOption.user_entered)
    got = (
        service.spreadsheets()
        .values()
        .get(
            spreadsheetId=sid,
            range="A1:B1",
            valueRenderOption="UNFORMATTED_VALUE",
            dateTimeRenderOption="FORMATTED_STRING",
        )
        .execute()
    )
    assert got["values"] == [["15/8/2026", 12]]


@pytest.mark.parametrize(
    ("value", "pattern", "shown"),
    [
        (serial(2026, 8, 5), "dd/mm/yyyy", "05/08/2026"),
        (serial(2026, 8, 5), "d/m/yy", "5/8/26"),
        (serial(2026, 8, 5) + 0.75, "yyyy-mm-dd hh:mm", "2026-08-05 18:00"),
        (serial(1900, 1, 1) + 0.5, "m/d/yyyy h:mm:ss", "1/1/1900 12:00:00"),
    ],
)
def test_format_serial_follows_the_pattern(value: float, pattern: str, shown: str) -> None:
    """dates.format_serial reads mm as months, or minutes after an hour token."""
    assert dates.format_serial(value, pattern) == shown


def test_serial_numbers_count_from_1899_12_30() -> None:
    """Google's example: January 1st 1900 at noon is 2.5."""
    assert dates.parse("1900-01-01 12:00", "en_US") == (
        2.5,
        {"type": "DATE_TIME", "pattern": "yyyy-mm-dd hh:mm:ss"},
    )


def test_a_plain_text_cell_keeps_what_is_typed(make_book) -> None:
    """A cell formatted as plain text (numberFormat TEXT) takes typed dates, numbers and "=" as text."""
    sheet, service, sid = make_book("th_TH")
    plain = {"userEnteredFormat": {"numberFormat": {"type": "TEXT"}}}
    service.spreadsheets().batchUpdate(
        spreadsheetId=sid,
        body={
            "requests": [
                {
                    "repeatCell": {
                        "range": {"sheetId": 0, "startRowIndex": 0, "endRowIndex": 1, "startColumnIndex": 0},
                        "cell": plain,
                        "fields": "userEnteredFormat.numberFormat",
                    }
                }
            ]
        },
    ).execute()
    sheet.update([["15/8/2026", "12", "=1+1"]], "A1", value_input_option=ValueInputOption.user_entered)
    sheet.update([["15/8/2026"]], "A2", value_input_option=ValueInputOption.user_entered)
    got = sheet.get("A1:C2", value_render_option=ValueRenderOption.unformatted)
    assert got == [["15/8/2026", "12", "=1+1"], [serial(2026, 8, 15)]]
