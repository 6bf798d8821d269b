"""Answers as Thai staff type them: numbers (Thai digits, percent in every spelling, N/A, blanks) and
dates (Thai month names and abbreviations, Buddhist-era years).

Nothing here raises on bad input: a failed parse is a value whose ``error`` says why, so a sync never
crashes on what a respondent typed, and the committee sees a flag that names the problem.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Literal

BE_OFFSET = 543  # พ.ศ. = ค.ศ. + 543

_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙０１２３４５６７８９", "01234567890123456789")
_SPACES = re.compile(r"\s+")


def to_arabic_digits(text: str) -> str:
    """The same text with Thai (and full-width) digits replaced by 0-9."""
    return text.translate(_DIGITS)


def to_thai_digits(text: str) -> str:
    """The same text with 0-9 replaced by Thai digits (for output that mimics a typed Thai answer)."""
    return text.translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))


def be_to_ce(year_be: int) -> int:
    return year_be - BE_OFFSET


def ce_to_be(year_ce: int) -> int:
    return year_ce + BE_OFFSET


def _clean(text: str) -> str:
    text = to_arabic_digits(text).replace("\u00a0", " ").replace("\u200b", "")
    return _SPACES.sub(" ", text).strip()


# ----------------------------------------------------------------------------------------------------
# Numbers


class NumberIssue(enum.StrEnum):
    NOT_A_NUMBER = "not_a_number"  # no digits at all ("ดีมาก")
    EXTRA_TEXT = "extra_text"  # a number with words scoring cannot trust ("ประมาณ 80")
    MULTIPLE_NUMBERS = "multiple_numbers"  # "80-90", "80 หรือ 85"
    AMBIGUOUS_COMMA = "ambiguous_comma"  # "85,5": a decimal comma or a typo for a thousands separator
    TOO_LARGE = "too_large"  # more digits than any score, count or budget has (1E50 typed into a Sheet)


@dataclass(frozen=True)
class NumberParse:
    value: Decimal | None = None
    is_na: bool = False
    is_blank: bool = False
    error: NumberIssue | None = None
    is_percent: bool = False
    detail: str = ""  # the offending text, for the flag

    @property
    def ok(self) -> bool:
        return self.value is not None


# Budgets in baht reach the billions; nothing kpisync scores needs more than 15 digits before the point or 10
# after it. Beyond that a value is a typo or a paste, and exact 5-place rounding would overflow the context.
MAX_INTEGER_DIGITS = 15
MAX_FRACTION_DIGITS = 10

_NA = frozenset({"n/a", "na", "n.a.", "n.a", "#n/a", "n / a", "ไม่มีข้อมูล", "ยังไม่มีข้อมูล"})
# A dash alone is how people leave a required-looking box empty: it means "nothing reported", not zero.
_BLANK = frozenset({"", "-", "--", "---", "–", "—", "_"})
_PERCENT_WORDS = ("ร้อยละ", "เปอร์เซ็นต์", "เปอร์เซนต์", "%", "％")
_UNIT_WORDS = ("บาท", "ชั่วโมง", "ชม.", "ชม", "คน", "ครั้ง", "ข่าว", "เรื่อง", "รายการ", "ชิ้น", "แห่ง")
_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$|^[+-]?\.\d+$")
_DIGIT_RUN = re.compile(r"\d+(?:[.,]\d+)*")
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,(?:\d{1,2}|\d{4,})$")
# A space may group thousands ("1 250") or follow a sign ("- 5"); any other space separates two numbers,
# so "10 15" (two trainings) is flagged instead of read as 1015.
_SPACED_NUMBER = re.compile(r"^[+-]? ?(?:\d{1,3}(?: \d{3})+|\d+)(?:\.\d+)?$")


def parse_number(text: str | None) -> NumberParse:
    """Parse a numeric answer.

    Accepts ``85``, ``85%``, ``๘๕ %``, ``ร้อยละ 85``, ``85.5``, ``1,250 บาท``, N/A, blank and ``-``.
    """
    raw = _clean(text or "")
    if raw in _BLANK:
        return NumberParse(is_blank=True)
    if raw.lower() in _NA:
        return NumberParse(is_na=True)
    body = raw
    is_percent = False
    for word in _PERCENT_WORDS:
        if word in body:
            is_percent = True
            body = body.replace(word, " ")
    body = body.strip()
    for unit in _UNIT_WORDS:
        if body.endswith(unit):
            body = body[: -len(unit)].strip()
            break
    body = body.replace(" ", "") if _SPACED_NUMBER.match(body) else body
    if _NUMBER.match(body):
        digits = body.replace(",", "")
        whole, _, fraction = digits.lstrip("+-").partition(".")
        if len(whole.lstrip("0")) > MAX_INTEGER_DIGITS or len(fraction) > MAX_FRACTION_DIGITS:
            return NumberParse(error=NumberIssue.TOO_LARGE, detail=raw, is_percent=is_percent)
        try:
            value = Decimal(digits)
        except InvalidOperation:  # pragma: no cover - the pattern admits only valid literals
            return NumberParse(error=NumberIssue.NOT_A_NUMBER, detail=raw)
        return NumberParse(value=value, is_percent=is_percent)
    if _DECIMAL_COMMA.match(body):
        return NumberParse(error=NumberIssue.AMBIGUOUS_COMMA, detail=raw, is_percent=is_percent)
    runs = _DIGIT_RUN.findall(body)
    if not runs:
        return NumberParse(error=NumberIssue.NOT_A_NUMBER, detail=raw, is_percent=is_percent)
    if len(runs) > 1:
        return NumberParse(error=NumberIssue.MULTIPLE_NUMBERS, detail=raw, is_percent=is_percent)
    extra = _SPACES.sub(" ", body.replace(runs[0], " ")).strip()
    return NumberParse(error=NumberIssue.EXTRA_TEXT, detail=extra or raw, is_percent=is_percent)


# ----------------------------------------------------------------------------------------------------
# Dates

MONTHS_TH: tuple[str, ...] = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)  # fmt: skip
MONTHS_TH_ABBR: tuple[str, ...] = (
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
)  # fmt: skip
_MONTHS_EN = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def _month_key(name: str) -> str:
    return name.replace(".", "").replace(" ", "").lower()


_MONTH_LOOKUP: dict[str, int] = {}
for _i, (_full, _abbr, _en) in enumerate(zip(MONTHS_TH, MONTHS_TH_ABBR, _MONTHS_EN, strict=True), start=1):
    _MONTH_LOOKUP[_month_key(_full)] = _i
    _MONTH_LOOKUP[_month_key(_abbr)] = _i
    _MONTH_LOOKUP[_en] = _i


class DateIssue(enum.StrEnum):
    BLANK = "blank"
    UNKNOWN_FORMAT = "unknown_format"
    UNKNOWN_MONTH = "unknown_month"
    INVALID_DATE = "invalid_date"  # 31 ก.พ., month 13


@dataclass(frozen=True)
class DateParse:
    value: date | None = None
    error: DateIssue | None = None
    detail: str = ""


# Seed 000 dates its page "อังคาร ที่ 29 เดือน สิงหาคม พ.ศ.2566": a weekday and "ที่" may lead.
_WEEKDAY = re.compile(r"^(?:วัน)?(?:จันทร์|อังคาร|พุธ|พฤหัสบดี|พฤหัส|ศุกร์|เสาร์|อาทิตย์)\s*(?:ที่)?\s*")
_ERA_BE = re.compile(r"พ\.?\s?ศ\.?")
_ERA_CE = re.compile(r"ค\.?\s?ศ\.?")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_NUMERIC = re.compile(r"^(\d{1,2})\s?[/.-]\s?(\d{1,2})\s?[/.-]\s?(\d{4}|\d{2})$")
_TEXTUAL = re.compile(r"^(\d{1,2})\s?([^\d]+?)\s?(\d{4}|\d{2})$")


def _resolve_year(year_text: str, era: Literal["be", "ce"] | None) -> int:
    """The Common-era year of a typed year; Thai usage: two digits and years past 2400 are Buddhist era."""
    year = int(year_text)
    if len(year_text) == 2:
        return year + 2000 if era == "ce" else be_to_ce(2500 + year)
    if era == "be" or (era is None and year >= 2400):
        return be_to_ce(year)
    return year


def parse_thai_date(text: str | None) -> DateParse:
    """Parse a date as typed.

    Accepts ``29 สิงหาคม 2568``, ``29 ส.ค. 68``, ``๒๙/๐๘/๒๕๖๘``, ``2025-08-29``,
    ``วันที่ 29 เดือน สิงหาคม พ.ศ. 2566``.
    """
    raw = _clean(text or "")
    if not raw:
        return DateParse(error=DateIssue.BLANK)
    body = _WEEKDAY.sub(" ", raw).replace("วันที่", " ").replace("เดือน", " ").replace(",", " ")
    era: Literal["be", "ce"] | None = None
    if _ERA_BE.search(body):
        era, body = "be", _ERA_BE.sub(" ", body)
    elif _ERA_CE.search(body):
        era, body = "ce", _ERA_CE.sub(" ", body)
    body = _SPACES.sub(" ", body).strip()
    if m := _ISO.match(body):
        year, month, day = _resolve_year(m[1], era), int(m[2]), int(m[3])
    elif m := _NUMERIC.match(body):
        day, month, year = int(m[1]), int(m[2]), _resolve_year(m[3], era)
    elif m := _TEXTUAL.match(body):
        month_no = _MONTH_LOOKUP.get(_month_key(m[2]))
        if month_no is None:
            return DateParse(error=DateIssue.UNKNOWN_MONTH, detail=m[2].strip())
        day, month, year = int(m[1]), month_no, _resolve_year(m[3], era)
    else:
        return DateParse(error=DateIssue.UNKNOWN_FORMAT, detail=raw)
    try:
        return DateParse(value=date(year, month, day))
    except ValueError:
        return DateParse(error=DateIssue.INVALID_DATE, detail=raw)


DateStyle = Literal["full", "abbr", "numeric"]


def format_thai_date(value: date, style: DateStyle = "full", *, thai_digits: bool = False) -> str:
    """A date as Thai people write it: ``29 สิงหาคม 2568``, ``29 ส.ค. 68`` or ``29/08/2568`` (Buddhist era)."""
    year_be = ce_to_be(value.year)
    if style == "full":
        text = f"{value.day} {MONTHS_TH[value.month - 1]} {year_be}"
    elif style == "abbr":
        text = f"{value.day} {MONTHS_TH_ABBR[value.month - 1]} {year_be % 100:02d}"
    else:
        text = f"{value.day:02d}/{value.month:02d}/{year_be}"
    return to_thai_digits(text) if thai_digits else text
