"""What Sheets refuses a write for: a cell over 50,000 characters, a spreadsheet over 10,000,000 cells, and a
protected cell the caller may not edit. Each refusal is 400 INVALID_ARGUMENT with Google's message, prefixed
like every per-part error in a batch ("Invalid data[4]: ...", "Invalid requests[0].updateCells: ...").

Sizes:

- a cell: "Your input contains more than the maximum of 50000 characters in a single cell.", for a string or
  a formula, under RAW and USER_ENTERED alike, as people have pasted it from the API (e.g. the
  bellingcat/auto-archiver logs); the limit is on Google's "Files you can store in Google Drive" page
  (https://support.google.com/drive/answer/37603). Length is counted in UTF-16 code units, as Google's Java
  back end counts a string (a Thai letter is one, an emoji two);
- a spreadsheet: "This action would increase the number of cells in the workbook above the limit of
  10000000 cells.", counting every cell of every grid (rowCount x columnCount, empty or not) after the change,
  e.g. "Invalid requests[45].addSheet: This action would ..." from a batch. Only a change that raises the
  count past the limit is refused.

Protection: a hard protected range (``warningOnly`` false) refuses a write by anyone who is not one of its
``editors.users`` (the spreadsheet's owner can always edit); a warning-only one never refuses over the API,
where nobody can be asked to confirm. The refusal is "You are trying to edit a protected cell or object.
Please contact the spreadsheet owner to remove protection if you need to edit.", as clients have logged it
(gspread's ``APIError: [400]: You are trying to edit a protected cell or object``; "Invalid data[0]: You are
trying ..." from values.batchUpdate). Pages: ProtectedRange in
https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets/sheets#protectedrange and
https://developers.google.com/workspace/sheets/api/samples/ranges#protect_a_range. Who writes is set per call
with ``acting_as(caller, owner)``; outside it (the seed, in-process helpers) no protection applies. A hard
protection added without editors gets the caller and the owner as its editors, as protecting a range in the
Sheets UI does ("only you"); the API's page does not say, this is the choice made. A write inside a protected
range is allowed only where one unprotected range covers all of the write that falls in it.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from sandbox.a1 import from_grid_range
from sandbox.core import ApiError
from sandbox.sheets_model import (
    Sheet,
    Spreadsheet,
    check_in_grid,
    closed_bounds,
    next_object_id,
    sheet_by_id,
)

MAX_CELL_CHARS = 50_000
MAX_CELLS = 10_000_000
CELL_MESSAGE = f"Your input contains more than the maximum of {MAX_CELL_CHARS} characters in a single cell."
WORKBOOK_MESSAGE = (
    f"This action would increase the number of cells in the workbook above the limit of {MAX_CELLS} cells."
)
MESSAGE = (
    "You are trying to edit a protected cell or object. Please contact the spreadsheet owner to remove "
    "protection if you need to edit."
)
Box = tuple[int, int, int, int]  # start row, end row, start column, end column (ends exclusive)

_acting: ContextVar[tuple[str, str | None] | None] = ContextVar("sheets_acting", default=None)


# --- sizes ------------------------------------------------------------------------------------------------


def text_length(text: str) -> int:
    """Characters as Google counts them: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def check_text(value: Any, where: str = "") -> None:
    """Refuse a string (or formula) longer than a cell holds."""
    if isinstance(value, str) and len(value) * 2 > MAX_CELL_CHARS and text_length(value) > MAX_CELL_CHARS:
        raise ApiError(400, where + CELL_MESSAGE)


def check_cell_data(data: dict[str, Any], where: str) -> None:
    """Refuse a CellData whose userEnteredValue string or formula is too long."""
    entered = data.get("userEnteredValue") or {}
    if isinstance(entered, dict):
        check_text(entered.get("stringValue"), where)
        check_text(entered.get("formulaValue"), where)


def total_cells(spreadsheet: Spreadsheet) -> int:
    total = 0
    for sheet in spreadsheet["sheets"]:
        grid = sheet["properties"].get("gridProperties") or {}
        total += int(grid.get("rowCount", 0)) * int(grid.get("columnCount", 0))
    return total


