"""spreadsheets.values: get, batchGet, update, batchUpdate, append, clear, batchClear, as Google answers.

Every function takes the spreadsheet document (already copied by the caller for writes, so a refused
batch leaves nothing half-written) and returns the JSON reply.
"""

from __future__ import annotations

from typing import Any

from sandbox import formulas, sheets_guards
from sandbox.a1 import Bounds, column_letters, format_a1
from sandbox.core import ApiError
from sandbox.sheets_dimensions import insert_dimension
from sandbox.sheets_model import (
    Sheet,
    Spreadsheet,
    check_in_grid,
    closed_bounds,
    get_cell,
    grid_size,
    recalculate,
    render,
    resolve,
    set_value,
)

RENDER_OPTIONS = ("FORMATTED_VALUE", "UNFORMATTED_VALUE", "FORMULA")
DATE_OPTIONS = ("SERIAL_NUMBER", "FORMATTED_STRING")
INPUT_OPTIONS = ("RAW", "USER_ENTERED")


def _title(sheet: Sheet) -> str:
    return str(sheet["properties"]["title"])


def _dimension(value: str | None) -> str:
    dimension = value or "ROWS"
    if dimension == "DIMENSION_UNSPECIFIED":
        dimension = "ROWS"
    if dimension not in ("ROWS", "COLUMNS"):
        raise ApiError(400, f"Invalid majorDimension: {dimension}")
    return dimension


def read_range(
    spreadsheet: Spreadsheet,
    text: str,
    render_option: str | None,
    major: str | None,
    date_option: str | None = None,
) -> dict[str, Any]:
    """One ValueRange: the range clamped to the grid, trailing empty rows and columns left out. Dates answer
    their serial number unless ``date_option`` is FORMATTED_STRING (ignored under FORMATTED_VALUE)."""
    option = render_option or "FORMATTED_VALUE"
    if option not in RENDER_OPTIONS:
        raise ApiError(400, f"Invalid valueRenderOption: {option}")
    dates_as_text = (date_option or "SERIAL_NUMBER") == "FORMATTED_STRING"
    dimension = _dimension(major)
    sheet, parsed = resolve(spreadsheet, text)
    r0, r1, c0, c1 = closed_bounds(sheet, parsed.bounds)
    check_in_grid(sheet, r0, r1, c0, c1)
    grid: list[list[Any]] = []
    for r in range(r0, min(r1, len(sheet["rows"]))):
        line = [
            render(get_cell(sheet, r, c), option, dates_as_text)
            for c in range(c0, min(c1, len(sheet["rows"][r])))
        ]
        while line and line[-1] == "":
            line.pop()
        grid.append(line)
    while grid and not grid[-1]:
        grid.pop()
    if dimension == "COLUMNS":
        width = max((len(line) for line in grid), default=0)
        grid = [[line[c] if c < len(line) else "" for line in grid] for c in range(width)]
        for line in grid:
            while line and line[-1] == "":
                line.pop()
    shown_r1, shown_c1 = r1, c1
    reply: dict[str, Any] = {
        "range": format_a1(_title(sheet), r0, shown_r1, c0, shown_c1),
        "majorDimension": dimension,
    }
    if grid:
        reply["values"] = grid
    return reply


def batch_get(
    spreadsheet: Spreadsheet,
    ranges: list[str],
    render_option: str | None,
    major: str | None,
    date_option: str | None = None,
) -> Any:
    return {
        "spreadsheetId": spreadsheet["spreadsheetId"],
        "valueRanges": [read_range(spreadsheet, r, render_option, major, date_option) for r in ranges],
    }


def _input_option(value: Any) -> str:
    if value in (None, "", "INPUT_VALUE_OPTION_UNSPECIFIED"):
        raise ApiError(400, f"Invalid valueInputOption: {value or 'INPUT_VALUE_OPTION_UNSPECIFIED'}")
    if value not in INPUT_OPTIONS:
        raise ApiError(400, f"Invalid valueInputOption: {value}")
    return str(value)


def _as_rows(values: list[Any], dimension: str) -> list[list[Any]]:
    rows = [list(line) if isinstance(line, list) else [line] for line in values]
    if dimension == "COLUMNS":
        height = max((len(col) for col in rows), default=0)
        rows = [[col[r] if r < len(col) else None for col in rows] for r in range(height)]
    return rows


