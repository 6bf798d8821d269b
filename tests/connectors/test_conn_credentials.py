"""Credentials and the factory: narrow scopes, delegation, systemd credentials, no key in errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from google.auth.credentials import AnonymousCredentials
from google.oauth2 import service_account
from gspread.urls import SPREADSHEETS_API_V4_BASE_URL

from connectors.credentials import SCOPES, load_credentials
from connectors.drive import GOOGLE_DRIVE_BATCH_URI
from connectors.errors import FatalError
from connectors.google import GoogleSettings, build_google_connectors
from connectors.ledger import ApiLedger


@pytest.fixture(scope="module")
def key_info() -> dict[str, str]:
    """A throwaway service-account key (generated, never a real one)."""
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    return {
        "type": "service_account",
        "project_id": "sukhothai-kpi",
        "private_key_id": "abc123",
        "private_key": pem,
        "client_email": "kpisync@sukhothai-kpi.iam.gserviceaccount.com",
        "client_id": "1",
        "token_uri": "https://oauth2.googleapis.com/token",
    }


def write_key(path: Path, info: dict[str, str]) -> Path:
    path.write_text(json.dumps(info), "utf-8")
    return path


def test_sandbox_uses_anonymous_credentials() -> None:
    """With a base URL nothing is read from disk and the credentials are anonymous."""
    creds = load_credentials(base_url="http://127.0.0.1:1", credentials_file=Path("/nonexistent"))
    assert isinstance(creds, AnonymousCredentials)


def test_key_file_gives_narrow_scopes(tmp_path: Path, key_info: dict[str, str]) -> None:
    """A key file yields service-account credentials with exactly the four narrow scopes."""
    creds = load_credentials(base_url=None, credentials_file=write_key(tmp_path / "k.json", key_info))
    assert isinstance(creds, service_account.Credentials)
    assert tuple(creds.scopes) == SCOPES
    assert all("readonly" in s for s in SCOPES if "/forms." in s or "/drive." in s)
    assert creds.service_account_email == key_info["client_email"]


def test_delegated_subject(tmp_path: Path, key_info: dict[str, str]) -> None:
    """A delegated subject makes the credentials act as that Workspace user."""
    creds = load_credentials(
        base_url=None,
        credentials_file=write_key(tmp_path / "k.json", key_info),
        delegated_subject="strategy@sukho.nfe.go.th",
    )
    assert creds._subject == "strategy@sukho.nfe.go.th"  # type: ignore[attr-defined]


def test_systemd_credentials_directory(tmp_path: Path, key_info: dict[str, str]) -> None:
    """Without a configured path the key is read from $CREDENTIALS_DIRECTORY/kpisync-sa.json."""
    write_key(tmp_path / "kpisync-sa.json", key_info)
    creds = load_credentials(
        base_url=None, credentials_file=None, environ={"CREDENTIALS_DIRECTORY": str(tmp_path)}
    )
    assert isinstance(creds, service_account.Credentials)


def test_no_key_anywhere_is_fatal() -> None:
    """No path and no systemd credentials: a fatal error that says how to provide the key."""
    with pytest.raises(FatalError, match="LoadCredential"):
        load_credentials(base_url=None, credentials_file=None, environ={})


@pytest.mark.parametrize(
    "content",
    [
        "not json at all -----BEGIN PRIVATE KEY-----SECRET",
        json.dumps({"type": "authorized_user", "refresh_token": "SECRET"}),
        json.dumps({"type": "service_account", "private_key": "-----BEGIN PRIVATE KEY-----SECRET"}),
    ],
)
def test_bad_key_errors_never_quote_the_key(tmp_path: Path, content: str) -> None:
    """A broken or wrong key file is fatal, and the message names the file but never repeats its secret."""
    path = tmp_path / "bad.json"
    path.write_text(content, "utf-8")
    with pytest.raises(FatalError) as raised:
        load_credentials(base_url=None, credentials_file=path)
    assert str(path) in str(raised.value)
    assert "SECRET" not in str(raised.value)
    assert raised.value.__cause__ is None


def test_factory_targets_google_without_base_url(tmp_path: Path, key_info: dict[str, str]) -> None:
    """base_url None: Forms and Drive at Google's hosts, the real Drive batch URL, gspread unredirected."""
    settings = GoogleSettings(credentials_file=write_key(tmp_path / "k.json", key_info), timeout_seconds=7.0)
    built = build_google_connectors(settings, ApiLedger())
    try:
        assert built.forms._service._baseUrl == "https://forms.googleapis.com/"
        assert built.evidence._service._baseUrl == "https://www.googleapis.com/drive/v3/"
        assert built.evidence._batch_uri == GOOGLE_DRIVE_BATCH_URI
        session = built.sheets._session
        assert session.base_url is None
        google_url = f"{SPREADSHEETS_API_V4_BASE_URL}/S"
        assert session.rewrite(google_url) == google_url
        assert built.sheets._client.http_client.timeout == 7.0
        assert type(built.sheets._client.http_client).__name__ == "HTTPClient"
    finally:
        built.close()


def test_factory_points_everything_at_the_sandbox() -> None:
    """One base URL moves Forms, Drive, the Drive batch endpoint and Sheets to the sandbox."""
    built = build_google_connectors(GoogleSettings(base_url="http://127.0.0.1:8765/"), ApiLedger())
    try:
        assert built.forms._service._baseUrl == "http://127.0.0.1:8765/"
        assert built.evidence._service._baseUrl == "http://127.0.0.1:8765/drive/v3/"
        assert built.evidence._batch_uri == "http://127.0.0.1:8765/batch/drive/v3"
        assert built.sheets._session.rewrite("https://sheets.googleapis.com/v4/spreadsheets/S") == (
            "http://127.0.0.1:8765/v4/spreadsheets/S"
        )
    finally:
        built.close()
