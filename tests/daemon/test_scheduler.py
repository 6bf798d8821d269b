"""`kpisync run`'s schedule: the job's settings, its guard, and a real scheduler firing a real sync."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import structlog
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from sqlmodel import Session, select

from connectors.errors import FatalError
from daemon.app import build_deps
from daemon.demo import find_config
from daemon.scheduler import JOB_ID, guarded, schedule_syncs
from daemon.settings import Settings, load_settings
from daemon.store.models import SyncRun
from daemon.sync.cycle import SyncSummary, run_sync

REPO_CONFIG = find_config()


def _settings(tmp_path: Path, base_url: str = "http://127.0.0.1:9") -> Settings:
    env = {"KPISYNC_GOOGLE_BASE_URL": base_url, "KPISYNC_DATABASE": str(tmp_path / "k.db")}
    return load_settings(REPO_CONFIG, env=env)


def test_job_runs_now_then_every_interval_one_at_a_time(tmp_path: Path) -> None:
    """The job starts at once, repeats every interval_minutes, never overlaps itself and coalesces misses."""
    settings = _settings(tmp_path)
    scheduler = BlockingScheduler(timezone=settings.timezone)
    now = datetime(2026, 11, 21, 9, 0, tzinfo=settings.tz)
    job = schedule_syncs(scheduler, settings, lambda: None, now)
    assert scheduler.get_job(JOB_ID) is job
    assert job.next_run_time == now
    interval = timedelta(minutes=settings.schedule.interval_minutes)
    assert job.trigger.interval == interval
    assert job.trigger.get_next_fire_time(now, now) == now + interval
    assert job.max_instances == 1 and job.coalesce is True
    assert job.misfire_grace_time == interval.total_seconds() / 2


def test_guard_logs_a_google_failure_and_lets_a_bug_through() -> None:
    """A ConnectorError escaping the cycle becomes one sync.aborted event; any other exception propagates."""

    def google_down() -> None:
        raise FatalError("HTTP 401: invalid_grant")

    with structlog.testing.capture_logs() as logs:
        guarded(google_down)()
    assert [e["event"] for e in logs] == ["sync.aborted"]
    assert "invalid_grant" in logs[0]["error"]

    def bug() -> None:
        raise KeyError("oops")

    with pytest.raises(KeyError):
        guarded(bug)()


@pytest.mark.integration
def test_a_started_scheduler_runs_a_full_sync(sandbox: Any, tmp_path: Path) -> None:
    """A real APScheduler started with the schedule runs run_sync against the sandbox and records the run."""
    settings = _settings(tmp_path, sandbox.base_url)
    deps = build_deps(settings)
    done = threading.Event()
    results: list[SyncSummary] = []

    def sync() -> None:
        try:
            results.append(run_sync(settings, deps))
        finally:
            done.set()

    scheduler = BackgroundScheduler(timezone=settings.timezone)
    schedule_syncs(scheduler, settings, sync, datetime.now(UTC))
    scheduler.start()
    try:
        assert done.wait(timeout=60), "the scheduled sync did not run"
    finally:
        scheduler.shutdown(wait=True)
        deps.close()
    assert results and results[0].outcome == "ok"
    with Session(deps.engine) as session:
        runs = session.exec(select(SyncRun)).all()
    assert [r.outcome for r in runs] == ["ok"]
    assert results[0].counts["inserted"] == sandbox.manifest["response_count"]
