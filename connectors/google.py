"""The one factory that builds the Google adapters, for real Google or, with a base URL, for the sandbox.

``base_url`` None means Google's own hosts and a service-account key; a base URL points Forms, Drive
(including its batch endpoint) and Sheets at one local server, with anonymous credentials.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import google_auth_httplib2
import gspread
import httplib2
from google.auth.credentials import Credentials
from googleapiclient.discovery import build

from connectors.credentials import load_credentials
from connectors.drive import GOOGLE_DRIVE_BATCH_URI, GoogleDrive
from connectors.forms import GoogleForms
from connectors.ledger import ApiLedger, LedgerHttp, LedgerSession
from connectors.retry import RetryPolicy
from connectors.sheets import GoogleSheets


@dataclass(frozen=True)
class GoogleSettings:
    """How to reach Google: ``base_url`` for the sandbox (None for Google), the key, timeouts, retries."""

    base_url: str | None = None
    credentials_file: Path | None = None
    delegated_subject: str | None = None
    timeout_seconds: float = 30.0
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    # Google's maximum; tests and benchmarks lower it to exercise paging on small worlds.
    forms_page_size: int = 5000


@dataclass(frozen=True)
class GoogleConnectors:
    forms: GoogleForms
    evidence: GoogleDrive
    sheets: GoogleSheets
    transports: tuple[LedgerHttp | LedgerSession, ...] = ()

    def close(self) -> None:
        """Close the connections of every transport (keep-alive sockets would otherwise linger)."""
        for transport in self.transports:
            transport.close()


def _endpoints(base_url: str | None) -> tuple[dict[str, Any] | None, dict[str, Any] | None, str]:
    """client_options for Forms and Drive, and the Drive batch URI."""
    if base_url is None:
        return None, None, GOOGLE_DRIVE_BATCH_URI
    base = base_url.rstrip("/")
    # api_endpoint replaces rootUrl+servicePath entirely, so Drive's service path goes in here.
    return {"api_endpoint": base + "/"}, {"api_endpoint": base + "/drive/v3/"}, base + "/batch/drive/v3"


def _ledger_http(ledger: ApiLedger, api: str, creds: Credentials, timeout: float) -> LedgerHttp:
    def make_http() -> Any:
        return google_auth_httplib2.AuthorizedHttp(creds, http=httplib2.Http(timeout=timeout))

    return LedgerHttp(ledger, api, make_http, credentials=creds)


def build_google_connectors(
    settings: GoogleSettings,
    ledger: ApiLedger,
    *,
    credentials: Credentials | None = None,
    environ: Mapping[str, str] | None = None,
) -> GoogleConnectors:
    """Forms, Drive and Sheets adapters sharing one ledger and one retry policy.

    ``credentials`` overrides loading them (tests); ``environ`` is where ``$CREDENTIALS_DIRECTORY`` is read.
    """
    creds = credentials or load_credentials(
        base_url=settings.base_url,
        credentials_file=settings.credentials_file,
        delegated_subject=settings.delegated_subject,
        environ=os.environ if environ is None else environ,
    )
    forms_options, drive_options, batch_uri = _endpoints(settings.base_url)

    forms_http = _ledger_http(ledger, "forms", creds, settings.timeout_seconds)
    forms_service = build(
        "forms",
        "v1",
        http=forms_http,
        static_discovery=True,
        cache_discovery=False,
        client_options=forms_options,
    )
    drive_http = _ledger_http(ledger, "drive", creds, settings.timeout_seconds)
    drive_service = build(
        "drive",
        "v3",
        http=drive_http,
        static_discovery=True,
        cache_discovery=False,
        client_options=drive_options,
    )

    session = LedgerSession(creds, ledger, base_url=settings.base_url, timeout=settings.timeout_seconds)
    client = gspread.Client(auth=creds, session=session)
    client.set_timeout(settings.timeout_seconds)

    return GoogleConnectors(
        forms=GoogleForms(forms_service, forms_http, settings.retry, page_size=settings.forms_page_size),
        evidence=GoogleDrive(drive_service, drive_http, settings.retry, batch_uri=batch_uri),
        sheets=GoogleSheets(client, session, settings.retry),
        transports=(forms_http, drive_http, session),
    )
