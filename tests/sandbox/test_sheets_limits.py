"""Sheets refuses a cell over 50,000 characters and a spreadsheet over 10,000,000 cells, as Google does."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import gspread
import pytest
from googleapiclient.errors import HttpError

from tests.sandbox.api_helpers import error_of
from tests.sandbox.gspread_helpers import clients

pytestmark = pytest.mark.integration
CELL = "Your input contains more than the maximum of 50000 characters in a single cell."
WORKBOOK = "This action would increase the number of cells in the workbook above the limit of 10000000 cells."


@pytest.fixture
def book(empty_sandbox) -> Iterator[tuple[Any, str]]:
    """A fresh spreadsheet (Sheet1, 1000 x 26) and a googleapiclient Sheets service."""
    with clients(empty_sandbox.base_url) as (_, service):
        created = service.spreadsheets().create(body={"properties": {"title": "ขีดจำกัด"}}).execute()
        yield service, created["spreadsheetId"]


def _refused(request) -> dict:
    with pytest.raises(HttpError) as caught:
        request.execute()
    error = error_of(caught.value)
    assert caught.value.status_code == 400 and error["status"] == "INVALID_ARGUMENT"
    return error


def _batch(service, sid: str, *requests: dict) -> Any:
    return service.spreadsheets().batchUpdate(spreadsheetId=sid, body={"requests": list(requests)})


@pytest.mark.parametrize("option", ["RAW", "USER_ENTERED"])
def test_a_value_over_50000_characters_is_refused(book, option: str) -> None:
    """values.update of 50,001 characters is 400 under both input options; 50,000 fit."""
    service, sid = book
    values = service.spreadsheets().values()
    long = values.update(
        spreadsheetId=sid, range="A1", valueInputOption=option, body={"values": [["ก" * 50_001]]}
    )
    assert _refused(long)["message"] == CELL
    fits = values.update(
        spreadsheetId=sid, range="A1", valueInputOption=option, body={"values": [["ก" * 50_000]]}
    )
    assert fits.execute()["updatedCells"] == 1


def test_a_formula_over_50000_characters_is_refused(book) -> None:
    """A USER_ENTERED formula counts its characters like any text."""
    service, sid = book
    formula = "=" + "+".join(["1"] * 25_001)
    request = (
        service.spreadsheets()
        .values()
        .update(spreadsheetId=sid, range="A1", valueInputOption="USER_ENTERED", body={"values": [[formula]]})
    )
    assert _refused(request)["message"] == CELL


def test_an_emoji_counts_as_two_characters(book) -> None:
    """Length is counted in UTF-16 code units: 25,001 emoji are 50,002 characters, too many."""
    service, sid = book
    request = (
        service.spreadsheets()
        .values()
        .update(spreadsheetId=sid, range="A1", valueInputOption="RAW", body={"values": [["😀" * 25_001]]})
    )
    assert _refused(request)["message"] == CELL


def test_values_batch_update_names_the_range_and_writes_nothing(book) -> None:
    """values.batchUpdate says "Invalid data[1]: ..." for its second range, writes neither."""
    service, sid = book
    body = {
        "valueInputOption": "RAW",
        "data": [{"range": "A1", "values": [["ok"]]}, {"range": "B1", "values": [["x" * 50_001]]}],
    }
    error = _refused(service.spreadsheets().values().batchUpdate(spreadsheetId=sid, body=body))
    assert error["message"] == "Invalid data[1]: " + CELL
    assert "values" not in service.spreadsheets().values().get(spreadsheetId=sid, range="A1").execute()


@pytest.mark.parametrize(
    ("kind", "request_body"),
    [
        (
            "updateCells",
            {
                "rows": [{"values": [{"userEnteredValue": {"stringValue": "x" * 50_001}}]}],
                "start": {"sheetId": 0, "rowIndex": 0, "columnIndex": 0},
                "fields": "userEnteredValue",
            },
        ),
        (
            "repeatCell",
            {
                "range": {"sheetId": 0, "startRowIndex": 0, "endRowIndex": 2},
                "cell": {"userEnteredValue": {"formulaValue": "=" + "1" * 50_000}},
                "fields": "userEnteredValue",
            },
        ),
        (
            "appendCells",
            {
                "sheetId": 0,
                "rows": [{"values": [{"userEnteredValue": {"stringValue": "x" * 50_001}}]}],
                "fields": "userEnteredValue",
            },
        ),
    ],
)
def test_batch_update_cell_data_over_50000_characters(book, kind: str, request_body: dict) -> None:
    """updateCells, repeatCell, appendCells refuse a long value as "Invalid requests[1].<kind>"."""
    service, sid = book
    title = {"updateSpreadsheetProperties": {"properties": {"title": "เปลี่ยน"}, "fields": "title"}}
    error = _refused(_batch(service, sid, title, {kind: request_body}))
    assert error["message"] == f"Invalid requests[1].{kind}: {CELL}"
    assert service.spreadsheets().get(spreadsheetId=sid).execute()["properties"]["title"] == "ขีดจำกัด"


def _fill_to_the_limit(service, sid: str) -> None:
    """Add a one-column sheet that brings the workbook to exactly 10,000,000 cells (allowed)."""
    rows = 10_000_000 - 1000 * 26
    grid = {"rowCount": rows, "columnCount": 1}
    _batch(service, sid, {"addSheet": {"properties": {"title": "ใหญ่", "gridProperties": grid}}}).execute()


@pytest.mark.parametrize(
    "request_body",
    [
        {"appendDimension": {"sheetId": 0, "dimension": "ROWS", "length": 1}},
        {
            "insertDimension": {
                "range": {"sheetId": 0, "dimension": "COLUMNS", "startIndex": 0, "endIndex": 1}
            }
        },
        {
            "updateSheetProperties": {
                "properties": {"sheetId": 0, "gridProperties": {"rowCount": 1001}},
                "fields": "gridProperties.rowCount",
            }
        },
        {"addSheet": {"properties": {"title": "อีก", "gridProperties": {"rowCount": 1, "columnCount": 1}}}},
    ],
)
def test_growing_a_full_workbook_is_refused(book, request_body: dict) -> None:
    """At exactly 10,000,000 cells, any request that adds a cell answers Google's limit message, prefixed."""
    service, sid = book
    _fill_to_the_limit(service, sid)
    kind = next(iter(request_body))
    assert (
        _refused(_batch(service, sid, request_body))["message"] == f"Invalid requests[0].{kind}: {WORKBOOK}"
    )
    sheets = service.spreadsheets().get(spreadsheetId=sid).execute()["sheets"]
    assert [s["properties"]["gridProperties"]["rowCount"] for s in sheets] == [1000, 10_000_000 - 26_000]


