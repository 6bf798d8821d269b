"""Forms v1 through the unchanged googleapiclient: structure, responses, paging, filter, edits."""

from __future__ import annotations

import re

import pytest
import requests
from googleapiclient.errors import HttpError

from sandbox.responses import to_nanos
from tests.sandbox.api_helpers import control, error_of

pytestmark = pytest.mark.integration


def _all_responses(forms, form_id: str, **kwargs) -> list[dict]:
    found, token = [], None
    while True:
        page = forms.forms().responses().list(formId=form_id, pageToken=token, **kwargs).execute()
        found.extend(page.get("responses", []))
        token = page.get("nextPageToken")
        if not token:
            return found


def test_seeded_form_has_the_spec_items_with_google_style_ids(sandbox, google_clients) -> None:
    """forms.get answers the ten items of SAMPLE_SPEC in order, each question with an 8-hex questionId."""
    form = (
        google_clients.forms(sandbox.base_url)
        .forms()
        .get(formId=sandbox.manifest["forms"]["teacher"])
        .execute()
    )
    titles = [item["title"] for item in form["items"]]
    assert titles[:3] == ["ชื่อ-นามสกุล", "ตัวชี้วัด", "รอบการประเมิน"]
    assert titles[-1] == "หมายเหตุ" and len(titles) == 10
    grid = form["items"][5]["questionGroupItem"]
    assert [q["rowQuestion"]["title"] for q in grid["questions"]] == [
        "ระดับประเทศ",
        "ระดับภาค",
        "ระดับจังหวัด",
        "ระดับอำเภอ",
    ]
    ids = [q["questionId"] for q in grid["questions"]] + [
        form["items"][0]["questionItem"]["question"]["questionId"]
    ]
    assert all(re.fullmatch(r"[0-9a-f]{8}", i) for i in ids)
    assert form["settings"]["emailCollectionType"] == "VERIFIED"
    assert "fileUploadQuestion" in form["items"][7]["questionItem"]["question"]


def test_create_and_batch_update_assign_ids_and_move_the_revision(empty_sandbox, google_clients) -> None:
    """forms.create then createItem (incl. a grid) assign item/question ids and change revisionId."""
    forms = google_clients.forms(empty_sandbox.base_url)
    form = forms.forms().create(body={"info": {"title": "แบบทดสอบ"}}).execute()
    grid = {
        "questions": [{"rowQuestion": {"title": "แถว 1"}}, {"rowQuestion": {"title": "แถว 2"}}],
        "grid": {"columns": {"type": "RADIO", "options": [{"value": "0"}, {"value": "1"}]}},
    }
    reply = (
        forms.forms()
        .batchUpdate(
            formId=form["formId"],
            body={
                "requests": [
                    {
                        "createItem": {
                            "item": {"title": "รางวัล", "questionGroupItem": grid},
                            "location": {"index": 0},
                        }
                    }
                ]
            },
        )
        .execute()
    )
    created = reply["replies"][0]["createItem"]
    assert len(created["questionId"]) == 2
    after = forms.forms().get(formId=form["formId"]).execute()
    assert after["revisionId"] != form["revisionId"]
    assert after["items"][0]["itemId"] == created["itemId"]


def test_file_upload_questions_cannot_be_created_through_the_api(empty_sandbox, google_clients) -> None:
    """Google's API refuses to create file upload questions; so does the sandbox (400)."""
    forms = google_clients.forms(empty_sandbox.base_url)
    form = forms.forms().create(body={"info": {"title": "x"}}).execute()
    item = {"title": "ไฟล์", "questionItem": {"question": {"fileUploadQuestion": {"folderId": "f"}}}}
    with pytest.raises(HttpError) as caught:
        forms.forms().batchUpdate(
            formId=form["formId"],
            body={"requests": [{"createItem": {"item": item, "location": {"index": 0}}}]},
        ).execute()
    assert caught.value.status_code == 400


def test_paging_returns_every_response_once_in_an_order_not_sorted_by_time(sandbox, google_clients) -> None:
    """Small pages together hold every response exactly once, and the order is not by submission time."""
    forms = google_clients.forms(sandbox.base_url)
    form_id = sandbox.manifest["forms"]["all_staff"]
    found = _all_responses(forms, form_id, pageSize=7)
    ids = [r["responseId"] for r in found]
    assert len(ids) == len(set(ids)) == sandbox.manifest["response_counts"]["all_staff"]
    times = [r["lastSubmittedTime"] for r in found]
    assert times != sorted(times)
    assert all("formId" not in r for r in found)


