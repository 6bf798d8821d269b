"""GoogleForms: the FormsSource over Forms API v1 (google-api-python-client, static discovery document).

forms.get needs ``forms.body.readonly`` and responses.list ``forms.responses.readonly``. Pages are as large as
Google allows (5000). The incremental filter is ``timestamp >= T``: inclusive, because Google may return a
response submitted exactly at the watermark on the next pass, and the caller de-duplicates by responseId.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from connectors.ledger import LedgerHttp, execute
from connectors.retry import RetryPolicy

PAGE_SIZE = 5000


def rfc3339_utc(when: datetime) -> str:
    """``when`` as RFC3339 UTC 'Zulu', the only format the responses filter accepts."""
    if when.tzinfo is None or when.utcoffset() is None:
        raise ValueError("since must be timezone-aware: a naive time is ambiguous in a +07:00 office")
    utc = when.astimezone(UTC)
    text = utc.strftime("%Y-%m-%dT%H:%M:%S")
    if utc.microsecond:
        text += f".{utc.microsecond:06d}".rstrip("0")
    return text + "Z"


class GoogleForms:
    """Forms v1 through googleapiclient over a :class:`LedgerHttp` (one httplib2.Http per thread)."""

    def __init__(
        self, service: Any, http: LedgerHttp, policy: RetryPolicy, page_size: int = PAGE_SIZE
    ) -> None:
        self._service = service
        # Built once (googleapiclient rebuilds a resource's methods from the discovery document per call).
        self._forms = service.forms()
        self._responses = self._forms.responses()
        self._http = http
        self._policy = policy
        self._page_size = page_size

    def get_form(self, form_id: str) -> dict[str, Any]:
        request = self._forms.get(formId=form_id)
        form: dict[str, Any] = execute(self._policy, self._http, request)
        return form

    def list_responses(self, form_id: str, since: datetime | None = None) -> Iterator[list[dict[str, Any]]]:
        params: dict[str, Any] = {"formId": form_id, "pageSize": self._page_size}
        if since is not None:
            params["filter"] = f"timestamp >= {rfc3339_utc(since)}"
        page_token: str | None = None
        while True:
            if page_token:
                params["pageToken"] = page_token
            request = self._responses.list(**params)
            page: dict[str, Any] = execute(self._policy, self._http, request)
            yield list(page.get("responses", []))
            page_token = page.get("nextPageToken")
            if not page_token:
                return
