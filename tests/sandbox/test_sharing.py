"""Forms and spreadsheets answer 403 PERMISSION_DENIED to callers they are not shared with."""

from __future__ import annotations

import gspread
import pytest
import requests
from googleapiclient.errors import HttpError

from tests.sandbox.api_helpers import control, error_of
from tests.sandbox.gspread_helpers import clients

pytestmark = pytest.mark.integration
STRANGER = "stranger@sukho.nfe.go.th"


def _as(request, who: str):
    request.headers["X-Sandbox-Caller"] = who
    return request


def _denied(request) -> dict:
    with pytest.raises(HttpError) as caught:
        request.execute()
    assert caught.value.status_code == 403
    return error_of(caught.value)


def test_forms_not_shared_answer_403_the_caller_does_not_have_permission(sandbox, google_clients) -> None:
    """A caller the form is not shared with gets 403 PERMISSION_DENIED on each method."""
    forms = google_clients.forms(sandbox.base_url)
    form_id = sandbox.manifest["forms"]["teacher"]
    for request in (
        forms.forms().get(formId=form_id),
        forms.forms().responses().list(formId=form_id),
        forms.forms().batchUpdate(formId=form_id, body={"requests": []}),
    ):
        error = _denied(_as(request, STRANGER))
        assert error == {
            "code": 403,
            "message": "The caller does not have permission",
            "status": "PERMISSION_DENIED",
        }
    assert forms.forms().get(formId=form_id).execute()["formId"] == form_id


def test_sharing_a_form_lets_its_editors_in_but_not_its_responders(sandbox, google_clients) -> None:
    """An editor added by the sandbox switch may read the form; a reader (a responder) still gets 403."""
    forms = google_clients.forms(sandbox.base_url)
    form_id = sandbox.manifest["forms"]["district"]
    access = control(sandbox.base_url, "GET", f"/sandbox/forms/{form_id}/access")
    assert access["owner"] == sandbox.manifest["form_owner"]
    assert sandbox.manifest["service_account"] in access["editors"]
    control(sandbox.base_url, "PUT", f"/sandbox/forms/{form_id}/access", {"readers": [STRANGER]})
    _denied(_as(forms.forms().get(formId=form_id), STRANGER))
    control(sandbox.base_url, "PUT", f"/sandbox/forms/{form_id}/access", {"editors": [STRANGER]})
    assert _as(forms.forms().get(formId=form_id), STRANGER).execute()["formId"] == form_id
    _denied(forms.forms().get(formId=form_id))


def test_a_missing_form_stays_404_whoever_asks(sandbox, google_clients) -> None:
    """Sharing never turns "does not exist" into 403: an unknown form id is 404 NOT_FOUND for anyone."""
    forms = google_clients.forms(sandbox.base_url)
    with pytest.raises(HttpError) as caught:
        _as(forms.forms().get(formId="1NoSuchForm"), STRANGER).execute()
    assert caught.value.status_code == 404 and error_of(caught.value)["status"] == "NOT_FOUND"


def test_a_form_created_by_someone_else_is_theirs(empty_sandbox, google_clients) -> None:
    """forms.create belongs to its caller: the service account cannot read a form another account made."""
    forms = google_clients.forms(empty_sandbox.base_url)
    made = _as(forms.forms().create(body={"info": {"title": "ของคนอื่น"}}), STRANGER).execute()
    assert _as(forms.forms().get(formId=made["formId"]), STRANGER).execute()["info"]["title"] == "ของคนอื่น"
    _denied(forms.forms().get(formId=made["formId"]))


def test_spreadsheets_not_shared_answer_403_to_gspread_and_googleapiclient(sandbox, google_clients) -> None:
    """A stranger reading the roster: gspread raises PermissionError; the body is 403 PERMISSION_DENIED."""
    roster = sandbox.manifest["spreadsheets"]["roster"]
    with clients(sandbox.base_url) as (gc, _):
        gc.http_client.session.headers["X-Sandbox-Caller"] = STRANGER
        with pytest.raises(PermissionError):
            gc.open_by_key(roster)
    sheets = google_clients.sheets(sandbox.base_url)
    error = _denied(_as(sheets.spreadsheets().values().get(spreadsheetId=roster, range="A1"), STRANGER))
    assert (
        error["message"] == "The caller does not have permission" and error["status"] == "PERMISSION_DENIED"
    )


def test_spreadsheet_readers_read_but_may_not_write(sandbox, google_clients) -> None:
    """A reader of a spreadsheet gets its values and a 403 on a write, which leaves the cell unchanged."""
    dashboard = sandbox.manifest["spreadsheets"]["dashboard"]
    control(sandbox.base_url, "PUT", f"/sandbox/spreadsheets/{dashboard}/access", {"readers": [STRANGER]})
    sheets = google_clients.sheets(sandbox.base_url)
    values = sheets.spreadsheets().values()
    assert _as(values.get(spreadsheetId=dashboard, range="Sheet1!A1"), STRANGER).execute()["range"]
    write = values.update(
        spreadsheetId=dashboard, range="Sheet1!A1", valueInputOption="RAW", body={"values": [["x"]]}
    )
    _denied(_as(write, STRANGER))
    assert "values" not in values.get(spreadsheetId=dashboard, range="Sheet1!A1").execute()


def test_a_spreadsheet_created_by_someone_else_is_theirs(empty_sandbox, google_clients) -> None:
    """spreadsheets.create belongs to its caller, not to the service account."""
    sheets = google_clients.sheets(empty_sandbox.base_url)
    made = _as(sheets.spreadsheets().create(body={"properties": {"title": "x"}}), STRANGER).execute()
    _denied(sheets.spreadsheets().get(spreadsheetId=made["spreadsheetId"]))
    sid = made["spreadsheetId"]
    assert control(empty_sandbox.base_url, "GET", f"/sandbox/spreadsheets/{sid}/access")["owner"] == STRANGER


def test_the_sharing_switch_refuses_bad_bodies_and_unknown_documents(sandbox) -> None:
    """PUT .../access takes lists of emails for known documents; anything else is 400 or 404."""
    form_id = sandbox.manifest["forms"]["teacher"]
    with requests.Session() as session:
        bad = session.put(
            f"{sandbox.base_url}/sandbox/forms/{form_id}/access", json={"owner": "x"}, timeout=10
        )
        unknown = session.put(f"{sandbox.base_url}/sandbox/spreadsheets/nope/access", json={}, timeout=10)
    assert (bad.status_code, unknown.status_code) == (400, 404)


def test_gspread_sees_a_permission_error_not_a_missing_spreadsheet(sandbox) -> None:
    """gspread maps 403 to PermissionError and 404 to SpreadsheetNotFound, so the two stay apart."""
    with clients(sandbox.base_url) as (gc, _), pytest.raises(gspread.exceptions.SpreadsheetNotFound):
        gc.open_by_key("1NoSuchSpreadsheet")
