"""The tabs about the work itself: who has not sent what (ยังไม่ส่ง), each indicator's distribution
(สรุปรายตัวชี้วัด) and the sync log (บันทึกการซิงก์).

Missing work and the sync log are keyed (a person who sends their evidence loses one row, a new sync adds
one); the indicators tab is small and laid out by position, with its chart over the latest round's rows.
"""

from __future__ import annotations

from decimal import Decimal

from daemon.dashboard import labels
from daemon.dashboard.cells import CellValue
from daemon.dashboard.labels import pick
from daemon.dashboard.model import DashboardModel, IndicatorRow, MissingRow, SyncLogRow
from daemon.dashboard.tabs import Column, ColumnKind, Tab, column, titled
from scoring.explain import Lang
from scoring.thai import format_thai_date

SYNC_LOG_ROWS = 500  # the newest runs kept in the tab; older ones stay in the database


def _missing_row(row: MissingRow, lang: Lang) -> list[CellValue]:
    deadline = format_thai_date(row.deadline) if lang == "th" else row.deadline.isoformat()
    return [
        row.row_key,
        row.email,
        row.name,
        row.unit,
        row.role,
        f"{row.indicator_code} {row.indicator_name}".strip(),
        row.round_label,
        deadline,
        Decimal(row.days_left),
        pick(labels.CERTIFICATION["not_reported"], lang),
    ]


def layout_missing(model: DashboardModel) -> Tab:
    """One row per person of the roster and required indicator not sent for the current round."""
    lang = model.lang
    widths = {"row_key": 110, "email": 200, "name": 180, "unit": 170, "indicator": 260}
    cols = tuple(
        column(k, phrase, lang, "count" if k == "days_left" else "text", widths.get(k, 120))
        for k, phrase in labels.MISSING_HEADERS.items()
    )
    ordered = sorted(model.missing, key=lambda r: (r.unit, r.name, r.email, r.indicator_code))
    return titled(
        "missing", labels.TAB_TITLES["missing"], lang, cols, [_missing_row(r, lang) for r in ordered],
        key_column="row_key",
    )  # fmt: skip


def indicator_columns(lang: Lang) -> tuple[Column, ...]:
    kinds: dict[str, ColumnKind] = {"indicator": "text", "round": "text", "mean": "number", "low": "number"}
    kinds["high"] = "number"
    cols = [
        column(k, phrase, lang, kinds.get(k, "count"), 260 if k == "indicator" else 110)
        for k, phrase in labels.INDICATOR_HEADERS.items()
    ]
    cols += [column(k, phrase, lang, "count", 100) for k, phrase in labels.SCORE_BANDS]
    return tuple(cols)


def _indicator_row(row: IndicatorRow) -> list[CellValue]:
    counts = (row.required, row.submitted, max(row.required - row.submitted, 0), row.certified)
    return [
        f"{row.code} {row.name}".strip(),
        row.round_label,
        *map(Decimal, (*counts, row.not_certified)),
        row.mean,
        row.low,
        row.high,
        *map(Decimal, row.bands),
    ]


def layout_indicators(model: DashboardModel) -> Tab:
    """Per indicator and round: required, sent, missing, certified, the mean, lowest and highest score used,
    and how many scores fall in each band; the latest round first, so the chart reads its first rows."""
    lang = model.lang
    rows = [_indicator_row(r) for r in model.indicators]
    return titled("indicators", labels.TAB_TITLES["indicators"], lang, indicator_columns(lang), rows)


def chart_rows(model: DashboardModel) -> int:
    """How many rows (after the header) the chart covers: the indicators of the latest round."""
    if not model.indicators:
        return 0
    first = model.indicators[0].round_label
    return sum(1 for r in model.indicators if r.round_label == first)


def _changes(row: SyncLogRow, lang: Lang) -> str:
    words = [
        f"{pick(phrase, lang)} {row.changes[key]}"
        for key, phrase in labels.CHANGE_WORDS.items()
        if row.changes.get(key)
    ]
    return ", ".join(words) or "-"


def layout_sync_log(model: DashboardModel) -> Tab:
    """The syncs that changed something or did not end well, oldest first (a new one is appended)."""
    lang = model.lang
    widths = {"run_id": 120, "started_at": 150, "outcome": 160, "changes": 320, "details": 480}
    cols = tuple(column(k, p, lang, "text", widths[k]) for k, p in labels.SYNC_LOG_HEADERS.items())
    ordered = sorted(model.sync_log, key=lambda r: (r.started_at, r.run_id))[-SYNC_LOG_ROWS:]
    rows: list[list[CellValue]] = [
        [
            r.run_id,
            r.started_at.strftime("%Y-%m-%d %H:%M:%S"),
            pick(labels.OUTCOMES.get(r.outcome, (r.outcome, r.outcome)), lang),
            _changes(r, lang),
            r.details,
        ]
        for r in ordered
    ]
    return titled("sync_log", labels.TAB_TITLES["sync_log"], lang, cols, rows, key_column="run_id")
