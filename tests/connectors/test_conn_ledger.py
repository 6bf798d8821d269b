"""The ledger and the transports that fill it: every HTTP attempt recorded, retries included, per-thread Http.

These run offline: googleapiclient gets its own HttpMockSequence as the per-thread transport, gspread's
session gets a requests transport adapter that answers from a list, so the client libraries themselves run
unchanged.
"""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from typing import Any

import gspread
import httplib2
import pytest
import requests
from google.auth.credentials import AnonymousCredentials
from googleapiclient.discovery import build
from googleapiclient.http import HttpMockSequence

from connectors.base import RangeValues
from connectors.errors import FatalError, RetriableError
from connectors.forms import GoogleForms, rfc3339_utc
from connectors.ledger import ApiCall, ApiLedger, LedgerHttp, LedgerSession, sheets_method
from connectors.retry import RetryPolicy
from connectors.sheets import GoogleSheets

NO_WAIT = RetryPolicy(max_attempts=3, base_delay=0.0, max_delay=0.0, sleep=lambda _s: None)


def forms_over(ledger: ApiLedger, answers: list[tuple[dict[str, str], str]]) -> tuple[GoogleForms, Any]:
    sequence = HttpMockSequence(answers)
    http = LedgerHttp(ledger, "forms", lambda: sequence)
    service = build("forms", "v1", http=http, static_discovery=True, cache_discovery=False)
    return GoogleForms(service, http, NO_WAIT), sequence


def test_ledger_counts_by_api_method_and_write() -> None:
    """count() filters by api, method and write flag; quota_units counts each call inside a batch."""
    ledger = ApiLedger()
    ledger.record(ApiCall("forms", "forms.forms.get", 200, 1.0, 0, 10))
    ledger.record(ApiCall("drive", "drive.batch", 200, 1.0, 500, 900, inner_calls=40))
    ledger.record(
        ApiCall("sheets", "sheets.spreadsheets.values.batchUpdate", 200, 1.0, 50, 10, is_write=True)
    )
    assert ledger.count() == 3
    assert ledger.count(api="drive") == 1
    assert ledger.count(method="forms.forms.get") == 1
    assert ledger.count(writes=True) == 1
    assert ledger.quota_units() == 42
    assert ledger.quota_units("drive") == 40


def test_ledger_is_thread_safe() -> None:
    """Appends from many threads are all kept."""
    ledger = ApiLedger()

    def work() -> None:
        for _ in range(500):
            ledger.record(ApiCall("drive", "drive.files.get", 200, 0.1, 0, 0))

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert ledger.count() == 4000


