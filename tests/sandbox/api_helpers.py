"""Call a running sandbox's sandbox-only endpoints and read Google's error bodies."""

from __future__ import annotations

import json
from typing import Any

import requests
from googleapiclient.errors import HttpError


def control(base_url: str, method: str, path: str, body: Any = None) -> Any:
    """Call a sandbox-only endpoint and insist it succeeded."""
    with requests.Session() as session:
        response = session.request(method, base_url + path, json=body, timeout=10)
    assert response.ok, response.text
    return response.json() if response.content else None


def error_of(exc: HttpError) -> dict[str, Any]:
    """The "error" object of Google's JSON error body."""
    body: dict[str, Any] = json.loads(exc.content)["error"]
    return body


def calls(base_url: str, **filters: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = control(
        base_url, "GET", "/sandbox/calls?" + "&".join(f"{k}={v}" for k, v in filters.items())
    )["calls"]
    return found
