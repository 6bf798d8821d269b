"""A1 notation as the Sheets API reads and writes it, and its conversion to and from GridRange.

Accepted shapes (case-insensitive, ``$`` anchors ignored): ``A1``, ``A1:C3``, ``A1:C`` (open rows),
``A:A``, ``1:3``, each optionally prefixed by a sheet title (``Sheet1!A1``, ``'ผลงาน ''ครู'''!A1``), and
a bare sheet title meaning the whole sheet. A range with no sheet title refers to the first sheet, as
Google's does.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

_PART = re.compile(r"^\$?([A-Za-z]{0,3})\$?([0-9]*)$")
_SIMPLE_TITLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_CELL_LIKE = re.compile(r"^[A-Za-z]{1,3}[0-9]+$")


class A1Error(ValueError):
    """The text is not a range Google would parse."""


@dataclass(frozen=True)
class Bounds:
    """Zero-based, end-exclusive bounds; ``None`` means open on that side (to the grid's edge)."""

    start_row: int | None = None
    end_row: int | None = None
    start_col: int | None = None
    end_col: int | None = None

    @property
    def is_single_cell(self) -> bool:
        return (
            self.start_row is not None
            and self.end_row == self.start_row + 1
            and self.start_col is not None
            and self.end_col == self.start_col + 1
        )


@dataclass(frozen=True)
class A1Range:
    sheet_title: str | None  # None: the first sheet
    bounds: Bounds
    whole_sheet: bool = False


def column_letters(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    if index < 0:
        raise ValueError(f"negative column index {index}")
    letters = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(ord("A") + rem) + letters
    return letters


def column_index(letters: str) -> int:
    """A → 0, Z → 25, AA → 26."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ord(ch) - ord("A") + 1)
    return n - 1


def quote_title(title: str) -> str:
    """Quote a sheet title as Google does in the ranges it returns (doubling apostrophes)."""
    if _SIMPLE_TITLE.match(title) and not _CELL_LIKE.match(title):
        return title
    return "'" + title.replace("'", "''") + "'"


def _split_sheet(text: str) -> tuple[str | None, str | None]:
    """Split ``'Title'!A1`` into (title, cells); cells is None when the text is only a title."""
    if text.startswith("'"):
        i = 1
        title_chars: list[str] = []
        while i < len(text):
            ch = text[i]
            if ch == "'":
                if i + 1 < len(text) and text[i + 1] == "'":
                    title_chars.append("'")
                    i += 2
                    continue
                break
            title_chars.append(ch)
            i += 1
        else:
            raise A1Error(text)
        rest = text[i + 1 :]
        if rest == "":
            return "".join(title_chars), None
        if not rest.startswith("!") or len(rest) == 1:
            raise A1Error(text)
        return "".join(title_chars), rest[1:]
    if "!" in text:
        title, _, cells = text.rpartition("!")
        if not title or not cells:
            raise A1Error(text)
        return title, cells
    return None, text


def _parse_part(part: str) -> tuple[int | None, int | None]:
    found = _PART.match(part)
    if not found or (not found.group(1) and not found.group(2)):
        raise A1Error(part)
    col = column_index(found.group(1)) if found.group(1) else None
    row_text = found.group(2)
    if row_text and int(row_text) < 1:
        raise A1Error(part)
    row = int(row_text) - 1 if row_text else None
    return col, row


def parse_cells(cells: str) -> Bounds:
    """Parse the part after ``!``: ``A1``, ``A1:C``, ``A:A``, ``1:3``."""
    if ":" in cells:
        first, _, second = cells.partition(":")
        c1, r1 = _parse_part(first)
        c2, r2 = _parse_part(second)
        first_col_only = c1 is not None and r1 is None
        first_row_only = r1 is not None and c1 is None
        second_col_only = c2 is not None and r2 is None
        second_row_only = r2 is not None and c2 is None
        if (first_col_only and second_row_only) or (first_row_only and second_col_only):
            raise A1Error(cells)
        if c1 is not None and c2 is not None and c2 < c1:
            c1, c2 = c2, c1
        if r1 is not None and r2 is not None and r2 < r1:
            r1, r2 = r2, r1
        return Bounds(
            start_row=r1 if r1 is not None else (0 if r2 is not None else None),
            end_row=r2 + 1 if r2 is not None else None,
            start_col=c1 if c1 is not None else (0 if c2 is not None else None),
            end_col=c2 + 1 if c2 is not None else None,
        )
    col, row = _parse_part(cells)
    if col is None or row is None:
        raise A1Error(cells)
    return Bounds(row, row + 1, col, col + 1)


def parse_a1(text: str, sheet_titles: Sequence[str]) -> A1Range:
    """Parse a range as the API does; a bare name that is a sheet's title means that whole sheet.

    Raises A1Error when Google would answer "Unable to parse range: <text>".
    """
    text = text.strip()
    if not text:
        raise A1Error(text)
    title, cells = _split_sheet(text)
    if cells is None:
        if title not in sheet_titles:
            raise A1Error(text)
        return A1Range(title, Bounds(), whole_sheet=True)
    if title is None and cells in sheet_titles:
        return A1Range(cells, Bounds(), whole_sheet=True)
    if title is not None and title not in sheet_titles:
        raise A1Error(text)
    try:
        return A1Range(title, parse_cells(cells))
    except A1Error:
        raise A1Error(text) from None


def format_a1(
    title: str, start_row: int, end_row: int, start_col: int, end_col: int, *, always_quote: bool = False
) -> str:
    """Closed bounds to Google's reply form: ``Sheet1!A1:C3`` (or ``Sheet1!B2`` for one cell); error messages
    always quote the title."""
    first = f"{column_letters(start_col)}{start_row + 1}"
    last = f"{column_letters(end_col - 1)}{end_row}"
    cells = first if (end_row - start_row == 1 and end_col - start_col == 1) else f"{first}:{last}"
    quoted = "'" + title.replace("'", "''") + "'" if always_quote else quote_title(title)
    return f"{quoted}!{cells}"


def to_grid_range(sheet_id: int, bounds: Bounds) -> dict[str, Any]:
    """Bounds to a GridRange dict; open sides are left out, as Google leaves them out."""
    grid: dict[str, Any] = {"sheetId": sheet_id}
    for key, value in (
        ("startRowIndex", bounds.start_row),
        ("endRowIndex", bounds.end_row),
        ("startColumnIndex", bounds.start_col),
        ("endColumnIndex", bounds.end_col),
    ):
        if value is not None:
            grid[key] = value
    return grid


def from_grid_range(grid: dict[str, Any]) -> Bounds:
    return Bounds(
        grid.get("startRowIndex"),
        grid.get("endRowIndex"),
        grid.get("startColumnIndex"),
        grid.get("endColumnIndex"),
    )
