"""Read the dashboard back: which tabs exist, their cells, and what the committee typed, in one
``info()`` and one ``read()``.

``read_dashboard`` runs before scoring, so the committee's cells count in the same sync, and ``publish``
then plans against what it read. When nothing is due to change (``daemon.dashboard.memo``), the read takes
only the submissions tab's header and its key, version and committee columns: a sync with nothing new
downloads what people may have typed, not the whole dashboard.
"""

from __future__ import annotations

from dataclasses import dataclass

from connectors.a1 import column_letters, quote_sheet
from connectors.base import DashboardSink, SpreadsheetInfo, TabInfo
from daemon.dashboard import cells, diff
from daemon.dashboard.diff import Grid
from daemon.dashboard.layout import Tab, layout
from daemon.dashboard.memo import SheetMemo, keys_digest
from daemon.dashboard.model import DashboardModel, ReviewCell
from scoring.explain import Lang

READ = "UNFORMATTED_VALUE"


@dataclass(frozen=True)
class DashboardState:
    """The dashboard as one ``info()`` and one ``read()`` found it: each tab by its key (None: not there yet),
    its cells, and what the committee typed. Read before scoring, so the committee's word counts in the same
    sync; publish then writes against it."""

    info: SpreadsheetInfo
    found: dict[str, TabInfo | None]
    grids: dict[str, Grid]
    reviews: list[ReviewCell]
    complete: bool = True  # every existing tab read whole (False after a narrow read)
    as_left: bool = False  # a narrow read found the submissions tab as the last publish left it


def _empty_tabs(lang: Lang) -> tuple[Tab, ...]:
    # Titles and headers depend only on the language, never on the rows: an empty model finds the same tabs.
    return layout(DashboardModel([], [], lang=lang)).tabs


def read_dashboard(
    sink: DashboardSink, lang: Lang = "th", *, narrow: SheetMemo | None = None
) -> DashboardState:
    """One ``info()``, then one ``read()`` of every dashboard tab that exists (none on a first sync).

    With ``narrow`` (the submissions tab as the last publish left it, passed when nothing is due to change)
    the read takes only that tab's header and its key, version and committee columns, at the places the
    memo's header gives; a header that moved since costs the whole read after it. Dates come back as the
    text they show (``dateTimeRenderOption=FORMATTED_STRING``): a score typed as ``1/2`` that Sheets took
    for a date must read as what the person sees, never as a serial number."""
    tabs = _empty_tabs(lang)
    info = sink.info()
    found = {tab.key: _find_tab(info, tab) for tab in tabs}
    submissions = next(tab for tab in tabs if tab.key == "submissions")
    if narrow is not None and all(found.values()):
        state = _read_narrow(sink, submissions, info, found, narrow)
        if state is not None:
            return state
    grids = read_whole(sink, {key: ti for key, ti in found.items() if ti})
    reviews = _reviews(submissions, grids.get(submissions.key, []))
    return DashboardState(info, found, grids, reviews)


def _read_narrow(
    sink: DashboardSink, tab: Tab, info: SpreadsheetInfo, found: dict[str, TabInfo | None], memo: SheetMemo
) -> DashboardState | None:
    """The submissions tab's header, key, version and committee columns in one read; None when the header
    is not the memo's (a column moved or was inserted: the places are not known)."""
    ti = found[tab.key]
    assert ti is not None and tab.key_column is not None
    positions, _ = diff.place_columns(tab, list(memo.header))
    wanted = [tab.key_column, "version", *(c.key for c in tab.columns if c.owner == "committee")]
    title = quote_sheet(ti.title)
    head = f"{title}!1:1"
    columns = {
        key: f"{title}!{column_letters(positions[key])}:{column_letters(positions[key])}" for key in wanted
    }
    read = sink.read([head, *columns.values()], value_render=READ)
    header = diff.header_of(read.get(head, []))
    if tuple(header) != memo.header:
        return None
    height = max((len(read.get(a1, [])) for a1 in columns.values()), default=0)
    width = max(positions[key] for key in wanted) + 1
    grid: Grid = [[None] * width for _ in range(max(height, 1))]
    grid[0] = list(read.get(head, [[]])[0]) + [None] * max(0, width - len(read.get(head, [[]])[0]))
    for key, a1 in columns.items():
        at = positions[key]
        for r, row in enumerate(read.get(a1, [])[1:], start=1):
            grid[r][at] = row[0] if row else None
    keys = [cells.text_of(row[0]).strip() if row else "" for row in read.get(columns[tab.key_column], [])]
    return DashboardState(
        info, found, {}, _reviews(tab, grid), complete=False, as_left=keys_digest(keys) == memo.keys
    )


def read_whole(sink: DashboardSink, tabs: dict[str, TabInfo]) -> dict[str, Grid]:
    # A bare title reads the whole tab, however many rows appends have added since info() was read.
    ranges = {key: quote_sheet(ti.title) for key, ti in tabs.items()}
    if not ranges:
        return {}
    read = sink.read(list(ranges.values()), value_render=READ)
    return {key: read.get(a1, []) for key, a1 in ranges.items()}


def _find_tab(info: SpreadsheetInfo, tab: Tab) -> TabInfo | None:
    exact = info.tab(tab.title)
    return exact or next((t for t in info.tabs if t.title in tab.titles), None)


def _reviews(tab: Tab, grid: Grid) -> list[ReviewCell]:
    """The committee's cells of every keyed row, as typed (columns found by header, so moved ones too), with
    the version the row showed."""
    positions, _ = diff.place_columns(tab, diff.header_of(grid))
    committee = [c for c in tab.columns if c.owner == "committee"]
    out: list[ReviewCell] = []
    first, _repeats, _keyless = diff.rows_by_key(tab, grid, positions)
    for key, r in first.items():
        texts = {c.key: cells.text_of(diff.cell(grid, r, positions[c.key])).strip() for c in committee}
        shown = diff.cell(grid, r, positions["version"])
        version = int(shown) if isinstance(shown, int | float) and not isinstance(shown, bool) else None
        out.append(
            ReviewCell(
                key,
                texts.get("decision", ""),
                texts.get("override_score", ""),
                texts.get("comment", ""),
                version,
            )
        )
    return out
