"""Requests Google refuses are refused by the sandbox too, with Google's status and error shape."""

from __future__ import annotations

import pytest
import requests
from googleapiclient.errors import HttpError

from tests.sandbox.api_helpers import error_of

pytestmark = pytest.mark.integration


CASES = {
    # name: (path and query of a GET, status, a fragment of the message)
    "unknown query parameter": ("/v1/forms/{teacher}?foo=1", 400, 'Unknown name "foo"'),
    "pageSize out of bounds": ("/v1/forms/{teacher}/responses?pageSize=5001", 400, "pageSize"),
    "pageSize not a number": ("/v1/forms/{teacher}/responses?pageSize=ten", 400, "TYPE_INT32"),
    "filter on another field": (
        "/v1/forms/{teacher}/responses?filter=createTime%20%3E%202026-01-01T00:00:00Z",
        400,
        "filter",
    ),
    "filter without Zulu time": (
        "/v1/forms/{teacher}/responses?filter=timestamp%20%3E%202026-01-01",
        400,
        "filter",
    ),
    "bad enum value": ("/drive/v3/files/x?alt=xml", 400, "TYPE_ENUM"),
    "bad fields selection": ("/drive/v3/files/x?fields=id,nonsense", 400, "Invalid field selection nonsense"),
    "parameter repeated": ("/v1/forms/{teacher}/responses?pageSize=1&pageSize=2", 400, "pageSize"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_query_refusals_have_googles_status_and_shape(sandbox, name: str) -> None:
    """Each query Google rejects answers its status in its API's dialect: Drive {code, message, errors[]},
    Forms and Sheets {code, message, status}."""
    path, status, fragment = CASES[name]
    with requests.Session() as session:
        response = session.get(sandbox.base_url + path.format(**sandbox.manifest["forms"]), timeout=10)
    assert response.status_code == status
    error = response.json()["error"]
    assert error["code"] == status
    assert fragment in error["message"]
    if path.startswith("/drive/"):
        assert "status" not in error
        assert error["errors"][0]["message"] == error["message"] and error["errors"][0]["domain"] == "global"
    else:
        assert error["status"] == "INVALID_ARGUMENT"
        assert "errors" not in error


BODIES = {
    "unknown body field": (
        {"requests": [{"createItem": {"item": {"title": "x", "colour": "red"}}}]},
        'Unknown name "colour"',
    ),
    "wrong enum in body": (
        {
            "requests": [
                {
                    "createItem": {
                        "item": {"questionItem": {"question": {"choiceQuestion": {"type": "SLIDER"}}}}
                    }
                }
            ]
        },
        "TYPE_ENUM",
    ),
    "wrong type in body": ({"includeFormInResponse": "yes"}, "TYPE_BOOL"),
    "two request kinds at once": (
        {"requests": [{"deleteItem": {"location": {"index": 0}}, "moveItem": {}}]},
        "exactly one",
    ),
}


@pytest.mark.parametrize("name", sorted(BODIES))
def test_body_refusals_through_the_client_library(sandbox, google_clients, name: str) -> None:
    """forms.batchUpdate bodies that do not fit the discovery schema answer 400 INVALID_ARGUMENT."""
    body, fragment = BODIES[name]
    forms = google_clients.forms(sandbox.base_url)
    with pytest.raises(HttpError) as caught:
        forms.forms().batchUpdate(formId=sandbox.manifest["forms"]["teacher"], body=body).execute()
    error = error_of(caught.value)
    assert caught.value.status_code == 400 and error["status"] == "INVALID_ARGUMENT"
    assert fragment in error["message"]


def test_create_form_with_items_is_refused(empty_sandbox, google_clients) -> None:
    """forms.create takes only info.title and info.documentTitle; items in the body are refused (400)."""
    forms = google_clients.forms(empty_sandbox.base_url)
    with pytest.raises(HttpError) as caught:
        forms.forms().create(body={"info": {"title": "x"}, "items": [{"title": "q"}]}).execute()
    assert caught.value.status_code == 400


def test_unknown_form_answers_404_not_found(empty_sandbox, google_clients) -> None:
    """forms.get of a form that does not exist answers 404 NOT_FOUND."""
    forms = google_clients.forms(empty_sandbox.base_url)
    with pytest.raises(HttpError) as caught:
        forms.forms().get(formId="nope").execute()
    assert caught.value.status_code == 404 and error_of(caught.value)["status"] == "NOT_FOUND"
