"""Point the real gspread and googleapiclient at a running sandbox, and start one for a test."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import gspread
import pytest
import requests
from google.auth.credentials import AnonymousCredentials
from googleapiclient.discovery import build
from gspread.urls import DRIVE_FILES_API_V3_URL, SPREADSHEETS_API_V4_BASE_URL

from sandbox import server

# The hosts gspread's own URL constants point at: the ones this test session rewrites to the sandbox.
GOOGLE_HOSTS = tuple(
    "https://" + urlsplit(url).netloc for url in (SPREADSHEETS_API_V4_BASE_URL, DRIVE_FILES_API_V3_URL)
)


class RedirectSession(requests.Session):
    """A requests.Session that sends Google's hosts to the sandbox instead (gspread's documented seam)."""

    def __init__(self, base_url: str) -> None:
        super().__init__()
        self.base_url = base_url.rstrip("/")

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        text = url.decode() if isinstance(url, bytes) else url
        for host in GOOGLE_HOSTS:
            if text.startswith(host):
                text = self.base_url + text[len(host) :]
        kwargs.setdefault("timeout", 10)
        return super().request(method, text, *args, **kwargs)


def gspread_client(base_url: str) -> gspread.Client:
    return gspread.Client(auth=None, session=RedirectSession(base_url))  # type: ignore[arg-type]


def sheets_service(base_url: str) -> Any:
    return build(
        "sheets",
        "v4",
        credentials=AnonymousCredentials(),  # type: ignore[no-untyped-call]
        client_options={"api_endpoint": base_url.rstrip("/") + "/"},
        cache_discovery=False,
        static_discovery=True,
    )


@contextmanager
def clients(base_url: str) -> Iterator[tuple[gspread.Client, Any]]:
    """A gspread client and a googleapiclient Sheets service, both closed afterwards (no leaked sockets)."""
    gc = gspread_client(base_url)
    service = sheets_service(base_url)
    try:
        yield gc, service
    finally:
        gc.http_client.session.close()
        service.close()


@contextmanager
def own_sandbox(data_dir: Path) -> Iterator[Any]:
    running = server.start(data_dir)
    try:
        yield running
    finally:
        running.shutdown()


def sandbox_base_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, Any]]:
    """The core's ``empty_sandbox`` fixture when tests/conftest.py has it, else a sandbox started here."""
    try:
        running = request.getfixturevalue("empty_sandbox")
    except pytest.FixtureLookupError:
        with own_sandbox(tmp_path / "sandbox") as started:
            yield started.base_url, started
        return
    yield running.base_url, running
