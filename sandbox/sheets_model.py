"""The spreadsheet state the Sheets routes share: JSON documents shaped like Google's Spreadsheet resource.

A spreadsheet is ``{"spreadsheetId", "properties", "sheets": [...], "developerMetadata": [...],
"namedRanges": [...]}``; each sheet keeps Google's sheet fields plus ``"rows"``, a list of rows of
CellData dicts (or None for an empty cell), only as long as the data. Row and column sizes live in
``"rowMetadata"`` / ``"columnMetadata"`` keyed by index. Everything is plain JSON so the Store can
persist it.
"""

from __future__ import annotations

import zlib
from typing import Any

from sandbox import dates, formulas
from sandbox.a1 import A1Error, A1Range, Bounds, format_a1, parse_a1, parse_cells
from sandbox.core import ApiError

DEFAULT_ROWS = 1000
DEFAULT_COLUMNS = 26

Sheet = dict[str, Any]
Spreadsheet = dict[str, Any]


def new_sheet_properties(
    sheet_id: int, title: str, index: int, extra: dict[str, Any] | None = None
) -> dict[str, Any]:
    props: dict[str, Any] = {
        "sheetId": sheet_id,
        "title": title,
        "index": index,
        "sheetType": "GRID",
        "gridProperties": {"rowCount": DEFAULT_ROWS, "columnCount": DEFAULT_COLUMNS},
    }
    for key, value in (extra or {}).items():
        if key == "gridProperties":
            props["gridProperties"].update(value)
        elif key not in ("sheetId", "index"):
            props[key] = value
    return props


def new_spreadsheet(spreadsheet_id: str, title: str) -> Spreadsheet:
    return {
        "spreadsheetId": spreadsheet_id,
        "properties": {
            "title": title,
            "locale": "th_TH",
            "autoRecalc": "ON_CHANGE",
            "timeZone": "Asia/Bangkok",
            "defaultFormat": {
                "backgroundColor": {"red": 1, "green": 1, "blue": 1},
                "verticalAlignment": "BOTTOM",
                "wrapStrategy": "OVERFLOW_CELL",
                "textFormat": {"fontFamily": "arial,sans,sans-serif", "fontSize": 10},
            },
        },
        "sheets": [],
        "developerMetadata": [],
        "namedRanges": [],
        "spreadsheetUrl": f"https://docs.google.com/spreadsheets/d/{spreadsheet_id}/edit",
    }


def next_sheet_id(spreadsheet: Spreadsheet) -> int:
    """0 for the first sheet, then stable pseudo-random positive ids like Google's gids."""
    used = {s["properties"]["sheetId"] for s in spreadsheet["sheets"]}
    if 0 not in used:
        return 0
    n = len(used)
    while True:
        candidate = zlib.crc32(f"{spreadsheet['spreadsheetId']}:{n}".encode()) & 0x7FFFFFFF
        if candidate not in used and candidate:
            return candidate
        n += 1


def next_object_id(spreadsheet: Spreadsheet) -> int:
    """A fresh id for a protected range, filter view, chart or named range of this spreadsheet."""
    spreadsheet["nextObjectId"] = int(spreadsheet.get("nextObjectId", 1000)) + 1
    return int(spreadsheet["nextObjectId"])


def add_sheet(spreadsheet: Spreadsheet, title: str, properties: dict[str, Any] | None = None) -> Sheet:
    props = dict(properties or {})
    sheet_id = props.get("sheetId")
    if sheet_id is None:
        sheet_id = next_sheet_id(spreadsheet)
    elif any(s["properties"]["sheetId"] == sheet_id for s in spreadsheet["sheets"]):
        raise ApiError(400, f"A sheet with the id {sheet_id} already exists.")
    if any(s["properties"]["title"].lower() == title.lower() for s in spreadsheet["sheets"]):
        raise ApiError(400, f'A sheet with the name "{title}" already exists. Please enter another name.')
    index = props.get("index", len(spreadsheet["sheets"]))
    index = max(0, min(int(index), len(spreadsheet["sheets"])))
    sheet: Sheet = {"properties": new_sheet_properties(sheet_id, title, index, props), "rows": []}
    spreadsheet["sheets"].insert(index, sheet)
    reindex(spreadsheet)
    return sheet


