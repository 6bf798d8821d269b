"""Quotas (429 with Retry-After), the fault plan, latency switches and the call log, over loopback; and the
wire itself: an answer leaves in one send, so reused keep-alive connections wait for no delayed ACK."""

from __future__ import annotations

import http.client
import socket
from urllib.parse import urlsplit

import pytest
import requests
from googleapiclient.errors import HttpError
from googleapiclient.http import BatchHttpRequest

from tests.sandbox.api_helpers import calls, control, error_of

pytestmark = pytest.mark.integration


def _list(forms, form_id: str) -> dict:
    return forms.forms().responses().list(formId=form_id, pageSize=1).execute()


def test_quota_answers_429_with_retry_after_until_the_window_passes(sandbox, google_clients) -> None:
    """At 2 responses.list a minute the third answers 429 with Retry-After; a minute later it works."""
    control(sandbox.base_url, "POST", "/sandbox/quotas", {"limits": {"forms.expensive_read": {"perUser": 2}}})
    forms = google_clients.forms(sandbox.base_url)
    form_id = sandbox.manifest["forms"]["teacher"]
    _list(forms, form_id)
    _list(forms, form_id)
    with pytest.raises(HttpError) as caught:
        _list(forms, form_id)
    error = error_of(caught.value)
    assert caught.value.status_code == 429 and error["status"] == "RESOURCE_EXHAUSTED"
    assert "errors" not in error, "Forms is a one-platform API: no legacy errors[] in its error body"
    assert "Quota exceeded" in error["message"]
    assert 1 <= int(caught.value.resp["retry-after"]) <= 60
    control(sandbox.base_url, "POST", "/sandbox/clock", {"advanceSeconds": 61})
    assert "responses" in _list(forms, form_id)


def test_per_project_quota_counts_every_caller(sandbox) -> None:
    """The per-project bucket is shared: two callers exhaust it together, each under its own limit."""
    control(
        sandbox.base_url,
        "POST",
        "/sandbox/quotas",
        {"limits": {"forms.read": {"perUser": 10, "perProject": 3}}},
    )
    form_id = sandbox.manifest["forms"]["teacher"]
    control(sandbox.base_url, "PUT", f"/sandbox/forms/{form_id}/access", {"editors": ["a@x", "b@x"]})
    url = f"{sandbox.base_url}/v1/forms/{form_id}"
    with requests.Session() as session:
        statuses = [
            session.get(url, headers={"X-Sandbox-Caller": who}, timeout=10).status_code
            for who in ["a@x", "b@x", "a@x", "b@x"]
        ]
    assert statuses == [200, 200, 200, 429]


def test_disabled_quotas_never_answer_429(sandbox, google_clients) -> None:
    """With quotas switched off, calls beyond the limit still succeed."""
    control(
        sandbox.base_url,
        "POST",
        "/sandbox/quotas",
        {"enabled": False, "limits": {"forms.expensive_read": {"perUser": 1}}},
    )
    forms = google_clients.forms(sandbox.base_url)
    for _ in range(3):
        _list(forms, sandbox.manifest["forms"]["teacher"])


def test_fault_plan_fires_on_the_nth_call_a_bounded_number_of_times(sandbox, google_clients) -> None:
    """A 503 rule with nth=2, times=2 fails calls 2 and 3 only; the log records the faults."""
    rule = {"api": "forms", "method": "forms.forms.responses.list", "nth": 2, "times": 2, "fault": "503"}
    control(sandbox.base_url, "POST", "/sandbox/faults", {"rules": [rule]})
    forms = google_clients.forms(sandbox.base_url)
    outcomes = []
    for _ in range(4):
        try:
            _list(forms, sandbox.manifest["forms"]["teacher"])
            outcomes.append(200)
        except HttpError as error:
            outcomes.append(error.status_code)
    assert outcomes == [200, 503, 503, 200]
    assert [c.get("fault") for c in calls(sandbox.base_url, api="forms")] == [None, "503", "503", None]


def test_client_library_retries_through_a_429_fault(sandbox, google_clients) -> None:
    """googleapiclient's own num_retries gets past one injected 429 (with Retry-After: 0 meaning no wait)."""
    control(sandbox.base_url, "POST", "/sandbox/faults", {"rules": [{"fault": "429", "retryAfter": 0}]})
    forms = google_clients.forms(sandbox.base_url)
    request = forms.forms().get(formId=sandbox.manifest["forms"]["teacher"])
    request._sleep = lambda seconds: None  # this request's own backoff hook: no real wait in a test
    assert request.execute(num_retries=1)["formId"] == sandbox.manifest["forms"]["teacher"]
    assert [c["status"] for c in calls(sandbox.base_url)] == [429, 200]


