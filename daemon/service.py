"""``kpisync run``: the daemon's life under systemd (``Type=notify``) or on a terminal.

Start: one ``service.started`` line with the version, the config, the database and the next run; then
``READY=1``. Each sync sets ``STATUS=`` to "syncing since …", and afterwards to the last sync in words with
the next run (what ``systemctl status kpisync`` shows). A watchdog job of its own, on its own thread, pings
``WATCHDOG=1`` at half of ``WatchdogSec=`` also while a long sync runs. SIGTERM or SIGINT: ``STOPPING=1``,
no new sync starts, the running one is told to stop (the sync's stop event: it ends at its next step
boundary, recorded 'interrupted', everything before it committed) and given ``stop_grace_seconds`` to do so,
then the connections close and the process exits 0.

The signals are blocked in every thread and taken by the main thread with ``sigwait``, so no handler runs
in the middle of a lock a sync thread or the scheduler holds.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

import structlog
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

from daemon.admin.status import last_sync_line, syncing_line
from daemon.notify import Notifier
from daemon.scheduler import JOB_ID, schedule_syncs
from daemon.settings import Settings
from daemon.store.lease import LeaseBusyError
from daemon.sync.cycle import SyncInterruptedError
from daemon.sync.run_record import SyncSummary

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)
WATCHDOG_JOB = "watchdog"
# Below the unit's TimeoutStopSec=60s, so the process ends on its own before systemd kills it.
DEFAULT_STOP_GRACE_SECONDS = 45.0


def _log() -> structlog.typing.FilteringBoundLogger:
    return structlog.get_logger(__name__)  # type: ignore[no-any-return]


def wait_for_signal(signals: Iterable[signal.Signals] = STOP_SIGNALS) -> int:
    """Block until one of ``signals`` arrives (they must already be blocked); its number."""
    return signal.sigwait(set(signals))


@dataclass
class _SyncRunner:
    """The scheduled job: one sync at a time, none after a stop, and systemd told before and after."""

    settings: Settings
    sync: Callable[[], SyncSummary]
    notifier: Notifier
    now: Callable[[], datetime]
    next_run: Callable[[], datetime | None]
    idle: threading.Event = field(default_factory=threading.Event)
    stopping: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.idle.set()

    def __call__(self) -> None:
        with self._lock:
            if self.stopping:
                return
            self.idle.clear()
        settings = self.settings
        outcome, finished, counts = "failed", None, {}
        try:
            self.notifier.status(syncing_line(self.now(), settings.tz, settings.lang))
            summary = self.sync()
            outcome, finished, counts = summary.outcome, summary.finished_at, summary.counts
        except SyncInterruptedError:
            outcome = "interrupted"
            raise
        except LeaseBusyError:
            outcome = "busy"  # an admin's `sync --once` holds the database; this slot is skipped
            raise
        finally:
            line = last_sync_line(
                outcome,
                finished or self.now(),
                counts,
                next_run=self.next_run(),
                tz=settings.tz,
                lang=settings.lang,
            )
            self.notifier.status(line)
            self.idle.set()

    def stop(self, grace_seconds: float) -> bool:
        """No sync starts from now on; True when none is running within ``grace_seconds``."""
        with self._lock:
            self.stopping = True
        return self.idle.wait(grace_seconds)


def run_service(
    settings: Settings,
    sync: Callable[[], SyncSummary],
    *,
    notifier: Notifier,
    version: str,
    now: Callable[[], datetime],
    watchdog_seconds: float | None = None,
    wait_for_stop: Callable[[], int] = wait_for_signal,
    stop_grace_seconds: float = DEFAULT_STOP_GRACE_SECONDS,
    block_signals: bool = True,
    stop: threading.Event | None = None,
) -> bool:
    """Run syncs on the schedule until ``wait_for_stop`` returns; True when the last sync ended in time.

    ``block_signals`` blocks SIGTERM/SIGINT before any thread starts so that only ``wait_for_stop`` (by
    default ``sigwait``) sees them; tests that stop the service another way pass False. ``stop`` is the
    sync's own stop event (``SyncDeps.stop``): set on a signal, the running sync ends at its next step
    boundary or retry wait, recorded 'interrupted', with everything before it committed.
    """
    if block_signals:
        signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    scheduler = BackgroundScheduler(timezone=settings.timezone)
    # The watchdog has its own thread: a long sync must not starve it.
    scheduler.add_executor(ThreadPoolExecutor(max_workers=1), WATCHDOG_JOB)

    def next_run() -> datetime | None:
        job = scheduler.get_job(JOB_ID)
        return job.next_run_time if job is not None else None

    runner = _SyncRunner(settings, sync, notifier, now, next_run)
    started = now()
    job = schedule_syncs(scheduler, settings, runner, started)
    if watchdog_seconds is not None:
        scheduler.add_job(
            notifier.watchdog,
            IntervalTrigger(seconds=watchdog_seconds, timezone=settings.tz),
            id=WATCHDOG_JOB,
            executor=WATCHDOG_JOB,
            next_run_time=started,
            max_instances=1,
            coalesce=True,
        )
    _log().info(
        "service.started",
        version=version,
        config=str(settings.config_path),
        database=str(settings.database),
        forms=len(settings.forms),
        interval_minutes=settings.schedule.interval_minutes,
        next_run=job.next_run_time.isoformat(),
        watchdog_seconds=watchdog_seconds,
        notify=notifier.enabled,
    )
    scheduler.start()
    th = settings.lang == "th"
    notifier.ready(f"kpisync {version} {'เริ่มทำงาน' if th else 'started'}")
    try:
        signum = wait_for_stop()
    finally:
        notifier.stopping("กำลังหยุด" if th else "stopping")
    _log().info("service.stopping", signal=signal.Signals(signum).name if signum > 0 else signum)
    # No new sync starts; the running one (if any) is told to stop at its next step boundary, bounded.
    if stop is not None:
        stop.set()
    in_time = runner.stop(stop_grace_seconds)
    scheduler.shutdown(wait=in_time)
    if in_time:
        _log().info("service.stopped")
    else:
        _log().warning("service.stop_timeout", waited_seconds=stop_grace_seconds)
    return in_time
