"""In-memory spreadsheets that behave like Sheets v4 for what DashboardSink promises.

RAW values are stored as given (a leading ``=`` stays text); reads omit trailing empty cells and rows; writes
outside the grid are refused with 400 as Google does, so code that forgets to grow a tab fails here too.
spreadsheets.batchUpdate understands addSheet, deleteSheet, updateSheetProperties, appendDimension,
insertDimension, deleteDimension, updateCells and appendCells (after the last row holding a value, growing the
grid); formatting-only requests are accepted and change no values.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from connectors.a1 import GridRange, parse_range
from connectors.base import RangeValues, SpreadsheetInfo, TabInfo
from connectors.errors import FatalError
from connectors.memory_base import FakeApi

# Requests that only change formatting, protection or metadata: the fake keeps no such state.
_FORMAT_ONLY = frozenset({
    "repeatCell", "setDataValidation", "addProtectedRange", "updateProtectedRange", "deleteProtectedRange",
    "addConditionalFormatRule", "updateConditionalFormatRule", "deleteConditionalFormatRule",
    "updateDimensionProperties", "autoResizeDimensions", "addFilterView", "updateFilterView",
    "deleteFilterView", "setBasicFilter", "clearBasicFilter", "addNamedRange", "updateNamedRange",
    "deleteNamedRange", "createDeveloperMetadata", "updateDeveloperMetadata", "deleteDeveloperMetadata",
    "updateBorders", "mergeCells", "unmergeCells", "addBanding", "updateBanding", "deleteBanding",
    "updateSpreadsheetProperties", "addChart",
})  # fmt: skip
_JSON_SCALARS = (str, int, float, bool)


def _bad(message: str, method: str) -> FatalError:
    return FatalError(message, status=400, reason="INVALID_ARGUMENT", method=method)


@dataclass
class _Tab:
    sheet_id: int
    title: str
    index: int
    row_count: int = 1000
    column_count: int = 26
    frozen_row_count: int = 0
    cells: dict[tuple[int, int], Any] = field(default_factory=dict)
    links: dict[tuple[int, int], str] = field(default_factory=dict)

    def info(self) -> TabInfo:
        return TabInfo(
            self.sheet_id, self.title, self.index, self.row_count, self.column_count, self.frozen_row_count
        )


def _render(value: Any, option: str) -> Any:
    if option != "FORMATTED_VALUE":
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class InMemorySpreadsheet(FakeApi):
    """One spreadsheet; a DashboardSink. ``tab_values(title)`` shows a tab as a table for assertions."""

    def __init__(self, spreadsheet_id: str, title: str, owner: InMemorySheets) -> None:
        super().__init__(owner.ledger, "sheets")
        self.spreadsheet_id = spreadsheet_id
        self.title = title
        self.tabs: list[_Tab] = []
        self._owner = owner

    # --- setup and inspection helpers (not part of the interface) ---

    def add_tab(
        self, title: str, rows: Sequence[Sequence[Any]] = (), row_count: int = 1000, cols: int = 26
    ) -> int:
        sheet_id = 0 if not self.tabs else max(t.sheet_id for t in self.tabs) + 1
        tab = _Tab(sheet_id, title, len(self.tabs), max(row_count, len(rows)), cols)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None and value != "":
                    tab.cells[(r, c)] = value
        self.tabs.append(tab)
        return sheet_id

    def tab_values(self, title: str, render: str = "UNFORMATTED_VALUE") -> list[list[Any]]:
        return self._values(
            self._tab_by_title(title, "inspect"), GridRange(title, None, None, None, None), render
        )

    def link_at(self, title: str, row: int, col: int) -> str | None:
        return self._tab_by_title(title, "inspect").links.get((row, col))

    # --- DashboardSink ---

    def info(self) -> SpreadsheetInfo:
        self._call("sheets.spreadsheets.get")
        tabs = [t.info() for t in sorted(self.tabs, key=lambda t: t.index)]
        return SpreadsheetInfo(self.spreadsheet_id, self.title, tabs)

    def read(
        self, ranges: Sequence[str], value_render: str = "FORMATTED_VALUE"
    ) -> dict[str, list[list[Any]]]:
        if value_render not in {"FORMATTED_VALUE", "UNFORMATTED_VALUE", "FORMULA"}:
            raise ValueError(f"unknown valueRenderOption {value_render!r}")
        if not ranges:
            return {}
        method = "sheets.spreadsheets.values.batchGet"
        self._call(method, body=list(ranges))
        out: dict[str, list[list[Any]]] = {}
        for text in ranges:
            grid = self._parse(text, method)
            out[text] = self._values(self._tab_for(grid, method), grid, value_render)
        return copy.deepcopy(out)

    def write(self, data: Sequence[RangeValues]) -> None:
        if not data:
            return
        method = "sheets.spreadsheets.values.batchUpdate"
        self._call(method, is_write=True, body=[{"range": d.range, "values": d.values} for d in data])
        planned: list[tuple[_Tab, int, int, Any]] = []
        for item in data:
            grid = self._parse(item.range, method)
            tab = self._tab_for(grid, method)
            top, left = grid.start_row or 0, grid.start_col or 0
            for r, row in enumerate(item.values):
                for c, value in enumerate(row):
                    if value is None:
                        continue  # Google: "Null values will be skipped"
                    if not isinstance(value, _JSON_SCALARS):
                        raise _bad(f"Invalid value at 'data.values' ({type(value).__name__})", method)
                    row_at, col_at = top + r, left + c
                    if (grid.end_row is not None and row_at >= grid.end_row) or (
                        grid.end_col is not None and col_at >= grid.end_col
                    ):
                        raise _bad(
                            f"Requested writing within range [{item.range}], but tried writing beyond", method
                        )
                    if row_at >= tab.row_count or col_at >= tab.column_count:
                        raise _bad(
                            f"Range ({item.range}) exceeds grid limits. Max rows: {tab.row_count}, "
                            f"max columns: {tab.column_count}",
                            method,
                        )
                    planned.append((tab, row_at, col_at, value))
        # Validated first, applied after: a refused batch changes nothing, as with Google.
        for tab, row_at, col_at, value in planned:
            if value == "":
                tab.cells.pop((row_at, col_at), None)
            else:
                tab.cells[(row_at, col_at)] = value

    def batch_update(self, requests: Sequence[dict[str, Any]]) -> dict[str, Any]:
        if not requests:
            return {"spreadsheetId": self.spreadsheet_id, "replies": []}
        self._call("sheets.spreadsheets.batchUpdate", is_write=True, body=list(requests))
        return self._batch(requests)

    def batch_update_body(self, body: bytes) -> dict[str, Any]:
        method = "sheets.spreadsheets.batchUpdate"
        self._call(method, is_write=True, body=body)  # recorded at its size as sent
        try:
            requests = json.loads(body)["requests"]
        except (ValueError, KeyError, TypeError) as exc:
            raise _bad(f"Invalid JSON payload received. {exc}", method) from exc
        return self._batch(requests)

    def _batch(self, requests: Sequence[dict[str, Any]]) -> dict[str, Any]:
        method = "sheets.spreadsheets.batchUpdate"
        # Cells hold JSON scalars only: copying the dicts is a full copy, and far cheaper than deepcopy.
        saved = [replace(t, cells=dict(t.cells), links=dict(t.links)) for t in self.tabs]
        try:
            replies = [self._apply(request, method) for request in requests]
        except FatalError:
            self.tabs = saved  # all or nothing, like Google
            raise
        return {"spreadsheetId": self.spreadsheet_id, "replies": replies}

    # --- internals ---

    def _parse(self, text: str, method: str) -> GridRange:
        try:
            return parse_range(text, [t.title for t in self.tabs])
        except ValueError as exc:
            raise _bad(str(exc), method) from None

    def _tab_by_title(self, title: str, method: str) -> _Tab:
        for tab in self.tabs:
            if tab.title == title:
                return tab
        raise _bad(f"Unable to parse range: {title}", method)

    def _tab_by_id(self, sheet_id: Any, method: str) -> _Tab:
        for tab in self.tabs:
            if tab.sheet_id == sheet_id:
                return tab
        raise _bad(f"No grid with id: {sheet_id}", method)

    def _tab_for(self, grid: GridRange, method: str) -> _Tab:
        if grid.sheet is None:
            return min(self.tabs, key=lambda t: t.index)
        return self._tab_by_title(grid.sheet, method)

    def _values(self, tab: _Tab, grid: GridRange, render: str) -> list[list[Any]]:
        top, left = grid.start_row or 0, grid.start_col or 0
        bottom = min(grid.end_row if grid.end_row is not None else tab.row_count, tab.row_count)
        right = min(grid.end_col if grid.end_col is not None else tab.column_count, tab.column_count)
        rows: list[list[Any]] = []
        for r in range(top, bottom):
            row = [tab.cells.get((r, c), "") for c in range(left, right)]
            while row and row[-1] == "":
                row.pop()
            rows.append([_render(v, render) if v != "" else "" for v in row])
        while rows and not rows[-1]:
            rows.pop()
        return rows

    def _apply(self, request: dict[str, Any], method: str) -> dict[str, Any]:
        if len(request) != 1:
            raise _bad("Each Request must set exactly one kind", method)
        kind, body = next(iter(request.items()))
        if kind == "addSheet":
            return {"addSheet": {"properties": self._add_sheet(body.get("properties", {}), method)}}
        if kind == "deleteSheet":
            tab = self._tab_by_id(body.get("sheetId"), method)
            self.tabs.remove(tab)
            for i, other in enumerate(sorted(self.tabs, key=lambda t: t.index)):
                other.index = i
            return {}
        if kind == "updateSheetProperties":
            self._update_properties(body, method)
            return {}
        if kind == "appendDimension":
            tab = self._tab_by_id(body.get("sheetId"), method)
            if body.get("dimension") == "COLUMNS":
                tab.column_count += int(body.get("length", 0))
            else:
                tab.row_count += int(body.get("length", 0))
            return {}
        if kind in {"insertDimension", "deleteDimension"}:
            self._shift(kind, body.get("range", {}), body.get("inheritFromBefore", False), method)
            return {}
        if kind == "updateCells":
            self._update_cells(body, method)
            return {}
        if kind == "appendCells":
            tab = self._tab_by_id(body.get("sheetId"), method)
            start = max((r for r, _ in tab.cells), default=-1) + 1
            rows = body.get("rows", [])
            tab.row_count = max(tab.row_count, start + len(rows))
            start_at = {"sheetId": tab.sheet_id, "rowIndex": start, "columnIndex": 0}
            self._update_cells({"start": start_at, "rows": rows, "fields": body.get("fields", "")}, method)
            return {}
        if kind in _FORMAT_ONLY:
            return {}
        raise _bad(f"Invalid JSON payload received. Unknown name \"{kind}\" at 'requests[0]'", method)

    def _add_sheet(self, props: dict[str, Any], method: str) -> dict[str, Any]:
        title = str(props.get("title") or f"Sheet{len(self.tabs) + 1}")
        if any(t.title == title for t in self.tabs):
            raise _bad(f'A sheet with the name "{title}" already exists. Please enter another name.', method)
        grid = props.get("gridProperties", {})
        sheet_id = props.get("sheetId")
        if sheet_id is None:
            sheet_id = max((t.sheet_id for t in self.tabs), default=-1) + 1
        elif any(t.sheet_id == sheet_id for t in self.tabs):
            raise _bad(f"Duplicate sheet ID: {sheet_id}", method)
        tab = _Tab(
            int(sheet_id),
            title,
            int(props.get("index", len(self.tabs))),
            int(grid.get("rowCount", 1000)),
            int(grid.get("columnCount", 26)),
            int(grid.get("frozenRowCount", 0)),
        )
        for other in self.tabs:
            if other.index >= tab.index:
                other.index += 1
        self.tabs.append(tab)
        return {
            "sheetId": tab.sheet_id,
            "title": tab.title,
            "index": tab.index,
            "sheetType": "GRID",
            "gridProperties": {
                "rowCount": tab.row_count,
                "columnCount": tab.column_count,
                "frozenRowCount": tab.frozen_row_count,
            },
        }

    def _update_properties(self, body: dict[str, Any], method: str) -> None:
        props = body.get("properties", {})
        fields = str(body.get("fields", ""))
        if not fields:
            raise _bad("At least one field must be updated", method)
        tab = self._tab_by_id(props.get("sheetId"), method)
        grid = props.get("gridProperties", {})
        everything = fields.strip() == "*"
        wanted = {f.strip() for f in fields.split(",")}
        if everything or "title" in wanted:
            title = props.get("title", tab.title)
            if any(t.title == title and t is not tab for t in self.tabs):
                raise _bad(f'A sheet with the name "{title}" already exists.', method)
            tab.title = title
        for name, attr in (("rowCount", "row_count"), ("columnCount", "column_count")):
            if everything or "gridProperties" in wanted or f"gridProperties.{name}" in wanted:
                setattr(tab, attr, int(grid.get(name, getattr(tab, attr))))
        if everything or "gridProperties" in wanted or "gridProperties.frozenRowCount" in wanted:
            tab.frozen_row_count = int(grid.get("frozenRowCount", 0))

    def _shift(self, kind: str, span: dict[str, Any], _inherit: bool, method: str) -> None:
        tab = self._tab_by_id(span.get("sheetId"), method)
        start, end = int(span.get("startIndex", 0)), int(span.get("endIndex", 0))
        count = end - start
        rows = span.get("dimension") == "ROWS"
        axis = 0 if rows else 1
        delta = count if kind == "insertDimension" else -count

        def moved(store: dict[tuple[int, int], Any]) -> dict[tuple[int, int], Any]:
            out: dict[tuple[int, int], Any] = {}
            for key, value in store.items():
                pos = key[axis]
                if kind == "deleteDimension" and start <= pos < end:
                    continue
                if pos >= start:
                    pos += delta
                out[(pos, key[1]) if rows else (key[0], pos)] = value
            return out

        tab.cells = moved(tab.cells)
        tab.links = moved(tab.links)
        if rows:
            tab.row_count += delta
        else:
            tab.column_count += delta

    def _update_cells(self, body: dict[str, Any], method: str) -> None:
        if "start" in body:
            tab = self._tab_by_id(body["start"].get("sheetId"), method)
            top, left = int(body["start"].get("rowIndex", 0)), int(body["start"].get("columnIndex", 0))
        else:
            span = body.get("range", {})
            tab = self._tab_by_id(span.get("sheetId"), method)
            top, left = int(span.get("startRowIndex", 0)), int(span.get("startColumnIndex", 0))
        fields = str(body.get("fields", ""))
        if not fields:
            raise _bad("At least one field must be updated", method)
        for r, row in enumerate(body.get("rows", [])):
            for c, cell in enumerate(row.get("values", [])):
                at = (top + r, left + c)
                if at[0] >= tab.row_count or at[1] >= tab.column_count:
                    raise _bad("Range exceeds grid limits", method)
                entered = cell.get("userEnteredValue")
                if entered is not None or "userEnteredValue" in fields or fields == "*":
                    value = _entered(entered or {})
                    if value == "":
                        tab.cells.pop(at, None)
                    else:
                        tab.cells[at] = value
                link = cell.get("userEnteredFormat", {}).get("textFormat", {}).get("link", {}).get("uri")
                if link:
                    tab.links[at] = str(link)


def _entered(value: dict[str, Any]) -> Any:
    for key in ("stringValue", "numberValue", "boolValue", "formulaValue"):
        if key in value:
            return value[key]
    return ""


class InMemorySheets:
    """Spreadsheets by id; ``create`` sets one up (as the admin would), ``open`` is a SheetsClient's open."""

    def __init__(self, ledger: Any = None) -> None:
        self.ledger = ledger
        self.spreadsheets: dict[str, InMemorySpreadsheet] = {}

    def create(
        self, spreadsheet_id: str, title: str, tabs: dict[str, Sequence[Sequence[Any]]] | None = None
    ) -> InMemorySpreadsheet:
        sheet = InMemorySpreadsheet(spreadsheet_id, title, self)
        for tab_title, rows in (tabs or {"Sheet1": []}).items():
            sheet.add_tab(tab_title, rows)
        self.spreadsheets[spreadsheet_id] = sheet
        return sheet

    def open(self, spreadsheet_id: str) -> InMemorySpreadsheet:
        found = self.spreadsheets.get(spreadsheet_id)
        if found is None:
            return _Missing(spreadsheet_id, "", self)
        return found


class _Missing(InMemorySpreadsheet):
    """What opening an unknown id gives: every call answers 404, as Google does for the real adapter."""

    def _call(self, method: str, *, is_write: bool = False, body: Any = None, inner_calls: int = 0) -> None:
        encoded = body.decode("utf-8") if isinstance(body, bytes) else json.dumps(body, default=str)
        self._record(method, 404, is_write, encoded, inner_calls)
        raise FatalError("Requested entity was not found.", status=404, reason="NOT_FOUND", method=method)