def reindex(spreadsheet: Spreadsheet) -> None:
    for i, sheet in enumerate(spreadsheet["sheets"]):
        sheet["properties"]["index"] = i


def sheet_by_id(spreadsheet: Spreadsheet, sheet_id: Any, where: str = "") -> Sheet:
    found: list[Sheet] = [s for s in spreadsheet["sheets"] if s["properties"]["sheetId"] == sheet_id]
    if not found:
        raise ApiError(400, f"{where}No grid with id: {sheet_id}")
    return found[0]


def titles(spreadsheet: Spreadsheet) -> list[str]:
    return [s["properties"]["title"] for s in spreadsheet["sheets"]]


def grid_size(sheet: Sheet) -> tuple[int, int]:
    grid = sheet["properties"]["gridProperties"]
    return int(grid["rowCount"]), int(grid["columnCount"])


def resolve(spreadsheet: Spreadsheet, text: str) -> tuple[Sheet, A1Range]:
    """Resolve an A1 range to its sheet; refuse as Google does ("Unable to parse range: X")."""
    try:
        parsed = parse_a1(text, titles(spreadsheet))
    except A1Error:
        raise ApiError(400, f"Unable to parse range: {text}") from None
    if not spreadsheet["sheets"]:
        raise ApiError(400, f"Unable to parse range: {text}")
    sheet = spreadsheet["sheets"][0]
    if parsed.sheet_title is not None:
        sheet = next(s for s in spreadsheet["sheets"] if s["properties"]["title"] == parsed.sheet_title)
    return sheet, parsed


def closed_bounds(sheet: Sheet, bounds: Bounds) -> tuple[int, int, int, int]:
    rows, cols = grid_size(sheet)
    return (
        bounds.start_row or 0,
        rows if bounds.end_row is None else bounds.end_row,
        bounds.start_col or 0,
        cols if bounds.end_col is None else bounds.end_col,
    )


def check_in_grid(sheet: Sheet, start_row: int, end_row: int, start_col: int, end_col: int) -> None:
    rows, cols = grid_size(sheet)
    if end_row > rows or end_col > cols:
        title = sheet["properties"]["title"]
        shown = format_a1(title, start_row, end_row, start_col, end_col, always_quote=True)
        raise ApiError(400, f"Range ({shown}) exceeds grid limits. Max rows: {rows}, max columns: {cols}")


def get_cell(sheet: Sheet, row: int, col: int) -> dict[str, Any] | None:
    rows = sheet["rows"]
    if row >= len(rows) or col >= len(rows[row]):
        return None
    cell: dict[str, Any] | None = rows[row][col]
    return cell


def put_cell(sheet: Sheet, row: int, col: int, cell: dict[str, Any] | None) -> None:
    rows = sheet["rows"]
    if cell is None and (row >= len(rows) or col >= len(rows[row])):
        return
    while len(rows) <= row:
        rows.append([])
    line = rows[row]
    while len(line) <= col:
        line.append(None)
    line[col] = cell or None
    # Only the touched row and the tail can have become empty: trimming the whole sheet per cell made a
    # 300-row write quadratic.
    while line and not line[-1]:
        line.pop()
    while rows and not rows[-1]:
        rows.pop()


def trim(sheet: Sheet) -> None:
    rows = sheet["rows"]
    for line in rows:
        while line and not line[-1]:
            line.pop()
    while rows and not rows[-1]:
        rows.pop()


