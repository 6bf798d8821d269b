"""People at work in the dashboard Sheet, through their own Sheets client (googleapiclient), while the daemon
works through gspread: sorting, inserting, moving and deleting rows, typing into the committee's cells.

``Interleaved`` wraps the daemon's DashboardSink so that a person may act right before any of its calls:
between the sync's read and its write, between the fence and the write, between two chunks.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from connectors.a1 import column_letters, quote_sheet
from connectors.base import DashboardSink, RangeValues, SpreadsheetInfo

SUBS = "ผลการประเมิน"
KEY = "รหัสรายการ"
COMMITTEE = ("ผลการพิจารณา", "คะแนนที่กรรมการให้", "ความเห็นกรรมการ")


def text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


@dataclass
class Person:
    """One committee member's Sheets client on the dashboard spreadsheet."""

    sheets: Any  # googleapiclient spreadsheets() resource
    spreadsheet_id: str
    _ids: dict[str, int] = field(default_factory=dict)

    def grid(self, tab: str = SUBS, render: str = "UNFORMATTED_VALUE") -> list[list[Any]]:
        reply = (
            self.sheets.values()
            .get(spreadsheetId=self.spreadsheet_id, range=quote_sheet(tab), valueRenderOption=render)
            .execute()
        )
        return list(reply.get("values", []))

    def rows(self, tab: str = SUBS, key: str = KEY) -> dict[str, list[dict[str, Any]]]:
        """Every row with a key, by key (a list: a key on two rows would show as two)."""
        grid = self.grid(tab)
        header = [text(h) for h in grid[0]]
        out: dict[str, list[dict[str, Any]]] = {}
        for line in grid[1:]:
            row = {h: (line[i] if i < len(line) else "") for i, h in enumerate(header) if h}
            if text(row.get(key)):
                out.setdefault(text(row[key]), []).append(row)
        return out

    def sheet_id(self, tab: str = SUBS) -> int:
        if tab not in self._ids:
            meta = self.sheets.get(spreadsheetId=self.spreadsheet_id).execute()
            self._ids.update(
                {s["properties"]["title"]: int(s["properties"]["sheetId"]) for s in meta["sheets"]}
            )
        return self._ids[tab]

    def batch(self, *requests: dict[str, Any]) -> None:
        self.sheets.batchUpdate(
            spreadsheetId=self.spreadsheet_id, body={"requests": list(requests)}
        ).execute()

    def data_rows(self, tab: str = SUBS) -> int:
        return max(len(self.grid(tab)) - 1, 0)

    def sort(self, column: int, descending: bool, tab: str = SUBS) -> None:
        """Sort the sheet below its frozen header, as Data › Sort sheet does."""
        order = "DESCENDING" if descending else "ASCENDING"
        rng = {"sheetId": self.sheet_id(tab), "startRowIndex": 1}
        self.batch(
            {"sortRange": {"range": rng, "sortSpecs": [{"dimensionIndex": column, "sortOrder": order}]}}
        )

    def _rows(self, tab: str, start: int, end: int) -> dict[str, Any]:
        return {"sheetId": self.sheet_id(tab), "dimension": "ROWS", "startIndex": start, "endIndex": end}

    def insert_row(self, at: int, tab: str = SUBS) -> None:
        self.batch({"insertDimension": {"range": self._rows(tab, at, at + 1), "inheritFromBefore": True}})

    def move_row(self, row: int, to: int, tab: str = SUBS) -> None:
        self.batch({"moveDimension": {"source": self._rows(tab, row, row + 1), "destinationIndex": to}})

    def delete_row(self, row: int, tab: str = SUBS) -> None:
        self.batch({"deleteDimension": {"range": self._rows(tab, row, row + 1)}})

    def type(
        self, key: str, header: str, value: str, tab: str = SUBS, grid: list[list[Any]] | None = None
    ) -> None:
        """Type into one cell beside the row of ``key``, as the Sheets UI would (USER_ENTERED); ``grid`` is
        the tab as just read, if the caller has it."""
        grid = grid if grid is not None else self.grid(tab)
        col = [text(h) for h in grid[0]].index(header)
        key_col = [text(h) for h in grid[0]].index(KEY)
        row = next(i for i, r in enumerate(grid) if i and key_col < len(r) and text(r[key_col]) == key)
        self.sheets.values().update(
            spreadsheetId=self.spreadsheet_id,
            range=f"{quote_sheet(tab)}!{column_letters(col)}{row + 1}",
            valueInputOption="USER_ENTERED",
            body={"values": [[value]]},
        ).execute()


@dataclass
class Interleaved:
    """The daemon's sink with a person's turn before each call (``turn`` decides what, if anything)."""

    sink: DashboardSink
    turn: Callable[[str], None]
    calls: list[str] = field(default_factory=list)

    def _before(self, method: str) -> None:
        self.calls.append(method)
        self.turn(method)

    def info(self) -> SpreadsheetInfo:
        self._before("info")
        return self.sink.info()

    def read(
        self, ranges: Sequence[str], value_render: str = "FORMATTED_VALUE"
    ) -> dict[str, list[list[Any]]]:
        self._before("read")
        return self.sink.read(ranges, value_render)

    def write(self, data: Sequence[RangeValues]) -> None:
        self._before("write")
        self.sink.write(data)

    def batch_update(self, requests: Sequence[dict[str, Any]]) -> dict[str, Any]:
        self._before("batch_update")
        return self.sink.batch_update(requests)

    def batch_update_body(self, body: bytes) -> dict[str, Any]:
        self._before("batch_update")
        return self.sink.batch_update_body(body)
