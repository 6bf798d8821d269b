"""The connectors' error taxonomy and the one function that sorts Google's failures into it.

Tree::

    ConnectorError
    ├── RetriableError   429, 5xx, 408, quota 403s, timeouts, dropped connections (also while refreshing
    │                    the access token): try again later
    ├── SkippableError   a 404 on drive.files.get: a verdict on the file, not a failure of the sync
    └── FatalError       401, other 403s (an API not enabled, a form not shared), 400, other 404s,
                         certificate failures: retrying cannot help, a person must act

A RetriableError from the transport carries ``maybe_applied``: the request may have reached Google before the
answer was lost (a timeout, a connection reset). The retry policy repeats such a call only when it is safe
to repeat (connectors/retry.py).

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
# The API is not enabled in the Cloud project: Drive v3 says errors[0].reason accessNotConfigured (with domain
# usageLimits, so it must be told apart from a quota 403), Forms and Sheets an ErrorInfo SERVICE_DISABLED.
SERVICE_DISABLED_REASONS = frozenset({"accessNotConfigured", "SERVICE_DISABLED"})
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
        maybe_applied: bool = False,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.reason = reason
        self.retry_after = retry_after
        self.method = method
        self.maybe_applied = maybe_applied

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


def blocks_every_call(error: ConnectorError) -> bool:
    """Whether the refusal stops every call of this API, not just this one: credentials refused, or the API
    not enabled for the project."""
    return isinstance(error, FatalError) and (error.status == 401 or error.reason in SERVICE_DISABLED_REASONS)


def _error_info_reason(error: dict[str, Any]) -> str | None:
    """The ``reason`` of a google.rpc.ErrorInfo in ``error.details`` (one-platform APIs put SERVICE_DISABLED
    there)."""
    details = error.get("details")
    if not isinstance(details, list):
        return None
    for detail in details:
        if isinstance(detail, dict) and str(detail.get("@type", "")).endswith("google.rpc.ErrorInfo"):
            reason = detail.get("reason")
            if isinstance(reason, str):
                return reason
    return None


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
    info_reason = _error_info_reason(error)
    if info_reason in SERVICE_DISABLED_REASONS:
        reason = info_reason
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
    if reason in SERVICE_DISABLED_REASONS:
        return FatalError(message, **kwargs)
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
    if _certificate_failure(exc):
        # The same certificate fails again on every retry: a wrong clock, missing CA certificates or a proxy
        # that intercepts TLS, all for a person to fix.
        return FatalError(
            f"TLS certificate not trusted: {exc}", reason="CERTIFICATE_VERIFY_FAILED", method=method
        )
    if _never_sent(exc):
        return RetriableError(f"transport: {type(exc).__name__}: {exc}", method=method)
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
    if isinstance(exc, (*transport, OSError)):
        # Other socket errors (EPIPE, resets, unreachable) are the network's fault, not the request's; the
        # request may have arrived before the answer was lost.
        return RetriableError(f"transport: {type(exc).__name__}: {exc}", method=method, maybe_applied=True)
    return FatalError(f"{type(exc).__name__}: {exc}", method=method)


def _causes(exc: BaseException) -> list[BaseException]:
    """``exc`` and what it wraps (requests and urllib3 keep the original error as cause, context or args)."""
    seen: list[BaseException] = []
    todo: list[BaseException] = [exc]
    while todo and len(seen) < 12:
        current = todo.pop()
        if any(current is s for s in seen):
            continue
        seen.append(current)
        todo += [c for c in (current.__cause__, current.__context__) if c is not None]
        todo += [a for a in current.args if isinstance(a, BaseException)]
        reason = getattr(current, "reason", None)
        if isinstance(reason, BaseException):
            todo.append(reason)
    return seen


def _certificate_failure(exc: BaseException) -> bool:
    return any(
        isinstance(e, ssl.SSLCertVerificationError) or "CERTIFICATE_VERIFY_FAILED" in str(e)
        for e in _causes(exc)
    )


def _never_sent(exc: BaseException) -> bool:
    """A failure to connect at all (refused, no route, name not resolved): the request never left."""
    if isinstance(exc, requests.exceptions.ConnectTimeout | httplib2.ServerNotFoundError):
        return True
    return any(isinstance(e, ConnectionRefusedError | socket.gaierror) for e in _causes(exc))
