"""The API-call ledger: every HTTP attempt a sync makes to Google, and the transport wrappers that fill it.

One :class:`ApiLedger` per sync. googleapiclient talks through :class:`LedgerHttp` (an httplib2-shaped object
with ``.request()``, holding one real ``httplib2.Http`` per thread because httplib2 is not thread-safe);
gspread talks through :class:`LedgerSession` (a ``requests`` session that also points Google's hosts at the
sandbox and puts a timeout on every request). A Drive batch is one entry ``drive.batch`` whose
``inner_calls`` says how many files.get it carried, since each of those counts against Drive's quota.
"""

from __future__ import annotations

import re
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import requests
from google.auth.transport.requests import AuthorizedSession

from connectors.errors import classify_error
from connectors.retry import RetryPolicy

GOOGLE_HOSTS = ("https://sheets.googleapis.com", "https://www.googleapis.com")


@dataclass(frozen=True)
class ApiCall:
    """One HTTP attempt. ``status`` is 0 when no answer came (timeout, dropped connection).

    ``inner_calls`` is the number of API calls a batch carried (0 for a plain call).
    """

    api: str
    method: str
    status: int
    duration_ms: float
    request_bytes: int
    response_bytes: int
    attempt: int = 1
    is_write: bool = False
    inner_calls: int = 0


class ApiLedger:
    """The calls of one sync, safe to append to from several threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._calls: list[ApiCall] = []

    def record(self, call: ApiCall) -> None:
        with self._lock:
            self._calls.append(call)

    @property
    def calls(self) -> list[ApiCall]:
        """A snapshot copy, so readers never see a list that changes under them."""
        with self._lock:
            return list(self._calls)

    def count(self, api: str | None = None, method: str | None = None, writes: bool | None = None) -> int:
        """How many HTTP calls match (None matches anything)."""
        return sum(
            1
            for c in self.calls
            if (api is None or c.api == api)
            and (method is None or c.method == method)
            and (writes is None or c.is_write == writes)
        )

    def quota_units(self, api: str | None = None) -> int:
        """Calls as Google's quota counts them: each call inside a Drive batch counts on its own."""
        return sum(max(c.inner_calls, 1) for c in self.calls if api is None or c.api == api)

    def clear(self) -> None:
        with self._lock:
            self._calls.clear()


def _body_size(body: Any) -> int:
    if body is None:
        return 0
    if isinstance(body, str):
        return len(body.encode("utf-8"))
    if isinstance(body, bytes | bytearray):
        return len(body)
    return 0


class _BoundHttp:
    """A LedgerHttp seen through one call: knows the discovery id and attempt number to record."""

    def __init__(
        self, owner: LedgerHttp, method: str, attempt: int, is_write: bool, inner_calls: int
    ) -> None:
        self._owner = owner
        self._method = method
        self._attempt = attempt
        self._is_write = is_write
        self._inner_calls = inner_calls

    @property
    def credentials(self) -> Any:
        return self._owner.credentials

    def request(self, uri: str, method: str = "GET", body: Any = None, headers: Any = None, **kw: Any) -> Any:
        return self._owner.send(
            uri,
            method,
            body,
            headers,
            api_method=self._method,
            attempt=self._attempt,
            is_write=self._is_write,
            inner_calls=self._inner_calls,
            **kw,
        )