def set_value(
    sheet: Sheet, row: int, col: int, entered: dict[str, Any] | None, number_format: Any = None
) -> None:
    """Set a cell's userEnteredValue (None or an empty string clears it), keeping its format."""
    cell = dict(get_cell(sheet, row, col) or {})
    for key in ("userEnteredValue", "effectiveValue", "formattedValue", "hyperlink"):
        cell.pop(key, None)
    if entered is not None and entered != {"stringValue": ""}:
        cell["userEnteredValue"] = entered
        if number_format is not None:
            fmt = cell.setdefault("userEnteredFormat", {})
            fmt["numberFormat"] = number_format
    put_cell(sheet, row, col, cell)


def effective_scalar(cell: dict[str, Any] | None) -> formulas.Scalar:
    if not cell:
        return None
    value = cell.get("effectiveValue") or {}
    if "numberValue" in value:
        return float(value["numberValue"])
    if "boolValue" in value:
        return bool(value["boolValue"])
    if "stringValue" in value:
        return str(value["stringValue"])
    if "errorValue" in value:
        return str(cell.get("formattedValue", "#ERROR!"))
    return None


def recalculate(spreadsheet: Spreadsheet) -> None:
    """Refresh each cell's effectiveValue/formattedValue from its userEnteredValue (formulas read others)."""
    for sheet in spreadsheet["sheets"]:
        for line in sheet["rows"]:
            for cell in line:
                if cell and "formulaValue" not in cell.get("userEnteredValue", {}):
                    _settle_plain(cell)
    for _ in range(3):  # formulas may read formulas: a few passes settle short chains
        for sheet in spreadsheet["sheets"]:
            for line in sheet["rows"]:
                for cell in line:
                    if cell and "formulaValue" in cell.get("userEnteredValue", {}):
                        _settle_formula(spreadsheet, sheet, cell)


def _number_format(cell: dict[str, Any]) -> dict[str, Any] | None:
    fmt: dict[str, Any] | None = cell.get("userEnteredFormat", {}).get("numberFormat")
    return fmt


def _settle_plain(cell: dict[str, Any]) -> None:
    entered = cell.get("userEnteredValue")
    cell.pop("effectiveValue", None)
    cell.pop("formattedValue", None)
    if not entered:
        return
    cell["effectiveValue"] = dict(entered)
    if "numberValue" in entered:
        cell["formattedValue"] = formulas.format_number(float(entered["numberValue"]), _number_format(cell))
    elif "boolValue" in entered:
        cell["formattedValue"] = "TRUE" if entered["boolValue"] else "FALSE"
    else:
        cell["formattedValue"] = str(entered.get("stringValue", ""))
    link = cell.get("userEnteredFormat", {}).get("textFormat", {}).get("link", {}).get("uri")
    if link:
        cell["hyperlink"] = link
    else:
        cell.pop("hyperlink", None)


def _settle_formula(spreadsheet: Spreadsheet, home: Sheet, cell: dict[str, Any]) -> None:
    def resolver(title: str | None, cells: str) -> list[list[formulas.Scalar]]:
        sheet = home
        if title is not None:
            found = [s for s in spreadsheet["sheets"] if s["properties"]["title"] == title]
            if not found:
                raise LookupError(title)
            sheet = found[0]
        try:
            bounds = parse_cells(cells)
        except A1Error:
            raise LookupError(cells) from None
        r0, r1, c0, c1 = closed_bounds(sheet, bounds)
        r1 = min(r1, len(sheet["rows"]))
        return [[effective_scalar(get_cell(sheet, r, c)) for c in range(c0, c1)] for r in range(r0, r1)]

    result = formulas.evaluate(cell["userEnteredValue"]["formulaValue"], resolver, _number_format(cell))
    cell["effectiveValue"] = result.effective
    cell["formattedValue"] = result.formatted
    if result.hyperlink:
        cell["hyperlink"] = result.hyperlink
    else:
        cell.pop("hyperlink", None)


