"""What one tab needs so the Sheet shows the layout, against the cells read from it: pure, no Google.

Keyed tabs: a row whose key is on the Sheet gets only the daemon's cells that differ (at the row the key was
found on); a key not on the Sheet becomes a whole new row appended after the data (appendCells: key, values,
links and formats in one request, so a key never lands without its row, nor a row without its key); a key
no longer in the model is marked (submissions) or its row deleted (tabs where nobody owns a cell). Rows the
daemon itself left behind are tidied: a second copy of a key (an append Google applied twice) with nothing
typed beside it is deleted; a row without a key that holds only daemon cells (a half-written row of an older
version) has those cells cleared where the committee works and is deleted elsewhere. The committee's cells
of an existing row, and any column the daemon does not know, are never written.

Positional tabs (units, indicators, legend) are compared cell by cell and rewritten where they differ.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from connectors.base import TabInfo
from daemon.dashboard import calls, cells
from daemon.dashboard import sheet_requests as req
from daemon.dashboard.cells import CellValue
from daemon.dashboard.tabs import Tab
from scoring.explain import Lang

Grid = list[list[Any]]


@dataclass
class TabChanges:
    """Everything one tab needs, and what the Sheet must show afterwards (for the check after writing)."""

    tab: Tab
    sheet_id: int
    created: bool
    positions: dict[str, int]
    lang: Lang = "th"
    structure: list[req.Request] = field(default_factory=list)
    updates: dict[tuple[int, int], CellValue] = field(default_factory=dict)  # (row, col) of existing rows
    # Rows to append, as the layout's values: made CellData only as they are encoded for the write.
    appends: list[Sequence[CellValue]] = field(default_factory=list)
    appended_keys: list[str] = field(default_factory=list)
    deletes: list[int] = field(default_factory=list)
    # After the write: the key each positionally written row must show ("" for a cleared keyless row), and
    # every key that must be there exactly once.
    expect_at: dict[int, str] = field(default_factory=dict)
    expect_keys: set[str] = field(default_factory=set)

    @property
    def writes_rows(self) -> bool:
        return bool(self.updates or self.appends or self.deletes)

    @property
    def positional(self) -> bool:
        return bool(self.updates or self.deletes)

    @property
    def rows_written(self) -> int:
        return len({r for r, _ in self.updates if r > 0}) + len(self.appends) + len(self.deletes)

    def pieces(self) -> Iterator[calls.Piece]:
        """The rows' requests, encoded as they are asked for (daemon.dashboard.calls): cells of existing
        rows first (their positions are the ones read), then deletions from the bottom up (so each index
        is still right), then appends, which need no position."""
        yield from _update_runs(self.sheet_id, self.updates)
        for r in sorted(set(self.deletes), reverse=True):
            yield calls.encode(req.delete_row(self.sheet_id, r))
        if self.appends:
            encode = req.row_encoder(self.tab, self.positions, self.lang)
            yield req.append_run(self.sheet_id, (encode(values) for values in self.appends))


def cell(grid: Grid, r: int, c: int) -> Any:
    if r < len(grid) and c < len(grid[r]):
        return grid[r][c]
    return None


def header_of(grid: Grid) -> list[str]:
    return [cells.text_of(v).strip() for v in grid[0]] if grid else []


def place_columns(tab: Tab, header: list[str]) -> tuple[dict[str, int], list[str]]:
    """Each column's position, found by header text in either language; missing ones go after the last.
    Positional tabs are the daemon's alone: their columns stand in layout order."""
    if tab.key_column is None:
        return {c.key: i for i, c in enumerate(tab.columns)}, []
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


def rows_by_key(
    tab: Tab, grid: Grid, positions: dict[str, int]
) -> tuple[dict[str, int], list[int], list[int]]:
    """(key → the first row showing it, rows repeating a key seen above, rows without a key)."""
    assert tab.key_column is not None
    key_at = positions[tab.key_column]
    first: dict[str, int] = {}
    repeats: list[int] = []
    keyless: list[int] = []
    for r in range(1, len(grid)):
        key = cells.text_of(cell(grid, r, key_at)).strip()
        if not key:
            keyless.append(r)
        elif key in first:
            repeats.append(r)
        else:
            first[key] = r
    return first, repeats, keyless


def plan_tab(
    tab: Tab, info: TabInfo | None, grid: Grid, lang: Lang, *, new_id: int, index: int
) -> TabChanges:
    """The changes ``tab`` needs on the tab ``info`` (None: create it as sheet ``new_id`` at ``index``)."""
    created = info is None
    header = [] if created else header_of(grid)
    positions, placed = place_columns(tab, header)
    changes = TabChanges(tab, new_id if info is None else info.sheet_id, created, positions, lang)
    width = max(positions.values()) + 1
    if tab.key_column is None:
        needed_rows = _positional(changes, grid if not created else [])
        width = max(width, max((len(r) for r in grid), default=0))
    else:
        _keyed(changes, grid if not created else [], lang)
        needed_rows = 0
    sid = changes.sheet_id
    if info is None:
        changes.structure.append(req.add_sheet(sid, tab.title, index, max(req.DEFAULT_COLUMNS, width)))
        changes.structure += req.tab_setup(sid, tab, positions, lang)
        placed = [c.key for c in tab.columns]
        if needed_rows > req.DEFAULT_ROWS:
            changes.structure.append(req.append_rows(sid, needed_rows - req.DEFAULT_ROWS))
    else:
        if width > info.column_count:
            changes.structure.append(req.append_columns(sid, width - info.column_count))
        if needed_rows > info.row_count:
            changes.structure.append(req.append_rows(sid, needed_rows - info.row_count))
    changes.structure += [req.column_width(sid, tab.column(k), positions[k]) for k in placed]
    for col in tab.columns:
        p = positions[col.key]
        if (header[p] if p < len(header) else "") != col.header:
            changes.updates[(0, p)] = col.header
    return changes


