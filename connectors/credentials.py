"""Credentials for the Google adapters: a service-account key with the narrowest scopes that work.

Read-only for Forms and Drive; Sheets needs ``spreadsheets`` because ``drive.file`` cannot see a sheet merely
shared with the service account. With a sandbox base URL there is nothing to authenticate against, so the
adapters use anonymous credentials. Errors name the file, never its contents: a key must not reach a log.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from google.auth.credentials import AnonymousCredentials, Credentials
from google.oauth2 import service_account

from connectors.errors import FatalError

FORMS_BODY_READONLY = "https://www.googleapis.com/auth/forms.body.readonly"
FORMS_RESPONSES_READONLY = "https://www.googleapis.com/auth/forms.responses.readonly"
DRIVE_METADATA_READONLY = "https://www.googleapis.com/auth/drive.metadata.readonly"
SPREADSHEETS = "https://www.googleapis.com/auth/spreadsheets"

SCOPES: tuple[str, ...] = (
    FORMS_BODY_READONLY,
    FORMS_RESPONSES_READONLY,
    DRIVE_METADATA_READONLY,
    SPREADSHEETS,
)

# The name systemd's LoadCredential= gives the key inside $CREDENTIALS_DIRECTORY (see deploy/).
DEFAULT_CREDENTIAL_NAME = "kpisync-sa.json"


def resolve_key_path(
    credentials_file: Path | None,
    environ: Mapping[str, str],
    name: str = DEFAULT_CREDENTIAL_NAME,
) -> Path:
    """The key file to use: the configured path, else ``$CREDENTIALS_DIRECTORY/<name>`` from systemd."""
    if credentials_file is not None:
        return credentials_file
    directory = environ.get("CREDENTIALS_DIRECTORY")
    if directory:
        return Path(directory) / name
    raise FatalError(
        "no service-account key: set google.credentials_file or run under systemd with "
        f"LoadCredential={name}:/path/to/key.json"
    )


def load_credentials(
    *,
    base_url: str | None,
    credentials_file: Path | None,
    delegated_subject: str | None = None,
    scopes: tuple[str, ...] = SCOPES,
    environ: Mapping[str, str] | None = None,
) -> Credentials:
    """Credentials for every adapter.

    With ``base_url`` (the sandbox) anonymous; otherwise the service-account key, scoped, and when
    ``delegated_subject`` is set acting as that Workspace user (domain-wide delegation).
    """
    if base_url is not None:
        anonymous: Credentials = AnonymousCredentials()  # type: ignore[no-untyped-call]
        return anonymous
    path = resolve_key_path(credentials_file, os.environ if environ is None else environ)
    info = _read_key(path)
    try:
        creds: service_account.Credentials = service_account.Credentials.from_service_account_info(  # type: ignore[no-untyped-call]
            info, scopes=list(scopes)
        )
    except (ValueError, KeyError) as exc:
        # The library's message can quote the key's fields; name the file and the kind of problem only.
        raise FatalError(f"{path}: not a usable service-account key ({type(exc).__name__})") from None
    if delegated_subject:
        creds = creds.with_subject(delegated_subject)  # type: ignore[no-untyped-call]
    return creds


def _read_key(path: Path) -> Mapping[str, Any]:
    try:
        text = path.read_text("utf-8")
    except OSError as exc:
        raise FatalError(f"{path}: cannot read the service-account key ({exc.strerror})") from None
    try:
        info = json.loads(text)
    except ValueError:
        raise FatalError(f"{path}: the service-account key is not valid JSON") from None
    if not isinstance(info, dict) or info.get("type") != "service_account":
        raise FatalError(f'{path}: not a service-account key (expected "type": "service_account")')
    return info
