"""spreadsheets.batchUpdate requests a dashboard sends, and the ones a person's sorting and moving produce."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import gspread
import pytest
from gspread.urls import SPREADSHEETS_API_V4_BASE_URL
from gspread.utils import ValidationConditionType, ValueRenderOption
from gspread_helpers import clients, sandbox_base_url

pytestmark = pytest.mark.integration


@pytest.fixture
def sheet(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[gspread.Worksheet]:
    for url, _ in sandbox_base_url(request, tmp_path):
        with clients(url) as (gc, service):
            created = service.spreadsheets().create(body={"properties": {"title": "แดชบอร์ด"}}).execute()
            yield gc.open_by_key(created["spreadsheetId"]).sheet1


def _meta(sheet: gspread.Worksheet, **params: str) -> dict[str, Any]:
    found: dict[str, Any] = sheet.spreadsheet.fetch_sheet_metadata(params)
    return found


def _row_tags(sheet: gspread.Worksheet) -> dict[str, int]:
    reply = sheet.client.request(
        "post",
        f"{SPREADSHEETS_API_V4_BASE_URL}/{sheet.spreadsheet_id}/developerMetadata:search",
        json={"dataFilters": [{"developerMetadataLookup": {"locationType": "ROW"}}]},
    ).json()
    return {
        m["developerMetadata"]["metadataValue"]: m["developerMetadata"]["location"]["dimensionRange"][
            "startIndex"
        ]
        for m in reply.get("matchedDeveloperMetadata", [])
    }


def _tag_rows(sheet: gspread.Worksheet, rows: dict[str, int]) -> None:
    sheet.spreadsheet.batch_update(
        {
            "requests": [
                {
                    "createDeveloperMetadata": {
                        "developerMetadata": {
                            "metadataKey": "responseId",
                            "metadataValue": value,
                            "visibility": "DOCUMENT",
                            "location": {
                                "dimensionRange": {
                                    "sheetId": 0,
                                    "dimension": "ROWS",
                                    "startIndex": row,
                                    "endIndex": row + 1,
                                }
                            },
                        }
                    }
                }
                for value, row in rows.items()
            ]
        }
    )


def test_dashboard_setup_requests(sheet: gspread.Worksheet) -> None:
    """addSheet, frozen rows, repeatCell, setDataValidation and a protected range are stored as Google's."""
    new = sheet.spreadsheet.add_worksheet("ผลคะแนน", rows=50, cols=8)
    assert (new.row_count, new.col_count) == (50, 8)
    new.update([["ชื่อ", "คะแนน", "ผลพิจารณา"], ["สมศรี", "85", ""]], "A1")
    new.freeze(rows=1)
    new.format(
        "A1:C1", {"textFormat": {"bold": True}, "backgroundColor": {"red": 0.9, "green": 0.9, "blue": 0.9}}
    )
    sheet.spreadsheet.batch_update(
        {
            "requests": [
                {
                    "setDataValidation": {
                        "range": {
                            "sheetId": new.id,
                            "startRowIndex": 1,
                            "endRowIndex": 50,
                            "startColumnIndex": 2,
                            "endColumnIndex": 3,
                        },
                        "rule": {
                            "condition": {
                                "type": "ONE_OF_LIST",
                                "values": [{"userEnteredValue": "ผ่าน"}, {"userEnteredValue": "ไม่ผ่าน"}],
                            },
                            "strict": True,
                            "showCustomUi": True,
                        },
                    }
                }
            ]
        }
    )
    reply = new.add_protected_range(
        "A1:B50", editor_users_emails=["kpisync@sukhothai-kpi.iam.gserviceaccount.com"]
    )
    assert reply["replies"][0]["addProtectedRange"]["protectedRange"]["protectedRangeId"] > 0
    meta = _meta(sheet, includeGridData="true", ranges="'ผลคะแนน'!A1:C2")
    tab = meta["sheets"][0]
    assert tab["properties"]["gridProperties"]["frozenRowCount"] == 1
    assert tab["protectedRanges"][0]["range"] == {
        "sheetId": new.id,
        "startRowIndex": 0,
        "endRowIndex": 50,
        "startColumnIndex": 0,
        "endColumnIndex": 2,
    }
    header, first = tab["data"][0]["rowData"]
    assert header["values"][0]["userEnteredFormat"]["textFormat"]["bold"] is True
    assert first["values"][2]["dataValidation"]["condition"]["values"][1] == {"userEnteredValue": "ไม่ผ่าน"}


def test_duplicate_sheet_title_is_refused(sheet: gspread.Worksheet) -> None:
    """addSheet with an existing title is a 400 naming requests[0]."""
    with pytest.raises(gspread.exceptions.APIError) as exc:
        sheet.spreadsheet.add_worksheet("Sheet1", rows=5, cols=5)
    message = exc.value.response.json()["error"]["message"]
    assert message.startswith('Invalid requests[0].addSheet: A sheet with the name "Sheet1" already exists')


def test_failed_batch_changes_nothing(sheet: gspread.Worksheet) -> None:
    """A batch whose second request is invalid leaves the first undone (all-or-nothing)."""
    with pytest.raises(gspread.exceptions.APIError) as exc:
        sheet.spreadsheet.batch_update(
            {"requests": [{"addSheet": {"properties": {"title": "ใหม่"}}}, {"deleteSheet": {"sheetId": 999}}]}
        )
    assert (
        exc.value.response.json()["error"]["message"]
        == "Invalid requests[1].deleteSheet: No grid with id: 999"
    )
    assert [w.title for w in sheet.spreadsheet.worksheets()] == ["Sheet1"]


