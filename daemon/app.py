"""The composition root: real Google connectors, the store engine, the clock and a fresh ledger for one
process; or the store alone, for the commands that never call Google."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from importlib import metadata

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from connectors.google import GoogleSettings, build_google_connectors
from connectors.ledger import ApiLedger
from connectors.retry import RetryPolicy
from daemon.errors import ConfigError
from daemon.settings import Settings, find_line
from daemon.store.db import open_engine
from daemon.sync.cycle import SyncDeps, _utcnow


def google_settings(settings: Settings) -> GoogleSettings:
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
        ),
    )


def build_deps(settings: Settings, ledger: ApiLedger | None = None) -> SyncDeps:
    """Everything a sync needs, built once per process; the ledger keeps growing and each sync reads its
    slice."""
    ledger = ledger or ApiLedger()
    google = build_google_connectors(google_settings(settings), ledger)
    return SyncDeps(
        engine=open_store(settings),
        forms=google.forms,
        evidence=google.evidence,
        sheets=google.sheets,
        ledger=ledger,
        closers=[google.close],
    )


@dataclass
class StoreOnly:
    """The store and a clock: what ``kpisync rescore`` needs, with no credentials and no connector."""

    engine: Engine
    clock: Callable[[], datetime] = field(default=_utcnow)

    def close(self) -> None:
        self.engine.dispose()


def build_store(settings: Settings) -> StoreOnly:
    return StoreOnly(engine=open_store(settings))


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
    try:
        text = settings.config_path.read_text(encoding="utf-8")
    except OSError:
        return None
    return find_line(text, ("database",))


def kpisync_version() -> str:
    """The installed distribution's version (what `kpisync --version` and the start line say)."""
    try:
        return metadata.version("kpisync")
    except metadata.PackageNotFoundError:  # run from a checkout that was never installed
        return "0+unknown"
