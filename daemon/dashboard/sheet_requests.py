"""Google Sheets batchUpdate Request objects for the dashboard: tab creation and its one-time setup (frozen
header, widths, the warning-only protection of the daemon's columns, the conditional formats, the chart),
cells of existing rows (updateCells at the row a key was found on) and new rows (appendCells, the whole row
in one request: its key, values, links, number formats and the committee's dropdown together). Pure
functions returning Google's JSON shapes.

Formats and the dropdown travel with the cells of each row the daemon appends rather than over open-ended
column ranges: a format reaching row 1000 would give those rows content, and appendCells writes after the
last row that has any.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any

from connectors.a1 import column_letters
from daemon.dashboard import calls, cells
from daemon.dashboard.cells import CellValue
from daemon.dashboard.labels import ROW_STATUS, pick
from daemon.dashboard.tabs import Column, Tab
from daemon.results.committee import CERTIFICATIONS, DECISIONS
from scoring.explain import Lang

Request = dict[str, Any]

_HEADER_BACKGROUND = {"red": 0.85, "green": 0.92, "blue": 0.83}
_FLAG_TINT = {"red": 1.0, "green": 0.93, "blue": 0.8}
_SUPERSEDED_TEXT = {"red": 0.5, "green": 0.5, "blue": 0.5}
_CERTIFIED_TINT = {"red": 0.85, "green": 0.94, "blue": 0.85}
_NOT_CERTIFIED_TINT = {"red": 0.98, "green": 0.85, "blue": 0.85}
_OVERDUE_TEXT = {"red": 0.75, "green": 0.1, "blue": 0.1}
_FORMATS = {
    "number": {"type": "NUMBER", "pattern": "0.00000"},
    "count": {"type": "NUMBER", "pattern": "0"},
    # The committee's cells keep what is typed as text: 1/2 stays 1/2 instead of becoming a date serial.
    "committee": {"type": "TEXT"},
}
# What the daemon sets on cells of an existing row (their value and links; a person's formatting stays),
# and on a row it appends: everything, as nothing is there to keep.
UPDATE_FIELDS = "userEnteredValue,textFormatRuns,userEnteredFormat.textFormat.link"
APPEND_FIELDS = "*"
DEFAULT_ROWS = 1000
DEFAULT_COLUMNS = 26


def add_sheet(sheet_id: int, title: str, index: int, cols: int) -> Request:
    return {
        "addSheet": {
            "properties": {
                "sheetId": sheet_id,
                "title": title,
                "index": index,
                "gridProperties": {"rowCount": DEFAULT_ROWS, "columnCount": cols, "frozenRowCount": 1},
            }
        }
    }


def append_columns(sheet_id: int, length: int) -> Request:
    return {"appendDimension": {"sheetId": sheet_id, "dimension": "COLUMNS", "length": length}}


def append_rows(sheet_id: int, length: int) -> Request:
    return {"appendDimension": {"sheetId": sheet_id, "dimension": "ROWS", "length": length}}


def header_format(sheet_id: int, cols: int) -> Request:
    return {
        "repeatCell": {
            "range": {"sheetId": sheet_id, "startRowIndex": 0, "endRowIndex": 1, "startColumnIndex": 0,
                      "endColumnIndex": cols},
            "cell": {
                "userEnteredFormat": {
                    "backgroundColor": _HEADER_BACKGROUND,
                    "textFormat": {"bold": True},
                    "wrapStrategy": "WRAP",
                    "verticalAlignment": "MIDDLE",
                }
            },
            "fields": "userEnteredFormat(backgroundColor,textFormat,wrapStrategy,verticalAlignment)",
        }
    }  # fmt: skip


def column_width(sheet_id: int, column: Column, position: int) -> Request:
    """A column's width, set the first time it is placed."""
    return {
        "updateDimensionProperties": {
            "range": {"sheetId": sheet_id, "dimension": "COLUMNS", "startIndex": position,
                      "endIndex": position + 1},
            "properties": {"pixelSize": column.width},
            "fields": "pixelSize",
        }
    }  # fmt: skip


def _decision_rule(lang: Lang) -> dict[str, Any]:
    return {
        "condition": {
            "type": "ONE_OF_LIST",
            "values": [{"userEnteredValue": pick(d, lang)} for d in DECISIONS],
        },
        "showCustomUi": True,
        # Not strict: a member's free text is still their decision, read back as typed.
        "strict": False,
    }


def row_cell(column: Column, value: CellValue, lang: Lang) -> dict[str, Any]:
    """CellData of a cell in a row the daemon appends: the value, its number format, the dropdown."""
    cell = cells.cell_data(value)
    fmt = _FORMATS.get("committee" if column.owner == "committee" else column.kind)
    if fmt is not None:
        cell.setdefault("userEnteredFormat", {})["numberFormat"] = fmt
    if column.key == "decision":
        cell["dataValidation"] = _decision_rule(lang)
    return cell


