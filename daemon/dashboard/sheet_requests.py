"""Google Sheets batchUpdate Request objects for the dashboard: A1 helpers, tab creation and its one-time
setup (frozen header, widths, number formats, the committee's dropdown, the warning-only protection, the flag
tint), and the text-format-link cells for evidence. Pure functions returning Google's JSON shapes; publish
sends them in one call.
"""

from __future__ import annotations

from typing import Any

from connectors.a1 import column_letters, quote_sheet
from daemon.dashboard.labels import ROW_STATUS, pick
from daemon.dashboard.layout import Column, LinkRun, RichText, Tab
from daemon.results.committee import DECISIONS
from scoring.explain import Lang

Request = dict[str, Any]

_HEADER_BACKGROUND = {"red": 0.85, "green": 0.92, "blue": 0.83}
_FLAG_TINT = {"red": 1.0, "green": 0.93, "blue": 0.8}
_SUPERSEDED_TEXT = {"red": 0.5, "green": 0.5, "blue": 0.5}
_SCORE_FORMAT = {"type": "NUMBER", "pattern": "0.00000"}
_COUNT_FORMAT = {"type": "NUMBER", "pattern": "0"}
_COUNT_COLUMNS = frozenset({"rank", "flags_open", "people"})  # whole numbers, not 5-place scores
DEFAULT_ROWS = 1000
DEFAULT_COLUMNS = 26


def a1(title: str, row: int, col: int, end_col: int | None = None, *, last_row: int | None = None) -> str:
    """The A1 range from (``row``, ``col``) to (``last_row``, ``end_col``), 0-based, inclusive."""
    start = f"{column_letters(col)}{row + 1}"
    end_col = col if end_col is None else end_col
    last_row = row if last_row is None else last_row
    if (end_col, last_row) == (col, row):
        return f"{quote_sheet(title)}!{start}"
    return f"{quote_sheet(title)}!{start}:{column_letters(end_col)}{last_row + 1}"


def whole_tab(title: str, rows: int, cols: int) -> str:
    return f"{quote_sheet(title)}!A1:{column_letters(max(cols, 1) - 1)}{max(rows, 1)}"


def add_sheet(sheet_id: int, title: str, index: int, rows: int, cols: int) -> Request:
    return {
        "addSheet": {
            "properties": {
                "sheetId": sheet_id,
                "title": title,
                "index": index,
                "gridProperties": {"rowCount": rows, "columnCount": cols, "frozenRowCount": 1},
            }
        }
    }


def append_dimension(sheet_id: int, dimension: str, length: int) -> Request:
    return {"appendDimension": {"sheetId": sheet_id, "dimension": dimension, "length": length}}


def _grid(sheet_id: int, col: int, end_col: int | None = None, start_row: int = 1) -> dict[str, int]:
    # Open-ended rows: the format, the dropdown and the tint also cover rows appended later.
    return {
        "sheetId": sheet_id,
        "startRowIndex": start_row,
        "startColumnIndex": col,
        "endColumnIndex": (end_col if end_col is not None else col) + 1,
    }


