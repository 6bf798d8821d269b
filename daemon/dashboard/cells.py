"""One cell's value as the layout decides it, as Google stores it, and as a read gives it back: the 50,000
character limit, the size a row may take in one request, the comparison that keeps a sync with nothing new
from writing, and the CellData JSON that carries values literally.

Google refuses a cell of more than 50,000 characters, and one refused cell refuses the whole batch: every
cell is cut here before it leaves the layout, and the layout says so in the row's flags. A row must also fit
one request with room to spare (publish sends at most 2 MB per call), so its longest texts are cut further
when all of them together would not.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from typing import Any

from daemon.results.assess import SHEET_CELL_LIMIT

CELL_LIMIT = SHEET_CELL_LIMIT  # characters Google accepts in one cell, in UTF-16 code units as Sheets counts
ROW_BYTES = 1_500_000  # one row's cells as JSON, so that a row and its envelope fit one 2 MB request
_MARK = "…"


@dataclass(frozen=True)
class LinkRun:
    """A stretch of a cell's text that is a link (Sheets textFormatRuns: the run starts at ``start``)."""

    start: int
    end: int
    uri: str


@dataclass(frozen=True)
class RichText:
    """Cell text with links inside it, written as text-format links, never as a =HYPERLINK formula."""

    text: str
    links: tuple[LinkRun, ...] = ()


CellValue = str | Decimal | RichText | None


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _cut_text(text: str, limit: int) -> str:
    """``text`` shortened to at most ``limit`` UTF-16 units, the cut marked with an ellipsis."""
    budget = max(limit - 1, 0)
    out = text.encode("utf-16-le")[: 2 * budget].decode("utf-16-le", errors="ignore")
    return out + _MARK


def _text(value: CellValue) -> str:
    if isinstance(value, RichText):
        return value.text
    return value if isinstance(value, str) else ""


def text_units(value: CellValue) -> int:
    return utf16_len(_text(value))


def over(value: CellValue, limit: int = CELL_LIMIT) -> bool:
    """Whether the value's text is longer than ``limit`` UTF-16 units (a character is one or two)."""
    if isinstance(value, str):
        text = value
    elif isinstance(value, RichText):
        text = value.text
    else:
        return False
    return 2 * len(text) > limit and utf16_len(text) > limit


def cut(value: CellValue, limit: int = CELL_LIMIT) -> CellValue:
    """The value as it can be stored: text longer than ``limit`` is cut (links past the cut are dropped)."""
    if value is None or isinstance(value, Decimal) or not over(value, limit):
        return value
    if isinstance(value, RichText):
        text = _cut_text(value.text, limit)
        keep = len(text) - 1
        links = tuple(replace(lk, end=min(lk.end, keep)) for lk in value.links if lk.start < keep)
        return RichText(text, links)
    assert isinstance(value, str)
    return _cut_text(value, limit)


def json_bytes(value: Any) -> int:
    """Bytes of ``value`` as JSON on the wire (requests escapes every non-ASCII character as \\uXXXX)."""
    return len(json.dumps(value, separators=(",", ":")))


def value_bytes(value: CellValue) -> int:
    if isinstance(value, RichText):
        return json_bytes(value.text) + 120 * len(value.links) + sum(json_bytes(lk.uri) for lk in value.links)
    if isinstance(value, str):
        return json_bytes(value)
    return 24


def fit_row(values: list[CellValue], budget: int = ROW_BYTES) -> set[int]:
    """Cut the longest texts of ``values`` (in place) until the row's JSON fits ``budget``; returns the
    indexes cut."""
    cut_at: set[int] = set()
    # At most 12 bytes a character (two \uXXXX), the quotes, a link's share: most rows are far inside.
    bound = 24 * len(values)
    for v in values:
        if isinstance(v, str):
            bound += 12 * len(v)
        elif isinstance(v, RichText):
            bound += 12 * len(v.text) + 160 * len(v.links)
    if bound <= budget:
        return cut_at
    for _ in range(len(values) * 4):
        sizes = [value_bytes(v) for v in values]
        excess = sum(sizes) - budget
        if excess <= 0:
            break
        longest = max(range(len(values)), key=lambda i: sizes[i])
        units = text_units(values[longest])
        # Shrink by the excess in units (a Thai character costs 6 bytes escaped, ASCII 1): at least halve.
        target = max(min(units // 2, units - excess // 6), 1_000)
        if target >= units:
            break
        values[longest] = cut(values[longest], target)
        cut_at.add(longest)
    return cut_at


def same(desired: CellValue, current: Any) -> bool:
    """Whether the Sheet already shows ``desired`` (read UNFORMATTED; numbers compared as exact decimals)."""
    if isinstance(desired, RichText):
        desired = desired.text
    if desired is None or desired == "":
        return current is None or current == ""
    if isinstance(desired, Decimal):
        if isinstance(current, bool) or not isinstance(current, int | float):
            return False
        return Decimal(repr(current)) == desired
    return isinstance(current, str) and current == desired


def text_of(value: Any) -> str:
    """A cell as the text a person would read, for headers, keys and the committee's cells."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        try:
            return str(Decimal(repr(value)))
        except InvalidOperation:
            return repr(value)
    return str(value)


def json_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _utf16_index(text: str, index: int) -> int:
    """Sheets counts a run's startIndex in UTF-16 code units: an emoji in a file name shifts later runs."""
    return utf16_len(text[:index])


def cell_data(value: CellValue) -> dict[str, Any]:
    """CellData for ``value``: text as a literal stringValue (never parsed, so ``=1+1`` stays text), a
    Decimal as a number, links as text-format links; an empty dict clears the cell under a fields mask."""
    if value is None or value == "":
        return {}
    if isinstance(value, Decimal):
        return {"userEnteredValue": {"numberValue": json_number(value)}}
    if isinstance(value, str):
        return {"userEnteredValue": {"stringValue": value}}
    cell: dict[str, Any] = {"userEnteredValue": {"stringValue": value.text}}
    if not value.text:
        return {}
    links = value.links
    if len(links) == 1 and (links[0].start, links[0].end) == (0, len(value.text)):
        cell["userEnteredFormat"] = {"textFormat": {"link": {"uri": links[0].uri}}}
        return cell
    length = utf16_len(value.text)
    runs: list[dict[str, Any]] = []
    for link in links:
        runs.append(
            {"startIndex": _utf16_index(value.text, link.start), "format": {"link": {"uri": link.uri}}}
        )
        runs.append({"startIndex": _utf16_index(value.text, link.end), "format": {}})
    # A run may not start at the very end of the text: drop a closing run there.
    runs = [r for r in runs if r["startIndex"] < length]
    if runs:
        cell["textFormatRuns"] = runs
    return cell
