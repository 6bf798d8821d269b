"""Sheets values endpoints answered to the real gspread and googleapiclient over loopback."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import gspread
import pytest
from googleapiclient.errors import HttpError
from gspread.utils import ValueInputOption, ValueRenderOption
from gspread_helpers import clients, sandbox_base_url

pytestmark = pytest.mark.integration


@pytest.fixture
def base_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    for url, _ in sandbox_base_url(request, tmp_path):
        yield url


@pytest.fixture
def api(base_url: str) -> Iterator[tuple[gspread.Client, Any]]:
    with clients(base_url) as both:
        yield both


@pytest.fixture
def service(api: tuple[gspread.Client, Any]) -> Any:
    return api[1]


@pytest.fixture
def sheet(api: tuple[gspread.Client, Any]) -> gspread.Worksheet:
    gc, service = api
    created = service.spreadsheets().create(body={"properties": {"title": "ทดสอบ"}}).execute()
    return gc.open_by_key(created["spreadsheetId"]).sheet1


def _error(exc: pytest.ExceptionInfo[gspread.exceptions.APIError]) -> dict[str, Any]:
    error: dict[str, Any] = exc.value.response.json()["error"]
    return error


def test_create_gives_a_default_grid(sheet: gspread.Worksheet) -> None:
    """spreadsheets.create makes Sheet1 with Google's default 1000 × 26 grid."""
    assert (sheet.title, sheet.row_count, sheet.col_count) == ("Sheet1", 1000, 26)


def test_raw_keeps_formula_text_literal(sheet: gspread.Worksheet) -> None:
    """RAW stores "=1+1" and "12" as text: no formula, no number."""
    sheet.update([["=1+1", "12"]], "A1", value_input_option=ValueInputOption.raw)
    assert sheet.get("A1:B1", value_render_option=ValueRenderOption.formula) == [["=1+1", "12"]]
    assert sheet.get("A1:B1", value_render_option=ValueRenderOption.unformatted) == [["=1+1", "12"]]


def test_user_entered_parses_formulas_numbers_and_percent(sheet: gspread.Worksheet) -> None:
    """USER_ENTERED makes a formula of "=1+1", a number of "12" and 0.85 of "85%"."""
    sheet.update([["=1+1", "12", "85%", "'007"]], "A1", value_input_option=ValueInputOption.user_entered)
    assert sheet.get("A1:D1", value_render_option=ValueRenderOption.formula) == [["=1+1", 12, 0.85, "007"]]
    assert sheet.get("A1:D1", value_render_option=ValueRenderOption.unformatted) == [[2, 12, 0.85, "007"]]
    assert sheet.get("A1:D1") == [["2", "12", "85%", "007"]]


def test_reads_omit_trailing_empties_and_honour_columns(sheet: gspread.Worksheet) -> None:
    """Trailing empty rows/columns are left out and COLUMNS transposes, as Google does."""
    sheet.update([["a", "", "c"], ["", "", ""], ["d"]], "A1")
    values = sheet.spreadsheet.values_get("Sheet1!A1:E10", params={"majorDimension": "COLUMNS"})
    assert values["range"] == "Sheet1!A1:E10"
    assert values["values"] == [["a", "", "d"], [], ["c"]]


def test_batch_update_and_batch_get(sheet: gspread.Worksheet) -> None:
    """values.batchUpdate writes several ranges in one call; batchGet reads them back in order."""
    reply = sheet.batch_update(
        [{"range": "A1:B1", "values": [["ชื่อ", "คะแนน"]]}, {"range": "A2", "values": [["สมศรี", 85]]}]
    )
    assert reply["totalUpdatedCells"] == 4
    assert [r["updatedRange"] for r in reply["responses"]] == ["Sheet1!A1:B1", "Sheet1!A2:B2"]
    got = sheet.batch_get(["A1:B1", "B2"], value_render_option=ValueRenderOption.unformatted)
    assert [list(v) for v in got] == [[["ชื่อ", "คะแนน"]], [[85]]]


def test_append_writes_after_the_table(sheet: gspread.Worksheet) -> None:
    """values.append finds the table and writes below it."""
    sheet.update([["h1", "h2"], ["r1", "x"]], "A1")
    reply = sheet.spreadsheet.values_append(
        "'Sheet1'!A1", params={"valueInputOption": "RAW"}, body={"values": [["r2", "y"], ["r3", "z"]]}
    )
    assert reply["tableRange"] == "Sheet1!A1:B2"
    assert reply["updates"]["updatedRange"] == "Sheet1!A3:B4"
    assert sheet.get_all_values() == [["h1", "h2"], ["r1", "x"], ["r2", "y"], ["r3", "z"]]


def test_append_past_the_last_row_grows_the_grid(sheet: gspread.Worksheet) -> None:
    """Appending to a full sheet adds rows instead of failing."""
    sheet.resize(rows=2)
    sheet.update([["a"], ["b"]], "A1")
    sheet.spreadsheet.values_append("Sheet1", params={"valueInputOption": "RAW"}, body={"values": [["c"]]})
    assert sheet.spreadsheet.worksheet("Sheet1").row_count == 3
    assert sheet.col_values(1) == ["a", "b", "c"]