def test_sort_range_sorts_and_keeps_the_header(sheet: gspread.Worksheet) -> None:
    """sortRange reorders the rows under the header by a column, numbers descending, blanks last."""
    sheet.update([["ชื่อ", "คะแนน"], ["ก", 70], ["ข", ""], ["ค", 95], ["ง", 80]], "A1")
    sheet.sort((2, "des"), range="A2:B5")
    assert sheet.get("A1:B5", value_render_option=ValueRenderOption.unformatted) == [
        ["ชื่อ", "คะแนน"],
        ["ค", 95],
        ["ง", 80],
        ["ก", 70],
        ["ข"],
    ]


def test_insert_rows_shifts_cells_and_row_metadata(sheet: gspread.Worksheet) -> None:
    """Inserting rows above tagged rows moves both the values and the metadata down."""
    sheet.update([["r0"], ["r1"], ["r2"]], "A1")
    _tag_rows(sheet, {"resp-1": 1, "resp-2": 2})
    sheet.insert_rows([["new-a"], ["new-b"]], row=2)
    assert sheet.col_values(1) == ["r0", "new-a", "new-b", "r1", "r2"]
    assert _row_tags(sheet) == {"resp-1": 3, "resp-2": 4}


def test_delete_rows_drops_their_metadata(sheet: gspread.Worksheet) -> None:
    """Deleting a tagged row removes its metadata; rows below move up with theirs."""
    sheet.update([["r0"], ["r1"], ["r2"], ["r3"]], "A1")
    _tag_rows(sheet, {"resp-1": 1, "resp-3": 3})
    sheet.delete_rows(2)
    assert sheet.col_values(1) == ["r0", "r2", "r3"]
    assert _row_tags(sheet) == {"resp-3": 2}
    assert sheet.spreadsheet.worksheet("Sheet1").row_count == 999


def test_move_dimension_carries_rows_columns_and_metadata(sheet: gspread.Worksheet) -> None:
    """moveDimension moves a row (with its metadata) and a column the way Google counts destinations."""
    sheet.update([["a", "b", "c"], ["r1", "x", "y"], ["r2", "p", "q"]], "A1")
    _tag_rows(sheet, {"resp-1": 1})
    sheet.spreadsheet.batch_update(
        {
            "requests": [
                {
                    "moveDimension": {
                        "source": {"sheetId": 0, "dimension": "ROWS", "startIndex": 1, "endIndex": 2},
                        "destinationIndex": 3,
                    }
                },
                {
                    "moveDimension": {
                        "source": {"sheetId": 0, "dimension": "COLUMNS", "startIndex": 0, "endIndex": 1},
                        "destinationIndex": 3,
                    }
                },
            ]
        }
    )
    assert sheet.get_all_values() == [["b", "c", "a"], ["p", "q", "r2"], ["x", "y", "r1"]]
    assert _row_tags(sheet) == {"resp-1": 2}


def test_insert_column_grows_protected_range_and_validation_moves(sheet: gspread.Worksheet) -> None:
    """Inserting a column inside a protected range widens it; cell validation moves with its cell."""
    sheet.add_protected_range("A1:B10", warning_only=True)
    sheet.add_validation("B2", ValidationConditionType.boolean, [])
    sheet.insert_cols([["new"]], col=2)
    meta = _meta(sheet, includeGridData="true", ranges="Sheet1!A2:C2")
    tab = meta["sheets"][0]
    assert tab["protectedRanges"][0]["range"]["endColumnIndex"] == 3
    assert tab["data"][0]["rowData"][0]["values"][2]["dataValidation"]["condition"]["type"] == "BOOLEAN"
    assert tab["properties"]["gridProperties"]["columnCount"] == 27


def test_update_cells_link_is_a_hyperlink_not_a_formula(sheet: gspread.Worksheet) -> None:
    """A text-format link makes a clickable cell whose value stays plain text."""
    sheet.spreadsheet.batch_update(
        {
            "requests": [
                {
                    "updateCells": {
                        "start": {"sheetId": 0, "rowIndex": 0, "columnIndex": 0},
                        "rows": [
                            {
                                "values": [
                                    {
                                        "userEnteredValue": {"stringValue": "=หลักฐาน"},
                                        "userEnteredFormat": {
                                            "textFormat": {
                                                "link": {"uri": "https://drive.google.com/file/d/X/view"}
                                            }
                                        },
                                    }
                                ]
                            }
                        ],
                        "fields": "userEnteredValue,userEnteredFormat.textFormat.link",
                    }
                }
            ]
        }
    )
    cell = _meta(sheet, includeGridData="true", ranges="A1")["sheets"][0]["data"][0]["rowData"][0]["values"][
        0
    ]
    assert cell["hyperlink"] == "https://drive.google.com/file/d/X/view"
    assert cell["effectiveValue"] == {"stringValue": "=หลักฐาน"}
    assert sheet.get("A1", value_render_option=ValueRenderOption.formula) == [["=หลักฐาน"]]


def test_unimplemented_request_kind_is_refused(sheet: gspread.Worksheet) -> None:
    """A valid Request kind the sandbox does not model is refused loudly, not ignored."""
    with pytest.raises(gspread.exceptions.APIError) as exc:
        sheet.spreadsheet.batch_update({"requests": [{"randomizeRange": {"range": {"sheetId": 0}}}]})
    assert "not implemented" in exc.value.response.json()["error"]["message"]