def write_range(
    spreadsheet: Spreadsheet,
    text: str,
    body: dict[str, Any],
    input_option: str,
    *,
    anchor: tuple[Sheet, int, int] | None = None,
    recalc: bool = True,
    where: str = "",
) -> dict[str, Any]:
    """Write one ValueRange; data may not spill past a multi-cell range, and never past the grid, nor into a
    protected range or past 50,000 characters a cell (``where`` prefixes those refusals in a batch).
    ``recalc=False`` leaves the recalculation to a caller writing several ranges."""
    values = body.get("values") or []
    rows = _as_rows(values, _dimension(body.get("majorDimension")))
    if anchor is None:
        sheet, parsed = resolve(spreadsheet, text)
        bounds = parsed.bounds
        r0, c0 = bounds.start_row or 0, bounds.start_col or 0
        if not bounds.is_single_cell and not parsed.whole_sheet:
            _check_fits(sheet, text, bounds, rows)
    else:
        sheet, r0, c0 = anchor
    height = len(rows)
    width = max((len(line) for line in rows), default=0)
    if height and width:
        check_in_grid(sheet, r0, r0 + height, c0, c0 + width)
        sheets_guards.check(sheet, (r0, r0 + height, c0, c0 + width), where)
    locale = str(spreadsheet["properties"].get("locale") or "en_US")
    cells = 0
    for dr, line in enumerate(rows):
        for dc, value in enumerate(line):
            if value is None:
                continue
            if isinstance(value, dict | list):
                raise ApiError(400, f"Invalid values[{dr}][{dc}]: {type(value).__name__}_value")
            sheets_guards.check_text(value, where)
            if input_option == "RAW" or (
                isinstance(value, str) and _plain_text(get_cell(sheet, r0 + dr, c0 + dc))
            ):
                # A cell formatted as plain text (Format > Number > Plain text, numberFormat TEXT) takes what
                # is typed as text, dates and "=" included, as the UI does for USER_ENTERED's "as if typed".
                entered, number_format = formulas.raw_value(value), None
            else:
                entered, number_format = formulas.user_entered_value(value, locale)
            set_value(sheet, r0 + dr, c0 + dc, entered, number_format)
            cells += 1
    if recalc:
        recalculate(spreadsheet)
    reply: dict[str, Any] = {"spreadsheetId": spreadsheet["spreadsheetId"]}
    if height and width:
        reply["updatedRange"] = format_a1(_title(sheet), r0, r0 + height, c0, c0 + width)
        reply["updatedRows"] = sum(1 for line in rows if any(v is not None for v in line))
        reply["updatedColumns"] = sum(
            1 for c in range(width) if any(c < len(line) and line[c] is not None for line in rows)
        )
        reply["updatedCells"] = cells
    return reply


def _plain_text(cell: dict[str, Any] | None) -> bool:
    number_format = ((cell or {}).get("userEnteredFormat") or {}).get("numberFormat") or {}
    return number_format.get("type") == "TEXT"


def _check_fits(sheet: Sheet, text: str, bounds: Bounds, rows: list[list[Any]]) -> None:
    r0, r1, c0, c1 = closed_bounds(sheet, bounds)
    shown = format_a1(_title(sheet), r0, r1, c0, c1, always_quote=True)
    if len(rows) > r1 - r0:
        raise ApiError(
            400, f"Requested writing within range [{shown}], but tried writing to row [{r0 + len(rows)}]"
        )
    width = max((len(line) for line in rows), default=0)
    if width > c1 - c0:
        raise ApiError(
            400,
            f"Requested writing within range [{shown}], but tried writing to column "
            f"[{column_letters(c0 + width - 1)}]",
        )


def update(
    spreadsheet: Spreadsheet, text: str, params: dict[str, Any], body: dict[str, Any]
) -> dict[str, Any]:
    option = _input_option(params.get("valueInputOption"))
    if body.get("range") and body["range"] != text:
        sheet_a, a = resolve(spreadsheet, text)
        sheet_b, b = resolve(spreadsheet, body["range"])
        if sheet_a is not sheet_b or a.bounds != b.bounds:
            raise ApiError(
                400,
                f"Requested writing within range [{text}], but the request body has a range of "
                f"[{body['range']}]",
            )
    reply = write_range(spreadsheet, text, body, option)
    _include_values(spreadsheet, reply, params)
    return reply


def _include_values(spreadsheet: Spreadsheet, reply: dict[str, Any], params: dict[str, Any]) -> None:
    if str(params.get("includeValuesInResponse", "")).lower() == "true" and "updatedRange" in reply:
        option = params.get("responseValueRenderOption")
        date_option = params.get("responseDateTimeRenderOption")
        reply["updatedData"] = read_range(spreadsheet, reply["updatedRange"], option, None, date_option)