def test_filter_strict_and_inclusive_bounds_on_last_submitted_time(sandbox, google_clients) -> None:
    """``timestamp > T`` excludes a response submitted exactly at T and ``timestamp >= T`` includes it."""
    forms = google_clients.forms(sandbox.base_url)
    form_id = sandbox.manifest["forms"]["all_staff"]
    everything = _all_responses(forms, form_id)
    pivot = sorted(everything, key=lambda r: to_nanos(r["lastSubmittedTime"]))[len(everything) // 2]
    stamp = pivot["lastSubmittedTime"]
    strict = {r["responseId"] for r in _all_responses(forms, form_id, filter=f"timestamp > {stamp}")}
    inclusive = {r["responseId"] for r in _all_responses(forms, form_id, filter=f"timestamp >= {stamp}")}
    assert pivot["responseId"] in inclusive - strict
    expected = {r["responseId"] for r in everything if to_nanos(r["lastSubmittedTime"]) > to_nanos(stamp)}
    assert strict == expected


def test_page_token_is_bound_to_its_filter(sandbox, google_clients) -> None:
    """A pageToken reused with another filter is refused with 400, as Google documents."""
    forms = google_clients.forms(sandbox.base_url)
    form_id = sandbox.manifest["forms"]["all_staff"]
    page = (
        forms.forms()
        .responses()
        .list(formId=form_id, pageSize=5, filter="timestamp > 2026-01-01T00:00:00Z")
        .execute()
    )
    with pytest.raises(HttpError) as caught:
        forms.forms().responses().list(
            formId=form_id,
            pageSize=5,
            filter="timestamp > 2026-02-01T00:00:00Z",
            pageToken=page["nextPageToken"],
        ).execute()
    assert caught.value.status_code == 400
    assert error_of(caught.value)["status"] == "INVALID_ARGUMENT"


def test_edited_response_keeps_its_id_and_moves_last_submitted_time(sandbox, google_clients) -> None:
    """The seed's edited response: same responseId, createTime < lastSubmittedTime, the later answers."""
    edited = sandbox.manifest["edited_response"]
    form = google_clients.forms(sandbox.base_url).forms()
    response = form.responses().get(formId=edited["form_id"], responseId=edited["response_id"]).execute()
    assert to_nanos(response["createTime"]) < to_nanos(response["lastSubmittedTime"])
    values = [
        a["textAnswers"]["answers"][0]["value"] for a in response["answers"].values() if "textAnswers" in a
    ]
    assert edited["value_after"] in values and edited["value_before"] not in values


def test_respondent_edit_and_owner_delete_over_http(sandbox, google_clients) -> None:
    """Sandbox-only edit moves the response past a filter watermark; delete makes it vanish (404 on get)."""
    forms = google_clients.forms(sandbox.base_url)
    form_id = sandbox.manifest["forms"]["district"]
    victim = _all_responses(forms, form_id)[0]
    path = f"/sandbox/forms/{form_id}/responses/{victim['responseId']}"
    answers = {**victim["answers"], "ชื่อ-นามสกุล": ["แก้ไขแล้ว"]}
    control(sandbox.base_url, "PUT", path, {"answers": answers, "submittedAt": "2026-12-01T00:00:00.000Z"})
    newer = _all_responses(forms, form_id, filter="timestamp >= 2026-12-01T00:00:00Z")
    assert [r["responseId"] for r in newer] == [victim["responseId"]]
    control(sandbox.base_url, "DELETE", path)
    with pytest.raises(HttpError) as caught:
        forms.forms().responses().get(formId=form_id, responseId=victim["responseId"]).execute()
    assert caught.value.status_code == 404
    assert victim["responseId"] not in {r["responseId"] for r in _all_responses(forms, form_id)}


def test_submit_refuses_a_choice_that_is_not_an_option(sandbox, google_clients) -> None:
    """A respondent cannot pick an option the question does not offer (the form would not let them)."""
    form_id = sandbox.manifest["forms"]["district"]
    answer = {
        "respondentEmail": "x@sukho.nfe.go.th",
        "answers": {"ชื่อ-นามสกุล": ["ก"], "รอบการประเมิน": ["รอบ 3 เดือน"]},
    }
    with requests.Session() as session:
        response = session.post(
            f"{sandbox.base_url}/sandbox/forms/{form_id}/responses", json=answer, timeout=10
        )
    assert response.status_code == 400


def test_file_upload_answers_point_at_files_in_drive(sandbox, google_clients) -> None:
    """Some seeded responses carry fileUploadAnswers (fileId, fileName, mimeType) of existing Drive files."""
    forms = google_clients.forms(sandbox.base_url)
    uploads = [
        a["fileUploadAnswers"]["answers"][0]
        for r in _all_responses(forms, sandbox.manifest["forms"]["teacher"])
        for a in r["answers"].values()
        if "fileUploadAnswers" in a
    ]
    assert uploads and {"fileId", "fileName", "mimeType"} <= set(uploads[0])
