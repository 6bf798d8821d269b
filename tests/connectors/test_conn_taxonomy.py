"""The error taxonomy's hard cases: an API not enabled, an untrusted certificate, a call that may have
landed before its answer was lost, and a retry wait cut short by a stop request."""

from __future__ import annotations

import json
import socket
import ssl
import threading

import httplib2
import pytest
import requests
from googleapiclient.errors import HttpError
from gspread.exceptions import APIError

from connectors.errors import FatalError, RetriableError, blocks_every_call, classify_error
from connectors.retry import RetryCancelledError, RetryPolicy

DRIVE_DISABLED = {
    "error": {
        "code": 403,
        "message": "Google Drive API has not been used in project 123 before or it is disabled.",
        "errors": [
            {
                "message": "Google Drive API has not been used in project 123 before or it is disabled.",
                "domain": "usageLimits",
                "reason": "accessNotConfigured",
                "extendedHelp": "https://console.developers.google.com",
            }
        ],
    }
}
SHEETS_DISABLED = {
    "error": {
        "code": 403,
        "message": "Google Sheets API has not been used in project 123 before or it is disabled.",
        "status": "PERMISSION_DENIED",
        "details": [
            {
                "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                "reason": "SERVICE_DISABLED",
                "domain": "googleapis.com",
                "metadata": {"service": "sheets.googleapis.com", "consumer": "projects/123"},
            }
        ],
    }
}
NOT_SHARED = {
    "error": {"code": 403, "message": "The caller does not have permission", "status": "PERMISSION_DENIED"}
}


def _http_error(body: dict[str, object]) -> HttpError:
    return HttpError(httplib2.Response({"status": "403"}), json.dumps(body).encode(), uri="https://x")


def _api_error(body: dict[str, object]) -> APIError:
    response = requests.Response()
    response.status_code = 403
    response._content = json.dumps(body).encode()
    return APIError(response)


def test_drive_api_not_enabled_is_fatal_not_a_quota() -> None:
    """accessNotConfigured comes with domain usageLimits, like a quota 403, but no wait will fix it."""
    error = classify_error(_http_error(DRIVE_DISABLED), method="drive.batch")
    assert isinstance(error, FatalError) and error.reason == "accessNotConfigured"
    assert blocks_every_call(error)


def test_sheets_api_not_enabled_is_read_from_its_error_info() -> None:
    """A one-platform API names SERVICE_DISABLED in details[]: the error carries that reason."""
    error = classify_error(_api_error(SHEETS_DISABLED), method="sheets.spreadsheets.get")
    assert isinstance(error, FatalError) and error.reason == "SERVICE_DISABLED"
    assert blocks_every_call(error)


def test_a_form_not_shared_is_fatal_but_blocks_only_itself() -> None:
    """403 PERMISSION_DENIED without SERVICE_DISABLED: fatal for that form, not for the whole API."""
    error = classify_error(_http_error(NOT_SHARED), method="forms.forms.get")
    assert isinstance(error, FatalError) and error.reason == "PERMISSION_DENIED"
    assert not blocks_every_call(error)


@pytest.mark.parametrize(
    "exc",
    [
        ssl.SSLCertVerificationError(1, "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed"),
        requests.exceptions.SSLError("HTTPSConnectionPool: [SSL: CERTIFICATE_VERIFY_FAILED] verify failed"),
    ],
)
def test_certificate_failures_are_not_retried(exc: BaseException) -> None:
    """An untrusted certificate fails the same way every time: fatal, named for the hint."""
    error = classify_error(exc, method="forms.forms.get")
    assert isinstance(error, FatalError) and error.reason == "CERTIFICATE_VERIFY_FAILED"


@pytest.mark.parametrize(
    ("exc", "maybe_applied"),
    [
        (requests.exceptions.ReadTimeout("read timed out"), True),
        (ConnectionResetError("reset by peer"), True),
        (TimeoutError("timed out"), True),
        (requests.exceptions.ConnectTimeout("connect timed out"), False),
        (requests.exceptions.ConnectionError(ConnectionRefusedError(111, "refused")), False),
        (socket.gaierror(-2, "Name or service not known"), False),
        (httplib2.ServerNotFoundError("no host"), False),
    ],
)
def test_transport_errors_say_whether_the_request_may_have_landed(
    exc: BaseException, maybe_applied: bool
) -> None:
    """A timeout or reset after sending may have been applied; a refused or unresolved connection was not."""
    error = classify_error(exc, method="sheets.spreadsheets.batchUpdate")
    assert isinstance(error, RetriableError) and error.maybe_applied is maybe_applied


class Calls:
    def __init__(self, *errors: Exception) -> None:
        self.errors = list(errors)
        self.count = 0

    def __call__(self, _attempt: int) -> str:
        self.count += 1
        if self.errors:
            raise self.errors.pop(0)
        return "ok"


def test_a_call_not_safe_to_repeat_is_not_resent_after_a_lost_answer() -> None:
    """A batchUpdate whose answer was lost (it may have applied) is not sent again; the error goes up."""
    calls = Calls(RetriableError("read timed out", maybe_applied=True))
    policy = RetryPolicy(max_attempts=5, sleep=lambda _s: None)
    with pytest.raises(RetriableError):
        policy.call(calls, what="sheets.spreadsheets.batchUpdate", repeatable=False)
    assert calls.count == 1


def test_a_call_not_safe_to_repeat_is_resent_after_google_refused_it() -> None:
    """A 503 answer means Google did not apply the batch: retried even when not safe to repeat blindly."""
    calls = Calls(RetriableError("backend", status=503), RetriableError("busy", status=429))
    policy = RetryPolicy(max_attempts=5, sleep=lambda _s: None)
    assert policy.call(calls, what="sheets.spreadsheets.batchUpdate", repeatable=False) == "ok"
    assert calls.count == 3


def test_a_safe_call_is_resent_after_a_lost_answer() -> None:
    """A read, or a values write to fixed ranges, is retried after a timeout."""
    calls = Calls(RetriableError("read timed out", maybe_applied=True))
    assert RetryPolicy(max_attempts=3, sleep=lambda _s: None).call(calls) == "ok"


def test_a_stop_request_ends_the_wait_before_a_retry() -> None:
    """With the cancel event set, the wait before the next attempt raises instead of waiting it out."""
    cancel = threading.Event()
    cancel.set()
    calls = Calls(RetriableError("backend", status=503))
    policy = RetryPolicy(max_attempts=5, base_delay=3600, max_delay=3600, cancel=cancel)
    with pytest.raises(RetryCancelledError):
        policy.call(calls)
    assert calls.count == 1


def test_a_stop_request_during_the_wait_ends_it() -> None:
    """A stop set by another thread while the policy waits (default sleep) wakes it at once."""
    cancel = threading.Event()
    calls = Calls(RetriableError("backend", status=503, retry_after=3600))
    policy = RetryPolicy(max_attempts=5, max_delay=3600, cancel=cancel)
    timer = threading.Timer(0.05, cancel.set)
    timer.start()
    try:
        with pytest.raises(RetryCancelledError):
            policy.call(calls)
    finally:
        timer.cancel()
    assert calls.count == 1