def render(cell: dict[str, Any] | None, option: str, dates_as_text: bool = False) -> Any:
    """One cell as values.get returns it under valueRenderOption; a date-formatted number answers its
    formatted text when ``dates_as_text`` (dateTimeRenderOption FORMATTED_STRING)."""
    if not cell or "userEnteredValue" not in cell:
        return ""
    entered = cell["userEnteredValue"]
    if option == "FORMULA" and "formulaValue" in entered:
        return entered["formulaValue"]
    if dates_as_text and (_number_format(cell) or {}).get("type") in dates.DATE_TYPES:
        return cell.get("formattedValue", "")
    if option in ("UNFORMATTED_VALUE", "FORMULA"):
        value = cell.get("effectiveValue", {})
        if "numberValue" in value:
            number = float(value["numberValue"])
            return int(number) if number.is_integer() and abs(number) < 2**53 else number
        if "boolValue" in value:
            return bool(value["boolValue"])
        if "stringValue" in value:
            return value["stringValue"]
        return cell.get("formattedValue", "")
    return cell.get("formattedValue", "")


def sheet_for_output(spreadsheet: Spreadsheet, sheet: Sheet) -> dict[str, Any]:
    """A sheet as Google returns it, without the internal row store."""
    out: dict[str, Any] = {"properties": sheet["properties"]}
    for key in ("merges", "conditionalFormats", "protectedRanges", "basicFilter", "filterViews", "charts"):
        if sheet.get(key):
            out[key] = sheet[key]
    sheet_id = sheet["properties"]["sheetId"]
    own = [
        m
        for m in spreadsheet.get("developerMetadata", [])
        if m["location"].get("locationType") == "SHEET" and m["location"].get("sheetId") == sheet_id
    ]
    if own:
        out["developerMetadata"] = own
    return out


def grid_data(spreadsheet: Spreadsheet, sheet: Sheet, bounds: Bounds | None) -> dict[str, Any]:
    """GridData for a range (or the used part of the sheet), with row/column metadata."""
    if bounds is None:
        used_cols = max((len(r) for r in sheet["rows"]), default=0)
        r0, r1, c0, c1 = 0, len(sheet["rows"]), 0, used_cols
    else:
        r0, r1, c0, c1 = closed_bounds(sheet, bounds)
        r1 = min(r1, len(sheet["rows"]))
    data: dict[str, Any] = {}
    if r0:
        data["startRow"] = r0
    if c0:
        data["startColumn"] = c0
    row_data = []
    for r in range(r0, r1):
        values = [get_cell(sheet, r, c) or {} for c in range(c0, c1)]
        while values and not values[-1]:
            values.pop()
        row_data.append({"values": values} if values else {})
    if row_data:
        data["rowData"] = row_data
    data["rowMetadata"] = _dimension_meta(spreadsheet, sheet, "ROWS", r0, max(r1, r0))
    data["columnMetadata"] = _dimension_meta(spreadsheet, sheet, "COLUMNS", c0, max(c1, c0))
    return data


def _dimension_meta(
    spreadsheet: Spreadsheet, sheet: Sheet, dimension: str, start: int, end: int
) -> list[Any]:
    store = sheet.get("rowMetadata" if dimension == "ROWS" else "columnMetadata", {})
    default = {"pixelSize": 21} if dimension == "ROWS" else {"pixelSize": 100}
    sheet_id = sheet["properties"]["sheetId"]
    out = []
    for i in range(start, end):
        meta: dict[str, Any] = dict(default)
        meta.update(store.get(str(i), {}))
        tags = [
            m
            for m in spreadsheet.get("developerMetadata", [])
            if (rng := m["location"].get("dimensionRange"))
            and rng.get("sheetId") == sheet_id
            and rng.get("dimension") == dimension
            and rng.get("startIndex") == i
        ]
        if tags:
            meta["developerMetadata"] = tags
        out.append(meta)
    return out
