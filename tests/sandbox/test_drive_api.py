"""Drive v3 through the unchanged googleapiclient: files.get access rules, fields, create, batch."""

from __future__ import annotations

import pytest
import requests
from googleapiclient.errors import HttpError
from googleapiclient.http import BatchHttpRequest

from tests.sandbox.api_helpers import calls, control, error_of

pytestmark = pytest.mark.integration
FIELDS = (
    "id,name,mimeType,trashed,size,md5Checksum,owners(emailAddress),shortcutDetails,resourceKey,webViewLink"
)


def _status(drive, file_id: str, **kwargs) -> int:
    try:
        drive.files().get(fileId=file_id, fields="id", supportsAllDrives=True, **kwargs).execute()
    except HttpError as error:
        return int(error.status_code)
    return 200


def test_unshared_and_deleted_files_answer_the_same_404(sandbox, google_clients) -> None:
    """A file the service account may not read answers exactly like a missing one: 404 "File not found"."""
    drive = google_clients.drive(sandbox.base_url)
    files = sandbox.manifest["files"]
    bodies = []
    for file_id in (files["unreadable"], files["deleted"]):
        with pytest.raises(HttpError) as caught:
            drive.files().get(fileId=file_id, fields="id,name").execute()
        error = error_of(caught.value)
        bodies.append((error["code"], error["errors"][0]["reason"], error["message"].replace(file_id, "ID")))
    assert bodies[0] == bodies[1] == (404, "notFound", "File not found: ID.")


def test_trashed_file_answers_200_with_trashed_true(sandbox, google_clients) -> None:
    """A trashed file is still readable metadata: 200 with trashed=true."""
    drive = google_clients.drive(sandbox.base_url)
    found = drive.files().get(fileId=sandbox.manifest["files"]["trashed"], fields="id,trashed").execute()
    assert found == {"id": sandbox.manifest["files"]["trashed"], "trashed": True}


def test_link_shared_file_needs_its_resource_key_header(sandbox, google_clients) -> None:
    """Without X-Goog-Drive-Resource-Keys the file is 404; with the right key it answers 200."""
    drive = google_clients.drive(sandbox.base_url)
    keyed = sandbox.manifest["files"]["resource_key"]
    assert _status(drive, keyed["id"]) == 404
    request = drive.files().get(fileId=keyed["id"], fields="id,resourceKey")
    request.headers["X-Goog-Drive-Resource-Keys"] = f"{keyed['id']}/{keyed['resource_key']}"
    assert request.execute()["resourceKey"] == keyed["resource_key"]
    wrong = drive.files().get(fileId=keyed["id"], fields="id")
    wrong.headers["X-Goog-Drive-Resource-Keys"] = f"{keyed['id']}/0-wrong"
    with pytest.raises(HttpError):
        wrong.execute()


def test_shortcut_and_folder_metadata(sandbox, google_clients) -> None:
    """A shortcut names its target and the target's mimeType; a folder has the folder mimeType and no size."""
    drive = google_clients.drive(sandbox.base_url)
    files = sandbox.manifest["files"]
    shortcut = drive.files().get(fileId=files["shortcut"], fields=FIELDS).execute()
    assert shortcut["mimeType"] == "application/vnd.google-apps.shortcut"
    assert shortcut["shortcutDetails"] == {
        "targetId": files["shortcut_target"],
        "targetMimeType": "application/pdf",
    }
    folder = drive.files().get(fileId=files["folder"], fields=FIELDS).execute()
    assert folder["mimeType"] == "application/vnd.google-apps.folder" and "size" not in folder


def test_fields_mask_selects_nested_fields_and_defaults_without_it(sandbox, google_clients) -> None:
    """``owners(emailAddress)`` keeps only that subfield; without ``fields`` Drive's default four answer."""
    drive = google_clients.drive(sandbox.base_url)
    target = sandbox.manifest["files"]["shortcut_target"]
    masked = drive.files().get(fileId=target, fields="id,size,owners(emailAddress)").execute()
    assert set(masked) == {"id", "size", "owners"} and set(masked["owners"][0]) == {"emailAddress"}
    assert set(drive.files().get(fileId=target).execute()) == {"kind", "id", "name", "mimeType"}


