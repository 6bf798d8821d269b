"""Thai government fiscal years and the 6-, 9- and 12-month reporting rounds.

A fiscal year runs 1 October – 30 September and is named by the Buddhist-era year it ends in: fiscal
year 2569 is 1 Oct 2025 – 30 Sep 2026. Deadlines are end of day in Bangkok; Thailand keeps no daylight
saving time, so a fixed +07:00 offset is exact and keeps this module free of tz-database lookups.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from scoring.explain import Lang
from scoring.thai import be_to_ce, ce_to_be, format_thai_date, to_arabic_digits

BANGKOK = timezone(timedelta(hours=7), "Asia/Bangkok")
ROUND_MONTHS: tuple[int, ...] = (6, 9, 12)
FINAL_ROUND_MONTHS = 12


@dataclass(frozen=True)
class FiscalYear:
    year_be: int

    @property
    def start(self) -> date:
        return date(be_to_ce(self.year_be) - 1, 10, 1)

    @property
    def end(self) -> date:
        return date(be_to_ce(self.year_be), 9, 30)

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def label(self, lang: Lang = "th") -> str:
        if lang == "th":
            return f"ปีงบประมาณ {self.year_be}"
        return f"fiscal year {self.year_be} BE ({self.start.isoformat()} – {self.end.isoformat()})"


def fiscal_year_of(day: date) -> FiscalYear:
    """The fiscal year a day falls in: October onwards belongs to the next Buddhist-era year."""
    year_ce = day.year + 1 if day.month >= 10 else day.year
    return FiscalYear(ce_to_be(year_ce))


def default_cutoff(fiscal_year: FiscalYear, months: int) -> date:
    """The last day a round covers: 6 months → 31 March, 9 → 30 June, 12 → 30 September."""
    if months not in ROUND_MONTHS:
        raise ValueError(f"a round is 6, 9 or 12 months, not {months}")
    first_of_next = {6: date(fiscal_year.end.year, 4, 1), 9: date(fiscal_year.end.year, 7, 1)}.get(months)
    return fiscal_year.end if first_of_next is None else first_of_next - timedelta(days=1)


@dataclass(frozen=True)
class Round:
    """One reporting round of a fiscal year, with the day its data stops and the day submissions are due."""

    months: int
    fiscal_year: FiscalYear
    cutoff: date
    deadline: date

    @property
    def is_final(self) -> bool:
        return self.months == FINAL_ROUND_MONTHS

    @property
    def deadline_instant(self) -> datetime:
        """The first instant that is late: midnight after the deadline day, Bangkok time."""
        return datetime.combine(self.deadline + timedelta(days=1), time(0), tzinfo=BANGKOK)

    def is_late(self, submitted_at: datetime) -> bool:
        """Whether an aware timestamp (any zone) came after the deadline's end of day in Bangkok."""
        if submitted_at.tzinfo is None:
            raise ValueError("submitted_at must be timezone-aware")
        return submitted_at >= self.deadline_instant

    def label(self, lang: Lang = "th") -> str:
        """``รอบ 12 เดือน ปีงบประมาณ 2569`` / ``12-month round, fiscal year 2569``."""
        if lang == "th":
            return f"รอบ {self.months} เดือน ปีงบประมาณ {self.fiscal_year.year_be}"
        return f"{self.months}-month round, fiscal year {self.fiscal_year.year_be}"

    def deadline_text(self, lang: Lang = "th") -> str:
        return format_thai_date(self.deadline) if lang == "th" else self.deadline.isoformat()


_ROUND_LABEL = re.compile(r"(?:รอบ\s*)?(\d{1,2})\s*(?:เดือน|months?|-month)", re.IGNORECASE)


def parse_round_months(text: str) -> int | None:
    """The round a form answer names (``รอบ 6 เดือน``, ``รอบ ๙ เดือน``, ``12 months``), or None."""
    m = _ROUND_LABEL.search(to_arabic_digits(text))
    if m is None:
        return None
    months = int(m[1])
    return months if months in ROUND_MONTHS else None


def _shift_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, day=28)


def in_fiscal_year(round_: Round, fiscal_year: FiscalYear) -> Round:
    """The same round in another fiscal year: cutoff and deadline moved by whole years, so an office's
    calendar (a 12-month report due 15 October) repeats every year."""
    years = fiscal_year.year_be - round_.fiscal_year.year_be
    if years == 0:
        return round_
    return Round(
        round_.months, fiscal_year, _shift_years(round_.cutoff, years), _shift_years(round_.deadline, years)
    )


def fiscal_year_of_report(round_: Round, submitted_at: datetime) -> FiscalYear:
    """The fiscal year a report for ``round_``'s length belongs to, from when it was submitted.

    The fiscal year of the day it came in (Bangkok time), except while the round of the fiscal year just
    ended is still open: a 12-month report sent on 10 October, before that round's deadline, reports on
    the year that ended on 30 September. ``round_`` gives the office's deadlines in any one year.
    """
    if submitted_at.tzinfo is None:
        raise ValueError("submitted_at must be timezone-aware")
    current = fiscal_year_of(submitted_at.astimezone(BANGKOK).date())
    previous = in_fiscal_year(round_, FiscalYear(current.year_be - 1))
    return previous.fiscal_year if not previous.is_late(submitted_at) else current


def round_for_submission(rounds: tuple[Round, ...], submitted_at: datetime) -> Round | None:
    """The earliest round whose deadline a submission still meets, or None when it is after every deadline.

    The form names the round explicitly; this is for answers that left it out, so the daemon can still
    place them.
    """
    for candidate in sorted(rounds, key=lambda r: r.deadline_instant):
        if not candidate.is_late(submitted_at):
            return candidate
    return None
