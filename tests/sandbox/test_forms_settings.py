"""Forms: email collection decides respondentEmail, timestamps carry Google's precision, publish settings
decide whether a form takes responses."""

from __future__ import annotations

import re

import pytest
import requests
from googleapiclient.errors import HttpError

from sandbox.responses import to_nanos
from tests.sandbox.api_helpers import control, error_of

pytestmark = pytest.mark.integration
MILLIS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
MICROS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")
QUESTION = "ชื่อ-นามสกุล"


def _new_form(forms, collection: str | None, **create) -> str:
    """A form made through the API with one text question and, if given, an emailCollectionType."""
    form_id = forms.forms().create(body={"info": {"title": "แบบทดสอบ"}}, **create).execute()["formId"]
    requests_ = [
        {
            "createItem": {
                "item": {"title": QUESTION, "questionItem": {"question": {"textQuestion": {}}}},
                "location": {"index": 0},
            }
        }
    ]
    if collection:
        settings = {"settings": {"emailCollectionType": collection}, "updateMask": "emailCollectionType"}
        requests_.append({"updateSettings": settings})
    forms.forms().batchUpdate(formId=form_id, body={"requests": requests_}).execute()
    return str(form_id)


def _submit(base_url: str, form_id: str, **body) -> requests.Response:
    with requests.Session() as session:
        return session.post(
            f"{base_url}/sandbox/forms/{form_id}/responses",
            json={"answers": {QUESTION: ["ครูสมศรี"]}, **body},
            timeout=10,
        )


@pytest.mark.parametrize("collection", ["DO_NOT_COLLECT", None])
def test_a_form_that_does_not_collect_email_has_no_respondent_email(
    empty_sandbox, google_clients, collection
) -> None:
    """DO_NOT_COLLECT (or unset): the response carries no respondentEmail even when the respondent has one."""
    forms = google_clients.forms(empty_sandbox.base_url)
    form_id = _new_form(forms, collection)
    made = _submit(empty_sandbox.base_url, form_id, respondentEmail="somsri@sukho.nfe.go.th").json()
    got = forms.forms().responses().get(formId=form_id, responseId=made["responseId"]).execute()
    assert "respondentEmail" not in got


def test_responder_input_requires_and_keeps_the_address(empty_sandbox, google_clients) -> None:
    """RESPONDER_INPUT records the typed address; a submission without one is refused."""
    forms = google_clients.forms(empty_sandbox.base_url)
    form_id = _new_form(forms, "RESPONDER_INPUT")
    assert _submit(empty_sandbox.base_url, form_id).status_code == 400
    made = _submit(empty_sandbox.base_url, form_id, respondentEmail="a@sukho.nfe.go.th").json()
    listed = forms.forms().responses().list(formId=form_id).execute()["responses"]
    assert [r["respondentEmail"] for r in listed] == ["a@sukho.nfe.go.th"] and made["responseId"]


def test_the_sample_forms_collect_verified_email(sandbox, google_clients) -> None:
    """The seeded forms stay VERIFIED: every response has respondentEmail."""
    forms = google_clients.forms(sandbox.base_url)
    page = forms.forms().responses().list(formId=sandbox.manifest["forms"]["teacher"]).execute()
    assert page["responses"] and all("respondentEmail" in r for r in page["responses"])


def test_an_unknown_collection_type_is_refused(empty_sandbox, google_clients) -> None:
    """emailCollectionType outside the discovery enum answers 400 TYPE_ENUM."""
    forms = google_clients.forms(empty_sandbox.base_url)
    form_id = _new_form(forms, None)
    body = {
        "requests": [
            {"updateSettings": {"settings": {"emailCollectionType": "SOMETIMES"}, "updateMask": "*"}}
        ]
    }
    with pytest.raises(HttpError) as caught:
        forms.forms().batchUpdate(formId=form_id, body=body).execute()
    assert "TYPE_ENUM" in error_of(caught.value)["message"]


def test_timestamps_have_googles_precision(sandbox, google_clients) -> None:
    """createTime has milliseconds, lastSubmittedTime microseconds; an edit moves only lastSubmittedTime."""
    forms = google_clients.forms(sandbox.base_url)
    edited = sandbox.manifest["edited_response"]
    got = forms.forms().responses().get(formId=edited["form_id"], responseId=edited["response_id"]).execute()
    assert MILLIS.match(got["createTime"]) and MICROS.match(got["lastSubmittedTime"])
    assert to_nanos(got["createTime"]) < to_nanos(got["lastSubmittedTime"])
    district = sandbox.manifest["forms"]["district"]
    answers = {
        "ชื่อ-นามสกุล": ["สกร.อำเภอเมืองสุโขทัย"],
        "ตัวชี้วัด": ["ห้องสมุดประชาชนดีเด่น"],
        "รอบการประเมิน": ["รอบ 9 เดือน"],
    }
    body = {"respondentEmail": "district.mueang@sukho.nfe.go.th", "answers": answers}
    made = control(sandbox.base_url, "POST", f"/sandbox/forms/{district}/responses", body)
    assert MICROS.match(made["lastSubmittedTime"]) and MILLIS.match(made["createTime"])
    assert made["createTime"][:23] == made["lastSubmittedTime"][:23]
    control(sandbox.base_url, "POST", "/sandbox/clock", {"advanceSeconds": 5})
    path = f"/sandbox/forms/{district}/responses/{made['responseId']}"
    again = control(sandbox.base_url, "PUT", path, {"answers": answers})
    assert again["createTime"] == made["createTime"] != again["lastSubmittedTime"]
    exact = f"timestamp >= {again['lastSubmittedTime']}"
    listed = forms.forms().responses().list(formId=district, filter=exact).execute()["responses"]
    assert [r["responseId"] for r in listed] == [made["responseId"]]