def test_files_create_metadata_and_refuses_read_only_fields(empty_sandbox, google_clients) -> None:
    """files.create makes a folder and a Doc inside it; a read-only field like ``size`` is refused (403)."""
    drive = google_clients.drive(empty_sandbox.base_url)
    folder = (
        drive.files()
        .create(body={"name": "หลักฐาน", "mimeType": "application/vnd.google-apps.folder"})
        .execute()
    )
    doc = (
        drive.files()
        .create(
            body={
                "name": "รายงาน",
                "mimeType": "application/vnd.google-apps.document",
                "parents": [folder["id"]],
            },
            fields="id,parents,webViewLink",
        )
        .execute()
    )
    assert doc["parents"] == [folder["id"]] and "docs.google.com/document/d/" in doc["webViewLink"]
    with pytest.raises(HttpError) as caught:
        drive.files().create(body={"name": "x", "size": "10"}).execute()
    assert (
        caught.value.status_code == 403
        and error_of(caught.value)["errors"][0]["reason"] == "fieldNotWritable"
    )


def test_acl_switch_makes_a_file_unreadable(sandbox, google_clients) -> None:
    """The sandbox-only access switch takes the service account off a file; files.get then answers 404."""
    drive = google_clients.drive(sandbox.base_url)
    target = sandbox.manifest["files"]["shortcut_target"]
    assert _status(drive, target) == 200
    control(
        sandbox.base_url,
        "PUT",
        f"/sandbox/drive/files/{target}/access",
        {"readers": ["someone@sukho.nfe.go.th"]},
    )
    assert _status(drive, target) == 404


def test_batch_answers_each_call_and_counts_each_against_the_log(sandbox, google_clients) -> None:
    """BatchHttpRequest(batch_uri=...) gets one answer per call (200s, a 404); the server logs each call."""
    drive = google_clients.drive(sandbox.base_url)
    files = sandbox.manifest["files"]
    wanted = [files["trashed"], files["folder"], files["deleted"], files["shortcut"]]
    results: dict[str, tuple] = {}
    batch = BatchHttpRequest(
        callback=lambda rid, resp, exc: results.__setitem__(rid, (resp, exc)),
        batch_uri=sandbox.base_url + "/batch/drive/v3",
    )
    for file_id in wanted:
        batch.add(
            drive.files().get(fileId=file_id, fields="id,trashed", supportsAllDrives=True), request_id=file_id
        )
    batch.execute()
    assert results[files["trashed"]][0] == {"id": files["trashed"], "trashed": True}
    assert results[files["deleted"]][1].status_code == 404
    assert results[files["folder"]][0]["id"] == files["folder"]
    logged = calls(sandbox.base_url, api="drive")
    assert [c["inBatch"] for c in logged] == [True] * 4


def test_batch_parts_past_the_100th_answer_403_each(sandbox, google_clients) -> None:
    """Past 100 calls, Drive runs the first 100 and answers each later part 403 "soft limit"."""
    drive = google_clients.drive(sandbox.base_url)
    results: dict[str, tuple] = {}
    batch = BatchHttpRequest(
        callback=lambda rid, resp, exc: results.__setitem__(rid, (resp, exc)),
        batch_uri=sandbox.base_url + "/batch/drive/v3",
    )
    folder = sandbox.manifest["files"]["folder"]
    for n in range(102):
        batch.add(drive.files().get(fileId=folder, fields="id"), request_id=str(n))
    batch.execute()
    assert all(results[str(n)] == ({"id": folder}, None) for n in range(100))
    for n in (100, 101):
        error = error_of(results[str(n)][1])
        assert results[str(n)][1].status_code == 403 and "status" not in error
        assert error["message"] == "Exceeds allowed inner batch requests soft limit. Please retry."
        assert error["errors"][0]["reason"] == "forbidden" and error["errors"][0]["domain"] == "global"
    logged = calls(sandbox.base_url, api="drive")
    assert [c["status"] for c in logged] == [200] * 100 + [403, 403]


def test_batch_that_is_not_multipart_is_refused(sandbox) -> None:
    """A batch body that is not multipart/mixed answers 400 in Google's error shape."""
    with requests.Session() as session:
        response = session.post(
            sandbox.base_url + "/batch/drive/v3", data=b"{}", headers={"Content-Type": "application/json"}
        )
    assert response.status_code == 400 and response.json()["error"]["code"] == 400
