"""The daemon's schedule: a sync every ``schedule.interval_minutes``, never two at once, missed slots run
once.

APScheduler 3 only wires the trigger; the work is the plain ``run_sync`` that ``sync --once`` also calls, so
what the daemon does on a schedule is exactly what an admin can run by hand.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import structlog
from apscheduler.job import Job
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.interval import IntervalTrigger

from connectors.errors import ConnectorError
from daemon.settings import Settings
from daemon.store.lease import LeaseBusyError
from daemon.sync.cycle import SyncInterruptedError

JOB_ID = "sync"

log = structlog.get_logger(__name__)


def guarded(sync: Callable[[], object]) -> Callable[[], None]:
    """The job as the scheduler runs it: a Google failure that escaped the cycle is logged and the daemon
    waits for the next slot (the cycle already records the run); a slot taken by another process's sync
    (an admin's ``sync --once``) is skipped; anything else is a bug and propagates."""

    def job() -> None:
        try:
            sync()
        except ConnectorError as exc:
            log.error("sync.aborted", error=" ".join(str(exc).split()), kind=type(exc).__name__)
        except LeaseBusyError as exc:
            log.warning("sync.skipped", reason="another sync holds the database", holder=exc.holder)
        except SyncInterruptedError:
            log.warning("sync.stopped", reason="stop requested")

    return job


def schedule_syncs(
    scheduler: BaseScheduler, settings: Settings, sync: Callable[[], object], now: datetime
) -> Job:
    """Add the sync job to ``scheduler`` (started or not): first run at ``now``, then every interval."""
    interval = settings.schedule.interval_minutes
    job: Job = scheduler.add_job(
        guarded(sync),
        IntervalTrigger(minutes=interval, timezone=settings.tz),
        id=JOB_ID,
        replace_existing=True,
        max_instances=1,  # a slow sync (a big first pull) is never overlapped by the next slot
        coalesce=True,  # slots missed while the machine slept run once, not once each
        # A run late by less than half an interval still runs; a later one waits for the next slot.
        misfire_grace_time=max(interval * 30, 1),
        next_run_time=now,
    )
    return job