def _keyed(changes: TabChanges, grid: Grid, lang: Lang) -> None:
    tab, positions = changes.tab, changes.positions
    assert tab.key_column is not None
    first, repeats, keyless = rows_by_key(tab, grid, positions)
    key_index = tab.index(tab.key_column)
    known = set(positions.values())
    daemon_cols = [c for c in tab.columns if c.owner == "daemon" and c.key != tab.key_column]
    in_model: set[str] = set()
    for values in tab.rows:
        key = cells.text_of(values[key_index])
        if key in in_model:
            continue  # the model never repeats a key; a repeat could only duplicate a row
        in_model.add(key)
        r = first.get(key)
        if r is None:
            changes.appends.append(values)
            changes.appended_keys.append(key)
            continue
        for col, value in zip(tab.columns, values, strict=True):
            p = positions[col.key]
            if col.owner == "daemon" and not cells.same(value, cell(grid, r, p)):
                changes.updates[(r, p)] = value
                changes.expect_at[r] = key
    for key, r in first.items():
        if key in in_model:
            continue
        if tab.vanished is None:
            changes.deletes.append(r)
            continue
        for col_key, value in tab.vanished.items():
            p = positions[col_key]
            if not cells.same(value, cell(grid, r, p)):
                changes.updates[(r, p)] = value
                changes.expect_at[r] = key

    def typed_beside(r: int) -> bool:
        """Whether anything a person may have typed is on row ``r``: a committee cell or an unknown column."""
        committee = {positions[c.key] for c in tab.columns if c.owner == "committee"}
        return any(
            (p in committee or p not in known) and cells.text_of(v).strip()
            for p, v in enumerate(grid[r] if r < len(grid) else [])
        )

    changes.deletes += [r for r in repeats if not typed_beside(r)]
    for r in keyless:
        daemon_filled = [c for c in daemon_cols if cells.text_of(cell(grid, r, positions[c.key])).strip()]
        if not daemon_filled or typed_beside(r):
            continue  # a blank row, or one a person wrote in: theirs
        if tab.has_committee:
            for col in daemon_filled:
                changes.updates[(r, positions[col.key])] = None
            changes.expect_at[r] = ""
        else:
            changes.deletes.append(r)
    deleted = set(changes.deletes)
    changes.expect_keys = {k for k, r in first.items() if r not in deleted} | set(changes.appended_keys)


def _positional(changes: TabChanges, grid: Grid) -> int:
    """Cell-by-cell changes of a tab laid out by position; returns the rows the grid must have."""
    tab = changes.tab
    for r, values in enumerate(tab.rows, start=1):
        for c, value in enumerate(values):
            if not cells.same(value, cell(grid, r, c)):
                changes.updates[(r, c)] = value
    width = len(tab.columns)
    # Everything past the new table is stale: cleared, so a shrinking table leaves nothing behind.
    for r, line in enumerate(grid):
        for c, current in enumerate(line):
            if (r > len(tab.rows) or c >= width) and not cells.same(None, current):
                changes.updates[(r, c)] = None
    return len(tab.rows) + 1


def _update_runs(sheet_id: int, updates: dict[tuple[int, int], CellValue]) -> Iterator[calls.RowRun]:
    """Changed cells as few updateCells as possible: runs of adjacent cells in a row, stacked into one
    rectangle while consecutive rows change the same columns (cut into calls by daemon.dashboard.calls)."""
    runs: list[tuple[int, int, int]] = []  # (row, first column, last column)
    for r, c in sorted(updates):
        if runs and runs[-1][0] == r and runs[-1][2] == c - 1:
            runs[-1] = (r, runs[-1][1], c)
        else:
            runs.append((r, c, c))
    blocks: list[tuple[int, int, int, int]] = []  # (first row, last row, c0, c1)
    open_by_cols: dict[tuple[int, int], list[int]] = {}
    for r, c0, c1 in sorted(runs, key=lambda x: (x[1], x[2], x[0])):
        block = open_by_cols.get((c0, c1))
        if block is not None and block[1] == r - 1:
            block[1] = r
            continue
        if block is not None:
            blocks.append((block[0], block[1], c0, c1))
        open_by_cols[(c0, c1)] = [r, r]
    blocks += [(b[0], b[1], c0, c1) for (c0, c1), b in open_by_cols.items()]
    for first, last, c0, c1 in sorted(blocks):
        yield req.update_run(sheet_id, first, c0, _lines(updates, range(first, last + 1), range(c0, c1 + 1)))


def _lines(updates: dict[tuple[int, int], CellValue], rows: range, cols: range) -> Iterator[bytes]:
    for r in rows:
        yield req.encoded_row([cells.cell_data(updates[(r, c)]) for c in cols])
