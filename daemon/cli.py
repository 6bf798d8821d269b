"""The ``kpisync`` command: sync once, run on a schedule, rescore, check a config, run the demo, drive the
sandbox.

The only place that configures logging and the only module of the daemon that may import the sandbox. A
config error is one line on stderr (``kpisync: <file>:<line>: <key>: <message>``) and exit status 2, never a
traceback.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from apscheduler.schedulers.blocking import BlockingScheduler
from rich.console import Console
from rich.table import Table

from connectors.errors import ConnectorError
from daemon.app import build_deps, build_store, stop_on_signals
from daemon.demo import DemoError, run_demo
from daemon.errors import ConfigError
from daemon.logging_setup import configure_logging
from daemon.results.rescore import ScoreChange, run_rescore
from daemon.scheduler import schedule_syncs
from daemon.settings import Settings, load_settings
from daemon.store.lease import LeaseBusyError
from daemon.sync.cycle import SyncInterruptedError, run_sync
from daemon.sync.run_record import SyncSummary
from sandbox.cli import sandbox_app
from sandbox.seed import seed_sample
from sandbox.server import RunningSandbox
from sandbox.server import start as start_sandbox_server
from scoring.explain import Lang

app = typer.Typer(
    name="kpisync",
    help="Sync Google Forms evidence into a scored, reviewed Google Sheet dashboard.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

ConfigOption = Annotated[
    Path, typer.Option("--config", "-c", help="Path to kpisync.toml.", dir_okay=False, show_default=False)
]
EXIT_CONFIG = 2
EXIT_FAILED = 1
# Some part of the sync failed (a form, the roster, Drive, publish) and the rest went through: a timer or a
# cron line must notice, but it is not the same as nothing having been done.
EXIT_PARTIAL = 3
# Another process (the service, an admin's sync) holds the database's sync lease: nothing was done.
EXIT_BUSY = 4
# Stopped by SIGTERM or Ctrl-C at a step boundary: what was done is committed, the next sync continues.
EXIT_STOPPED = 143


def config_error_line(exc: ConfigError) -> str:
    """``kpisync: <file>:<line>: <key>: <message>`` on one line, whatever the message's own line breaks."""
    where = exc.file if exc.line is None else f"{exc.file}:{exc.line}"
    key = f" {exc.key}:" if exc.key else ""
    return f"kpisync: {where}:{key} {' '.join(exc.message.split())}"


@contextmanager
def _reported_errors() -> Iterator[None]:
    """Turn the errors an operator can fix into one line and an exit status instead of a traceback."""
    try:
        yield
    except ConfigError as exc:
        typer.echo(config_error_line(exc), err=True)
        raise typer.Exit(EXIT_CONFIG) from None
    except ConnectorError as exc:
        typer.echo(f"kpisync: Google API: {' '.join(str(exc).split())}", err=True)
        raise typer.Exit(EXIT_FAILED) from None
    except LeaseBusyError as exc:
        typer.echo(
            f"kpisync: {exc}. Nothing was done: try again when it ends, or pass --wait SECONDS"
            " / มีการซิงก์อื่นกำลังทำงานอยู่ ยังไม่ได้ทำอะไร ลองใหม่เมื่อเสร็จ",
            err=True,
        )
        raise typer.Exit(EXIT_BUSY) from None
    except SyncInterruptedError:
        typer.echo(
            "kpisync: stopped on request; everything done so far is saved and the next sync continues"
            " / หยุดตามคำสั่ง งานที่ทำแล้วบันทึกไว้ การซิงก์ครั้งถัดไปทำต่อ",
            err=True,
        )
        raise typer.Exit(EXIT_STOPPED) from None


def _load(config: Path) -> Settings:
    return load_settings(config)


@app.command()
def sync(
    config: ConfigOption,
    once: Annotated[
        bool, typer.Option("--once", help="Run one sync and exit (`kpisync run` schedules).")
    ] = True,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Compute everything, write nothing.")] = False,
    wait: Annotated[
        float,
        typer.Option("--wait", help="Seconds to wait for another sync of the same database to end.", min=0),
    ] = 0.0,
) -> None:
    """Run one sync cycle: pull responses, check evidence, score, publish the dashboard."""
    configure_logging()
    with _reported_errors():
        # --once is what `sync` always does; the flag is kept so systemd units and cron lines read explicitly.
        del once
        settings = _load(config)
        summary = _sync_once(settings, dry_run=dry_run, wait_seconds=wait)
    typer.echo(_summary_line(summary))
    if summary.outcome == "partial":
        for failure in summary.failures:
            typer.echo(f"kpisync: ผ่านไปบางส่วน (partial): {failure.line()}", err=True)
        raise typer.Exit(EXIT_PARTIAL)


def _sync_once(settings: Settings, *, dry_run: bool, wait_seconds: float = 0.0) -> SyncSummary:
    deps = build_deps(settings)
    try:
        with stop_on_signals(deps.stop):
            return run_sync(settings, deps, dry_run=dry_run, wait_seconds=wait_seconds)
    finally:
        deps.close()


def _summary_line(summary: SyncSummary) -> str:
    parts = [f"run={summary.run_id}", f"outcome={summary.outcome}", f"dry_run={summary.dry_run}"]
    parts += [f"api_calls={summary.api_calls}", f"write_calls={summary.write_calls}"]
    parts += [f"{k}={v}" for k, v in summary.counts.items()]
    return "kpisync: sync finished: " + " ".join(parts)


