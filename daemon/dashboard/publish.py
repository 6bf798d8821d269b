"""Bring the dashboard up to the model in as few calls as the 2 MB advice allows, so that nothing a person
types is lost or moved.

``daemon.dashboard.read.read_dashboard`` (one ``info()``, one ``read()``) runs before scoring, so the
committee's cells count in the same sync; after a narrow read (only the columns people type in, when
nothing was due to change) the tabs are read whole first. ``publish`` then plans against that read
(``daemon.dashboard.diff``) and, before writing to a
tab that already has rows, reads its header and key column again (the fence): a person may have sorted,
inserted, moved or deleted rows while the sync scored. When the fence shows the same keys in the same places
the plan stands; otherwise the tab is read again whole and planned anew. Everything then goes in
spreadsheets.batchUpdate calls of at most 2 MB, each applied by Google all or nothing, in an order where any
prefix is a consistent Sheet: structure, cells of existing rows, deletions, then new rows appended whole. A
publish cut short (a failed call, a killed process) is finished by the next sync's plan, and leaves no row
without its key. After writing, the header and keys are read once more (the check): if a person moved rows
between the fence and the write, the tab is read and the misplaced cells rewritten (twice at most; the next
sync repairs whatever is left).

The committee's cells are never written into an existing row. A row that must be appended for a key the
Sheet has lost (a person deleted the row by mistake) carries the review stored for it: those cells are part
of a row the daemon creates, where nobody can have typed, and putting back what the committee typed is the
only way its words are not lost with the row (nor read back as blanks).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

import structlog

from connectors.a1 import column_letters, quote_sheet
from connectors.base import DashboardSink, TabInfo
from daemon.dashboard import calls, cells, diff
from daemon.dashboard import sheet_requests as req
from daemon.dashboard.diff import Grid, TabChanges
from daemon.dashboard.labels import CHART_TITLE, pick
from daemon.dashboard.layout import Tab, layout
from daemon.dashboard.layout_work import chart_rows
from daemon.dashboard.model import DashboardModel, ReviewCell
from daemon.dashboard.read import READ, DashboardState, read_dashboard, read_whole

log = structlog.get_logger(__name__)

MAX_CALL_BYTES = 2_000_000  # Google's advice for one request's payload (its hard limit is 10 MB)
_REPAIRS = 2


@dataclass(frozen=True)
class PublishResult:
    reviews: list[ReviewCell]
    write_calls: int
    rows_written: int
    repairs: int = 0  # rounds of rewriting after people moved rows during the write
    # The submissions tab's header and key column as this publish last saw them once its writes were done
    # (None: not known for sure, e.g. people still moving rows after the repairs): the next sync's memo.
    sheet: tuple[list[str], list[str]] | None = None


def publish(
    sink: DashboardSink,
    model: DashboardModel,
    state: DashboardState | None = None,
    *,
    dry_run: bool = False,
    max_call_bytes: int = MAX_CALL_BYTES,
) -> PublishResult:
    """Bring the dashboard spreadsheet up to ``model``, against ``state`` as ``read_dashboard`` found it
    (read here when not given), in calls of at most ``max_call_bytes``, and return what the committee
    typed."""
    if state is None:
        state = read_dashboard(sink, model.lang)
    reads = 0
    if not state.complete:
        # A narrow read found something to write after all (the committee typed, rows moved): plan against
        # the whole tabs.
        state = replace(state, grids=read_whole(sink, {k: ti for k, ti in state.found.items() if ti}))
        state = replace(state, complete=True)
        reads += 1
    tabs = layout(model).tabs
    grids = dict(state.grids)
    plans = _plan(tabs, state, grids, model)
    writes = repairs = 0
    if not dry_run:
        reads += _fence(sink, plans, state=state, grids=grids, tabs=tabs, model=model)
    rows = sum(p.rows_written for p in plans.values())
    checked: tuple[list[str], list[str]] | None = None
    if not dry_run:
        writes += _send(sink, plans, max_call_bytes)
        for _ in range(_REPAIRS):
            if not writes:
                break
            moved, seen = _moved(sink, plans, state)
            reads += 1 if any(p.tab.key_column and p.writes_rows for p in plans.values()) else 0
            checked = seen.get("submissions")
            if not moved:
                break
            checked = None
            repairs += 1
            log.warning("publish.moved_during_write", tabs=sorted(moved))
            grids.update(read_whole(sink, {k: _tab_info(state, plans[k]) for k in moved}))
            reads += 1
            plans = {
                k: _replan(tabs, k, state=state, grids=grids, model=model, before=plans[k]) for k in moved
            }
            writes += _send(sink, plans, max_call_bytes)
    log.info(
        "publish.done",
        rows_written=rows,
        write_calls=writes,
        read_calls=reads,
        repairs=repairs,
        dry_run=dry_run,
    )
    submissions = plans.get("submissions")
    sheet = checked
    if sheet is None and submissions is not None and not submissions.writes_rows and not dry_run:
        sheet = _shown(grids, submissions)  # untouched by this publish: as read
    return PublishResult(list(state.reviews), writes, rows, repairs, sheet)


def _plan(
    tabs: tuple[Tab, ...], state: DashboardState, grids: dict[str, Grid], model: DashboardModel
) -> dict[str, TabChanges]:
    next_id = max((t.sheet_id for t in state.info.tabs), default=0) + 1
    plans: dict[str, TabChanges] = {}
    for index, tab in enumerate(tabs):
        found = state.found.get(tab.key)
        plans[tab.key] = diff.plan_tab(
            tab, found, grids.get(tab.key, []) if found else [], model.lang, new_id=next_id, index=index
        )
        if found is None:
            next_id += 1
            if tab.key == "indicators":
                title = pick(CHART_TITLE, model.lang)
                positions = plans[tab.key].positions
                chart = req.distribution_chart(
                    plans[tab.key].sheet_id, tab, positions, chart_rows(model), title
                )
                plans[tab.key].structure.append(chart)
    return plans


def _replan(
    tabs: tuple[Tab, ...],
    key: str,
    *,
    state: DashboardState,
    grids: dict[str, Grid],
    model: DashboardModel,
    before: TabChanges,
) -> TabChanges:
    tab = next(t for t in tabs if t.key == key)
    info = _tab_info(state, before)
    return diff.plan_tab(tab, info, grids.get(key, []), model.lang, new_id=info.sheet_id, index=info.index)


def _tab_info(state: DashboardState, plan: TabChanges) -> TabInfo:
    """The tab as it stands now: the one read, or the one this publish created."""
    found = state.found.get(plan.tab.key)
    if found is not None:
        return found
    return TabInfo(plan.sheet_id, plan.tab.title, 0, req.DEFAULT_ROWS, req.DEFAULT_COLUMNS)


def _key_ranges(title: str, key_col: int) -> tuple[str, str]:
    letter = column_letters(key_col)
    return f"{quote_sheet(title)}!1:1", f"{quote_sheet(title)}!{letter}:{letter}"


def _keys_read(
    sink: DashboardSink, targets: dict[str, tuple[str, int]]
) -> dict[str, tuple[list[str], list[str]]]:
    """For each tab (title, key column): its header texts and its key column, in one read."""
    ranges = {k: _key_ranges(*t) for k, t in targets.items()}
    flat = [r for pair in ranges.values() for r in pair]
    read = sink.read(flat, value_render=READ)
    out: dict[str, tuple[list[str], list[str]]] = {}
    for k, (head, keys) in ranges.items():
        header = diff.header_of(read.get(head, []))
        column = [cells.text_of(row[0]).strip() if row else "" for row in read.get(keys, [])]
        out[k] = (header, column)
    return out


def _fence(
    sink: DashboardSink,
    plans: dict[str, TabChanges],
    *,
    state: DashboardState,
    grids: dict[str, Grid],
    tabs: tuple[Tab, ...],
    model: DashboardModel,
) -> int:
    """Check, right before writing, that each existing keyed tab still has its rows where the plan found
    them; plan again from a fresh read where it does not. Returns the calls made."""
    existing = {k: ti for k, ti in state.found.items() if ti is not None}
    targets = {
        k: (existing[k].title, p.positions[p.tab.key_column])
        for k, p in plans.items()
        if p.tab.key_column and k in existing and p.writes_rows
    }
    if not targets:
        return 0
    now = _keys_read(sink, targets)
    calls = 1
    stale = {k for k, (header, keys) in now.items() if (header, keys) != _shown(grids, plans[k])}
    if stale:
        log.info("publish.rows_moved_before_write", tabs=sorted(stale))
        grids.update(read_whole(sink, {k: existing[k] for k in stale}))
        calls += 1
        for k in stale:
            plans[k] = _replan(tabs, k, state=state, grids=grids, model=model, before=plans[k])
    return calls


def _shown(grids: dict[str, Grid], plan: TabChanges) -> tuple[list[str], list[str]]:
    """The header and key column as the plan's read had them (trailing blanks dropped, as Google does)."""
    grid = grids.get(plan.tab.key, [])
    key_at = plan.positions[plan.tab.key_column] if plan.tab.key_column else 0
    keys = [cells.text_of(diff.cell(grid, r, key_at)).strip() for r in range(len(grid))]
    while keys and not keys[-1]:
        keys.pop()
    return diff.header_of(grid[:1]), keys


