"""The connectors' error taxonomy and the one function that sorts Google's failures into it.

Tree::

    ConnectorError
    ├── RetriableError   429, 5xx, 408, quota 403s, timeouts, dropped connections (also while refreshing
    │                    the access token): try again later
    ├── SkippableError   a 404 on drive.files.get: a verdict on the file, not a failure of the sync
    └── FatalError       401, other 403s, 400, other 404s: retrying cannot help, a person must act

Everything the client libraries raise (googleapiclient ``HttpError``, gspread ``APIError``, requests and
httplib2 transport errors, socket timeouts) goes through :func:`classify_error` once, at the boundary, so the
retry policy and the daemon only ever see these three classes.
"""

from __future__ import annotations

import email.utils
import http.client
import json
import math
import socket
import ssl
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

import httplib2
import requests
from google.auth import exceptions as auth_exceptions
from googleapiclient.errors import HttpError
from gspread.exceptions import APIError

# Google's reasons for a 403 that means "slow down", not "you may not" (googleapiclient retries the same two).
_RATE_LIMIT_REASONS = frozenset({"rateLimitExceeded", "userRateLimitExceeded"})
_RETRIABLE_STATUSES = frozenset({408, 429})
# A 404 on these methods says something about the file, which is what the caller asked.
_SKIPPABLE_404_METHODS = frozenset({"drive.files.get"})


class ConnectorError(Exception):
    """A failed call to Google, already classified.

    ``status`` is the HTTP status (None for transport failures), ``reason`` Google's ``errors[0].reason`` or
    ``error.status``, ``retry_after`` the seconds from a Retry-After header, ``method`` the discovery id.
    """

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        reason: str | None = None,
        retry_after: float | None = None,
        method: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.reason = reason
        self.retry_after = retry_after
        self.method = method

    def __str__(self) -> str:
        where = f"{self.method}: " if self.method else ""
        code = f"HTTP {self.status} " if self.status is not None else ""
        why = f" ({self.reason})" if self.reason else ""
        return f"{where}{code}{self.message}{why}"


class RetriableError(ConnectorError):
    """Worth trying again after a wait (honour ``retry_after`` when set)."""


class SkippableError(ConnectorError):
    """The item is unavailable; record the verdict and carry on."""


class FatalError(ConnectorError):
    """Retrying cannot help: credentials, permissions, or a request Google refuses."""


def _error_body(content: bytes | str | None) -> tuple[str | None, str | None, str | None]:
    """(message, reason, domain) from Google's error JSON, whatever parts of it are there."""
    if content is None:
        return None, None, None
    try:
        text = content.decode("utf-8", "replace") if isinstance(content, bytes) else content
        data = json.loads(text)
    except ValueError:
        return None, None, None
    error = data.get("error") if isinstance(data, dict) else None
    if not isinstance(error, dict):
        return None, None, None
    message = error.get("message") if isinstance(error.get("message"), str) else None
    reason: str | None = None
    domain: str | None = None
    errors = error.get("errors")
    if isinstance(errors, list) and errors and isinstance(errors[0], dict):
        reason = errors[0].get("reason")
        domain = errors[0].get("domain")
    if reason is None and isinstance(error.get("status"), str):
        reason = error["status"]
    return message, reason, domain


def parse_retry_after(value: str | None, now: Callable[[], datetime] | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP-date (RFC 9110 §10.2.3)."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        seconds = float(text)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError):
            return None
        current = now() if now is not None else datetime.now(UTC)
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - current).total_seconds()
    if math.isnan(seconds) or math.isinf(seconds):
        return None
    return max(0.0, seconds)


def classify_status(
    status: int,
    *,
    reason: str | None,
    domain: str | None,
    message: str,
    retry_after: float | None,
    method: str | None,
) -> ConnectorError:
    """The class for an HTTP error status (also used for the parts of a Drive batch)."""
    kwargs: dict[str, Any] = {
        "status": status,
        "reason": reason,
        "retry_after": retry_after,
        "method": method,
    }
    if status in _RETRIABLE_STATUSES or status >= 500:
        return RetriableError(message, **kwargs)
    if status == 403 and (reason in _RATE_LIMIT_REASONS or domain == "usageLimits"):
        return RetriableError(message, **kwargs)
    if status == 404 and method in _SKIPPABLE_404_METHODS:
        return SkippableError(message, **kwargs)
    return FatalError(message, **kwargs)


def _header(headers: Mapping[str, str] | None, name: str) -> str | None:
    if headers is None:
        return None
    wanted = name.lower()
    for key, value in headers.items():
        if key.lower() == wanted:
            return value
    return None


def classify_error(exc: BaseException, *, method: str | None = None) -> ConnectorError:
    """Sort any failure of a Google call into Retriable/Skippable/Fatal, keeping status, reason, Retry-After.

    ``method`` is the discovery id of the call (e.g. ``drive.files.get``): a 404 is skippable only there.
    """
    if isinstance(exc, ConnectorError):
        return exc
    if isinstance(exc, HttpError) and getattr(exc.resp, "status", None) is None:
        # BatchError without a response: the multipart answer was malformed or cut short.
        return RetriableError(f"malformed batch answer: {exc!r}", method=method)
    if isinstance(exc, HttpError):
        status = int(exc.resp.status)
        message, reason, domain = _error_body(exc.content)
        retry_after = parse_retry_after(_header(exc.resp, "retry-after"))
        return classify_status(
            status,
            reason=reason,
            domain=domain,
            message=message or str(exc.resp.reason or "HTTP error"),
            retry_after=retry_after,
            method=method,
        )
    if isinstance(exc, APIError):
        response = exc.response
        message, reason, domain = _error_body(response.content)
        return classify_status(
            int(response.status_code),
            reason=reason,
            domain=domain,
            message=message or str(response.reason or "HTTP error"),
            retry_after=parse_retry_after(response.headers.get("Retry-After")),
            method=method,
        )
    if isinstance(exc, auth_exceptions.TransportError) or (
        isinstance(exc, auth_exceptions.RefreshError) and exc.retryable
    ):
        # google-auth wraps the network failures of a token refresh (DNS, reset) and marks a token-endpoint
        # 5xx retryable: both heal by themselves; a refused grant (RefreshError) stays fatal below.
        return RetriableError(f"token refresh: {type(exc).__name__}: {exc}", method=method)
    if isinstance(exc, requests.exceptions.InvalidURL | requests.exceptions.MissingSchema):
        return FatalError(f"bad URL: {exc}", method=method)
    transport = (
        requests.exceptions.ConnectionError,
        requests.exceptions.Timeout,
        requests.exceptions.ChunkedEncodingError,
        httplib2.HttpLib2Error,
        http.client.HTTPException,
        socket.timeout,
        TimeoutError,
        ConnectionError,
        ssl.SSLError,
    )
    if isinstance(exc, transport):
        return RetriableError(f"transport: {type(exc).__name__}: {exc}", method=method)
    if isinstance(exc, OSError):
        # Other socket errors (EPIPE, ECONNREFUSED, unreachable) are the network's fault, not the request's.
        return RetriableError(f"transport: {type(exc).__name__}: {exc}", method=method)
    return FatalError(f"{type(exc).__name__}: {exc}", method=method)