def test_created_forms_are_published_unless_asked_otherwise(empty_sandbox, google_clients) -> None:
    """forms.create publishes unless unpublished=true; setPublishSettings opens it."""
    forms = google_clients.forms(empty_sandbox.base_url)
    published = forms.forms().get(formId=_new_form(forms, None)).execute()
    assert published["publishSettings"] == {
        "publishState": {"isPublished": True, "isAcceptingResponses": True}
    }
    form_id = _new_form(forms, None, unpublished=True)
    state = forms.forms().get(formId=form_id).execute()["publishSettings"]["publishState"]
    assert state == {"isPublished": False, "isAcceptingResponses": False}
    refused = _submit(empty_sandbox.base_url, form_id)
    assert refused.status_code == 400 and refused.json()["error"]["status"] == "FAILED_PRECONDITION"
    revision = forms.forms().get(formId=form_id).execute()["revisionId"]
    on = {"publishSettings": {"publishState": {"isPublished": True, "isAcceptingResponses": True}}}
    reply = forms.forms().setPublishSettings(formId=form_id, body=on).execute()
    assert reply == {"formId": form_id, **on}
    assert forms.forms().get(formId=form_id).execute()["revisionId"] == revision
    assert _submit(empty_sandbox.base_url, form_id).status_code == 200


def test_a_published_form_that_stops_accepting_refuses_submissions_and_edits(
    empty_sandbox, google_clients
) -> None:
    """A form not accepting responses refuses new ones and edits; old ones still list."""
    forms = google_clients.forms(empty_sandbox.base_url)
    form_id = _new_form(forms, None)
    made = _submit(empty_sandbox.base_url, form_id).json()
    closed = {"publishSettings": {"publishState": {"isPublished": True, "isAcceptingResponses": False}}}
    forms.forms().setPublishSettings(formId=form_id, body={**closed, "updateMask": "publishState"}).execute()
    assert _submit(empty_sandbox.base_url, form_id).status_code == 400
    with requests.Session() as session:
        edit = session.put(
            f"{empty_sandbox.base_url}/sandbox/forms/{form_id}/responses/{made['responseId']}",
            json={"answers": {QUESTION: ["แก้"]}},
            timeout=10,
        )
    assert edit.status_code == 400
    assert len(forms.forms().responses().list(formId=form_id).execute()["responses"]) == 1


@pytest.mark.parametrize(
    "body",
    [
        {"publishSettings": {"publishState": {"isPublished": False, "isAcceptingResponses": True}}},
        {"publishSettings": {"publishState": {"isPublished": True}}},
        {
            "publishSettings": {"publishState": {"isPublished": True, "isAcceptingResponses": True}},
            "updateMask": "x",
        },
    ],
)
def test_set_publish_settings_refuses_what_its_page_forbids(empty_sandbox, google_clients, body) -> None:
    """Accepting while unpublished, a half-set publishState and another mask than publish_state/* are 400."""
    forms = google_clients.forms(empty_sandbox.base_url)
    form_id = _new_form(forms, None)
    with pytest.raises(HttpError) as caught:
        forms.forms().setPublishSettings(formId=form_id, body=body).execute()
    assert caught.value.status_code == 400 and error_of(caught.value)["status"] == "INVALID_ARGUMENT"


def test_a_legacy_form_cannot_take_publish_settings(empty_sandbox, google_clients) -> None:
    """A form without publishSettings is refused by setPublishSettings, still takes responses."""
    forms = google_clients.forms(empty_sandbox.base_url)
    form_id = _new_form(forms, None)
    app = empty_sandbox.running.app
    with app.store.lock:
        del app.forms.form(form_id)["publishSettings"]
        app.store.save("forms")
    on = {"publishSettings": {"publishState": {"isPublished": True, "isAcceptingResponses": True}}}
    with pytest.raises(HttpError) as caught:
        forms.forms().setPublishSettings(formId=form_id, body=on).execute()
    assert caught.value.status_code == 400 and error_of(caught.value)["status"] == "FAILED_PRECONDITION"
    assert _submit(empty_sandbox.base_url, form_id).status_code == 200