def check_cells(spreadsheet: Spreadsheet, before: int, where: str = "") -> None:
    """Refuse a change that took the spreadsheet from ``before`` cells to more than the limit."""
    after = total_cells(spreadsheet)
    if after > MAX_CELLS and after > before:
        raise ApiError(400, where + WORKBOOK_MESSAGE)


# --- protection -------------------------------------------------------------------------------------------


@contextmanager
def acting_as(caller: str, owner: str | None) -> Iterator[None]:
    """Run writes on behalf of ``caller`` in a spreadsheet that ``owner`` owns."""
    token = _acting.set((caller, owner))
    try:
        yield
    finally:
        _acting.reset(token)


def _may_edit(item: dict[str, Any]) -> bool:
    acting = _acting.get()
    if acting is None or item.get("warningOnly"):
        return True
    caller, owner = acting
    return caller == owner or caller in (item.get("editors") or {}).get("users", [])


def _box(sheet: Sheet, grid: dict[str, Any]) -> Box:
    return closed_bounds(sheet, from_grid_range(grid))


def _overlap(a: Box, b: Box) -> Box | None:
    box = (max(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), min(a[3], b[3]))
    return box if box[0] < box[1] and box[2] < box[3] else None


def _inside(inner: Box, outer: Box) -> bool:
    return outer[0] <= inner[0] and inner[1] <= outer[1] and outer[2] <= inner[2] and inner[3] <= outer[3]


def check(sheet: Sheet, box: Box, where: str = "") -> None:
    """Refuse a write to ``box`` of ``sheet`` that touches a hard protection the caller may not edit."""
    if _acting.get() is None or box[0] >= box[1] or box[2] >= box[3]:
        return
    for item in sheet.get("protectedRanges", []):
        if _may_edit(item):
            continue
        hit = _overlap(box, _box(sheet, item.get("range") or {"sheetId": sheet["properties"]["sheetId"]}))
        if hit is None:
            continue
        if any(_inside(hit, _box(sheet, g)) for g in item.get("unprotectedRanges", [])):
            continue
        raise ApiError(400, where + MESSAGE)


def _grid(ss: Spreadsheet, grid: dict[str, Any], where: str) -> Sheet:
    sheet = sheet_by_id(ss, grid.get("sheetId", 0), where)
    try:
        check_in_grid(sheet, *_box(sheet, grid))
    except ApiError as exc:
        raise ApiError(400, where + exc.message) from None
    return sheet


def add_protected_range(ss: Spreadsheet, req: dict[str, Any], where: str) -> dict[str, Any]:
    item = copy.deepcopy(req.get("protectedRange") or {})
    grid = item.get("range") or {}
    sheet = _grid(ss, grid, where)
    item["range"] = grid
    item["protectedRangeId"] = item.get("protectedRangeId") or next_object_id(ss)
    if item.get("warningOnly") and item.get("editors"):
        # Google's wording, as gspread users met it (burnash/gspread issue 1437).
        raise ApiError(400, where + "ProtectedRange is warningOnly. Editors cannot be set on it.")
    acting = _acting.get()
    if not item.get("warningOnly") and not item.get("editors") and acting is not None:
        caller, owner = acting
        item["editors"] = {"users": [caller, *([owner] if owner and owner != caller else [])]}
    item.setdefault("requestingUserCanEdit", True)
    sheet.setdefault("protectedRanges", []).append(item)
    return {"addProtectedRange": {"protectedRange": item}}


def delete_protected_range(ss: Spreadsheet, req: dict[str, Any], where: str) -> dict[str, Any]:
    wanted = req.get("protectedRangeId")
    for sheet in ss["sheets"]:
        for item in sheet.get("protectedRanges", []):
            if item["protectedRangeId"] == wanted:
                if not _may_edit(item):
                    raise ApiError(400, where + MESSAGE)
                sheet["protectedRanges"].remove(item)
                return {}
    raise ApiError(400, f"{where}No protected range with id: {wanted}")