@app.command()
def run(config: ConfigOption) -> None:
    """Run the daemon: a sync every ``schedule.interval_minutes``, one at a time, until stopped."""
    configure_logging()
    with _reported_errors():
        settings = _load(config)
        _run_scheduler(settings)


def _run_scheduler(settings: Settings) -> None:
    scheduler = BlockingScheduler(timezone=settings.timezone)
    # Built once: each sync reads its own slice of the ledger, and the HTTP layer keeps one Http per thread.
    deps = build_deps(settings)
    schedule_syncs(scheduler, settings, lambda: run_sync(settings, deps), _now(settings))
    # SIGTERM sets deps.stop: the running sync ends at its next step boundary, then the scheduler stops.
    watcher = threading.Thread(
        target=_shutdown_when_stopped, args=(scheduler, deps.stop), name="kpisync-stop", daemon=True
    )
    try:
        with stop_on_signals(deps.stop):
            watcher.start()
            scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        scheduler.shutdown(wait=False)
    finally:
        deps.stop.set()
        deps.close()


def _shutdown_when_stopped(scheduler: BlockingScheduler, stop: threading.Event) -> None:
    stop.wait()
    if scheduler.running:
        # Waits for the sync in progress, which the same event makes stop at its next step boundary.
        scheduler.shutdown(wait=True)


def _now(settings: Settings) -> datetime:
    return datetime.now(settings.tz)


@app.command()
def rescore(
    config: ConfigOption,
    wait: Annotated[
        float,
        typer.Option("--wait", help="Seconds to wait for a sync of the same database to end.", min=0),
    ] = 0.0,
) -> None:
    """Recompute every score from the database after a rubric change; print what changed. No Google call."""
    configure_logging()
    with _reported_errors():
        settings = _load(config)
        store = build_store(settings)
        try:
            changes = run_rescore(settings, store, wait_seconds=wait)
        finally:
            store.close()
    Console().print(change_table(changes, settings.lang))


def change_table(changes: list[ScoreChange], lang: Lang) -> Table | str:
    """Person, indicator (or weighted / category / total), round, old → new, then the count."""
    th = lang == "th"
    if not changes:
        return "ไม่มีคะแนนเปลี่ยน" if th else "No score changed"
    none = "ไม่มีคะแนน" if th else "–"
    caption = f"คะแนนที่เปลี่ยน {len(changes)} รายการ" if th else f"{len(changes)} scores changed"
    table = Table(caption=caption, caption_justify="left")
    for header in (("ผู้รับการประเมิน", "Person"), ("ตัวชี้วัด/คะแนน", "Indicator/score"), ("รอบ", "Round")):
        table.add_column(header[0] if th else header[1])
    table.add_column("เดิม → ใหม่" if th else "old → new", justify="right")
    for ch in changes:
        old = none if ch.old is None else str(ch.old)
        new = none if ch.new is None else str(ch.new)
        if ch.old == ch.new:  # the value stayed and only the status moved (pending → manual …)
            old, new = f"{old} ({ch.old_status})", f"{new} ({ch.new_status})"
        table.add_row(ch.person, ch.label, ch.round, f"{old} → {new}")
    return table


@app.command("check-config")
def check_config(config: ConfigOption) -> None:
    """Load and validate a config file and its rubric file; exit 2 with one line if anything is wrong."""
    with _reported_errors():
        settings = _load(config)
    forms = len(settings.forms)
    indicators = len(settings.rubrics.indicators)
    typer.echo(f"kpisync: {config}: ok ({forms} forms, {indicators} indicators)")


@app.command()
def demo(
    serve: Annotated[
        bool, typer.Option("--serve", help="Keep the sandbox and its HTML view running.")
    ] = False,
    data: Annotated[
        Path | None,
        typer.Option("--data", help="Data directory (default: a new temporary one).", file_okay=False),
    ] = None,
    lang: Annotated[str, typer.Option("--lang", help="th or en.")] = "th",
) -> None:
    """Start the sandbox with sample data, sync once, print scores and flags, write the dashboard HTML."""
    configure_logging(level="WARNING")
    console = Console()
    with _reported_errors():
        try:
            run_demo(
                data,
                start_sandbox=start_seeded_sandbox,
                serve=serve,
                console=console,
                lang="en" if lang == "en" else "th",
            )
        except DemoError as exc:
            typer.echo(f"kpisync: demo: {exc}", err=True)
            raise typer.Exit(EXIT_FAILED) from None


def start_seeded_sandbox(data_dir: Path) -> RunningSandbox:
    """The demo's workspace: the sandbox with the sample office, on a free loopback port."""
    seed_sample(data_dir)
    return start_sandbox_server(data_dir)


def _mount_sandbox() -> None:
    # Only the CLI reaches into the sandbox: the daemon proper talks to it over HTTP like to Google.
    app.add_typer(sandbox_app, name="sandbox", help="The local stand-in for Google Workspace.")


_mount_sandbox()


def main() -> None:
    """Console script entry point."""
    app(prog_name="kpisync")


if __name__ == "__main__":
    main()
