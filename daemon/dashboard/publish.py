"""Publish the dashboard to its spreadsheet with the fewest calls: one info() and one read()
(``read_dashboard``, which the cycle calls before scoring so that the committee's cells count in the same
sync), then at most one
batch_update (tabs, formats, evidence links) and at most one write (values, RAW) — none when nothing
changed.

Rows of the submissions tab are found by their submission key and columns by their header text, so the
committee may sort, filter, move rows and insert columns. The daemon never writes the committee's cells; it
reads them back and returns them. A row whose submission vanished from the model (the response was deleted)
keeps its place and the committee's notes, and is marked in its status cell: deleting it would destroy what
the committee typed beside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import structlog

from connectors.base import DashboardSink, RangeValues, SpreadsheetInfo, TabInfo
from daemon.dashboard import sheet_requests as req
from daemon.dashboard.layout import CellValue, Column, RichText, Tab, layout
from daemon.dashboard.model import DashboardModel, ReviewCell
from scoring.explain import Lang

log = structlog.get_logger(__name__)

_GROWTH_ROWS = 200  # rows added beyond the need when a tab grows, so growth is rare


@dataclass(frozen=True)
class PublishResult:
    reviews: list[ReviewCell]
    write_calls: int
    rows_written: int


@dataclass(frozen=True)
class DashboardState:
    """The dashboard as one ``info()`` and one ``read()`` found it: each tab by its key (None: not there yet),
    its cells, and what the committee typed. Read before scoring, so the committee's word counts in the same
    sync; publish then writes against it without reading again."""

    info: SpreadsheetInfo
    found: dict[str, TabInfo | None]
    grids: dict[str, list[list[Any]]]
    reviews: list[ReviewCell]


@dataclass
class _Plan:
    requests: list[dict[str, Any]] = field(default_factory=list)
    values: list[RangeValues] = field(default_factory=list)
    rows_written: int = 0


def read_dashboard(sink: DashboardSink, lang: Lang = "th") -> DashboardState:
    """One ``info()``, then one ``read()`` of every dashboard tab that exists (none on a first sync)."""
    # Titles and headers depend only on the language, never on the rows: an empty model finds the same tabs.
    tabs = layout(DashboardModel([], [], lang=lang)).tabs
    info = sink.info()
    found = {tab.key: _find_tab(info, tab) for tab in tabs}
    ranges = {key: req.whole_tab(ti.title, ti.row_count, ti.column_count) for key, ti in found.items() if ti}
    read = sink.read(list(ranges.values()), value_render="UNFORMATTED_VALUE") if ranges else {}
    grids = {key: read.get(a1, []) for key, a1 in ranges.items()}
    submissions = next(tab for tab in tabs if tab.key_column)
    reviews = _reviews(submissions, grids.get(submissions.key, []))
    return DashboardState(info, found, grids, reviews)


def publish(
    sink: DashboardSink,
    model: DashboardModel,
    state: DashboardState | None = None,
    *,
    dry_run: bool = False,
) -> PublishResult:
    """Bring the dashboard spreadsheet up to ``model``, against ``state`` as ``read_dashboard`` found it
    (read here when not given), and return what the committee typed."""
    if state is None:
        state = read_dashboard(sink, model.lang)
    plan = _Plan()
    next_id = max((t.sheet_id for t in state.info.tabs), default=0) + 1
    for index, tab in enumerate(layout(model).tabs):
        found = state.found.get(tab.key)
        ti = found
        if ti is None:
            ti = TabInfo(next_id, tab.title, index, 0, 0)
            next_id += 1
        grid = state.grids.get(tab.key, []) if found else []
        _plan_tab(plan, tab, ti, grid, model.lang, created=found is None)
    write_calls = 0
    if not dry_run:
        # Structure first: a values write into a tab or a row that does not exist yet would be refused.
        if plan.requests:
            sink.batch_update(plan.requests)
            write_calls += 1
        if plan.values:
            sink.write(plan.values)
            write_calls += 1
    log.info(
        "publish.done",
        requests=len(plan.requests),
        ranges=len(plan.values),
        rows_written=plan.rows_written,
        write_calls=write_calls,
        dry_run=dry_run,
    )
    return PublishResult(list(state.reviews), write_calls, plan.rows_written)


def _find_tab(info: SpreadsheetInfo, tab: Tab) -> TabInfo | None:
    exact = info.tab(tab.title)
    return exact or next((t for t in info.tabs if t.title in tab.titles), None)


def _rows_by_key(tab: Tab, grid: list[list[Any]], positions: dict[str, int]) -> dict[str, int]:
    assert tab.key_column is not None
    key_at = positions[tab.key_column]
    row_of: dict[str, int] = {}
    for r in range(1, len(grid)):
        key = _text(_cell(grid, r, key_at)).strip()
        # A key copied onto a second row (a human's copy-paste) keeps pointing at its first row.
        if key and key not in row_of:
            row_of[key] = r
    return row_of


def _reviews(tab: Tab, grid: list[list[Any]]) -> list[ReviewCell]:
    """The committee's cells of every keyed row, as typed (columns found by header, so moved ones too)."""
    header = [_text(v).strip() for v in grid[0]] if grid else []
    positions, _ = _place_columns(tab, header)
    committee = [c for c in tab.columns if c.owner == "committee"]
    out: list[ReviewCell] = []
    for key, r in _rows_by_key(tab, grid, positions).items():
        texts = {c.key: _text(_cell(grid, r, positions[c.key])).strip() for c in committee}
        out.append(
            ReviewCell(
                key, texts.get("decision", ""), texts.get("override_score", ""), texts.get("comment", "")
            )
        )
    return out