def _pieces(plans: dict[str, TabChanges]) -> Iterator[calls.Piece]:
    """Every tab's structure first (a row cannot be written into a tab that does not exist yet), then each
    tab's rows."""
    for p in plans.values():
        yield from (calls.encode(r) for r in p.structure)
    for p in plans.values():
        yield from p.pieces()


def _bodies(plans: dict[str, TabChanges], limit: int = MAX_CALL_BYTES) -> Iterator[bytes]:
    """The calls' bodies, each of at most ``limit`` bytes and built only when the one before was taken."""
    return calls.pack(_pieces(plans), limit)


def _send(sink: DashboardSink, plans: dict[str, TabChanges], limit: int) -> int:
    """Send the plans' calls one by one, each body let go before the next is built; returns how many."""
    sent = 0
    for body in _bodies(plans, limit):
        sink.batch_update_body(body)
        sent += 1
        del body
    return sent


def planned_calls(model: DashboardModel, state: DashboardState) -> list[bytes]:
    """The spreadsheets.batchUpdate bodies (``{"requests": [...]}`` as the UTF-8 JSON sent) a publish of
    ``model`` would send against ``state`` when nobody moves rows meanwhile: what a dry run or a size check
    looks at."""
    return list(_bodies(_plan(layout(model).tabs, state, dict(state.grids), model)))