def update_cells(sheet_id: int, row: int, col: int, values: list[list[CellValue]]) -> Request:
    """Cells of existing rows, a rectangle from (``row``, ``col``): values only, the cells' formats stay."""
    return {
        "updateCells": {
            "rows": [{"values": [cells.cell_data(v) for v in line]} for line in values],
            "fields": UPDATE_FIELDS,
            "start": {"sheetId": sheet_id, "rowIndex": row, "columnIndex": col},
        }
    }


# updateCells and appendCells as encoded runs of rows (daemon.dashboard.calls), cut between rows to fill a
# call. The fixed members come first so a request can be opened before its rows are known.
_TAIL = b"]}}"


def encoded_row(values: list[dict[str, Any]]) -> bytes:
    """One RowData (``{"values": [CellData, ...]}``) as it goes on the wire."""
    return calls.encode({"values": values})


def append_run(sheet_id: int, rows: Iterable[bytes]) -> calls.RowRun:
    """appendCells of encoded rows, as many requests as the calls they fill: new rows after the last row
    with data, each row whole, so its key never lands without the rest."""
    head = f'{{"appendCells":{{"sheetId":{sheet_id},"fields":"{APPEND_FIELDS}","rows":['.encode()
    return calls.RowRun(lambda _i: head, _TAIL, rows)


def row_encoder(tab: Tab, positions: dict[str, int], lang: Lang) -> Callable[[Sequence[CellValue]], bytes]:
    """What ``encoded_row`` of each value's ``row_cell``, at its column's position, gives for a row of
    ``tab`` (trailing empty cells dropped), made without a dict per cell: a new row's text and numbers are
    spliced into each column's fixed JSON, the costly part of a first sync's write. Rich text (links) goes
    through ``row_cell``."""
    width = max(positions.values()) + 1
    at = [positions[c.key] for c in tab.columns]
    blank = [b"{}"] * width
    # Per column: what follows the value inside the cell (its format, the dropdown), and the empty cell.
    after: list[bytes] = []
    empty: list[bytes] = []
    for col in tab.columns:
        fixed = row_cell(col, None, lang)
        extra = calls.encode(fixed)[1:-1]
        after.append(b"," + extra + b"}" if extra else b"}")
        empty.append(b"{" + extra + b"}")
    columns = tab.columns
    string_head, number_head = b'{"userEnteredValue":{"stringValue":', b'{"userEnteredValue":{"numberValue":'

    def encode(values: Sequence[CellValue]) -> bytes:
        out = list(blank)
        for i, value in enumerate(values):
            if isinstance(value, str):
                out[at[i]] = string_head + calls.encode_text(value) + b"}" + after[i] if value else empty[i]
            elif value is None:
                out[at[i]] = empty[i]
            elif isinstance(value, Decimal):
                number = cells.json_number(value)
                # repr is JSON for a finite number; json refuses the others, as it would have.
                text = repr(number).encode() if math.isfinite(number) else calls.encode(number)
                out[at[i]] = number_head + text + b"}" + after[i]
            else:
                out[at[i]] = calls.encode(row_cell(columns[i], value, lang))
        while out and out[-1] == b"{}":
            out.pop()
        return b'{"values":[' + b",".join(out) + b"]}"

    return encode


def update_run(sheet_id: int, row: int, col: int, rows: Iterable[bytes]) -> calls.RowRun:
    """updateCells of encoded rows from (``row``, ``col``) down: a request opened at the run's ``i``-th
    row starts at ``row + i``."""

    def head(i: int) -> bytes:
        start = f'"start":{{"sheetId":{sheet_id},"rowIndex":{row + i},"columnIndex":{col}}}'
        return f'{{"updateCells":{{{start},"fields":"{UPDATE_FIELDS}","rows":['.encode()

    return calls.RowRun(head, _TAIL, rows)


def delete_row(sheet_id: int, row: int) -> Request:
    return {
        "deleteDimension": {
            "range": {"sheetId": sheet_id, "dimension": "ROWS", "startIndex": row, "endIndex": row + 1}
        }
    }


def protect_daemon_columns(sheet_id: int, last_daemon_col: int, lang: Lang) -> Request:
    description = (
        "คอลัมน์ที่ระบบเขียน: แก้ไขแล้วจะถูกเขียนทับในรอบถัดไป"
        if lang == "th"
        else "Written by kpisync: edits are overwritten by the next sync"
    )
    return {
        "addProtectedRange": {
            "protectedRange": {
                "range": {"sheetId": sheet_id, "startColumnIndex": 0, "endColumnIndex": last_daemon_col + 1},
                "description": description,
                "warningOnly": True,
            }
        }
    }


