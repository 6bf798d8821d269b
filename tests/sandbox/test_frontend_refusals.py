"""What Google's front end refuses before a backend sees the call: an API that is not enabled, a body over
10 MiB; and Drive's own rate-limit answers (403 or 429), its batch latency switch."""

from __future__ import annotations

import gspread
import pytest
import requests
from googleapiclient.errors import HttpError
from googleapiclient.http import BatchHttpRequest
from gspread.urls import SPREADSHEETS_API_V4_BASE_URL

from sandbox.frontend import PROJECT_NUMBER
from tests.sandbox.api_helpers import calls, control, error_of
from tests.sandbox.gspread_helpers import clients

pytestmark = pytest.mark.integration
TOO_BIG = 10 * 1024 * 1024 + 1


def _disabled_message(title: str, service: str) -> str:
    url = f"https://console.developers.google.com/apis/api/{service}/overview?project={PROJECT_NUMBER}"
    return (
        f"{title} has not been used in project {PROJECT_NUMBER} before or it is disabled. Enable it by "
        f"visiting {url} then retry. If you enabled this API recently, wait a few minutes for the action to "
        "propagate to our systems and retry."
    )


def _service_disabled_info(error: dict, service: str) -> dict:
    info = error["details"][0]
    assert info["@type"] == "type.googleapis.com/google.rpc.ErrorInfo"
    assert info["reason"] == "SERVICE_DISABLED" and info["domain"] == "googleapis.com"
    assert info["metadata"]["service"] == service
    assert info["metadata"]["consumer"] == f"projects/{PROJECT_NUMBER}"
    return info


def test_forms_api_not_enabled_answers_403_service_disabled(sandbox, google_clients) -> None:
    """Forms switched off: 403 PERMISSION_DENIED with a SERVICE_DISABLED ErrorInfo; on again, it works."""
    control(sandbox.base_url, "POST", "/sandbox/apis", {"forms": False})
    forms = google_clients.forms(sandbox.base_url)
    form_id = sandbox.manifest["forms"]["teacher"]
    with pytest.raises(HttpError) as caught:
        forms.forms().get(formId=form_id).execute()
    error = error_of(caught.value)
    assert caught.value.status_code == 403 and error["status"] == "PERMISSION_DENIED"
    assert error["message"] == _disabled_message("Google Forms API", "forms.googleapis.com")
    _service_disabled_info(error, "forms.googleapis.com")
    assert [d["@type"].rsplit(".", 1)[1] for d in error["details"]] == [
        "ErrorInfo",
        "LocalizedMessage",
        "Help",
    ]
    assert "errors" not in error
    control(sandbox.base_url, "POST", "/sandbox/apis", {"forms": True})
    assert forms.forms().get(formId=form_id).execute()["formId"] == form_id


def test_sheets_api_not_enabled_reaches_gspread_as_403(sandbox) -> None:
    """Sheets switched off: gspread's HTTP client gets the same 403 SERVICE_DISABLED body for Sheets."""
    control(sandbox.base_url, "POST", "/sandbox/apis", {"sheets": False})
    roster = sandbox.manifest["spreadsheets"]["roster"]
    with clients(sandbox.base_url) as (gc, _), pytest.raises(gspread.exceptions.APIError) as caught:
        gc.http_client.request("get", f"{SPREADSHEETS_API_V4_BASE_URL}/{roster}")
    error = caught.value.response.json()["error"]
    assert error["code"] == 403 and error["status"] == "PERMISSION_DENIED" and "errors" not in error
    assert error["message"] == _disabled_message("Google Sheets API", "sheets.googleapis.com")
    _service_disabled_info(error, "sheets.googleapis.com")


def test_drive_api_not_enabled_answers_access_not_configured(sandbox, google_clients) -> None:
    """Drive switched off: 403 accessNotConfigured (usageLimits) with details, in batches too."""
    control(sandbox.base_url, "POST", "/sandbox/apis", {"drive": False})
    drive = google_clients.drive(sandbox.base_url)
    folder = sandbox.manifest["files"]["folder"]
    with pytest.raises(HttpError) as caught:
        drive.files().get(fileId=folder).execute()
    error = error_of(caught.value)
    assert caught.value.status_code == 403
    assert error["errors"][0]["reason"] == "accessNotConfigured"
    assert error["errors"][0]["domain"] == "usageLimits"
    assert error["errors"][0]["message"] == error["message"]
    assert error["message"] == _disabled_message("Google Drive API", "drive.googleapis.com")
    assert error["status"] == "PERMISSION_DENIED"
    _service_disabled_info(error, "drive.googleapis.com")
    results: list = []
    batch = BatchHttpRequest(
        callback=lambda rid, resp, exc: results.append(exc), batch_uri=sandbox.base_url + "/batch/drive/v3"
    )
    batch.add(drive.files().get(fileId=folder))
    batch.add(drive.files().get(fileId=folder))
    batch.execute()
    assert [exc.status_code for exc in results] == [403, 403]


def test_api_switch_refuses_unknown_names(sandbox) -> None:
    """POST /sandbox/apis takes booleans for forms, drive and sheets only."""
    with requests.Session() as session:
        response = session.post(sandbox.base_url + "/sandbox/apis", json={"gmail": False}, timeout=10)
    assert response.status_code == 400
    assert control(sandbox.base_url, "GET", "/sandbox/apis") == {"forms": True, "drive": True, "sheets": True}


