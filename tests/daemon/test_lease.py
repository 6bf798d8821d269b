"""The database's sync lease: one holder across processes, a bounded wait, released by a killed holder,
and what the CLI and the scheduler do when it is taken."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from structlog.testing import capture_logs
from typer.testing import CliRunner

from daemon.cli import EXIT_BUSY, app
from daemon.scheduler import guarded
from daemon.store.lease import LeaseBusyError, lock_path_for, sync_lease
from tests.daemon.sync_world import CONFIG, DATA

HOLD = """
import sys
from daemon.store.lease import sync_lease
with sync_lease(sys.argv[1]):
    print("held", flush=True)
    sys.stdin.read()
"""


class FakeTime:
    """A monotonic clock that moves only when slept on."""

    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_a_second_holder_is_refused_and_told_who_holds_it(tmp_path: Path) -> None:
    """While one holder keeps the lease, another is refused at once with the holder's pid."""
    db = tmp_path / "kpisync.db"
    with sync_lease(db), pytest.raises(LeaseBusyError) as busy, sync_lease(db):
        pass
    assert busy.value.holder["pid"] == os.getpid()
    with sync_lease(db):
        pass  # released: free again


def test_the_wait_is_bounded(tmp_path: Path) -> None:
    """With wait_seconds=2 the second holder polls for 2 s of its clock, then gives up."""
    db = tmp_path / "kpisync.db"
    clock = FakeTime()
    second = sync_lease(db, wait_seconds=2, monotonic=clock.monotonic, sleep=clock.sleep)
    with sync_lease(db), pytest.raises(LeaseBusyError) as busy, second:
        pass
    assert clock.now == pytest.approx(2.0) and busy.value.waited == pytest.approx(2.0)
    assert all(0 < s <= 0.25 for s in clock.slept)


def test_a_killed_holder_leaves_no_stale_lease(tmp_path: Path) -> None:
    """A process holding the lease is SIGKILLed: the kernel drops its lock, the next holder gets it."""
    db = tmp_path / "kpisync.db"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(LeaseBusyError) as busy, sync_lease(db):
            pass
        assert busy.value.holder["pid"] == holder.pid
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=30)
        with sync_lease(db):
            pass
    finally:
        holder.kill()
        holder.wait(timeout=30)
        for stream in (holder.stdin, holder.stdout):
            if stream is not None:
                stream.close()


def test_the_lock_file_is_private_and_beside_the_database(tmp_path: Path) -> None:
    """The lock file sits next to the database, owner-only; a non-SQLite URL takes no file."""
    db = tmp_path / "kpisync.db"
    with sync_lease(db):
        assert oct(lock_path_for(db).stat().st_mode & 0o777) == "0o600"  # type: ignore[union-attr]
    assert lock_path_for("postgresql://kpisync@db/kpisync") is None
    assert lock_path_for(f"sqlite:///{db}") == lock_path_for(db)


def test_sync_once_while_another_sync_runs_exits_4(tmp_path: Path) -> None:
    """`kpisync sync --once` against a database whose lease is held says so on one line and exits 4."""
    (tmp_path / "rubric.toml").write_text((DATA / "rubric.toml").read_text("utf-8"), encoding="utf-8")
    (tmp_path / "kpisync.toml").write_text(
        CONFIG + '\n[google]\nbase_url = "http://127.0.0.1:9"\n', encoding="utf-8"
    )
    with sync_lease(tmp_path / "kpisync.db"):
        result = CliRunner().invoke(app, ["sync", "--once", "--config", str(tmp_path / "kpisync.toml")])
    assert result.exit_code == EXIT_BUSY
    assert "another kpisync sync holds" in result.output and "Traceback" not in result.output


def test_a_scheduled_slot_taken_by_another_sync_is_skipped() -> None:
    """The service's job logs sync.skipped and waits for its next slot when the lease is taken."""

    def busy() -> None:
        raise LeaseBusyError(Path("/var/lib/kpisync/kpisync.db.lock"), {"pid": 42}, 0.0)

    with capture_logs() as logs:
        guarded(busy)()
    assert [(e["event"], e["holder"]) for e in logs] == [("sync.skipped", {"pid": 42})]
