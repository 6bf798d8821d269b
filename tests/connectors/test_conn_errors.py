"""The classifier: every failure the client libraries raise lands in one class, with its Retry-After."""

from __future__ import annotations

import http.client
import json
from datetime import UTC, datetime

import httplib2
import pytest
import requests
import time_machine
from googleapiclient.errors import BatchError, HttpError
from gspread.exceptions import APIError
from hypothesis import given
from hypothesis import strategies as st

from connectors.errors import (
    FatalError,
    RetriableError,
    SkippableError,
    classify_error,
    parse_retry_after,
)


def google_body(code: int, reason: str | None = None, domain: str = "global", status: str = "X") -> bytes:
    error: dict[str, object] = {"code": code, "message": f"msg {code}", "status": status}
    if reason:
        error["errors"] = [{"reason": reason, "domain": domain, "message": f"msg {code}"}]
    return json.dumps({"error": error}).encode()


def http_error(code: int, reason: str | None = None, domain: str = "global", **headers: str) -> HttpError:
    resp = httplib2.Response({"status": str(code), **headers})
    return HttpError(resp, google_body(code, reason, domain), uri="https://example/x")


def api_error(code: int, reason: str | None = None, domain: str = "global", **headers: str) -> APIError:
    response = requests.Response()
    response.status_code = code
    response._content = google_body(code, reason, domain)
    response.headers.update(headers)
    return APIError(response)


@pytest.mark.parametrize("make", [http_error, api_error])
@pytest.mark.parametrize(
    ("code", "reason", "domain", "expected"),
    [
        (429, "rateLimitExceeded", "usageLimits", RetriableError),
        (500, None, "global", RetriableError),
        (503, None, "global", RetriableError),
        (408, None, "global", RetriableError),
        (403, "userRateLimitExceeded", "usageLimits", RetriableError),
        (403, "rateLimitExceeded", "global", RetriableError),
        (403, "dailyLimitExceeded", "usageLimits", RetriableError),
        (403, "insufficientFilePermissions", "global", FatalError),
        (403, "appNotAuthorizedToFile", "global", FatalError),
        (401, "authError", "global", FatalError),
        (400, "invalid", "global", FatalError),
        (404, "notFound", "global", FatalError),
    ],
)
def test_status_classes(make, code, reason, domain, expected) -> None:  # type: ignore[no-untyped-def]
    """Quota and server errors are retriable; auth, permission and bad requests are fatal."""
    error = classify_error(make(code, reason, domain), method="forms.forms.get")
    assert type(error) is expected
    assert error.status == code


def test_404_on_files_get_is_a_verdict() -> None:
    """A 404 from drive.files.get is skippable (missing or unshared), while on forms.get it is fatal."""
    assert isinstance(classify_error(http_error(404, "notFound"), method="drive.files.get"), SkippableError)
    assert isinstance(classify_error(http_error(404, "notFound"), method="forms.forms.get"), FatalError)


def test_reason_and_message_are_kept() -> None:
    """The classified error carries Google's reason and message for the log and the flag detail."""
    error = classify_error(http_error(403, "insufficientFilePermissions"), method="drive.files.get")
    assert error.reason == "insufficientFilePermissions"
    assert error.message == "msg 403"
    assert "drive.files.get" in str(error)


@pytest.mark.parametrize("make", [http_error, api_error])
def test_retry_after_is_kept(make) -> None:  # type: ignore[no-untyped-def]
    """A Retry-After header (seconds) survives classification for both client libraries."""
    headers = {"retry-after": "7"} if make is http_error else {"Retry-After": "7"}
    error = classify_error(make(429, "rateLimitExceeded", **headers))
    assert isinstance(error, RetriableError)
    assert error.retry_after == 7.0


def test_retry_after_http_date_counts_from_the_wall_clock_by_default() -> None:
    """Without an injected clock, an HTTP-date Retry-After is measured from the real current time."""
    with time_machine.travel(datetime(2026, 3, 1, 10, 0, 0, tzinfo=UTC), tick=False):
        assert parse_retry_after("Sun, 01 Mar 2026 10:00:45 GMT") == 45.0
        assert parse_retry_after("Sun, 01 Mar 2026 09:59:00 GMT") == 0.0


def test_retry_after_http_date() -> None:
    """Retry-After as an HTTP-date becomes the seconds left until then."""
    now = datetime(2026, 3, 1, 10, 0, 0, tzinfo=UTC)
    assert parse_retry_after("Sun, 01 Mar 2026 10:00:30 GMT", now=lambda: now) == 30.0
    assert parse_retry_after("Sun, 01 Mar 2026 09:00:00 GMT", now=lambda: now) == 0.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


@pytest.mark.parametrize(
    "exc",
    [
        TimeoutError("read timeout"),
        ConnectionResetError("reset by peer"),
        http.client.RemoteDisconnected("closed"),
        httplib2.ServerNotFoundError("no host"),
        requests.exceptions.ConnectionError("dropped"),
        requests.exceptions.ReadTimeout("slow"),
        BrokenPipeError("pipe"),
        BatchError("Response not in multipart/mixed format."),
    ],
)
def test_transport_failures_are_retriable(exc: BaseException) -> None:
    """Timeouts, dropped connections and malformed batch answers are worth another attempt."""
    assert isinstance(classify_error(exc, method="x"), RetriableError)


def test_programming_errors_are_fatal() -> None:
    """A bug (TypeError from serialising a Decimal, say) is not retried."""
    assert isinstance(classify_error(TypeError("Decimal is not JSON serializable")), FatalError)


def test_classified_errors_pass_through() -> None:
    """Classifying an already classified error returns it unchanged."""
    error = RetriableError("x", status=503)
    assert classify_error(error) is error


@given(st.integers(min_value=500, max_value=599))
def test_every_5xx_is_retriable(code: int) -> None:
    """Any 5xx, documented or not, is a server fault worth retrying."""
    assert isinstance(classify_error(http_error(code)), RetriableError)


@given(
    st.integers(min_value=400, max_value=499).filter(lambda c: c not in {408, 429}),
    st.sampled_from(["invalid", "forbidden", "notFound", "badRequest", None]),
)
def test_other_4xx_are_fatal(code: int, reason: str | None) -> None:
    """Any other 4xx (outside files.get's 404) is fatal whatever its reason."""
    assert isinstance(
        classify_error(http_error(code, reason), method="forms.forms.responses.list"), FatalError
    )