def test_gspread_append_rows(sheet: gspread.Worksheet) -> None:
    """gspread's own append_rows reaches values.append and lands under the table."""
    sheet.update([["h"]], "A1")
    sheet.append_rows([["r1"], ["r2"]])
    assert sheet.col_values(1) == ["h", "r1", "r2"]


def test_gspread_append_row(sheet: gspread.Worksheet) -> None:
    """gspread's append_row (which sends includeValuesInResponse=False) appends one row."""
    sheet.update([["h"]], "A1")
    sheet.append_row(["r1"])
    assert sheet.col_values(1) == ["h", "r1"]


def test_clear_removes_values_and_keeps_formats(sheet: gspread.Worksheet) -> None:
    """values.clear empties the cells; their bold format stays."""
    sheet.update([["a", "b"]], "A1")
    sheet.format("A1", {"textFormat": {"bold": True}})
    reply = sheet.spreadsheet.values_clear("Sheet1!A1:B1")
    assert reply["clearedRange"] == "Sheet1!A1:B1"
    assert sheet.get_all_values() == [[]]  # gspread's own rendering of a reply without "values"
    grid = sheet.spreadsheet.fetch_sheet_metadata({"includeGridData": "true", "ranges": "Sheet1!A1"})
    cell = grid["sheets"][0]["data"][0]["rowData"][0]["values"][0]
    assert cell["userEnteredFormat"]["textFormat"]["bold"] is True


def test_read_outside_the_grid_is_refused(sheet: gspread.Worksheet) -> None:
    """A range past the grid gets Google's 400 "exceeds grid limits" message."""
    with pytest.raises(gspread.exceptions.APIError) as exc:
        sheet.get("A1:Z2000")
    error = _error(exc)
    assert error["code"] == 400
    assert error["status"] == "INVALID_ARGUMENT"
    assert (
        error["message"] == "Range ('Sheet1'!A1:Z2000) exceeds grid limits. Max rows: 1000, max columns: 26"
    )


def test_write_outside_the_grid_is_refused(sheet: gspread.Worksheet) -> None:
    """Writing a 2-column block at Z1 would reach column AA and is refused; nothing is written."""
    with pytest.raises(gspread.exceptions.APIError) as exc:
        sheet.batch_update([{"range": "A1", "values": [["kept?"]]}, {"range": "Z1", "values": [["a", "b"]]}])
    assert "exceeds grid limits" in _error(exc)["message"]
    assert sheet.get_all_values() == [[]]


def test_unknown_sheet_and_bad_range_are_refused(sheet: gspread.Worksheet) -> None:
    """An unknown sheet title or malformed A1 gives 400 "Unable to parse range: X"."""
    for text in ("Nope!A1", "Sheet1!A1::B"):
        with pytest.raises(gspread.exceptions.APIError) as exc:
            sheet.spreadsheet.values_get(text)
        assert _error(exc)["message"] == f"Unable to parse range: {text}"


def test_spill_past_a_bounded_range_is_refused(sheet: gspread.Worksheet) -> None:
    """Data wider than the named range is refused as Google refuses it."""
    with pytest.raises(gspread.exceptions.APIError) as exc:
        sheet.update([["a", "b", "c"]], "A1:B1")
    assert (
        _error(exc)["message"]
        == "Requested writing within range ['Sheet1'!A1:B1], but tried writing to column [C]"
    )


def test_value_input_option_is_required(service: Any, sheet: gspread.Worksheet) -> None:
    """INPUT_VALUE_OPTION_UNSPECIFIED is refused with 400 through googleapiclient."""
    call = (
        service.spreadsheets()
        .values()
        .batchUpdate(
            spreadsheetId=sheet.spreadsheet_id,
            body={
                "valueInputOption": "INPUT_VALUE_OPTION_UNSPECIFIED",
                "data": [{"range": "A1", "values": [["x"]]}],
            },
        )
    )
    with pytest.raises(HttpError) as exc:
        call.execute()
    assert exc.value.status_code == 400
    assert "valueInputOption" in str(exc.value)


def test_googleapiclient_values_round_trip(service: Any, sheet: gspread.Worksheet) -> None:
    """googleapiclient's values.update/get speak the same wire format as gspread's."""
    values = service.spreadsheets().values()
    reply = values.update(
        spreadsheetId=sheet.spreadsheet_id,
        range="Sheet1!B2",
        valueInputOption="USER_ENTERED",
        includeValuesInResponse=True,
        body={"values": [["=SUM(1,2)", "1,234.5"]]},
    ).execute()
    assert reply["updatedRange"] == "Sheet1!B2:C2"
    assert reply["updatedData"]["values"] == [["3", "1,234.50"]]
    got = values.get(
        spreadsheetId=sheet.spreadsheet_id, range="B2:C2", valueRenderOption="UNFORMATTED_VALUE"
    ).execute()
    assert got["values"] == [[3, 1234.5]]


def test_missing_spreadsheet_is_404(api: tuple[gspread.Client, Any]) -> None:
    """Opening an unknown id is 404, which gspread turns into SpreadsheetNotFound."""
    with pytest.raises(gspread.exceptions.SpreadsheetNotFound):
        api[0].open_by_key("1NoSuchSpreadsheet")
