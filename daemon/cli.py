"""The ``kpisync`` command: sync once, run on a schedule, rescore, check a config, run the demo, drive the
sandbox.

The only place that configures logging and the only module of the daemon that may import the sandbox. A
config error is one line on stderr (``kpisync: <file>:<line>: <key>: <message>``) and exit status 2, never a
traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from connectors.errors import ConnectorError
from daemon.admin.doctor import diagnose, key_config_error, read_key
from daemon.admin.init_config import DEFAULT_RUBRIC, ConfigExistsError, render_config, write_config
from daemon.admin.status import read_status, report_lines, runs_table
from daemon.admin.tables import change_table
from daemon.app import build_connectors, build_deps, build_store, kpisync_version, stop_on_signals
from daemon.demo import DemoError, run_demo
from daemon.errors import ConfigError
from daemon.logging_setup import configure_logging
from daemon.notify import Notifier, watchdog_interval
from daemon.progress import for_terminal
from daemon.results.rescore import run_rescore
from daemon.settings import Settings, load_settings
from daemon.store.lease import LeaseBusyError
from daemon.sync.cycle import SyncInterruptedError, run_sync
from daemon.sync.run_record import SyncSummary
from sandbox.cli import sandbox_app
from sandbox.core import SERVICE_ACCOUNT as SANDBOX_SERVICE_ACCOUNT
from sandbox.seed import seed_sample
from sandbox.server import RunningSandbox
from sandbox.server import start as start_sandbox_server

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


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"kpisync {kpisync_version()}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", help="Print the version and exit.", callback=_print_version, is_eager=True),
    ] = False,
) -> None:
    """Sync Google Forms evidence into a scored, reviewed Google Sheet dashboard."""


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
    deps.progress = for_terminal(sys.stderr) or deps.progress
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
    """Run the daemon: a sync every ``schedule.interval_minutes``, one at a time, until SIGTERM or Ctrl-C."""
    # APScheduler costs every other command a tenth of a second to import; only the daemon needs it.
    from daemon.service import run_service  # noqa: PLC0415

    configure_logging()
    with _reported_errors():
        settings = _load(config)
        # Built once: each sync reads its slice of the ledger, and the HTTP layer keeps one Http per thread.
        deps = build_deps(settings)
    deps.progress = for_terminal(sys.stderr) or deps.progress
    notifier = Notifier.from_environ()
    in_time = run_service(
        settings,
        lambda: run_sync(settings, deps),
        notifier=notifier,
        version=kpisync_version(),
        now=lambda: _now(settings),
        watchdog_seconds=watchdog_interval(),
        stop=deps.stop,
    )
    notifier.close()
    if in_time:  # a sync still running keeps its connections until the process ends
        deps.close()


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


@app.command()
def status(
    config: ConfigOption,
    runs: Annotated[int, typer.Option("--runs", min=1, help="How many of the last syncs to list.")] = 10,
) -> None:
    """The last syncs, the latest one's failures, the open flags and the next run. No Google call."""
    with _reported_errors():
        settings = _load(config)
        store = build_store(settings, must_exist=True)
        try:
            report = read_status(store.engine, settings, limit=runs)
        finally:
            store.close()
    for line in report_lines(report, settings, _now(settings)):
        typer.echo(line)
    Console().print(runs_table(report, settings))


@app.command()
def export(
    config: ConfigOption,
    out: Annotated[
        list[Path],
        typer.Option("--out", "-o", help="File to write, .xlsx or .csv; repeat for both.", dir_okay=False),
    ],
    round_months: Annotated[
        int | None, typer.Option("--round", help="6, 9 or 12 (default: the latest round with results).")
    ] = None,
    fiscal_year: Annotated[
        int | None, typer.Option("--fiscal-year", help="Buddhist era, e.g. 2569 (default: the config's).")
    ] = None,
) -> None:
    """Write one round's results, as the dashboard's summary tab shows them, to .xlsx/.csv. No Google call."""
    # openpyxl costs every other command a tenth of a second to import; only export needs it.
    from daemon.admin.export import FORMATS, NothingToExportError, export_round  # noqa: PLC0415

    for path in out:
        if path.suffix.lower() not in FORMATS:
            raise typer.BadParameter(f"{path}: use a .xlsx or .csv file name", param_hint="--out")
    with _reported_errors():
        settings = _load(config)
        store = build_store(settings, must_exist=True)
        try:
            done = export_round(
                store.engine, settings, round_months, out, _now(settings), fiscal_year=fiscal_year
            )
        except NothingToExportError as exc:
            typer.echo(f"kpisync: export: {exc}", err=True)
            raise typer.Exit(EXIT_FAILED) from None
        finally:
            store.close()
    written = ", ".join(str(p) for p in out)
    typer.echo(f"kpisync: {done.round_label}: {len(done.rows)} rows -> {written}")


@app.command()
def doctor(config: ConfigOption) -> None:
    """Ask Google whether the service account can open every form, upload folder, the roster and the
    dashboard, and whether the config's question titles and roles match them. Writes nothing."""
    with _reported_errors():
        settings = _load(config)
    key = read_key(settings)
    if settings.google.base_url is not None and key.client_email is None:
        key = replace(key, client_email=SANDBOX_SERVICE_ACCOUNT)  # who the sandbox takes every caller for
    findings = diagnose(settings, key, build_connectors, _now(settings))
    for finding in findings:
        typer.echo(finding.line())
    problems = sum(1 for f in findings if f.level == "fail")
    typer.echo(f"kpisync: doctor: {problems} problem(s)" if problems else "kpisync: doctor: all reachable")
    if problems:
        raise typer.Exit(EXIT_FAILED)


@app.command("check-config")
def check_config(config: ConfigOption) -> None:
    """Validate the config, its rubric file and the key file; exit 2 with one line if anything is wrong.
    It cannot see the forms: `kpisync doctor` asks Google about titles and sharing."""
    with _reported_errors():
        settings = _load(config)
        problem = key_config_error(settings, read_key(settings))
        if problem is not None:
            raise problem
    forms = len(settings.forms)
    indicators = len(settings.rubrics.indicators)
    typer.echo(f"kpisync: {config}: ok ({forms} forms, {indicators} indicators)")
    typer.echo(
        "kpisync: not checked here (the files alone cannot tell): question titles, sharing, APIs, roles; "
        f"run `kpisync doctor --config {config}`"
    )


@app.command()
def init(
    *,
    out: Annotated[Path, typer.Option("--out", "-o", help="Where to write the config.", dir_okay=False)],
    form_id: Annotated[list[str] | None, typer.Option("--form-id", help="A form's id; repeat.")] = None,
    dashboard_id: Annotated[str | None, typer.Option("--dashboard-id", help="The dashboard's id.")] = None,
    roster_id: Annotated[str | None, typer.Option("--roster-id", help="The roster spreadsheet's id.")] = None,
    rubric_file: Annotated[
        str, typer.Option("--rubric-file", help="Rubric set, relative to the config.")
    ] = DEFAULT_RUBRIC,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing file.")] = False,
) -> None:
    """Write a commented kpisync.toml to start from, with the ids given (placeholders otherwise)."""
    text = render_config(
        form_id or (), dashboard_id=dashboard_id, roster_id=roster_id, rubric_file=rubric_file
    )
    try:
        write_config(out, text, force=force)
    except (ConfigExistsError, OSError) as exc:
        typer.echo(f"kpisync: init: {exc}", err=True)
        raise typer.Exit(EXIT_CONFIG) from None
    typer.echo(
        f"kpisync: wrote {out}; edit it, then `kpisync check-config --config {out}` and `kpisync doctor`"
    )


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