def header_format(sheet_id: int, cols: int) -> Request:
    return {
        "repeatCell": {
            "range": {
                "sheetId": sheet_id,
                "startRowIndex": 0,
                "endRowIndex": 1,
                "startColumnIndex": 0,
                "endColumnIndex": cols,
            },
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
    }


def column_setup(sheet_id: int, column: Column, position: int, lang: Lang) -> list[Request]:
    """What a column needs the first time it is placed: its width, its number format, the dropdown."""
    requests: list[Request] = [
        {
            "updateDimensionProperties": {
                "range": {
                    "sheetId": sheet_id,
                    "dimension": "COLUMNS",
                    "startIndex": position,
                    "endIndex": position + 1,
                },
                "properties": {"pixelSize": column.width},
                "fields": "pixelSize",
            }
        }
    ]
    if column.kind == "number":
        pattern = _COUNT_FORMAT if column.key in _COUNT_COLUMNS else _SCORE_FORMAT
        requests.append(
            {
                "repeatCell": {
                    "range": _grid(sheet_id, position),
                    "cell": {"userEnteredFormat": {"numberFormat": pattern}},
                    "fields": "userEnteredFormat.numberFormat",
                }
            }
        )
    if column.key == "decision":
        requests.append(decision_dropdown(sheet_id, position, lang))
    return requests


def decision_dropdown(sheet_id: int, position: int, lang: Lang) -> Request:
    return {
        "setDataValidation": {
            "range": _grid(sheet_id, position),
            "rule": {
                "condition": {
                    "type": "ONE_OF_LIST",
                    "values": [{"userEnteredValue": pick(d, lang)} for d in DECISIONS],
                },
                "showCustomUi": True,
                # Not strict: a member's free text is still their decision, read back as typed.
                "strict": False,
            },
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


def flag_tint(sheet_id: int, flags_col: int, status_col: int, last_col: int, lang: Lang) -> list[Request]:
    """Tint rows that carry flags; grey out rows that no longer count."""
    rng = _grid(sheet_id, 0, last_col)
    flags = f"${column_letters(flags_col)}2"
    status = f"${column_letters(status_col)}2"
    current = pick(ROW_STATUS["current"], lang).replace('"', '""')
    return [
        {
            "addConditionalFormatRule": {
                "index": 0,
                "rule": {
                    "ranges": [rng],
                    "booleanRule": {
                        "condition": {
                            "type": "CUSTOM_FORMULA",
                            "values": [{"userEnteredValue": f'=AND({status}<>"",{status}<>"{current}")'}],
                        },
                        "format": {
                            "textFormat": {"foregroundColor": _SUPERSEDED_TEXT, "strikethrough": True}
                        },
                    },
                },
            }
        },
        {
            "addConditionalFormatRule": {
                "index": 1,
                "rule": {
                    "ranges": [rng],
                    "booleanRule": {
                        "condition": {
                            "type": "CUSTOM_FORMULA",
                            "values": [{"userEnteredValue": f"=LEN({flags})>0"}],
                        },
                        "format": {"backgroundColor": _FLAG_TINT},
                    },
                },
            }
        },
    ]


def tab_setup(sheet_id: int, tab: Tab, positions: dict[str, int], lang: Lang) -> list[Request]:
    """The one-time setup of a tab the daemon just created."""
    requests = [header_format(sheet_id, len(tab.columns))]
    if tab.key_column is None:
        return requests
    daemon_positions = [positions[c.key] for c in tab.columns if c.owner == "daemon"]
    requests.append(protect_daemon_columns(sheet_id, max(daemon_positions), lang))
    if "flags" in positions and "status" in positions:
        requests += flag_tint(
            sheet_id, positions["flags"], positions["status"], max(positions.values()), lang
        )
    return requests


def _utf16_index(text: str, index: int) -> int:
    """Sheets counts a run's startIndex in UTF-16 code units: an emoji in a file name shifts later runs."""
    return len(text[:index].encode("utf-16-le")) // 2


def _runs(text: str, links: tuple[LinkRun, ...]) -> list[dict[str, Any]]:
    runs: list[dict[str, Any]] = []
    for link in links:
        runs.append({"startIndex": _utf16_index(text, link.start), "format": {"link": {"uri": link.uri}}})
        runs.append({"startIndex": _utf16_index(text, link.end), "format": {}})
    return runs


def _rich_cell(value: RichText | None) -> dict[str, Any]:
    cell: dict[str, Any] = {}
    if value is not None and value.text:
        cell["userEnteredValue"] = {"stringValue": value.text}
        whole = len(value.links) == 1 and (value.links[0].start, value.links[0].end) == (0, len(value.text))
        if whole:
            cell["userEnteredFormat"] = {"textFormat": {"link": {"uri": value.links[0].uri}}}
        else:
            # A run may not start at the very end of the text: drop a closing run there.
            length = _utf16_index(value.text, len(value.text))
            runs = [r for r in _runs(value.text, value.links) if r["startIndex"] < length]
            if runs:
                cell["textFormatRuns"] = runs
    return cell


def rich_cells(sheet_id: int, row: int, col: int, values: list[RichText | None]) -> Request:
    """Evidence cells down one column from ``row``: the text as a literal stringValue, the links as
    text-format links, never a formula. One link over the whole text is the cell's own link format; several
    are text-format runs, one per label."""
    return {
        "updateCells": {
            "rows": [{"values": [_rich_cell(v)]} for v in values],
            "fields": "userEnteredValue,userEnteredFormat.textFormat.link,textFormatRuns",
            "start": {"sheetId": sheet_id, "rowIndex": row, "columnIndex": col},
        }
    }
