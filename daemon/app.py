"""The composition root: real Google connectors, the store engine, the clock and a fresh ledger for one
process; or the store alone, for the commands that never call Google."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine

from connectors.google import GoogleSettings, build_google_connectors
from connectors.ledger import ApiLedger
from connectors.retry import RetryPolicy
from daemon.settings import Settings
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
        engine=open_engine(settings.database),
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
    return StoreOnly(engine=open_engine(settings.database))
