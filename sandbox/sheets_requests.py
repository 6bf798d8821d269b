"""spreadsheets.batchUpdate: the Request kinds a dashboard (and a person editing it) sends, in order.

The caller hands in a copy of the spreadsheet; any refused request raises ApiError naming
``requests[i]`` and the copy is dropped, so a batch is all-or-nothing as Google's is. Kinds not listed
in ``HANDLERS`` are refused with 400 rather than silently accepted.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from sandbox import sheets_guards
from sandbox.a1 import from_grid_range
from sandbox.core import ApiError
from sandbox.sheets_dimensions import delete_dimension, insert_dimension, move_dimension, sort_range
from sandbox.sheets_fields import apply_fields, field_paths
from sandbox.sheets_metadata import METADATA_HANDLERS
from sandbox.sheets_model import (
    Sheet,
    Spreadsheet,
    add_sheet,
    check_in_grid,
    closed_bounds,
    get_cell,
    next_object_id,
    put_cell,
    recalculate,
    reindex,
    sheet_by_id,
)

Reply = dict[str, Any]
CELL_FIELDS = ("userEnteredValue", "userEnteredFormat", "note", "dataValidation", "textFormatRuns")


def _grid(
    spreadsheet: Spreadsheet, grid: dict[str, Any], where: str, *, writes: bool = False
) -> tuple[Sheet, tuple[int, int, int, int]]:
    """The sheet and bounds of a GridRange; ``writes`` refuses it where a protection forbids the caller."""
    sheet = sheet_by_id(spreadsheet, grid.get("sheetId", 0), where)
    bounds = closed_bounds(sheet, from_grid_range(grid))
    try:
        check_in_grid(sheet, *bounds)
    except ApiError as exc:
        raise ApiError(400, where + exc.message) from None
    if writes:
        sheets_guards.check(sheet, bounds, where)
    return sheet, bounds


def _update_cell(
    sheet: Sheet, r: int, c: int, data: dict[str, Any], fields: str | None, *, where: str = ""
) -> None:
    sheets_guards.check_cell_data(data, where)
    cell = copy.deepcopy(get_cell(sheet, r, c) or {})
    apply_fields(cell, data, fields, CELL_FIELDS)
    if "dataValidation" in cell and not cell["dataValidation"]:
        cell.pop("dataValidation")
    put_cell(sheet, r, c, cell)


def add_sheet_request(ss: Spreadsheet, req: dict[str, Any], where: str) -> Reply:
    props = dict(req.get("properties") or {})
    title = props.get("title") or f"Sheet{len(ss['sheets']) + 1}"
    try:
        sheet = add_sheet(ss, title, props)
    except ApiError as exc:
        raise ApiError(400, where + exc.message) from None
    return {"addSheet": {"properties": sheet["properties"]}}


def delete_sheet(ss: Spreadsheet, req: dict[str, Any], where: str) -> Reply:
    sheet = sheet_by_id(ss, req.get("sheetId"), where)
    if len(ss["sheets"]) == 1:
        raise ApiError(400, where + "You can't remove all the sheets in a document.")
    ss["sheets"].remove(sheet)
    sheet_id = sheet["properties"]["sheetId"]
    ss["developerMetadata"] = [
        m
        for m in ss.get("developerMetadata", [])
        if m["location"].get("sheetId", m["location"].get("dimensionRange", {}).get("sheetId")) != sheet_id
    ]
    reindex(ss)
    return {}


def update_sheet_properties(ss: Spreadsheet, req: dict[str, Any], where: str) -> Reply:
    props = req.get("properties") or {}
    sheet = sheet_by_id(ss, props.get("sheetId", 0), where)
    current = sheet["properties"]
    new_title = props.get("title")
    if new_title and "title" in field_paths(req.get("fields", "")):
        for other in ss["sheets"]:
            if other is not sheet and other["properties"]["title"].lower() == new_title.lower():
                raise ApiError(400, f'{where}A sheet with the name "{new_title}" already exists.')
    old_index = current["index"]
    apply_fields(
        current, props, req.get("fields"), ("title", "index", "gridProperties", "hidden", "tabColor")
    )
    current["sheetId"] = sheet["properties"]["sheetId"]
    grid = current.setdefault("gridProperties", {})
    grid.setdefault("rowCount", 1000)
    grid.setdefault("columnCount", 26)
    if current.get("index", old_index) != old_index:
        ss["sheets"].remove(sheet)
        ss["sheets"].insert(max(0, min(int(current["index"]), len(ss["sheets"]))), sheet)
    reindex(ss)
    return {}


def update_spreadsheet_properties(ss: Spreadsheet, req: dict[str, Any], where: str) -> Reply:
    apply_fields(
        ss["properties"], req.get("properties") or {}, req.get("fields"), ("title", "locale", "timeZone")
    )
    return {}


def repeat_cell(ss: Spreadsheet, req: dict[str, Any], where: str) -> Reply:
    sheet, (r0, r1, c0, c1) = _grid(ss, req.get("range") or {}, where, writes=True)
    sheets_guards.check_cell_data(req.get("cell") or {}, where)
    for r in range(r0, r1):
        for c in range(c0, c1):
            _update_cell(sheet, r, c, req.get("cell") or {}, req.get("fields"))
    return {}


def update_cells(ss: Spreadsheet, req: dict[str, Any], where: str) -> Reply:
    rows = req.get("rows") or []
    if "start" in req:
        start = req["start"]
        grid = {
            "sheetId": start.get("sheetId", 0),
            "startRowIndex": start.get("rowIndex", 0),
            "endRowIndex": start.get("rowIndex", 0) + max(len(rows), 1),
            "startColumnIndex": start.get("columnIndex", 0),
            "endColumnIndex": start.get("columnIndex", 0)
            + max((len(r.get("values", [])) for r in rows), default=1),
        }
    else:
        grid = req.get("range") or {}
    sheet, (r0, r1, c0, c1) = _grid(ss, grid, where, writes=True)
    for dr, row in enumerate(rows):
        for dc, data in enumerate(row.get("values", [])):
            if r0 + dr < r1 and c0 + dc < c1:
                _update_cell(sheet, r0 + dr, c0 + dc, data, req.get("fields"), where=where)
    return {}


def set_data_validation(ss: Spreadsheet, req: dict[str, Any], where: str) -> Reply:
    sheet, (r0, r1, c0, c1) = _grid(ss, req.get("range") or {}, where, writes=True)
    rule = req.get("rule")
    if rule and rule.get("condition", {}).get("type") == "ONE_OF_LIST":
        for value in rule["condition"].get("values", []):
            if str(value.get("userEnteredValue", "")).startswith("="):
                raise ApiError(400, where + "Formulas are not supported in ONE_OF_LIST conditions.")
    for r in range(r0, r1):
        for c in range(c0, c1):
            _update_cell(sheet, r, c, {"dataValidation": rule} if rule else {}, "dataValidation")
    return {}


def add_conditional_format_rule(ss: Spreadsheet, req: dict[str, Any], where: str) -> Reply:
    rule = copy.deepcopy(req.get("rule") or {})
    ranges = rule.get("ranges") or []
    if not ranges:
        raise ApiError(400, where + "At least one range is required.")
    for grid in ranges:
        _grid(ss, grid, where)
    sheet = sheet_by_id(ss, ranges[0].get("sheetId", 0), where)
    rules = sheet.setdefault("conditionalFormats", [])
    rules.insert(max(0, min(int(req.get("index", 0)), len(rules))), rule)
    return {}


def delete_conditional_format_rule(ss: Spreadsheet, req: dict[str, Any], where: str) -> Reply:
    sheet = sheet_by_id(ss, req.get("sheetId", 0), where)
    rules = sheet.get("conditionalFormats", [])
    index = int(req.get("index", 0))
    if not 0 <= index < len(rules):
        raise ApiError(
            400, f"{where}No conditional format on sheet: {req.get('sheetId', 0)} at index: {index}"
        )
    return {"deleteConditionalFormatRule": {"rule": rules.pop(index)}}


def _dimension_range(ss: Spreadsheet, rng: dict[str, Any], where: str) -> tuple[Sheet, str, int, int]:
    sheet = sheet_by_id(ss, rng.get("sheetId", 0), where)
    dimension = rng.get("dimension")
    if dimension not in ("ROWS", "COLUMNS"):
        raise ApiError(400, where + "dimension must be ROWS or COLUMNS.")
    return sheet, dimension, int(rng.get("startIndex", 0)), int(rng.get("endIndex", 0))


def update_dimension_properties(ss: Spreadsheet, req: dict[str, Any], where: str) -> Reply:
    sheet, dimension, start, end = _dimension_range(ss, req.get("range") or {}, where)
    key = "rowMetadata" if dimension == "ROWS" else "columnMetadata"
    store = sheet.setdefault(key, {})
    for i in range(start, end):
        meta = store.setdefault(str(i), {})
        apply_fields(meta, req.get("properties") or {}, req.get("fields"), ("pixelSize", "hiddenByUser"))
    return {}


def auto_resize(ss: Spreadsheet, req: dict[str, Any], where: str) -> Reply:
    # The sandbox has no fonts to measure with: the call is checked and answered, sizes stay.
    _dimension_range(ss, req.get("dimensions") or {}, where)
    return {}


def append_dimension(ss: Spreadsheet, req: dict[str, Any], where: str) -> Reply:
    sheet = sheet_by_id(ss, req.get("sheetId", 0), where)
    key = "rowCount" if req.get("dimension") == "ROWS" else "columnCount"
    sheet["properties"]["gridProperties"][key] += int(req.get("length", 0))
    return {}


def insert_dimension_request(ss: Spreadsheet, req: dict[str, Any], where: str) -> Reply:
    sheet, dimension, start, end = _dimension_range(ss, req.get("range") or {}, where)
    try:
        insert_dimension(ss, sheet, dimension, start, end)
    except ApiError as exc:
        raise ApiError(400, where + exc.message) from None
    return {}


def delete_dimension_request(ss: Spreadsheet, req: dict[str, Any], where: str) -> Reply:
    sheet, dimension, start, end = _dimension_range(ss, req.get("range") or {}, where)
    rows, cols = (
        sheet["properties"]["gridProperties"]["rowCount"],
        sheet["properties"]["gridProperties"]["columnCount"],
    )
    box = (start, end, 0, int(cols)) if dimension == "ROWS" else (0, int(rows), start, end)
    sheets_guards.check(sheet, box, where)
    delete_dimension(ss, sheet, dimension, start, end, where=where)
    return {}


def move_dimension_request(ss: Spreadsheet, req: dict[str, Any], where: str) -> Reply:
    sheet, dimension, start, end = _dimension_range(ss, req.get("source") or {}, where)
    move_dimension(
        ss, sheet, dimension, start, end, destination=int(req.get("destinationIndex", 0)), where=where
    )
    return {}


def sort_range_request(ss: Spreadsheet, req: dict[str, Any], where: str) -> Reply:
    sheet, bounds = _grid(ss, req.get("range") or {}, where, writes=True)
    sort_range(ss, sheet, bounds, req.get("sortSpecs") or [])
    return {}


def update_borders(ss: Spreadsheet, req: dict[str, Any], where: str) -> Reply:
    sheet, (r0, r1, c0, c1) = _grid(ss, req.get("range") or {}, where, writes=True)
    for r in range(r0, r1):
        for c in range(c0, c1):
            sides = {
                "top": req.get("top" if r == r0 else "innerHorizontal"),
                "bottom": req.get("bottom" if r == r1 - 1 else "innerHorizontal"),
                "left": req.get("left" if c == c0 else "innerVertical"),
                "right": req.get("right" if c == c1 - 1 else "innerVertical"),
            }
            chosen = {k: v for k, v in sides.items() if v}
            if chosen:
                cell = copy.deepcopy(get_cell(sheet, r, c) or {})
                cell.setdefault("userEnteredFormat", {}).setdefault("borders", {}).update(chosen)
                put_cell(sheet, r, c, cell)
    return {}


def add_filter_view(ss: Spreadsheet, req: dict[str, Any], where: str) -> Reply:
    view = copy.deepcopy(req.get("filter") or {})
    sheet, _ = _grid(ss, view.get("range") or {}, where)
    view["filterViewId"] = view.get("filterViewId") or next_object_id(ss)
    sheet.setdefault("filterViews", []).append(view)
    return {"addFilterView": {"filter": view}}


def set_basic_filter(ss: Spreadsheet, req: dict[str, Any], where: str) -> Reply:
    flt = copy.deepcopy(req.get("filter") or {})
    sheet, _ = _grid(ss, flt.get("range") or {}, where)
    sheet["basicFilter"] = flt
    return {}


def clear_basic_filter(ss: Spreadsheet, req: dict[str, Any], where: str) -> Reply:
    sheet_by_id(ss, req.get("sheetId", 0), where).pop("basicFilter", None)
    return {}


def add_chart(ss: Spreadsheet, req: dict[str, Any], where: str) -> Reply:
    chart = copy.deepcopy(req.get("chart") or {})
    chart["chartId"] = chart.get("chartId") or next_object_id(ss)
    position = chart.get("position") or {}
    anchor = position.get("overlayPosition", {}).get("anchorCell", {})
    sheet_id = anchor.get("sheetId", position.get("sheetId", ss["sheets"][0]["properties"]["sheetId"]))
    sheet_by_id(ss, sheet_id, where).setdefault("charts", []).append(chart)
    return {"addChart": {"chart": chart}}


def merge_cells(ss: Spreadsheet, req: dict[str, Any], where: str) -> Reply:
    grid = copy.deepcopy(req.get("range") or {})
    sheet, _ = _grid(ss, grid, where, writes=True)
    sheet.setdefault("merges", []).append(grid)
    return {}


def add_named_range(ss: Spreadsheet, req: dict[str, Any], where: str) -> Reply:
    named = copy.deepcopy(req.get("namedRange") or {})
    _grid(ss, named.get("range") or {}, where)
    named["namedRangeId"] = named.get("namedRangeId") or str(next_object_id(ss))
    ss.setdefault("namedRanges", []).append(named)
    return {"addNamedRange": {"namedRange": named}}


def append_cells(ss: Spreadsheet, req: dict[str, Any], where: str) -> Reply:
    sheet = sheet_by_id(ss, req.get("sheetId", 0), where)
    rows = req.get("rows") or []
    start = len(sheet["rows"])
    grid = sheet["properties"]["gridProperties"]
    grid["rowCount"] = max(grid["rowCount"], start + len(rows))
    width = max((len(row.get("values", [])) for row in rows), default=0)
    sheets_guards.check(sheet, (start, start + len(rows), 0, width), where)
    for dr, row in enumerate(rows):
        for dc, data in enumerate(row.get("values", [])):
            _update_cell(sheet, start + dr, dc, data, req.get("fields"), where=where)
    return {}


HANDLERS: dict[str, Callable[[Spreadsheet, dict[str, Any], str], Reply]] = {
    "addSheet": add_sheet_request,
    "deleteSheet": delete_sheet,
    "updateSheetProperties": update_sheet_properties,
    "updateSpreadsheetProperties": update_spreadsheet_properties,
    "repeatCell": repeat_cell,
    "updateCells": update_cells,
    "appendCells": append_cells,
    "setDataValidation": set_data_validation,
    "addConditionalFormatRule": add_conditional_format_rule,
    "deleteConditionalFormatRule": delete_conditional_format_rule,
    "addProtectedRange": sheets_guards.add_protected_range,
    "deleteProtectedRange": sheets_guards.delete_protected_range,
    "updateDimensionProperties": update_dimension_properties,
    "autoResizeDimensions": auto_resize,
    "appendDimension": append_dimension,
    "insertDimension": insert_dimension_request,
    "deleteDimension": delete_dimension_request,
    "moveDimension": move_dimension_request,
    "sortRange": sort_range_request,
    "updateBorders": update_borders,
    "addFilterView": add_filter_view,
    "setBasicFilter": set_basic_filter,
    "clearBasicFilter": clear_basic_filter,
    "addChart": add_chart,
    "mergeCells": merge_cells,
    "addNamedRange": add_named_range,
}


def apply_requests(ss: Spreadsheet, requests: list[dict[str, Any]]) -> list[Reply]:
    """Apply each Request in order to ``ss`` (a working copy); returns the replies array."""
    handlers = {**HANDLERS, **METADATA_HANDLERS}
    replies = []
    for i, request in enumerate(requests):
        kinds = [k for k in request if request[k] is not None]
        if len(kinds) != 1:
            raise ApiError(400, f"Invalid requests[{i}]: exactly one kind of request must be set.")
        kind = kinds[0]
        where = f"Invalid requests[{i}].{kind}: "
        handler = handlers.get(kind)
        if handler is None:
            raise ApiError(400, f"{where}this request kind is not implemented by the kpisync sandbox.")
        cells = sheets_guards.total_cells(ss)
        replies.append(handler(ss, request[kind], where))
        sheets_guards.check_cells(ss, cells, where)
    recalculate(ss)
    return replies