def test_one_http_per_thread() -> None:
    """LedgerHttp builds one transport per thread and reuses it within the thread."""
    made: list[object] = []
    lock = threading.Lock()

    class Echo:
        def request(self, uri: str, **_kw: Any) -> tuple[Any, bytes]:
            return httplib2.Response({"status": "200"}), b"{}"

    def make() -> Echo:
        with lock:
            made.append(object())
        return Echo()

    http = LedgerHttp(ApiLedger(), "forms", make)

    def work() -> None:
        for _ in range(3):
            http.request("http://x/")

    threads = [threading.Thread(target=work) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(made) == 3
    assert http.ledger.count(method="forms.unknown") == 9


def test_forms_retry_is_recorded_per_attempt() -> None:
    """A 503 then a 200 on forms.get: two ledger entries with attempt numbers 1 and 2."""
    ledger = ApiLedger()
    body = json.dumps({"error": {"code": 503, "message": "backend", "status": "UNAVAILABLE"}})
    forms, _ = forms_over(ledger, [({"status": "503"}, body), ({"status": "200"}, '{"formId": "F1"}')])
    assert forms.get_form("F1") == {"formId": "F1"}
    assert [(c.method, c.status, c.attempt) for c in ledger.calls] == [
        ("forms.forms.get", 503, 1),
        ("forms.forms.get", 200, 2),
    ]
    assert ledger.calls[1].response_bytes == len(b'{"formId": "F1"}')


def test_forms_paging_and_inclusive_filter() -> None:
    """responses.list asks pages of 5000 with 'timestamp >= T' in RFC3339 Z and follows nextPageToken."""
    ledger = ApiLedger()
    pages = [
        ({"status": "200"}, json.dumps({"responses": [{"responseId": "a"}], "nextPageToken": "p2"})),
        ({"status": "200"}, json.dumps({"responses": [{"responseId": "b"}]})),
    ]
    forms, sequence = forms_over(ledger, pages)
    since = datetime(2026, 3, 1, 17, 0, 0, 250000, tzinfo=UTC)
    got = list(forms.list_responses("F1", since=since))
    assert got == [[{"responseId": "a"}], [{"responseId": "b"}]]
    first_uri, second_uri = sequence.request_sequence[0][0], sequence.request_sequence[1][0]
    assert "pageSize=5000" in first_uri
    assert "filter=timestamp+%3E%3D+2026-03-01T17%3A00%3A00.25Z" in first_uri
    assert "pageToken=p2" in second_uri and "filter=" in second_uri
    assert ledger.count(method="forms.forms.responses.list") == 2


def test_rfc3339_rejects_naive_times() -> None:
    """A naive datetime has no zone, so it cannot become a Zulu timestamp."""
    assert rfc3339_utc(datetime(2026, 3, 1, 0, 0, tzinfo=UTC)) == "2026-03-01T00:00:00Z"
    with pytest.raises(ValueError, match="timezone-aware"):
        rfc3339_utc(datetime(2026, 3, 1))  # noqa: DTZ001


def test_forms_fatal_is_not_retried() -> None:
    """A 403 permission error is raised after one attempt, classified fatal."""
    ledger = ApiLedger()
    body = json.dumps({"error": {"code": 403, "message": "no", "status": "PERMISSION_DENIED"}})
    forms, _ = forms_over(ledger, [({"status": "403"}, body)])
    with pytest.raises(FatalError):
        forms.get_form("F1")
    assert ledger.count() == 1


class ListAdapter(requests.adapters.BaseAdapter):
    """A requests transport answering from a list of (status, json, headers); remembers what it was sent."""

    def __init__(self, answers: list[tuple[int, Any, dict[str, str]]]) -> None:
        super().__init__()
        self.answers = answers
        self.sent: list[tuple[str, str, Any, Any]] = []

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        self.sent.append((request.method or "", request.url or "", kwargs.get("timeout"), request.body))
        status, body, headers = self.answers.pop(0)
        response = requests.Response()
        response.status_code = status
        response._content = json.dumps(body).encode()
        response.headers.update({"Content-Type": "application/json", **headers})
        response.url = request.url or ""
        response.request = request
        return response

    def close(self) -> None:
        pass


def sheets_over(
    answers: list[tuple[int, Any, dict[str, str]]], base_url: str | None = "http://127.0.0.1:9"
) -> tuple[GoogleSheets, ListAdapter, ApiLedger]:
    ledger = ApiLedger()
    session = LedgerSession(AnonymousCredentials(), ledger, base_url=base_url, timeout=12.5)
    adapter = ListAdapter(answers)
    for prefix in ("http://", "https://"):
        session.mount(prefix, adapter)
    return GoogleSheets(gspread.Client(auth=None, session=session), session, NO_WAIT), adapter, ledger  # type: ignore[arg-type]


def test_session_rewrites_hosts_sets_timeout_and_records() -> None:
    """gspread's Google URLs go to the base URL, with the timeout, and each request is one ledger entry."""
    reply = {"spreadsheetId": "S", "valueRanges": [{"range": "'Sheet1'!A1:B2", "values": [["a"]]}]}
    sheets, adapter, ledger = sheets_over([(200, reply, {})])
    got = sheets.open("S").read(["Sheet1!A1:B2"])
    assert got == {"Sheet1!A1:B2": [["a"]]}
    _, url, timeout, _ = adapter.sent[0]
    assert url.startswith("http://127.0.0.1:9/v4/spreadsheets/S/values:batchGet?")
    assert timeout == 12.5
    assert [(c.method, c.is_write) for c in ledger.calls] == [("sheets.spreadsheets.values.batchGet", False)]


def test_sheets_429_retried_then_written_raw() -> None:
    """A 429 with Retry-After is retried (attempts 1 and 2 recorded); the body asks RAW input."""
    too_many = {"error": {"code": 429, "message": "quota", "status": "RESOURCE_EXHAUSTED"}}
    sheets, adapter, ledger = sheets_over(
        [(429, too_many, {"Retry-After": "0"}), (200, {}, {})], base_url=None
    )
    sheets.open("S").write([RangeValues("'ผล'!A1:B1", [["=1+1", 2]])])
    body = json.loads(adapter.sent[1][3])
    assert body["valueInputOption"] == "RAW"
    assert body["data"][0]["values"] == [["=1+1", 2]]
    assert adapter.sent[1][1].startswith("https://sheets.googleapis.com/v4/spreadsheets/S/values:batchUpdate")
    assert [(c.status, c.attempt, c.is_write) for c in ledger.calls] == [(429, 1, True), (200, 2, True)]


def test_sheets_gives_up_after_max_attempts() -> None:
    """Three 503s with max_attempts=3: the error surfaces as RetriableError after exactly three calls."""
    unavailable = {"error": {"code": 503, "message": "down", "status": "UNAVAILABLE"}}
    sheets, _, ledger = sheets_over([(503, unavailable, {})] * 3)
    with pytest.raises(RetriableError):
        sheets.open("S").info()
    assert ledger.count(method="sheets.spreadsheets.get") == 3


def test_empty_writes_make_no_call() -> None:
    """Writing nothing and updating nothing cost no API call (idempotent syncs stay at zero writes)."""
    sheets, _, ledger = sheets_over([])
    sink = sheets.open("S")
    sink.write([])
    assert sink.batch_update([]) == {"spreadsheetId": "S", "replies": []}
    assert sink.read([]) == {}
    assert ledger.count() == 0


@pytest.mark.parametrize(
    ("verb", "url", "expected"),
    [
        ("GET", "https://x/v4/spreadsheets/S?includeGridData=false", ("sheets.spreadsheets.get", False)),
        (
            "GET",
            "https://x/v4/spreadsheets/S/values:batchGet?ranges=A1",
            ("sheets.spreadsheets.values.batchGet", False),
        ),
        (
            "POST",
            "https://x/v4/spreadsheets/S/values:batchUpdate",
            ("sheets.spreadsheets.values.batchUpdate", True),
        ),
        ("POST", "https://x/v4/spreadsheets/S:batchUpdate", ("sheets.spreadsheets.batchUpdate", True)),
        ("POST", "https://x/v4/spreadsheets", ("sheets.spreadsheets.create", True)),
        ("PUT", "https://x/v4/spreadsheets/S/values/A1%3AB2", ("sheets.spreadsheets.values.update", True)),
    ],
)
def test_sheets_method_ids(verb: str, url: str, expected: tuple[str, bool]) -> None:
    """Each gspread request is named by its discovery id in the ledger."""
    assert sheets_method(verb, url) == expected