def batch_update(spreadsheet: Spreadsheet, body: dict[str, Any]) -> dict[str, Any]:
    option = _input_option(body.get("valueInputOption"))
    responses = []
    for index, item in enumerate(body.get("data") or []):
        if not item.get("range"):
            raise ApiError(400, f"Invalid data[{index}]: Range is required")
        where = f"Invalid data[{index}]: "
        responses.append(write_range(spreadsheet, item["range"], item, option, recalc=False, where=where))
    # Once for the whole batch (a formula may read any range of it), before values are echoed back.
    recalculate(spreadsheet)
    for reply in responses:
        _include_values(spreadsheet, reply, body)
    sheets = {r["updatedRange"].rpartition("!")[0] for r in responses if "updatedRange" in r}
    return {
        "spreadsheetId": spreadsheet["spreadsheetId"],
        "totalUpdatedRows": sum(r.get("updatedRows", 0) for r in responses),
        "totalUpdatedColumns": sum(r.get("updatedColumns", 0) for r in responses),
        "totalUpdatedCells": sum(r.get("updatedCells", 0) for r in responses),
        "totalUpdatedSheets": len(sheets),
        "responses": responses,
    }


def _row_has_data(sheet: Sheet, row: int, c0: int, c1: int) -> bool:
    if row >= len(sheet["rows"]):
        return False
    # Only the cells the row holds (a row keeps no trailing empties): an append into a long table looks at
    # every row above it, so this runs once per row per append.
    return any(cell and cell.get("userEnteredValue") for cell in sheet["rows"][row][c0:c1])


def append(
    spreadsheet: Spreadsheet, text: str, params: dict[str, Any], body: dict[str, Any]
) -> dict[str, Any]:
    """Find the table (data rows from the range's first data row on) and write after it, growing the grid."""
    option = _input_option(params.get("valueInputOption"))
    insert_option = params.get("insertDataOption") or "OVERWRITE"
    if insert_option not in ("OVERWRITE", "INSERT_ROWS"):
        raise ApiError(400, f"Invalid insertDataOption: {insert_option}")
    sheet, parsed = resolve(spreadsheet, text)
    r0, r1, c0, c1 = closed_bounds(sheet, parsed.bounds)
    if parsed.bounds.is_single_cell or parsed.bounds.end_col is None:
        c1 = max(c1, grid_size(sheet)[1])
    first = next((r for r in range(r0, min(r1, len(sheet["rows"]))) if _row_has_data(sheet, r, c0, c1)), None)
    target = r0
    table_range = None
    if first is not None:
        last = first
        while _row_has_data(sheet, last + 1, c0, c1):
            last += 1
        target = last + 1
        width = max(
            (len(sheet["rows"][r]) for r in range(first, last + 1)),
            default=c0 + 1,
        )
        table_range = format_a1(_title(sheet), first, last + 1, c0, max(width, c0 + 1))
    rows = _as_rows(body.get("values") or [], _dimension(body.get("majorDimension")))
    height = len(rows)
    if height:
        cells = sheets_guards.total_cells(spreadsheet)
        if insert_option == "INSERT_ROWS":
            insert_dimension(spreadsheet, sheet, "ROWS", target, target + height)
        props = sheet["properties"]["gridProperties"]
        props["rowCount"] = max(int(props["rowCount"]), target + height)
        width = max((len(line) for line in rows), default=0)
        props["columnCount"] = max(int(props["columnCount"]), c0 + width)
        sheets_guards.check_cells(spreadsheet, cells)
    updates = write_range(spreadsheet, text, body, option, anchor=(sheet, target, c0))
    _include_values(spreadsheet, updates, params)
    reply: dict[str, Any] = {"spreadsheetId": spreadsheet["spreadsheetId"], "updates": updates}
    if table_range:
        reply["tableRange"] = table_range
    return reply


def clear(spreadsheet: Spreadsheet, text: str) -> str:
    """Clear values (formats stay); returns the cleared range as Google names it."""
    sheet, parsed = resolve(spreadsheet, text)
    r0, r1, c0, c1 = closed_bounds(sheet, parsed.bounds)
    check_in_grid(sheet, r0, r1, c0, c1)
    sheets_guards.check(sheet, (r0, r1, c0, c1))
    for r in range(r0, min(r1, len(sheet["rows"]))):
        for c in range(c0, min(c1, len(sheet["rows"][r]))):
            if get_cell(sheet, r, c):
                set_value(sheet, r, c, None)
    recalculate(spreadsheet)
    return format_a1(_title(sheet), r0, r1, c0, c1)
