"""GoogleSheets: the SheetsClient and DashboardSink over gspread 6, one Sheets API call per method.

gspread is used through its plain ``HTTPClient`` (never ``BackOffHTTPClient``, which retries forever) with a
timeout, over a :class:`~connectors.ledger.LedgerSession` that records each attempt and can point at the
sandbox.
The adapter calls gspread's low-level ``values_batch_get``/``values_batch_update``/``batch_update``/
``fetch_sheet_metadata`` directly: ``open_by_key`` would spend a metadata call on every open.
Values are written RAW, so respondent text such as ``=HYPERLINK(...)`` stays a literal string.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import gspread
from gspread.urls import SPREADSHEET_BATCH_UPDATE_URL

from connectors.base import RangeValues, SpreadsheetInfo, TabInfo
from connectors.errors import classify_error
from connectors.ledger import LedgerSession
from connectors.retry import RetryPolicy

T = TypeVar("T")

VALUE_RENDER_OPTIONS = frozenset({"FORMATTED_VALUE", "UNFORMATTED_VALUE", "FORMULA"})


def parse_info(spreadsheet_id: str, metadata: dict[str, Any]) -> SpreadsheetInfo:
    """SpreadsheetInfo from spreadsheets.get JSON (without grid data)."""
    tabs: list[TabInfo] = []
    for sheet in metadata.get("sheets", []):
        props = sheet.get("properties", {})
        grid = props.get("gridProperties", {})
        tabs.append(
            TabInfo(
                sheet_id=int(props.get("sheetId", 0)),
                title=str(props.get("title", "")),
                index=int(props.get("index", 0)),
                row_count=int(grid.get("rowCount", 0)),
                column_count=int(grid.get("columnCount", 0)),
                frozen_row_count=int(grid.get("frozenRowCount", 0)),
            )
        )
    tabs.sort(key=lambda t: t.index)
    title = str(metadata.get("properties", {}).get("title", ""))
    return SpreadsheetInfo(
        spreadsheet_id=str(metadata.get("spreadsheetId", spreadsheet_id)), title=title, tabs=tabs
    )


class GoogleSpreadsheet:
    """One spreadsheet as a DashboardSink."""

    def __init__(
        self, spreadsheet_id: str, client: gspread.Client, session: LedgerSession, policy: RetryPolicy
    ) -> None:
        self.spreadsheet_id = spreadsheet_id
        self._http = client.http_client
        self._session = session
        self._policy = policy

    def _call(self, method: str, fn: Callable[[], T], *, repeatable: bool = True) -> T:
        def attempt(number: int) -> T:
            with self._session.attempt(number):
                try:
                    return fn()
                except Exception as exc:
                    raise classify_error(exc, method=method) from exc

        return self._policy.call(attempt, what=method, repeatable=repeatable)

    def info(self) -> SpreadsheetInfo:
        metadata = self._call(
            "sheets.spreadsheets.get",
            lambda: self._http.fetch_sheet_metadata(self.spreadsheet_id, params={"includeGridData": "false"}),
        )
        return parse_info(self.spreadsheet_id, dict(metadata))

    def read(
        self, ranges: Sequence[str], value_render: str = "FORMATTED_VALUE"
    ) -> dict[str, list[list[Any]]]:
        if value_render not in VALUE_RENDER_OPTIONS:
            raise ValueError(f"unknown valueRenderOption {value_render!r}")
        if not ranges:
            return {}
        asked = list(ranges)
        # Dates always as the text they show, never as serial numbers: a committee score typed as 1/2 that
        # Sheets took for a date must read back as what the person sees (ignored for FORMATTED_VALUE).
        params: dict[str, str | int | bool | float | list[str] | None] = {
            "valueRenderOption": value_render,
            "dateTimeRenderOption": "FORMATTED_STRING",
        }
        reply = self._call(
            "sheets.spreadsheets.values.batchGet",
            lambda: self._http.values_batch_get(self.spreadsheet_id, list(asked), params=params),
        )
        value_ranges = reply.get("valueRanges", [])
        # Google answers in the order asked, each range normalised ('Sheet1'!A1:C3): key by what was asked.
        return {name: list(vr.get("values", [])) for name, vr in zip(asked, value_ranges, strict=True)}

    def write(self, data: Sequence[RangeValues]) -> None:
        if not data:
            return
        body = {
            "valueInputOption": "RAW",
            "data": [{"range": d.range, "majorDimension": "ROWS", "values": d.values} for d in data],
        }
        self._call(
            "sheets.spreadsheets.values.batchUpdate",
            lambda: self._http.values_batch_update(self.spreadsheet_id, body),
        )

    def batch_update(self, requests: Sequence[dict[str, Any]]) -> dict[str, Any]:
        if not requests:
            return {"spreadsheetId": self.spreadsheet_id, "replies": []}
        body = {"requests": list(requests)}
        # Not safe to send twice: an addSheet or a conditional-format rule that landed before the answer was
        # lost would be added again. The next sync reads the Sheet and finishes what is missing.
        reply = self._call(
            "sheets.spreadsheets.batchUpdate",
            lambda: self._http.batch_update(self.spreadsheet_id, body),
            repeatable=False,
        )
        return dict(reply)

    def batch_update_body(self, body: bytes) -> dict[str, Any]:
        url = SPREADSHEET_BATCH_UPDATE_URL % self.spreadsheet_id
        headers = {"Content-Type": "application/json; charset=UTF-8"}
        # Not repeatable, as batch_update.
        response = self._call(
            "sheets.spreadsheets.batchUpdate",
            lambda: self._http.request("post", url, data=body, headers=headers),
            repeatable=False,
        )
        return dict(response.json())


class GoogleSheets:
    """Opens spreadsheets by id; opening costs no API call (the first ``info()`` does)."""

    def __init__(self, client: gspread.Client, session: LedgerSession, policy: RetryPolicy) -> None:
        self._client = client
        self._session = session
        self._policy = policy

    def open(self, spreadsheet_id: str) -> GoogleSpreadsheet:
        return GoogleSpreadsheet(spreadsheet_id, self._client, self._session, self._policy)