class LedgerHttp:
    """httplib2-compatible transport for googleapiclient: per-thread Http, every request recorded.

    ``make_http`` builds the transport for a thread (``AuthorizedHttp`` over ``httplib2.Http(timeout=…)``).
    Calls made through :meth:`bound` carry the discovery id; calls straight through :meth:`request` are
    recorded as ``<api>.unknown``.
    """

    def __init__(
        self,
        ledger: ApiLedger,
        api: str,
        make_http: Callable[[], Any],
        credentials: Any = None,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        self.ledger = ledger
        self.api = api
        self.credentials = credentials
        self._make_http = make_http
        self._local = threading.local()
        self._clock = clock
        self._all: list[Any] = []
        self._all_lock = threading.Lock()

    def _http(self) -> Any:
        http = getattr(self._local, "http", None)
        if http is None:
            http = self._make_http()
            self._local.http = http
            with self._all_lock:
                self._all.append(http)
        return http

    def bound(self, method: str, attempt: int, *, is_write: bool = False, inner_calls: int = 0) -> _BoundHttp:
        return _BoundHttp(self, method, attempt, is_write, inner_calls)

    def request(self, uri: str, method: str = "GET", body: Any = None, headers: Any = None, **kw: Any) -> Any:
        return self.send(uri, method, body, headers, api_method=f"{self.api}.unknown", attempt=1, **kw)

    def send(
        self,
        uri: str,
        method: str,
        body: Any,
        headers: Any,
        *,
        api_method: str,
        attempt: int,
        is_write: bool = False,
        inner_calls: int = 0,
        **kw: Any,
    ) -> Any:
        started = self._clock()
        status = 0
        received = 0
        try:
            resp, content = self._http().request(uri, method=method, body=body, headers=headers, **kw)
            status = int(resp.status)
            received = _body_size(content)
            return resp, content
        finally:
            self.ledger.record(
                ApiCall(
                    api=self.api,
                    method=api_method,
                    status=status,
                    duration_ms=(self._clock() - started) * 1000.0,
                    request_bytes=_body_size(body),
                    response_bytes=received,
                    attempt=attempt,
                    is_write=is_write,
                    inner_calls=inner_calls,
                )
            )

    def close(self) -> None:
        """Close every thread's connections (the daemon at shutdown, tests at teardown)."""
        with self._all_lock:
            made, self._all = self._all, []
        for http in made:
            if hasattr(http, "close"):
                http.close()
        self._local = threading.local()


def execute(policy: RetryPolicy, http: LedgerHttp, request: Any, *, is_write: bool = False) -> Any:
    """Run one googleapiclient ``HttpRequest`` under the retry policy, each attempt recorded in the ledger."""
    method = str(request.methodId)

    def attempt(number: int) -> Any:
        try:
            return request.execute(http=http.bound(method, number, is_write=is_write))
        except Exception as exc:
            raise classify_error(exc, method=method) from exc

    return policy.call(attempt, what=method)


# Sheets v4 paths as gspread builds them, most specific first, mapped to the discovery id and "is it a write".
_SHEETS_ROUTES: Sequence[tuple[str, re.Pattern[str], str, bool]] = (
    (
        "GET",
        re.compile(r"/v4/spreadsheets/[^/]+/values:batchGet$"),
        "sheets.spreadsheets.values.batchGet",
        False,
    ),
    (
        "POST",
        re.compile(r"/v4/spreadsheets/[^/]+/values:batchUpdate$"),
        "sheets.spreadsheets.values.batchUpdate",
        True,
    ),
    (
        "POST",
        re.compile(r"/v4/spreadsheets/[^/]+/values:batchClear$"),
        "sheets.spreadsheets.values.batchClear",
        True,
    ),
    (
        "POST",
        re.compile(r"/v4/spreadsheets/[^/]+/values/[^/]+:append$"),
        "sheets.spreadsheets.values.append",
        True,
    ),
    (
        "POST",
        re.compile(r"/v4/spreadsheets/[^/]+/values/[^/]+:clear$"),
        "sheets.spreadsheets.values.clear",
        True,
    ),
    ("PUT", re.compile(r"/v4/spreadsheets/[^/]+/values/[^/]+$"), "sheets.spreadsheets.values.update", True),
    ("GET", re.compile(r"/v4/spreadsheets/[^/]+/values/[^/]+$"), "sheets.spreadsheets.values.get", False),
    ("POST", re.compile(r"/v4/spreadsheets/[^/]+:batchUpdate$"), "sheets.spreadsheets.batchUpdate", True),
    ("GET", re.compile(r"/v4/spreadsheets/[^/:]+$"), "sheets.spreadsheets.get", False),
    ("POST", re.compile(r"/v4/spreadsheets$"), "sheets.spreadsheets.create", True),
)


def sheets_method(http_method: str, url: str) -> tuple[str, bool]:
    """The discovery id and write flag of a Sheets request gspread sends."""
    path = urllib.parse.urlsplit(url).path
    for verb, pattern, method_id, is_write in _SHEETS_ROUTES:
        if verb == http_method.upper() and pattern.search(path):
            return method_id, is_write
    api = "drive" if "/drive/" in path else "sheets"
    return f"{api}.unknown", http_method.upper() != "GET"


class LedgerSession(AuthorizedSession):
    """The requests session gspread uses: rewrites Google's hosts to ``base_url`` (the sandbox), applies a
    default timeout, and records every HTTP attempt. Token refreshes use google-auth's own session and are not
    recorded."""

    def __init__(
        self,
        credentials: Any,
        ledger: ApiLedger,
        *,
        base_url: str | None = None,
        timeout: float = 30.0,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        super().__init__(credentials)  # type: ignore[no-untyped-call]
        self.ledger = ledger
        self.base_url = base_url.rstrip("/") if base_url else None
        self.default_timeout = timeout
        self._clock = clock
        self._local = threading.local()

    @contextmanager
    def attempt(self, number: int) -> Iterator[None]:
        """Calls made in this block are recorded as attempt ``number`` (set by the retry loop)."""
        previous = getattr(self._local, "attempt", 1)
        self._local.attempt = number
        try:
            yield
        finally:
            self._local.attempt = previous

    def rewrite(self, url: str) -> str:
        if self.base_url:
            for host in GOOGLE_HOSTS:
                if url.startswith(host):
                    return self.base_url + url[len(host) :]
        return url

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        request.url = self.rewrite(request.url or "")
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self.default_timeout
        method_id, is_write = sheets_method(request.method or "GET", request.url)
        started = self._clock()
        status = 0
        received = 0
        try:
            response = super().send(request, **kwargs)
            status = response.status_code
            received = len(response.content)
            return response
        finally:
            self.ledger.record(
                ApiCall(
                    api=method_id.split(".", 1)[0],
                    method=method_id,
                    status=status,
                    duration_ms=(self._clock() - started) * 1000.0,
                    request_bytes=_body_size(request.body),
                    response_bytes=received,
                    attempt=getattr(self._local, "attempt", 1),
                    is_write=is_write,
                )
            )
