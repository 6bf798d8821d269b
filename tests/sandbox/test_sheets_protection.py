"""Hard protected ranges refuse writes by all but their editors and the owner; warning-only ones never do."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import gspread
import pytest
from googleapiclient.errors import HttpError

from sandbox.core import SERVICE_ACCOUNT
from tests.sandbox.api_helpers import control, error_of
from tests.sandbox.gspread_helpers import clients

pytestmark = pytest.mark.integration
MESSAGE = (
    "You are trying to edit a protected cell or object. Please contact the spreadsheet owner to remove "
    "protection if you need to edit."
)
OWNER = "admin@sukho.nfe.go.th"
REVIEWER = "reviewer@sukho.nfe.go.th"
HEADER = {"sheetId": 0, "startRowIndex": 0, "endRowIndex": 1, "startColumnIndex": 0, "endColumnIndex": 3}


@pytest.fixture
def book(empty_sandbox) -> Iterator[tuple[Any, str]]:
    """A spreadsheet the admin owns, shared with the service account and a reviewer as editors."""
    with clients(empty_sandbox.base_url) as (_, service):
        create = service.spreadsheets().create(body={"properties": {"title": "คณะกรรมการ"}})
        create.headers["X-Sandbox-Caller"] = OWNER
        sid = create.execute()["spreadsheetId"]
        path = f"/sandbox/spreadsheets/{sid}/access"
        control(empty_sandbox.base_url, "PUT", path, {"editors": [OWNER, SERVICE_ACCOUNT, REVIEWER]})
        yield service, sid


def _as(request, who: str):
    request.headers["X-Sandbox-Caller"] = who
    return request


def _protect(service, sid: str, **protection: Any) -> dict:
    body = {"requests": [{"addProtectedRange": {"protectedRange": {"range": HEADER, **protection}}}]}
    reply = service.spreadsheets().batchUpdate(spreadsheetId=sid, body=body).execute()
    found: dict = reply["replies"][0]["addProtectedRange"]["protectedRange"]
    return found


def _write(service, sid: str, cell: str, who: str, value: str = "x"):
    return _as(
        service.spreadsheets()
        .values()
        .update(spreadsheetId=sid, range=cell, valueInputOption="RAW", body={"values": [[value]]}),
        who,
    )


def _refusal(request) -> dict:
    with pytest.raises(HttpError) as caught:
        request.execute()
    error = error_of(caught.value)
    assert caught.value.status_code == 400 and error["status"] == "INVALID_ARGUMENT"
    return error


def test_a_hard_protection_refuses_a_non_editor_with_googles_message(book) -> None:
    """A non-editor gets Google's 400 inside a hard protection and may write outside it."""
    service, sid = book
    _protect(service, sid, editors={"users": [SERVICE_ACCOUNT]})
    assert _refusal(_write(service, sid, "B1", REVIEWER))["message"] == MESSAGE
    assert _write(service, sid, "B2", REVIEWER).execute()["updatedCells"] == 1
    assert _write(service, sid, "B1", SERVICE_ACCOUNT).execute()["updatedCells"] == 1


def test_the_refusal_is_prefixed_in_batches_and_writes_nothing(book) -> None:
    """Batches prefix the refusal ("Invalid data[1]: ", "Invalid requests[0].updateCells: ")."""
    service, sid = book
    _protect(service, sid, editors={"users": [SERVICE_ACCOUNT]})
    body = {
        "valueInputOption": "RAW",
        "data": [{"range": "D5", "values": [["a"]]}, {"range": "A1", "values": [["b"]]}],
    }
    error = _refusal(_as(service.spreadsheets().values().batchUpdate(spreadsheetId=sid, body=body), REVIEWER))
    assert error["message"] == "Invalid data[1]: " + MESSAGE
    assert "values" not in service.spreadsheets().values().get(spreadsheetId=sid, range="D5").execute()
    cells = {
        "rows": [{"values": [{"userEnteredValue": {"stringValue": "c"}}]}],
        "start": {"sheetId": 0, "rowIndex": 0, "columnIndex": 2},
        "fields": "userEnteredValue",
    }
    request = service.spreadsheets().batchUpdate(
        spreadsheetId=sid, body={"requests": [{"updateCells": cells}]}
    )
    assert _refusal(_as(request, REVIEWER))["message"] == "Invalid requests[0].updateCells: " + MESSAGE