def test_sheets_body_over_10_mib_is_refused_unparsed(sandbox, google_clients) -> None:
    """A values.update body over 10485760 bytes is 400 unparsed and writes nothing."""
    sheets = google_clients.sheets(sandbox.base_url)
    dashboard = sandbox.manifest["spreadsheets"]["dashboard"]
    values = [["x" * 40_000] for _ in range(TOO_BIG // 40_000 + 1)]
    with pytest.raises(HttpError) as caught:
        sheets.spreadsheets().values().update(
            spreadsheetId=dashboard, range="Sheet1!A1", valueInputOption="RAW", body={"values": values}
        ).execute()
    error = error_of(caught.value)
    assert caught.value.status_code == 400 and error["status"] == "INVALID_ARGUMENT"
    assert error["message"] == "Request payload size exceeds the limit: 10485760 bytes."
    read = sheets.spreadsheets().values().get(spreadsheetId=dashboard, range="Sheet1!A1").execute()
    assert "values" not in read
    assert [c["status"] for c in calls(sandbox.base_url, api="sheets")] == [400, 200]


def test_forms_and_drive_bodies_over_10_mib_are_refused_in_their_dialects(sandbox, google_clients) -> None:
    """Forms answers {code, message, status}; Drive answers {code, message, errors[]} with no status."""
    forms = google_clients.forms(sandbox.base_url)
    big = "ก" * (TOO_BIG // 3 + 10)
    with pytest.raises(HttpError) as caught:
        forms.forms().batchUpdate(
            formId=sandbox.manifest["forms"]["teacher"],
            body={
                "requests": [{"updateFormInfo": {"info": {"description": big}, "updateMask": "description"}}]
            },
        ).execute()
    error = error_of(caught.value)
    assert error["status"] == "INVALID_ARGUMENT" and "errors" not in error
    drive = google_clients.drive(sandbox.base_url)
    with pytest.raises(HttpError) as caught:
        drive.files().create(body={"name": "x", "description": "d" * TOO_BIG}).execute()
    error = error_of(caught.value)
    assert caught.value.status_code == 400 and "status" not in error
    assert error["errors"][0]["message"] == "Request payload size exceeds the limit: 10485760 bytes."


def test_drive_over_quota_answers_403_user_rate_limit_by_default(sandbox, google_clients) -> None:
    """Drive over quota: 403 userRateLimitExceeded, or 429 rateLimitExceeded when switched."""
    control(sandbox.base_url, "POST", "/sandbox/quotas", {"limits": {"drive.queries": {"perUser": 1}}})
    drive = google_clients.drive(sandbox.base_url)
    folder = sandbox.manifest["files"]["folder"]
    drive.files().get(fileId=folder).execute()
    with pytest.raises(HttpError) as caught:
        drive.files().get(fileId=folder).execute()
    error = error_of(caught.value)
    assert caught.value.status_code == 403 and "status" not in error
    assert error["errors"][0]["reason"] == "userRateLimitExceeded"
    assert error["errors"][0]["domain"] == "usageLimits"
    assert error["message"].startswith("User Rate Limit Exceeded.")
    control(sandbox.base_url, "POST", "/sandbox/quotas", {"driveQuotaStatus": 429})
    with pytest.raises(HttpError) as caught:
        drive.files().get(fileId=folder).execute()
    error = error_of(caught.value)
    assert caught.value.status_code == 429 and error["errors"][0]["reason"] == "rateLimitExceeded"
    assert int(caught.value.resp["retry-after"]) >= 1


def test_403rate_fault_answers_drives_user_rate_limit(sandbox, google_clients) -> None:
    """The fault kind "403rate" answers Drive's 403 userRateLimitExceeded once, then calls work again."""
    rule = {"fault": "403rate", "api": "drive", "method": "drive.files.get"}
    control(sandbox.base_url, "POST", "/sandbox/faults", {"rules": [rule]})
    drive = google_clients.drive(sandbox.base_url)
    folder = sandbox.manifest["files"]["folder"]
    with pytest.raises(HttpError) as caught:
        drive.files().get(fileId=folder).execute()
    assert caught.value.status_code == 403
    assert error_of(caught.value)["errors"][0]["reason"] == "userRateLimitExceeded"
    assert drive.files().get(fileId=folder, fields="id").execute() == {"id": folder}


def test_drive_batch_latency_is_added_once_per_batch(sandbox, google_clients) -> None:
    """Latency key "drive.batch" delays a batch call once, whatever its size, and not single calls (read from
    the call log's record of each wait, not timed)."""
    control(sandbox.base_url, "POST", "/sandbox/latency", {"drive.batch": 0.4})
    drive = google_clients.drive(sandbox.base_url)
    folder = sandbox.manifest["files"]["folder"]
    control(sandbox.base_url, "DELETE", "/sandbox/calls", None)
    drive.files().get(fileId=folder).execute()
    batch = BatchHttpRequest(callback=lambda *a: None, batch_uri=sandbox.base_url + "/batch/drive/v3")
    for _ in range(20):
        batch.add(drive.files().get(fileId=folder))
    batch.execute()
    calls = control(sandbox.base_url, "GET", "/sandbox/calls?api=drive", None)["calls"]
    single, *parts = calls
    assert (single["inBatch"], single["latency"]) == (False, 0.0)
    assert len(parts) == 20
    assert {(c["inBatch"], c["latency"], c["batchLatency"]) for c in parts} == {(True, 0.0, 0.4)}
