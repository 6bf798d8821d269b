"""A1 notation as the Sheets API reads it: ``'ผลการประเมิน'!A1:M120``, ``Sheet1!A:C``, ``Sheet1!2:5``.

Used by the in-memory spreadsheet; pure functions, 0-based indexes, open ends as None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CELL = re.compile(r"^([A-Za-z]*)(\d*)$")


@dataclass(frozen=True)
class GridRange:
    """A rectangle on one tab; ``None`` bounds are open (to the end of the grid). Ends are exclusive."""

    sheet: str | None
    start_row: int | None
    start_col: int | None
    end_row: int | None
    end_col: int | None


def column_index(letters: str) -> int:
    """``A`` → 0, ``Z`` → 25, ``AA`` → 26."""
    value = 0
    for ch in letters.upper():
        value = value * 26 + (ord(ch) - ord("A") + 1)
    return value - 1


def column_letters(index: int) -> str:
    """0 → ``A``, 26 → ``AA``."""
    letters = ""
    number = index + 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def quote_sheet(title: str) -> str:
    """A tab title as it appears before ``!``, quoted the way Google answers ranges."""
    return "'" + title.replace("'", "''") + "'"


def split_sheet(text: str) -> tuple[str | None, str]:
    """(sheet title or None, the cell part) of an A1 range."""
    if text.startswith("'"):
        index = 1
        title: list[str] = []
        while index < len(text):
            ch = text[index]
            if ch == "'":
                if text[index + 1 : index + 2] == "'":
                    title.append("'")
                    index += 2
                    continue
                rest = text[index + 1 :]
                if rest.startswith("!"):
                    return "".join(title), rest[1:]
                if rest == "":
                    return "".join(title), ""
                raise ValueError(f"Unable to parse range: {text}")
            title.append(ch)
            index += 1
        raise ValueError(f"Unable to parse range: {text}")
    if "!" in text:
        name, _, cells = text.rpartition("!")
        return name, cells
    return None, text


def _cell(part: str, text: str) -> tuple[int | None, int | None]:
    found = _CELL.match(part)
    if not found or (not found.group(1) and not found.group(2)):
        raise ValueError(f"Unable to parse range: {text}")
    letters, digits = found.groups()
    row = int(digits) - 1 if digits else None
    if row is not None and row < 0:
        raise ValueError(f"Unable to parse range: {text}")
    return row, column_index(letters) if letters else None


def parse_range(text: str, titles: list[str] | None = None) -> GridRange:
    """Parse an A1 range. A bare word that is a tab title (given in ``titles``) means the whole tab."""
    sheet, cells = split_sheet(text.strip())
    if sheet is None and titles is not None and cells in titles:
        return GridRange(cells, None, None, None, None)
    if cells == "":
        return GridRange(sheet, None, None, None, None)
    first, sep, second = cells.partition(":")
    start_row, start_col = _cell(first, text)
    if not sep:
        if start_row is None or start_col is None:
            raise ValueError(f"Unable to parse range: {text}")
        return GridRange(sheet, start_row, start_col, start_row + 1, start_col + 1)
    end_row, end_col = _cell(second, text)
    return GridRange(
        sheet,
        start_row if start_row is not None else (None if end_row is None else 0),
        start_col if start_col is not None else (None if end_col is None else 0),
        end_row + 1 if end_row is not None else None,
        end_col + 1 if end_col is not None else None,
    )


def format_range(title: str, start_row: int, start_col: int, end_row: int, end_col: int) -> str:
    """``'Tab'!A1:C3`` from 0-based bounds with exclusive ends."""
    first = f"{column_letters(start_col)}{start_row + 1}"
    last = f"{column_letters(end_col - 1)}{end_row}"
    return f"{quote_sheet(title)}!{first}:{last}"