def test_clearing_sorting_or_deleting_protected_cells_is_refused(book) -> None:
    """values.clear, sortRange and deleteDimension over protected cells are refused."""
    service, sid = book
    _protect(service, sid, editors={"users": [SERVICE_ACCOUNT]})
    clear = service.spreadsheets().values().clear(spreadsheetId=sid, range="A1:C3", body={})
    assert _refusal(_as(clear, REVIEWER))["message"] == MESSAGE
    for kind, body in (
        ("sortRange", {"range": {"sheetId": 0, "startRowIndex": 0, "endRowIndex": 5}, "sortSpecs": []}),
        ("deleteDimension", {"range": {"sheetId": 0, "dimension": "ROWS", "startIndex": 0, "endIndex": 1}}),
    ):
        request = service.spreadsheets().batchUpdate(spreadsheetId=sid, body={"requests": [{kind: body}]})
        assert _refusal(_as(request, REVIEWER))["message"] == f"Invalid requests[0].{kind}: {MESSAGE}"


def test_a_warning_only_protection_never_refuses_over_the_api(book) -> None:
    """warningOnly asks a person to confirm in the UI; over the API the write simply happens."""
    service, sid = book
    _protect(service, sid, warningOnly=True)
    assert _write(service, sid, "A1", REVIEWER).execute()["updatedCells"] == 1


def test_the_owner_may_always_edit(book) -> None:
    """The spreadsheet's owner writes inside a protection that does not list them."""
    service, sid = book
    _protect(service, sid, editors={"users": [SERVICE_ACCOUNT]})
    assert _write(service, sid, "A1", OWNER).execute()["updatedCells"] == 1


def test_a_protection_without_editors_belongs_to_its_maker_and_the_owner(book) -> None:
    """Added with no editors, a hard protection lists its caller and the owner, and refuses everyone else."""
    service, sid = book
    made = _protect(service, sid)
    assert made["editors"] == {"users": [SERVICE_ACCOUNT, OWNER]}
    assert _refusal(_write(service, sid, "A1", REVIEWER))["message"] == MESSAGE


def test_unprotected_ranges_stay_writable_inside_a_protected_sheet(book) -> None:
    """A whole-sheet protection with column C unprotected: C1 writes, A1 is refused."""
    service, sid = book
    column_c = {"sheetId": 0, "startColumnIndex": 2, "endColumnIndex": 3}
    body = {"range": {"sheetId": 0}, "unprotectedRanges": [column_c], "editors": {"users": [SERVICE_ACCOUNT]}}
    service.spreadsheets().batchUpdate(
        spreadsheetId=sid, body={"requests": [{"addProtectedRange": {"protectedRange": body}}]}
    ).execute()
    assert _write(service, sid, "C1", REVIEWER).execute()["updatedCells"] == 1
    assert _refusal(_write(service, sid, "A1", REVIEWER))["message"] == MESSAGE


def test_only_an_editor_may_remove_a_protection(book) -> None:
    """deleteProtectedRange by a non-editor is refused; its editor may remove it."""
    service, sid = book
    made = _protect(service, sid, editors={"users": [SERVICE_ACCOUNT]})
    body = {"requests": [{"deleteProtectedRange": {"protectedRangeId": made["protectedRangeId"]}}]}
    request = service.spreadsheets().batchUpdate(spreadsheetId=sid, body=body)
    assert (
        _refusal(_as(request, REVIEWER))["message"] == f"Invalid requests[0].deleteProtectedRange: {MESSAGE}"
    )
    service.spreadsheets().batchUpdate(spreadsheetId=sid, body=body).execute()
    assert _write(service, sid, "A1", REVIEWER).execute()["updatedCells"] == 1


def test_editors_on_a_warning_only_protection_are_refused(book) -> None:
    """Google: "ProtectedRange is warningOnly. Editors cannot be set on it." (gspread issue 1437)."""
    service, sid = book
    body = {"range": HEADER, "warningOnly": True, "editors": {"users": [REVIEWER]}}
    request = service.spreadsheets().batchUpdate(
        spreadsheetId=sid, body={"requests": [{"addProtectedRange": {"protectedRange": body}}]}
    )
    assert _refusal(request)["message"].endswith(
        "ProtectedRange is warningOnly. Editors cannot be set on it."
    )


def test_gspread_reviewer_write_raises_api_error(empty_sandbox, book) -> None:
    """The unchanged gspread, acting as the reviewer, raises APIError [400] with Google's message."""
    service, sid = book
    _protect(service, sid, editors={"users": [SERVICE_ACCOUNT]})
    with clients(empty_sandbox.base_url) as (gc, _):
        gc.http_client.session.headers["X-Sandbox-Caller"] = REVIEWER
        with pytest.raises(gspread.exceptions.APIError) as caught:
            gc.open_by_key(sid).sheet1.update([["x"]], "A1")
    assert caught.value.response.status_code == 400
    assert caught.value.response.json()["error"]["message"] == MESSAGE
