"""One sync at a time per database, across processes: the service's scheduled sync, an admin's
``kpisync sync --once`` and ``kpisync rescore`` take the same lease before they write.

For SQLite the lease is an exclusive ``flock`` on ``<database>.lock`` beside the database file. The kernel
drops it when the holder's process ends, however it ends (SIGKILL, a power cut of the process), so a crash
never leaves a stale lease behind; the holder writes its pid, command and start time into the file so that
the process turned away can say who is syncing. A second process either waits for at most ``wait_seconds``
or is refused at once with :class:`LeaseBusyError`. Other databases (PostgreSQL, later) take no lease here
yet.
"""

from __future__ import annotations

import fcntl
import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

POLL_SECONDS = 0.25


class LeaseBusyError(Exception):
    """Another process holds the database's sync lease; ``holder`` is what it wrote about itself."""

    def __init__(self, lock_path: Path, holder: dict[str, object], waited: float) -> None:
        self.lock_path = lock_path
        self.holder = holder
        self.waited = waited
        who = ", ".join(f"{k} {v}" for k, v in holder.items() if v) or "unknown process"
        super().__init__(f"another kpisync sync holds {lock_path} ({who}); waited {waited:.0f} s")


def lock_path_for(database: str | Path) -> Path | None:
    """The lock file of a SQLite database path (``None`` for a URL of another database)."""
    text = str(database)
    if "://" in text:
        if not text.startswith("sqlite:///"):
            return None
        text = text.removeprefix("sqlite:///")
    return Path(text + ".lock")


def _read_holder(path: Path) -> dict[str, object]:
    try:
        data = json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


@contextmanager
def sync_lease(
    database: str | Path,
    *,
    wait_seconds: float = 0.0,
    monotonic: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> Iterator[None]:
    """Hold the database's sync lease for the ``with`` block; raise :class:`LeaseBusyError` when another
    process keeps it longer than ``wait_seconds``."""
    path = lock_path_for(database)
    if path is None:
        yield
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        started = monotonic()
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                waited = monotonic() - started
                if waited >= wait_seconds:
                    raise LeaseBusyError(path, _read_holder(path), waited) from None
                sleep(min(POLL_SECONDS, wait_seconds - waited))
        holder = {
            "pid": os.getpid(),
            "command": " ".join(os.path.basename(a) if i == 0 else a for i, a in enumerate(sys.argv))[:200],
            "since": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(holder).encode("utf-8"), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