def test_drop_fault_closes_the_connection_without_an_answer(sandbox) -> None:
    """A "drop" fault closes the socket: the client sees no status line at all."""
    control(sandbox.base_url, "POST", "/sandbox/faults", {"rules": [{"fault": "drop", "api": "drive"}]})
    url = urlsplit(sandbox.base_url)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    try:
        connection.request("GET", f"/drive/v3/files/{sandbox.manifest['files']['folder']}")
        with pytest.raises((http.client.RemoteDisconnected, ConnectionResetError)):
            connection.getresponse()
    finally:
        connection.close()
    assert calls(sandbox.base_url, api="drive")[0]["fault"] == "drop"


def test_slow_fault_outlasts_a_client_timeout(sandbox) -> None:
    """A "slow" fault answers only after its delay, so a shorter client timeout fires first."""
    control(
        sandbox.base_url,
        "POST",
        "/sandbox/faults",
        {"rules": [{"fault": "slow", "seconds": 0.5, "api": "forms"}]},
    )
    with requests.Session() as session, pytest.raises(requests.exceptions.ReadTimeout):
        session.get(f"{sandbox.base_url}/v1/forms/{sandbox.manifest['forms']['teacher']}", timeout=0.1)


def test_bad_fault_rule_is_refused(sandbox) -> None:
    """A fault rule with an unknown fault or key answers 400, so a typo cannot silently disable a test."""
    with requests.Session() as session:
        response = session.post(
            f"{sandbox.base_url}/sandbox/faults", json={"rules": [{"fault": "teapot"}]}, timeout=10
        )
    assert response.status_code == 400


def test_call_log_counts_only_api_calls(sandbox, google_clients) -> None:
    """GET /sandbox/calls lists each Forms/Drive call with its method id and status, not control calls."""
    forms = google_clients.forms(sandbox.base_url)
    forms.forms().get(formId=sandbox.manifest["forms"]["district"]).execute()
    control(sandbox.base_url, "GET", "/sandbox/quotas")
    logged = calls(sandbox.base_url)
    assert [(c["method"], c["status"]) for c in logged] == [("forms.forms.get", 200)]
    control(sandbox.base_url, "DELETE", "/sandbox/calls")
    assert calls(sandbox.base_url) == []


def test_latency_switch_is_validated(sandbox) -> None:
    """Latency takes non-negative seconds per API; anything else answers 400."""
    assert control(sandbox.base_url, "POST", "/sandbox/latency", {"drive": 0.0})["drive"] == 0.0
    with requests.Session() as session:
        response = session.post(f"{sandbox.base_url}/sandbox/latency", json={"drive": -1}, timeout=10)
    assert response.status_code == 400


def test_sandbox_binds_loopback(sandbox) -> None:
    """start() binds 127.0.0.1 by default, never a public interface."""
    assert urlsplit(sandbox.base_url).hostname == "127.0.0.1"


def test_batch_level_fault_fails_the_whole_batch_and_is_logged(sandbox, google_clients) -> None:
    """A 503 rule on method "batch" fails the batch call itself, and the log shows that one failed batch."""
    control(sandbox.base_url, "POST", "/sandbox/faults", {"rules": [{"fault": "503", "method": "batch"}]})
    drive = google_clients.drive(sandbox.base_url)
    batch = BatchHttpRequest(callback=lambda *a: None, batch_uri=sandbox.base_url + "/batch/drive/v3")
    batch.add(drive.files().get(fileId=sandbox.manifest["files"]["folder"]))
    with pytest.raises(HttpError) as caught:
        batch.execute()
    assert caught.value.status_code == 503
    assert [(c["method"], c["status"]) for c in calls(sandbox.base_url)] == [("batch", 503)]


def _exchange(sock: socket.socket, path: str) -> bytes:
    sock.sendall(f"GET {path} HTTP/1.1\r\nHost: sandbox\r\n\r\n".encode())
    return sock.recv(65536)


def test_headers_and_body_arrive_in_one_segment_on_a_reused_connection(sandbox) -> None:
    """Each of several answers on one connection comes whole in the first recv(): status, headers and body."""
    url = urlsplit(sandbox.base_url)
    with socket.create_connection((url.hostname, url.port), timeout=5) as sock:
        for _ in range(5):
            first = _exchange(sock, "/sandbox/health")
            head, _, body = first.partition(b"\r\n\r\n")
            assert head.startswith(b"HTTP/1.1 200") and body == b'{"ok": true}'
