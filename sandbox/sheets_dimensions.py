"""Rows and columns moving as a person moves them: insert, delete, move, sort, and what follows them.

Cells carry their own formats and data validation, so they move with the row or column. Ranges held
elsewhere (merges, conditional formats, protected ranges, filters, named ranges) and row/column
developer metadata are shifted like Google shifts them: an insert inside a range grows it, an insert at
its start pushes it, a deleted row or column takes its metadata with it. A sort reorders cell contents
only; row metadata stays on the row index (Google does not document this case; see sandbox/README.md).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from sandbox.core import ApiError
from sandbox.sheets_model import Sheet, Spreadsheet, effective_scalar, grid_size, recalculate, trim

# Maps an old start bound and an old end bound to new ones; None when the range vanished.
Shift = Callable[[int | None, int | None], tuple[int | None, int | None] | None]

_KEYS = {"ROWS": ("startRowIndex", "endRowIndex"), "COLUMNS": ("startColumnIndex", "endColumnIndex")}


def _shift_grid_range(grid: dict[str, Any], sheet_id: int, dimension: str, shift: Shift) -> bool:
    """Shift one GridRange in place; False when it no longer covers anything."""
    if grid.get("sheetId", 0) != sheet_id:
        return True
    start_key, end_key = _KEYS[dimension]
    moved = shift(grid.get(start_key), grid.get(end_key))
    if moved is None:
        return False
    for key, value in zip((start_key, end_key), moved, strict=True):
        if value is None:
            grid.pop(key, None)
        else:
            grid[key] = value
    return True


def _apply_shift(
    spreadsheet: Spreadsheet,
    sheet: Sheet,
    dimension: str,
    shift: Shift,
    index_map: Callable[[int], int | None],
) -> None:
    sheet_id = sheet["properties"]["sheetId"]

    def keep(grid: dict[str, Any]) -> bool:
        return _shift_grid_range(grid, sheet_id, dimension, shift)

    sheet["merges"] = [m for m in sheet.get("merges", []) if keep(m)]
    rules = []
    for rule in sheet.get("conditionalFormats", []):
        rule["ranges"] = [g for g in rule.get("ranges", []) if keep(g)]
        if rule["ranges"]:
            rules.append(rule)
    sheet["conditionalFormats"] = rules
    protected = []
    for item in sheet.get("protectedRanges", []):
        if "range" in item and not keep(item["range"]):
            continue
        item["unprotectedRanges"] = [g for g in item.get("unprotectedRanges", []) if keep(g)]
        if not item["unprotectedRanges"]:
            item.pop("unprotectedRanges")
        protected.append(item)
    sheet["protectedRanges"] = protected
    if sheet.get("basicFilter") and not keep(sheet["basicFilter"]["range"]):
        sheet.pop("basicFilter")
    sheet["filterViews"] = [v for v in sheet.get("filterViews", []) if keep(v["range"])]
    spreadsheet["namedRanges"] = [n for n in spreadsheet.get("namedRanges", []) if keep(n["range"])]
    tags = []
    for tag in spreadsheet.get("developerMetadata", []):
        rng = tag["location"].get("dimensionRange")
        if rng and rng.get("sheetId") == sheet_id and rng.get("dimension") == dimension:
            moved = shift(rng["startIndex"], rng["endIndex"])
            if moved is None:
                continue
            rng["startIndex"], rng["endIndex"] = moved
        tags.append(tag)
    spreadsheet["developerMetadata"] = tags
    meta_key = "rowMetadata" if dimension == "ROWS" else "columnMetadata"
    remapped: dict[str, Any] = {}
    for key, value in sheet.get(meta_key, {}).items():
        new = index_map(int(key))
        if new is not None:
            remapped[str(new)] = value
    sheet[meta_key] = remapped


def _check_range(sheet: Sheet, dimension: str, start: int, end: int, where: str) -> None:
    rows, cols = grid_size(sheet)
    limit = rows if dimension == "ROWS" else cols
    if start < 0 or end <= start:
        raise ApiError(400, f"{where}Invalid dimension range: start index {start}, end index {end}.")
    if end > limit:
        raise ApiError(400, f"{where}Cannot delete or move past the end of the grid (size {limit}).")


def _permute_cells(sheet: Sheet, dimension: str, order: list[int], size: int) -> None:
    """Rebuild the cell store so new index i holds what old index order[i] held (order covers 0..size)."""
    rows = sheet["rows"]
    if dimension == "ROWS":
        padded = rows + [[] for _ in range(max(0, size - len(rows)))]
        sheet["rows"] = [list(padded[old]) if old is not None else [] for old in order]
    else:
        new_rows = []
        for line in rows:
            padded = line + [None] * max(0, size - len(line))
            new_rows.append([padded[old] if old is not None else None for old in order])
        sheet["rows"] = new_rows
    trim(sheet)


def insert_dimension(spreadsheet: Spreadsheet, sheet: Sheet, dimension: str, start: int, end: int) -> None:
    count = end - start
    grid = sheet["properties"]["gridProperties"]
    size_key = "rowCount" if dimension == "ROWS" else "columnCount"
    size = int(grid[size_key])
    if start < 0 or count <= 0 or start > size:
        raise ApiError(400, f"Invalid dimension range: start index {start}, end index {end}.")

    def shift(a: int | None, b: int | None) -> tuple[int | None, int | None]:
        return (
            a + count if a is not None and a >= start else a,
            b + count if b is not None and b > start else b,
        )

    order: list[Any] = list(range(start)) + [None] * count + list(range(start, size))
    _permute_cells(sheet, dimension, order, size)
    _apply_shift(spreadsheet, sheet, dimension, shift, lambda i: i + count if i >= start else i)
    grid[size_key] = size + count
    recalculate(spreadsheet)


def delete_dimension(
    spreadsheet: Spreadsheet, sheet: Sheet, dimension: str, start: int, end: int, *, where: str = ""
) -> None:
    _check_range(sheet, dimension, start, end, where)
    count = end - start
    grid = sheet["properties"]["gridProperties"]
    size_key = "rowCount" if dimension == "ROWS" else "columnCount"
    size = int(grid[size_key])
    if count >= size and dimension == "ROWS":
        raise ApiError(400, f"{where}You can't delete all the rows on the sheet.")
    if count >= size:
        raise ApiError(400, f"{where}You can't delete all the columns on the sheet.")

    def bound(i: int) -> int:
        return i if i <= start else (start if i <= end else i - count)

    def shift(a: int | None, b: int | None) -> tuple[int | None, int | None] | None:
        new_a = None if a is None else bound(a)
        new_b = None if b is None else bound(b)
        if new_a is not None and new_b is not None and new_b <= new_a:
            return None
        return new_a, new_b

    order: list[Any] = list(range(start)) + list(range(end, size))
    _permute_cells(sheet, dimension, order, size)
    _apply_shift(
        spreadsheet,
        sheet,
        dimension,
        shift,
        lambda i: None if start <= i < end else (i if i < start else i - count),
    )
    grid[size_key] = size - count
    frozen_key = "frozenRowCount" if dimension == "ROWS" else "frozenColumnCount"
    if grid.get(frozen_key):
        grid[frozen_key] = bound(grid[frozen_key])
    recalculate(spreadsheet)


def move_dimension(
    spreadsheet: Spreadsheet,
    sheet: Sheet,
    dimension: str,
    start: int,
    end: int,
    *,
    destination: int,
    where: str = "",
) -> None:
    """Move [start, end) so it begins at ``destination`` counted before the move (Google's convention)."""
    _check_range(sheet, dimension, start, end, where)
    size = grid_size(sheet)[0 if dimension == "ROWS" else 1]
    if destination < 0 or destination > size:
        raise ApiError(400, f"{where}Invalid destinationIndex: {destination}")
    if start <= destination <= end:
        return
    count = end - start

    def new_index(i: int) -> int:
        if start <= i < end:
            return destination + (i - start) if destination < start else destination - count + (i - start)
        if destination < start and destination <= i < start:
            return i + count
        if destination > end and end <= i < destination:
            return i - count
        return i

    def shift(a: int | None, b: int | None) -> tuple[int | None, int | None] | None:
        if a is None or b is None:
            return a, b
        images = [new_index(i) for i in range(a, b)]
        return min(images), max(images) + 1

    order = [0] * size
    for old in range(size):
        order[new_index(old)] = old
    _permute_cells(sheet, dimension, list(order), size)
    _apply_shift(spreadsheet, sheet, dimension, shift, new_index)
    recalculate(spreadsheet)


def _sort_key(value: Any) -> tuple[int, Any]:
    # Numbers sort before text, text before booleans; empty cells go last in both orders, as in Sheets.
    if value is None or value == "":
        return (3, 0)
    if isinstance(value, bool):
        return (2, value)
    if isinstance(value, float):
        return (0, value)
    return (1, str(value).casefold())


def sort_range(
    spreadsheet: Spreadsheet, sheet: Sheet, bounds: tuple[int, int, int, int], specs: list[dict[str, Any]]
) -> None:
    r0, r1, c0, c1 = bounds
    r1 = min(r1, max(len(sheet["rows"]), r0))
    rows = sheet["rows"] + [[] for _ in range(max(0, r1 - len(sheet["rows"])))]
    block = []
    for r in range(r0, r1):
        line = rows[r] + [None] * max(0, c1 - len(rows[r]))
        block.append(line[c0:c1])

    def compare(x: list[Any], y: list[Any]) -> int:
        for spec in specs or [{"dimensionIndex": c0}]:
            col = int(spec.get("dimensionIndex", c0)) - c0
            descending = spec.get("sortOrder") == "DESCENDING"
            kx = _sort_key(effective_scalar(x[col]) if 0 <= col < len(x) else None)
            ky = _sort_key(effective_scalar(y[col]) if 0 <= col < len(y) else None)
            if kx == ky:
                continue
            if 3 in (kx[0], ky[0]):
                less = ky[0] == 3
            elif kx[0] != ky[0]:
                less = (kx[0] < ky[0]) != descending
            else:
                less = (kx[1] < ky[1]) != descending
            return -1 if less else 1
        return 0

    block.sort(key=functools.cmp_to_key(compare))
    for offset, line in enumerate(block):
        r = r0 + offset
        row = rows[r] + [None] * max(0, c1 - len(rows[r]))
        row[c0:c1] = line
        rows[r] = row
    sheet["rows"] = rows
    trim(sheet)
    recalculate(spreadsheet)
