"""The composition root: real Google connectors, the store engine, the clock and a fresh ledger for one
process; or the store alone, for the commands that never call Google."""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from types import FrameType

from sqlalchemy import Engine

from connectors.google import GoogleSettings, build_google_connectors
from connectors.ledger import ApiLedger
from connectors.retry import RetryPolicy
from daemon.settings import Settings
from daemon.store.db import open_engine
from daemon.store.lease import sync_lease
from daemon.sync.cycle import SyncDeps, _utcnow


def google_settings(settings: Settings, stop: threading.Event | None = None) -> GoogleSettings:
    """The connectors' settings; a retry waiting when ``stop`` is set gives up at once."""
    section = settings.google
    return GoogleSettings(
        base_url=section.base_url,
        credentials_file=section.credentials_file,
        delegated_subject=section.delegated_subject,
        timeout_seconds=section.timeout_seconds,
        retry=RetryPolicy(
            max_attempts=section.retry.max_attempts,
            base_delay=section.retry.initial_wait_seconds,
            max_delay=section.retry.max_wait_seconds,
            cancel=stop,
        ),
    )


def build_deps(settings: Settings, ledger: ApiLedger | None = None) -> SyncDeps:
    """Everything a sync needs, built once per process; the ledger keeps growing and each sync reads its
    slice."""
    ledger = ledger or ApiLedger()
    stop = threading.Event()
    google = build_google_connectors(google_settings(settings, stop), ledger)
    return SyncDeps(
        engine=open_engine(settings.database),
        forms=google.forms,
        evidence=google.evidence,
        sheets=google.sheets,
        ledger=ledger,
        closers=[google.close],
        lease=partial(_lease, settings),
        stop=stop,
    )


def _lease(settings: Settings, wait_seconds: float) -> AbstractContextManager[None]:
    return sync_lease(settings.database, wait_seconds=wait_seconds)


@dataclass
class StoreOnly:
    """The store, a clock and the sync lease: what ``kpisync rescore`` needs, with no credentials and no
    connector."""

    engine: Engine
    clock: Callable[[], datetime] = field(default=_utcnow)
    lease: Callable[[float], AbstractContextManager[None]] = field(default=lambda _wait: nullcontext())

    def close(self) -> None:
        self.engine.dispose()


def build_store(settings: Settings) -> StoreOnly:
    return StoreOnly(engine=open_engine(settings.database), lease=partial(_lease, settings))


STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


@contextmanager
def stop_on_signals(stop: threading.Event) -> Iterator[None]:
    """While inside, SIGTERM (``systemctl stop``) and Ctrl-C set ``stop`` instead of killing the process: the
    sync ends at its next step boundary or retry wait, with everything before it committed. A second signal
    acts as usual, for a person who cannot wait."""
    previous = {sig: signal.getsignal(sig) for sig in STOP_SIGNALS}

    def request_stop(_signum: int, _frame: FrameType | None) -> None:
        # Nothing else here: the signal may arrive while this very thread holds the log's lock, so a log
        # line (or any other lock) in a handler can deadlock. The sync logs its interrupted end itself.
        stop.set()
        for sig, handler in previous.items():
            signal.signal(sig, handler)

    for sig in STOP_SIGNALS:
        signal.signal(sig, request_stop)
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
