"""``kpisync export``: one round's results as .xlsx and .csv, cell for cell the dashboard's summary tab.

The rows come from ``daemon.dashboard.build`` and ``daemon.dashboard.layout.layout_summary``, the code that
lays out the summary tab (สรุปคะแนน) the committee sees, never from a second copy of it: whatever columns
the tab gains, the export gains too. Only the round's rows are kept. Numbers stay numbers in the workbook
(5 places for scores, whole numbers for ranks and counts, decided by the value itself); the CSV holds the
text the Sheet shows, in UTF-8 with a byte-order mark so that Excel opens the Thai correctly. Reads the
database only: no Google call.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from sqlalchemy import Engine
from sqlmodel import Session

from daemon.dashboard.build import build_dashboard_model
from daemon.dashboard.cells import CellValue, RichText
from daemon.dashboard.layout_summary import layout_summary
from daemon.dashboard.tabs import Tab
from daemon.results import totals
from daemon.results.store_view import StoreView
from daemon.settings import Settings

FORMATS = (".xlsx", ".csv")
# Pixels of a Sheets column → characters of an Excel column, roughly.
_PIXELS_PER_CHARACTER = 7


@dataclass(frozen=True)
class RoundExport:
    """The summary tab's header and the rows of one round."""

    round_months: int
    round_label: str
    tab: Tab
    rows: tuple[tuple[CellValue, ...], ...]

    @property
    def header(self) -> tuple[str, ...]:
        return tuple(c.header for c in self.tab.columns)


class NothingToExportError(Exception):
    """The round asked for has no results (or no round has any)."""


def summary_tab(engine: Engine, settings: Settings, now: datetime) -> Tab:
    """The summary tab exactly as a sync would publish it from what is stored now."""
    with Session(engine) as session:
        standing = totals.standing(session, settings, StoreView.read(session))
        model = build_dashboard_model(session, settings, now, standing)
    return layout_summary(model)


def _labels(settings: Settings, fiscal_year: int) -> dict[int, str]:
    out: dict[int, str] = {}
    for months in settings.round_map():
        round_ = settings.round_of(fiscal_year, months)
        if round_ is not None:
            out[months] = round_.label(settings.lang)
    return out


def select_round(
    tab: Tab, settings: Settings, months: int | None, fiscal_year: int | None = None
) -> RoundExport:
    """The rows of the ``months`` round of ``fiscal_year`` (default: the config's, else the one before or
    after it that has results, since a submission keeps the fiscal year it reports on); with ``months``
    None, the longest round that has any row."""
    column = tab.index("round")
    present = {row[column] for row in tab.rows}
    configured = settings.fiscal_year_be
    years = [fiscal_year] if fiscal_year is not None else [configured, configured + 1, configured - 1]
    labels = next(
        (found for found in (_labels(settings, y) for y in years) if set(found.values()) & present),
        _labels(settings, years[0]),
    )
    if months is None:
        with_rows = [m for m in sorted(labels) if labels[m] in present]
        if not with_rows:
            raise NothingToExportError("no round has results yet")
        months = with_rows[-1]
    if months not in labels:
        known = ", ".join(str(m) for m in sorted(labels))
        raise NothingToExportError(f"there is no {months}-month round (rounds: {known})")
    label = labels[months]
    rows = tuple(row for row in tab.rows if row[column] == label)
    if not rows:
        raise NothingToExportError(f"{label}: no results yet")
    return RoundExport(months, label, tab, rows)


def _text(value: CellValue) -> str:
    if value is None:
        return ""
    if isinstance(value, RichText):
        return value.text
    return str(value)


def write_csv(path: Path, export: RoundExport) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(export.header)
        writer.writerows([_text(v) for v in row] for row in export.rows)


def write_xlsx(path: Path, export: RoundExport) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new Workbook always has one sheet
    sheet.title = export.tab.title[:31]  # Excel's limit on a sheet name
    sheet.append(list(export.header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for number, row in enumerate(export.rows, start=2):
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(row=number, column=column)
            if isinstance(value, Decimal):
                cell.value = value
                # A score keeps its 5 places; a rank or a count is whole.
                exponent = value.as_tuple().exponent
                places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
                cell.number_format = "0." + "0" * places if places else "0"
            else:
                cell.value = _text(value) or None
    for position, col in enumerate(export.tab.columns, start=1):
        sheet.column_dimensions[get_column_letter(position)].width = max(
            col.width // _PIXELS_PER_CHARACTER, 8
        )
    book.save(path)


def export_round(
    engine: Engine,
    settings: Settings,
    months: int | None,
    outputs: Sequence[Path],
    now: datetime,
    *,
    fiscal_year: int | None = None,
) -> RoundExport:
    """Write the round to every path in ``outputs`` (.xlsx or .csv, by suffix); the rows written."""
    export = select_round(summary_tab(engine, settings, now), settings, months, fiscal_year)
    for path in outputs:
        if path.suffix.lower() == ".xlsx":
            write_xlsx(path, export)
        else:
            write_csv(path, export)
    return export