def _rule(index: int, ranges: list[dict[str, Any]], formula: str, fmt: dict[str, Any]) -> Request:
    # Formulas in plain IF and comparisons: what Sheets and the sandbox's HTML view both evaluate.
    condition = {"type": "CUSTOM_FORMULA", "values": [{"userEnteredValue": formula}]}
    return {
        "addConditionalFormatRule": {
            "index": index,
            "rule": {"ranges": ranges, "booleanRule": {"condition": condition, "format": fmt}},
        }
    }


def _rows_of(sheet_id: int, first: int, last: int) -> dict[str, int]:
    # Open-ended rows: a rule also covers rows appended later (rules are the sheet's, not cells').
    return {"sheetId": sheet_id, "startRowIndex": 1, "startColumnIndex": first, "endColumnIndex": last + 1}


def _quoted(text: str) -> str:
    return text.replace('"', '""')


def submission_rules(sheet_id: int, positions: dict[str, int], lang: Lang) -> list[Request]:
    """Grey out rows that no longer count, tint flagged rows, colour the certification status."""
    whole = [_rows_of(sheet_id, 0, max(positions.values()))]
    flags = f"${column_letters(positions['flags'])}2"
    status = f"${column_letters(positions['status'])}2"
    current = _quoted(pick(ROW_STATUS["current"], lang))
    cert_at = positions["certification"]
    cert_range = [_rows_of(sheet_id, cert_at, cert_at)]
    cert = f"${column_letters(cert_at)}2"
    grey = {"textFormat": {"foregroundColor": _SUPERSEDED_TEXT, "strikethrough": True}}
    return [
        _rule(0, whole, f'=IF({status}<>"",{status}<>"{current}",FALSE)', grey),
        _rule(1, whole, f'={flags}<>""', {"backgroundColor": _FLAG_TINT}),
        _rule(2, cert_range, f'={cert}="{_quoted(pick(CERTIFICATIONS["certified"], lang))}"',
              {"backgroundColor": _CERTIFIED_TINT}),
        _rule(3, cert_range, f'={cert}="{_quoted(pick(CERTIFICATIONS["not_certified"], lang))}"',
              {"backgroundColor": _NOT_CERTIFIED_TINT}),
    ]  # fmt: skip


def overdue_rule(sheet_id: int, days_col: int) -> Request:
    """Days left below zero in red: the deadline has passed."""
    days = f"${column_letters(days_col)}2"
    fmt = {"textFormat": {"foregroundColor": _OVERDUE_TEXT, "bold": True}}
    return _rule(0, [_rows_of(sheet_id, days_col, days_col)], f'=IF({days}<>"",{days}<0,FALSE)', fmt)


def tab_setup(sheet_id: int, tab: Tab, positions: dict[str, int], lang: Lang) -> list[Request]:
    """The one-time setup of a tab the daemon just created."""
    requests = [header_format(sheet_id, len(tab.columns))]
    if tab.has_committee:
        daemon_positions = [positions[c.key] for c in tab.columns if c.owner == "daemon"]
        requests.append(protect_daemon_columns(sheet_id, max(daemon_positions), lang))
    if tab.key == "submissions":
        requests += submission_rules(sheet_id, positions, lang)
    if tab.key == "missing":
        requests.append(overdue_rule(sheet_id, positions["days_left"]))
    return requests


def distribution_chart(sheet_id: int, tab: Tab, positions: dict[str, int], rows: int, title: str) -> Request:
    """A stacked column chart: per indicator of the latest round, how many scores fall in each band."""

    def source(col: int) -> dict[str, Any]:
        grid = {"sheetId": sheet_id, "startRowIndex": 0, "endRowIndex": rows + 1, "startColumnIndex": col,
                "endColumnIndex": col + 1}  # fmt: skip
        return {"sourceRange": {"sources": [grid]}}

    bands = [c for c in tab.columns if c.key.startswith("band")]
    return {
        "addChart": {
            "chart": {
                "spec": {
                    "title": title,
                    "basicChart": {
                        "chartType": "COLUMN",
                        "stackedType": "STACKED",
                        "legendPosition": "BOTTOM_LEGEND",
                        "headerCount": 1,
                        "domains": [{"domain": source(positions["indicator"])}],
                        "series": [
                            {"series": source(positions[c.key]), "targetAxis": "LEFT_AXIS"} for c in bands
                        ],
                    },
                },
                "position": {
                    "overlayPosition": {
                        "anchorCell": {
                            "sheetId": sheet_id,
                            "rowIndex": 1,
                            "columnIndex": len(tab.columns) + 1,
                        }
                    }
                },
            }
        }
    }
