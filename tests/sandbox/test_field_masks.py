"""Field masks in the FieldMask JSON form (dots, snake_case) work for Sheets and Forms, read and update."""

from __future__ import annotations

import pytest
from googleapiclient.errors import HttpError

from tests.sandbox.api_helpers import error_of

pytestmark = pytest.mark.integration


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ("sheets.properties(sheetId,title)", {"sheetId": 0, "title": "Sheet1"}),
        ("sheets.properties.title", {"title": "Sheet1"}),
        ("sheets.properties.grid_properties.row_count", {"gridProperties": {"rowCount": 1000}}),
        ("sheets/properties/sheetId", {"sheetId": 0}),
    ],
)
def test_spreadsheets_get_takes_dotted_and_snake_case_fields(
    sandbox, google_clients, fields, expected
) -> None:
    """The field-masks guide's sheets.properties(sheetId,title) and its dotted forms select exactly those."""
    sheets = google_clients.sheets(sandbox.base_url)
    got = (
        sheets.spreadsheets()
        .get(spreadsheetId=sandbox.manifest["spreadsheets"]["dashboard"], fields=fields)
        .execute()
    )
    assert got == {"sheets": [{"properties": expected}]}


def test_a_dotted_mask_naming_an_unknown_field_is_refused(sandbox, google_clients) -> None:
    """sheets.properties.colour is not a field: 400 "Invalid field selection"."""
    sheets = google_clients.sheets(sandbox.base_url)
    with pytest.raises(HttpError) as caught:
        sheets.spreadsheets().get(
            spreadsheetId=sandbox.manifest["spreadsheets"]["dashboard"], fields="sheets.properties.colour"
        ).execute()
    assert caught.value.status_code == 400
    assert "Invalid field selection" in error_of(caught.value)["message"]


def test_forms_get_takes_a_dotted_mask(sandbox, google_clients) -> None:
    """forms.get with fields=info.title,settings.email_collection_type answers just those."""
    forms = google_clients.forms(sandbox.base_url)
    got = (
        forms.forms()
        .get(formId=sandbox.manifest["forms"]["teacher"], fields="info.title,settings.email_collection_type")
        .execute()
    )
    assert set(got) == {"info", "settings"} and set(got["info"]) == {"title"}
    assert got["settings"] == {"emailCollectionType": "VERIFIED"}


@pytest.mark.parametrize("mask", ["gridProperties.frozenRowCount", "grid_properties.frozen_row_count"])
def test_update_masks_take_dots_and_snake_case(sandbox, google_clients, mask: str) -> None:
    """updateSheetProperties with a dotted (or snake_case) mask changes exactly that field."""
    sheets = google_clients.sheets(sandbox.base_url)
    sid = sandbox.manifest["spreadsheets"]["dashboard"]
    body = {
        "requests": [
            {
                "updateSheetProperties": {
                    "properties": {"sheetId": 0, "title": "ไม่เปลี่ยน", "gridProperties": {"frozenRowCount": 1}},
                    "fields": mask,
                }
            }
        ]
    }
    sheets.spreadsheets().batchUpdate(spreadsheetId=sid, body=body).execute()
    props = sheets.spreadsheets().get(spreadsheetId=sid, fields="sheets.properties").execute()["sheets"][0]
    assert props["properties"]["gridProperties"]["frozenRowCount"] == 1
    assert props["properties"]["title"] == "Sheet1"


def test_responses_list_takes_a_mask_with_parentheses_and_dots(sandbox, google_clients) -> None:
    """responses.list with fields=responses(response_id,last_submitted_time),nextPageToken keeps those."""
    forms = google_clients.forms(sandbox.base_url)
    page = (
        forms.forms()
        .responses()
        .list(
            formId=sandbox.manifest["forms"]["teacher"],
            pageSize=2,
            fields="responses(response_id,last_submitted_time),nextPageToken",
        )
        .execute()
    )
    assert set(page) == {"responses", "nextPageToken"}
    assert all(set(r) == {"responseId", "lastSubmittedTime"} for r in page["responses"])


def test_repeat_cell_takes_a_snake_case_nested_mask(sandbox, google_clients) -> None:
    """repeatCell with fields=user_entered_format.text_format.bold sets bold and leaves the value alone."""
    sheets = google_clients.sheets(sandbox.base_url)
    sid = sandbox.manifest["spreadsheets"]["roster"]
    cell = {"userEnteredFormat": {"textFormat": {"bold": True}}, "userEnteredValue": {"stringValue": "ทับ"}}
    rng = {"sheetId": 0, "startRowIndex": 0, "endRowIndex": 1, "startColumnIndex": 0, "endColumnIndex": 1}
    body = {
        "requests": [
            {"repeatCell": {"range": rng, "cell": cell, "fields": "user_entered_format.text_format.bold"}}
        ]
    }
    sheets.spreadsheets().batchUpdate(spreadsheetId=sid, body=body).execute()
    got = (
        sheets.spreadsheets()
        .get(
            spreadsheetId=sid,
            ranges=["A1"],
            fields="sheets.data.rowData.values(formattedValue,userEnteredFormat)",
        )
        .execute()
    )
    value = got["sheets"][0]["data"][0]["rowData"][0]["values"][0]
    assert value["formattedValue"] == "อีเมล"
    assert value["userEnteredFormat"]["textFormat"]["bold"] is True