def _plan_tab(
    plan: _Plan, tab: Tab, ti: TabInfo, grid: list[list[Any]], lang: Lang, *, created: bool
) -> None:
    header = [_text(v).strip() for v in grid[0]] if grid else []
    positions, placed = _place_columns(tab, header) if tab.key_column else _fixed_columns(tab)
    needed_cols = max(positions.values()) + 1
    if tab.key_column:
        cells, needed_rows = _keyed_changes(plan, tab, grid, positions)
    else:
        cells, needed_rows = _positional_changes(tab, grid)
        # Everything past the new table is stale: clear it so a shrinking summary leaves nothing behind.
        needed_cols = max(needed_cols, max((len(r) for r in grid), default=0))
    for col in tab.columns:
        p = positions[col.key]
        if _text(header[p] if p < len(header) else None) != col.header:
            cells[(0, p)] = col.header
    sid = ti.sheet_id
    if created:
        rows = max(req.DEFAULT_ROWS, needed_rows + _GROWTH_ROWS)
        cols = max(req.DEFAULT_COLUMNS, needed_cols)
        plan.requests.append(req.add_sheet(sid, tab.title, ti.index, rows, cols))
        plan.requests += req.tab_setup(sid, tab, positions, lang)
    else:
        if needed_rows > ti.row_count:
            plan.requests.append(req.append_dimension(sid, "ROWS", needed_rows - ti.row_count + _GROWTH_ROWS))
        if needed_cols > ti.column_count:
            plan.requests.append(req.append_dimension(sid, "COLUMNS", needed_cols - ti.column_count))
    for key in placed if not created else [c.key for c in tab.columns]:
        plan.requests += req.column_setup(sid, tab.column(key), positions[key], lang)
    _emit(plan, tab, ti, cells, positions)


def _fixed_columns(tab: Tab) -> tuple[dict[str, int], list[str]]:
    return {c.key: i for i, c in enumerate(tab.columns)}, []


def _place_columns(tab: Tab, header: list[str]) -> tuple[dict[str, int], list[str]]:
    """Each column's position, found by header text in either language; missing ones go after the last."""
    positions: dict[str, int] = {}
    placed: list[str] = []
    next_free = len(header)
    for col in tab.columns:
        at = next((i for i, h in enumerate(header) if h in col.match and i not in positions.values()), None)
        if at is None:
            at = next_free
            next_free += 1
            placed.append(col.key)
        positions[col.key] = at
    return positions, placed


def _keyed_changes(
    plan: _Plan, tab: Tab, grid: list[list[Any]], positions: dict[str, int]
) -> tuple[dict[tuple[int, int], CellValue], int]:
    assert tab.key_column is not None
    row_of = _rows_by_key(tab, grid, positions)
    cells: dict[tuple[int, int], CellValue] = {}
    next_row = max(len(grid), 1)
    in_model: set[str] = set()
    key_index = tab.index(tab.key_column)
    for values in tab.rows:
        key = _text(values[key_index])
        in_model.add(key)
        found = row_of.get(key)
        if found is None:
            r = next_row
            next_row += 1
        else:
            r = found
        # A new row is written whole (blanks too) so that consecutive new rows stack into one rectangle.
        _diff_row(cells, tab.columns, values, grid, r=r, positions=positions, whole=found is None)
    for key, r in row_of.items():
        if key not in in_model:
            for col_key, value in tab.vanished.items():
                p = positions[col_key]
                if not _same(value, _cell(grid, r, p)):
                    cells[(r, p)] = value
    return cells, next_row