def test_values_append_that_grows_a_full_workbook_is_refused(book) -> None:
    """values.append needs a new row past the grid: refused with the limit message and nothing written."""
    service, sid = book
    values = service.spreadsheets().values()
    values.update(
        spreadsheetId=sid, range="A1", valueInputOption="RAW", body={"values": [["h"]] * 1000}
    ).execute()
    _fill_to_the_limit(service, sid)
    append = values.append(
        spreadsheetId=sid, range="Sheet1!A1", valueInputOption="RAW", body={"values": [["new"]]}
    )
    assert _refused(append)["message"] == WORKBOOK
    assert len(values.get(spreadsheetId=sid, range="Sheet1!A:A").execute()["values"]) == 1000


def test_shrinking_a_full_workbook_is_allowed(book) -> None:
    """Only growth is refused: deleting rows from a full workbook works."""
    service, sid = book
    _fill_to_the_limit(service, sid)
    delete = {
        "deleteDimension": {"range": {"sheetId": 0, "dimension": "ROWS", "startIndex": 0, "endIndex": 10}}
    }
    assert _batch(service, sid, delete).execute()["replies"] == [{}]


def test_creating_a_spreadsheet_over_the_limit_is_refused(empty_sandbox) -> None:
    """spreadsheets.create with 10,000,001 cells of grid answers the limit message."""
    with clients(empty_sandbox.base_url) as (_, service):
        grid = {"rowCount": 10_000_001, "columnCount": 1}
        body = {"sheets": [{"properties": {"title": "x", "gridProperties": grid}}]}
        assert _refused(service.spreadsheets().create(body=body))["message"] == WORKBOOK


def test_gspread_sees_the_cell_limit_as_an_api_error(empty_sandbox) -> None:
    """gspread's Worksheet.update raises APIError carrying Google's 400 body."""
    with clients(empty_sandbox.base_url) as (gc, service):
        created = service.spreadsheets().create(body={"properties": {"title": "g"}}).execute()
        sheet = gc.open_by_key(created["spreadsheetId"]).sheet1
        with pytest.raises(gspread.exceptions.APIError) as caught:
            sheet.update([["y" * 50_001]], "A1")
    assert caught.value.response.json()["error"]["message"] == CELL
