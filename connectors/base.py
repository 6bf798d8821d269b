"""The small interfaces kpisync needs from Google, in domain words, and the values they exchange.

Each has a Google adapter (forms.py, drive.py, sheets.py) and an in-memory fake (memory.py), and one
contract test suite runs against both. Forms and Sheets values stay in Google's JSON shapes (dicts) because
the daemon stores the raw JSON as received; only the evidence check is reduced to a small typed verdict.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from connectors.errors import ConnectorError


class FormsSource(Protocol):
    """Where responses come from (Google Forms v1)."""

    def get_form(self, form_id: str) -> dict[str, Any]:
        """The Form JSON of forms.get (items, revisionId, info, settings)."""
        ...

    def list_responses(self, form_id: str, since: datetime | None = None) -> Iterator[list[dict[str, Any]]]:
        """Every response, page by page (pages of up to 5000), FormResponse JSON each.

        With ``since`` only responses with ``timestamp >= since`` (inclusive, so the caller de-duplicates by
        responseId). Result order is not documented by Google: callers must not rely on it.
        """
        ...


@dataclass(frozen=True)
class FileRef:
    """A Drive file kpisync wants to check: its id and, for link-shared files, the URL's resource key."""

    file_id: str
    resource_key: str | None = None


class EvidenceStatus(enum.StrEnum):
    OK = "ok"
    NOT_FOUND = "not_found"  # missing *or* not shared with the service account: Google answers 404 for both
    TRASHED = "trashed"
    FOLDER = "folder"
    # A check that failed for a reason that is not the file's fault. No longer produced (a file Drive could
    # not answer for is left unchecked, see FileChecks); kept because older databases hold it.
    ERROR = "error"


@dataclass(frozen=True)
class FileCheck:
    """The verdict on one Drive file. For a shortcut, the target's metadata, with ``via_shortcut`` set."""

    file_id: str
    status: EvidenceStatus
    name: str | None = None
    mime_type: str | None = None
    size: int | None = None
    web_view_link: str | None = None
    modified_time: str | None = None
    md5_checksum: str | None = None
    via_shortcut: str | None = None  # the shortcut's own id when ``file_id`` was reached through one
    detail: str = ""


@dataclass(frozen=True)
class FileChecks:
    """What one round of checks learned: a verdict for each file Drive answered about, keyed by the ref's
    file_id, and the files it could not check this time with the error that stopped each (retries spent).

    An unchecked file has no verdict at all: its last stored verdict stands, and nothing may be concluded
    about it (not "unreadable", not "please share") until Drive answers.
    """

    verdicts: dict[str, FileCheck] = field(default_factory=dict)
    unchecked: dict[str, ConnectorError] = field(default_factory=dict)


class EvidenceChecker(Protocol):
    """Checks Drive evidence files (Drive v3 files.get, batched by at most 100)."""

    def check_files(self, refs: Sequence[FileRef]) -> FileChecks:
        """A verdict or the reason there is none, for every ref. Raises a FatalError when no file can be
        checked for a reason a person must fix (the Drive API not enabled, the key refused)."""
        ...


@dataclass(frozen=True)
class TabInfo:
    sheet_id: int
    title: str
    index: int
    row_count: int
    column_count: int
    frozen_row_count: int = 0


@dataclass(frozen=True)
class RangeValues:
    """Values for one A1 range, e.g. ``'ผลการประเมิน'!A1:M120``, written RAW."""

    range: str
    values: list[list[Any]]


@dataclass
class SpreadsheetInfo:
    spreadsheet_id: str
    title: str
    tabs: list[TabInfo] = field(default_factory=list)

    def tab(self, title: str) -> TabInfo | None:
        return next((t for t in self.tabs if t.title == title), None)


class DashboardSink(Protocol):
    """One spreadsheet the daemon reads and writes (Sheets v4 through gspread). Each method is one API call,
    whatever the number of ranges or requests, so the number of calls per sync is constant."""

    def info(self) -> SpreadsheetInfo:
        """spreadsheets.get without grid data: the tabs and their sizes."""
        ...

    def read(
        self, ranges: Sequence[str], value_render: str = "FORMATTED_VALUE"
    ) -> dict[str, list[list[Any]]]:
        """values.batchGet, keyed by the range as asked; trailing empty cells omitted as Google does.


        ``value_render`` is Google's valueRenderOption: FORMATTED_VALUE, UNFORMATTED_VALUE or FORMULA."""
        ...

    def write(self, data: Sequence[RangeValues]) -> None:
        """values.batchUpdate with valueInputOption RAW: respondent text is stored literally, never parsed."""
        ...

    def batch_update(self, requests: Sequence[dict[str, Any]]) -> dict[str, Any]:
        """spreadsheets.batchUpdate with Google's Request objects (addSheet, repeatCell, …): one call."""
        ...

    def batch_update_body(self, body: bytes) -> dict[str, Any]:
        """spreadsheets.batchUpdate with its body already encoded (``{"requests": [...]}`` as UTF-8 JSON),
        sent as is: one call, and a large write is encoded once, by the caller that measured it."""
        ...


class SheetsClient(Protocol):
    """Opens spreadsheets by id (the dashboard, the roster)."""

    def open(self, spreadsheet_id: str) -> DashboardSink: ...
