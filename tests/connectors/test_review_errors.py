"""Review: failures while refreshing the access token are sorted like any other Google failure."""

from __future__ import annotations

import httplib2
import requests
from google.auth import exceptions as auth_exceptions

from connectors.errors import FatalError, RetriableError, classify_error
from connectors.retry import RetryPolicy


def test_network_failure_during_token_refresh_is_retriable() -> None:
    """A DNS or connection blip while google-auth refreshes the token is transient, not fatal."""
    for cause in (httplib2.ServerNotFoundError("oauth2.googleapis.com"), requests.ConnectionError("reset")):
        error = classify_error(auth_exceptions.TransportError(cause), method="forms.forms.get")
        assert isinstance(error, RetriableError)
        assert error.method == "forms.forms.get"


def test_refresh_error_google_marks_retryable_is_retriable() -> None:
    """google-auth marks a token-endpoint 5xx retryable; that must stay retriable."""
    error = classify_error(auth_exceptions.RefreshError("backend error", retryable=True))
    assert isinstance(error, RetriableError)


def test_refused_grant_stays_fatal() -> None:
    """A refused grant (revoked key, no delegation) cannot heal by retrying."""
    error = classify_error(auth_exceptions.RefreshError("invalid_grant: account not found"))
    assert isinstance(error, FatalError)


def test_policy_retries_a_token_refresh_blip_and_then_succeeds() -> None:
    """The bounded retry loop gets a second chance after a refresh transport error."""
    attempts: list[int] = []

    def call(number: int) -> str:
        attempts.append(number)
        if number == 1:
            raise classify_error(auth_exceptions.TransportError(requests.ConnectionError("reset")))
        return "ok"

    policy = RetryPolicy(max_attempts=3, sleep=lambda _: None, rand=lambda: 0.0)
    assert policy.call(call, what="sheets.spreadsheets.get") == "ok"
    assert attempts == [1, 2]
