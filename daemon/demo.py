"""``kpisync demo``: the sandbox with its sample office, one full sync, and what the committee would see.

Seeds the sandbox into a fresh data directory, starts it on loopback, points the example config at it (base
URL and database through the settings' environment overrides, never by editing the file), runs one sync,
prints the flags and the top of the ranking as read back from the dashboard Sheet, and saves the sandbox's
HTML view of the dashboard as ``<data>/dashboard.html``. With ``serve`` it keeps the sandbox up until
Ctrl-C.
"""

from __future__ import annotations

import os
import re
import tempfile
import threading
import urllib.request
from collections import Counter
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Protocol

from rich.console import Console
from rich.table import Table

from connectors.a1 import quote_sheet
from daemon.app import build_deps
from daemon.dashboard import labels
from daemon.dashboard.labels import pick
from daemon.settings import ENV_BASE_URL, ENV_DATABASE, Settings, load_settings
from daemon.sync.cycle import SyncDeps, run_sync
from scoring.explain import Lang

CONFIG_RELATIVE = Path("config") / "kpisync.toml"
TOP_RANKS = 3


class DemoError(Exception):
    """Something the person running the demo can fix (a missing config, a data directory in use)."""


def find_config(start: Path | None = None) -> Path:
    """config/kpisync.toml of the repository this package is installed from (editable install)."""
    here = (start or Path(__file__)).resolve()
    for parent in here.parents:
        candidate = parent / CONFIG_RELATIVE
        if candidate.is_file():
            return candidate
    raise DemoError(f"cannot find {CONFIG_RELATIVE} above {here.parent}; run from a checkout of kpisync")


def prepare_data_dir(data: Path | None) -> Path:
    if data is None:
        return Path(tempfile.mkdtemp(prefix="kpisync-demo-"))
    data.mkdir(parents=True, exist_ok=True)
    if any(data.iterdir()):
        raise DemoError(f"{data} is not empty; the demo needs a fresh data directory")
    return data


def demo_settings(config: Path, base_url: str, data_dir: Path, environ: Mapping[str, str]) -> Settings:
    env = {**environ, ENV_BASE_URL: base_url, ENV_DATABASE: str(data_dir / "kpisync.db")}
    return load_settings(config, env=env)


class LocalWorkspace(Protocol):
    """A running stand-in for Google Workspace (the sandbox, started by the CLI: nothing else imports it)."""

    base_url: str

    def shutdown(self) -> None: ...


def run_demo(
    data: Path | None,
    *,
    start_sandbox: Callable[[Path], LocalWorkspace],
    serve: bool,
    console: Console,
    lang: Lang = "th",
    stop: threading.Event | None = None,
    environ: Mapping[str, str] | None = None,
) -> Path:
    """Run the demo; returns the path of the dashboard HTML. ``start_sandbox(dir)`` seeds and starts the
    sandbox in ``dir``; ``stop`` ends ``serve`` (Ctrl-C does too)."""
    config = find_config()
    data_dir = prepare_data_dir(data)
    sandbox_dir = data_dir / "sandbox"
    sandbox_dir.mkdir()
    running = start_sandbox(sandbox_dir)
    try:
        settings = demo_settings(
            config, running.base_url, data_dir, os.environ if environ is None else environ
        )
        deps = build_deps(settings)
        try:
            summary = run_sync(settings, deps)
            title = pick(labels.DEMO["title"], lang)
            counts = " ".join(f"{k}={v}" for k, v in summary.counts.items())
            console.print(f"[bold]{title}[/bold] run={summary.run_id} {counts}", highlight=False)
            _print_dashboard(console, deps, settings, lang)
        finally:
            deps.close()
        html = data_dir / "dashboard.html"
        html.write_bytes(_fetch(f"{running.base_url}/view/spreadsheets/{settings.dashboard.spreadsheet_id}"))
        console.print(f"{pick(labels.DEMO['dashboard_written'], lang)}: {html}", markup=False)
        if serve:
            console.print(f"{pick(labels.DEMO['serving'], lang)} {running.base_url}/", markup=False)
            console.print(pick(labels.DEMO["stop_hint"], lang))
            _wait(stop)
        return html
    finally:
        running.shutdown()


