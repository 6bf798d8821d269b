"""Dates a person types into Sheets (USER_ENTERED) and how Sheets shows them again.

Sheets stores a date as a serial number, days since 1899-12-30 with the time of day as the fraction
(https://developers.google.com/workspace/sheets/api/reference/rest/v4/DateTimeRenderOption: "January 1st
1900 at noon would be 2.5"), and gives the cell a DATE (or DATE_TIME) number format, so FORMATTED_VALUE
shows a date while UNFORMATTED_VALUE answers the number
(https://developers.google.com/workspace/sheets/api/reference/rest/v4/ValueInputOption: USER_ENTERED turns
strings into "numbers, dates, etc." by the rules of typing into the UI; the spreadsheet's locale decides how
an ambiguous date reads).

Parsed: ``yyyy-mm-dd`` and ``yyyy/mm/dd`` in every locale; ``d/m/yyyy`` or ``m/d/yyyy`` by the spreadsheet's
``properties.locale`` (month first for en_US and en, day first for every other locale, th_TH and en_GB
included); each optionally followed by a space and ``H:MM`` or ``H:MM:SS`` (24-hour). The format keeps the
shape that was typed (``yyyy-mm-dd``, ``d/m/yyyy``, ``m/d/yyyy``, plus `` hh:mm:ss``).

Not parsed (the text stays text): month names (``Mar 1 2016``, ``29 สิงหาคม 2568``), two-digit years, ``-``
or ``.`` between day, month and year, AM/PM, a time alone, an ISO ``T`` separator or time zone, Thai digits.
Years are read as written: a Buddhist-era year such as 2568 is taken as the year 2568, not converted.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

EPOCH = datetime(1899, 12, 30)  # noqa: DTZ001 - serial numbers count days, with no time zone
MONTH_FIRST_LOCALES = {"en_US", "en"}
_TIME = r"(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?"
_YEAR_FIRST = re.compile(rf"^(\d{{4}})([-/])(\d{{1,2}})\2(\d{{1,2}}){_TIME}$", re.ASCII)
_YEAR_LAST = re.compile(rf"^(\d{{1,2}})/(\d{{1,2}})/(\d{{4}}){_TIME}$", re.ASCII)
_TOKEN = re.compile(r"yyyy|yy|mm|m|dd|d|hh|h|ss|s")
DATE_TYPES = ("DATE", "DATE_TIME", "TIME")


def parse(text: str, locale: str) -> tuple[float, dict[str, Any]] | None:
    """A typed date as (serial number, numberFormat), or None when Sheets would keep the text."""
    stripped = text.strip()
    found = _YEAR_FIRST.match(stripped)
    if found:
        sep = found.group(2)
        year, month, day = int(found.group(1)), int(found.group(3)), int(found.group(4))
        pattern = f"yyyy{sep}mm{sep}dd"
        clock = found.groups()[4:]
    else:
        found = _YEAR_LAST.match(stripped)
        if not found:
            return None
        first, second, year = int(found.group(1)), int(found.group(2)), int(found.group(3))
        month_first = locale in MONTH_FIRST_LOCALES
        month, day = (first, second) if month_first else (second, first)
        pattern = "m/d/yyyy" if month_first else "d/m/yyyy"
        clock = found.groups()[3:]
    try:
        day_value = date(year, month, day)
    except ValueError:
        return None
    serial = float((day_value - EPOCH.date()).days)
    hour, minute, seconds = clock
    if hour is None:
        return serial, {"type": "DATE", "pattern": pattern}
    h, m, s = int(hour), int(minute), int(seconds or 0)
    if h > 23 or m > 59 or s > 59:
        return None
    serial += (h * 3600 + m * 60 + s) / 86400
    return serial, {"type": "DATE_TIME", "pattern": pattern + " hh:mm:ss"}


def to_datetime(serial: float) -> datetime:
    """The moment a serial number stands for (rounded to the second, as Sheets shows it)."""
    return EPOCH + timedelta(seconds=round(serial * 86400))


def format_serial(serial: float, pattern: str) -> str:
    """``serial`` shown through a date pattern (the tokens yyyy yy mm m dd d hh h ss s; other text as is)."""
    moment = to_datetime(serial)
    tokens = [(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(pattern)]
    out: list[str] = []
    pos = 0
    for index, (part, start, end) in enumerate(tokens):
        out.append(pattern[pos:start])
        pos = end
        if part in ("m", "mm"):
            before = tokens[index - 1][0] if index else ""
            after = tokens[index + 1][0] if index + 1 < len(tokens) else ""
            minutes = before in ("h", "hh") or after in ("s", "ss")
            value = moment.minute if minutes else moment.month
            out.append(f"{value:02d}" if part == "mm" else str(value))
            continue
        values = {
            "yyyy": f"{moment.year:04d}",
            "yy": f"{moment.year % 100:02d}",
            "dd": f"{moment.day:02d}",
            "d": str(moment.day),
            "hh": f"{moment.hour:02d}",
            "h": str(moment.hour),
            "ss": f"{moment.second:02d}",
            "s": str(moment.second),
        }
        out.append(values[part])
    out.append(pattern[pos:])
    return "".join(out)