def _positional_changes(tab: Tab, grid: list[list[Any]]) -> tuple[dict[tuple[int, int], CellValue], int]:
    cells: dict[tuple[int, int], CellValue] = {}
    positions = {c.key: i for i, c in enumerate(tab.columns)}
    for r, values in enumerate(tab.rows, start=1):
        _diff_row(cells, tab.columns, values, grid, r=r, positions=positions)
    width = len(tab.columns)
    for r, row in enumerate(grid):
        for c, current in enumerate(row):
            stale = r > len(tab.rows) or c >= width
            if stale and not _same(None, current):
                cells[(r, c)] = None
    return cells, len(tab.rows) + 1


def _diff_row(
    cells: dict[tuple[int, int], CellValue],
    columns: Sequence[Column],
    values: Sequence[CellValue],
    grid: list[list[Any]],
    *,
    r: int,
    positions: dict[str, int],
    whole: bool = False,
) -> None:
    for col, value in zip(columns, values, strict=True):
        if col.owner != "daemon":
            continue
        p = positions[col.key]
        if whole or not _same(value, _cell(grid, r, p)):
            cells[(r, p)] = value


def _emit(
    plan: _Plan, tab: Tab, ti: TabInfo, cells: dict[tuple[int, int], CellValue], positions: dict[str, int]
) -> None:
    """Changed cells become as few ranges as possible: runs of adjacent plain cells, stacked into one
    rectangle while consecutive rows change the same columns, written RAW; rich cells become one updateCells
    per column stretch of consecutive rows."""
    rich_positions = {positions[c.key] for c in tab.columns if c.kind == "rich"}
    runs: list[tuple[int, int, int]] = []  # (row, first column, last column)
    rich: list[tuple[int, int]] = []  # (column, row)
    by_row: dict[int, list[int]] = {}
    for r, c in sorted(cells):
        by_row.setdefault(r, []).append(c)
    plan.rows_written += sum(1 for r in by_row if r > 0)
    for r, cols in by_row.items():
        for c in cols:
            if c in rich_positions and r > 0:
                rich.append((c, r))
            elif runs and runs[-1][0] == r and runs[-1][2] == c - 1:
                runs[-1] = (r, runs[-1][1], c)
            else:
                runs.append((r, c, c))
    for first, last, c0, c1 in _stack(runs):
        values = [[_wire(cells[(r, c)]) for c in range(c0, c1 + 1)] for r in range(first, last + 1)]
        plan.values.append(RangeValues(req.a1(ti.title, first, c0, c1, last_row=last), values))
    for first, last, c, _ in _stack([(r, c, c) for c, r in sorted(rich)]):
        stretch = [cells[(r, c)] for r in range(first, last + 1)]
        plan.requests.append(
            req.rich_cells(ti.sheet_id, first, c, [v if isinstance(v, RichText) else None for v in stretch])
        )


def _stack(runs: list[tuple[int, int, int]]) -> list[tuple[int, int, int, int]]:
    """Runs (row, c0, c1) merged across consecutive rows with equal columns: (first row, last row, c0, c1)."""
    open_by_cols: dict[tuple[int, int], list[int]] = {}
    out: list[tuple[int, int, int, int]] = []
    for r, c0, c1 in sorted(runs, key=lambda x: (x[1], x[2], x[0])):
        block = open_by_cols.get((c0, c1))
        if block is not None and block[1] == r - 1:
            block[1] = r
            continue
        if block is not None:
            out.append((block[0], block[1], c0, c1))
        open_by_cols[(c0, c1)] = [r, r]
    out += [(b[0], b[1], c0, c1) for (c0, c1), b in open_by_cols.items()]
    return sorted(out)


def _cell(grid: list[list[Any]], r: int, c: int) -> Any:
    if r < len(grid) and c < len(grid[r]):
        return grid[r][c]
    return None


def _same(desired: CellValue, current: Any) -> bool:
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


def _wire(value: CellValue) -> Any:
    """A cell value as JSON for a RAW write: text stays text, a Decimal becomes a number."""
    if value is None:
        return ""
    if isinstance(value, RichText):
        return value.text
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _text(value: Any) -> str:
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