def _wait(stop: threading.Event | None) -> None:
    event = stop or threading.Event()
    try:
        while not event.wait(timeout=0.5):
            pass
    except KeyboardInterrupt:
        return


def _fetch(url: str) -> bytes:
    if not url.startswith(("http://127.0.0.1", "http://localhost")):
        raise DemoError(f"refusing to fetch a non-loopback address: {url}")
    with urllib.request.urlopen(url, timeout=30) as reply:  # noqa: S310 (loopback sandbox only, checked above)
        body: bytes = reply.read()
    return body


def _print_dashboard(console: Console, deps: SyncDeps, settings: Settings, lang: Lang) -> None:
    """Flags per kind and the top of the ranking, as the committee sees them in the Sheet."""
    sink = deps.sheets.open(settings.dashboard.spreadsheet_id)
    subs_title = pick(labels.TAB_TITLES["submissions"], settings.lang)
    summary_title = pick(labels.TAB_TITLES["summary"], settings.lang)
    ranges = [quote_sheet(subs_title), quote_sheet(summary_title)]  # a bare title reads the whole tab
    grids = sink.read(ranges, value_render="FORMATTED_VALUE")
    console.print(flag_table(grids.get(ranges[0], []), lang))
    console.print(rank_table(grids.get(ranges[1], []), lang))


def _column(header: list[Any], phrase: tuple[str, str]) -> int | None:
    return next((i for i, h in enumerate(header) if str(h).strip() in phrase), None)


def flag_table(grid: list[list[Any]], lang: Lang) -> Table:
    """How many rows carry each flag (one cell lists a row's flags, one per line, ``label: detail``)."""
    table = Table(title=pick(labels.DEMO["flags_title"], lang))
    table.add_column(pick(labels.SUBMISSION_HEADERS["flags"], lang))
    table.add_column(pick(labels.DEMO["count"], lang), justify="right")
    if not grid:
        return table
    at = _column(grid[0], labels.SUBMISSION_HEADERS["flags"])
    counts: Counter[str] = Counter()
    for row in grid[1:]:
        if at is not None and at < len(row):
            for line in str(row[at]).splitlines():
                if line.strip():
                    counts[line.split(":", 1)[0].strip()] += 1
    for label, n in counts.most_common():
        table.add_row(label, str(n))
    return table


def _round_months(label: str) -> int:
    found = re.search(r"\d+", label)
    return int(found.group()) if found else 0


def _rank(text: str) -> int:
    return int(text) if text.isdigit() else 1 << 30


def rank_table(grid: list[list[Any]], lang: Lang) -> Table:
    """The first ranks of each role in the latest round (ranks compare people of the same role)."""
    table = Table(title=pick(labels.DEMO["top_title"], lang))
    keys = ("round", "role", "rank", "name", "total", "weighted", "flags_open")
    for key in keys:
        numeric = key in ("rank", "total", "weighted", "flags_open")
        table.add_column(
            pick(labels.SUMMARY_HEADERS[key], lang),
            justify="right" if numeric else "left",
            min_width=9 if key in ("total", "weighted") else None,
        )
    if not grid:
        return table
    where = {key: _column(grid[0], labels.SUMMARY_HEADERS[key]) for key in keys}
    rows = [
        {k: (str(row[i]) if i is not None and i < len(row) else "") for k, i in where.items()}
        for row in grid[1:]
    ]
    # The latest round only (the 12-month round decides praise and pay); the Sheet has every round.
    latest = max((r["round"] for r in rows), key=_round_months, default="")
    shown: Counter[str] = Counter()
    # The summary is keyed by person, not ordered by rank: people sort it, new rows are appended.
    ordered = sorted((r for r in rows if r["round"] == latest), key=lambda r: (r["role"], _rank(r["rank"])))
    for cells in ordered:
        group = cells["role"]
        if shown[group] >= TOP_RANKS:
            continue
        shown[group] += 1
        # The fiscal year is the same on every row: show the round alone to keep the table narrow.
        cells["round"] = cells["round"].split(" ปีงบประมาณ")[0].split(" FY")[0]
        table.add_row(*(cells[k] for k in keys))
    return table