def _moved(
    sink: DashboardSink, plans: dict[str, TabChanges], state: DashboardState
) -> tuple[set[str], dict[str, tuple[list[str], list[str]]]]:
    """The keyed tabs whose rows are not where the write meant them to be (one read for all), and each
    written keyed tab's header and key column as that read found them."""
    targets: dict[str, tuple[str, int]] = {}
    for k, p in plans.items():
        if p.tab.key_column and p.writes_rows:
            targets[k] = (_tab_info(state, p).title, p.positions[p.tab.key_column])
    if not targets:
        return set(), {}
    now = _keys_read(sink, targets)
    return {k for k, (header, keys) in now.items() if not _as_expected(plans[k], header, keys)}, now


def _as_expected(plan: TabChanges, header: list[str], keys: list[str]) -> bool:
    tab = plan.tab
    if any(header[plan.positions[c.key]] != c.header if plan.positions[c.key] < len(header) else True
           for c in tab.columns):  # fmt: skip
        return False
    deleted = sorted(set(plan.deletes))
    for r, key in plan.expect_at.items():
        final = r - sum(1 for d in deleted if d < r)
        if (keys[final] if final < len(keys) else "") != key:
            return False
    seen: dict[str, int] = {}
    for key in keys[1:]:
        if key:
            seen[key] = seen.get(key, 0) + 1
    return all(seen.get(key) == 1 for key in plan.expect_keys)
