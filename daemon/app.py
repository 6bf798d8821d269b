"""The composition root: real Google connectors, the store engine, the clock and a fresh ledger for one
process; or the store alone, for the commands that never call Google."""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import partial
from importlib import metadata
from pathlib import Path
from types import FrameType

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from connectors.errors import FatalError
from connectors.google import GoogleConnectors, GoogleSettings, build_google_connectors
from connectors.ledger import ApiLedger
from connectors.retry import RetryPolicy
from daemon.errors import ConfigError
from daemon.settings import Settings, find_line
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


def build_connectors(settings: Settings, credentials_file: Path | None) -> GoogleConnectors:
    """The Google adapters alone, with the given key (``kpisync doctor``: no database, its own ledger)."""
    return build_google_connectors(
        replace(google_settings(settings), credentials_file=credentials_file), ApiLedger()
    )


def build_deps(settings: Settings, ledger: ApiLedger | None = None) -> SyncDeps:
    """Everything a sync needs, built once per process; the ledger keeps growing and each sync reads its
    slice."""
    ledger = ledger or ApiLedger()
    stop = threading.Event()
    try:
        google = build_google_connectors(google_settings(settings, stop), ledger)
    except FatalError as exc:
        # Only the key can fail here (nothing is fetched): a missing or broken key is the config's to fix,
        # exit 2, so systemd does not restart into the same error (RestartPreventExitStatus=2).
        line = _key_line(settings, "google", "credentials_file")
        raise ConfigError(str(settings.config_path), line, "google.credentials_file", exc.message) from None
    return SyncDeps(
        engine=open_store(settings),
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


def build_store(settings: Settings, *, must_exist: bool = False) -> StoreOnly:
    """The store alone. ``must_exist``: a command that only reads (status, export) refuses to create an
    empty database, which would also leave a file of the wrong owner in the service's state directory."""
    if must_exist and not settings.database.exists():
        message = (
            f"no database at {settings.database} yet: the service has not synced "
            "(start it, or run `kpisync sync --once`), or this is not the config the service uses"
        )
        raise ConfigError(str(settings.config_path), _database_line(settings), "database", message)
    return StoreOnly(engine=open_store(settings), lease=partial(_lease, settings))


def open_store(settings: Settings) -> Engine:
    """The migrated engine, or a ConfigError naming the ``database`` key when the file cannot be opened or
    created (a read-only directory, a path under ProtectSystem=strict, a file of another user)."""
    path = settings.database
    try:
        return open_engine(path)
    except (OSError, SQLAlchemyError) as exc:
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else _first_line(exc)
        message = (
            f"cannot open the database {path}: {why}; the kpisync user must be able to write its folder "
            "(leave `database` out to use the service's state directory /var/lib/kpisync)"
        )
        raise ConfigError(str(settings.config_path), _database_line(settings), "database", message) from None


def _first_line(exc: BaseException) -> str:
    # SQLAlchemy appends the statement and a documentation link on later lines.
    orig = getattr(exc, "orig", None)
    return str(orig or exc).splitlines()[0]


def _database_line(settings: Settings) -> int | None:
    return _key_line(settings, "database")


def _key_line(settings: Settings, *loc: str) -> int | None:
    try:
        text = settings.config_path.read_text(encoding="utf-8")
    except OSError:
        return None
    return find_line(text, loc)


def kpisync_version() -> str:
    """The installed distribution's version (what `kpisync --version` and the start line say)."""
    try:
        return metadata.version("kpisync")
    except metadata.PackageNotFoundError:  # run from a checkout that was never installed
        return "0+unknown"


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
