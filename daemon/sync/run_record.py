"""The record of one sync: its summary while it runs (counts, failures, outcome), the ``sync_run`` row with
its API-call ledger when it ends, and the runs a killed process never closed.

Outcomes: ``ok``; ``partial`` (a part Google would not serve, or served unusable, was passed over);
``interrupted`` (stopped by SIGTERM at a step boundary, or found still ``running`` by the next process: it was
killed); ``failed`` (a bug). Every step commits whole, so an interrupted run leaves nothing half-applied and
the next sync continues from the stored checkpoints.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

import structlog
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from connectors.errors import ConnectorError
from connectors.ledger import ApiCall
from daemon.store.models import ApiCallRecord, SyncRun
from daemon.sync.failures import Kind, Part, PartUnusableError, SyncFailure, failure_of

RUNNING = "running"
INTERRUPTED = "interrupted"
KILLED_NOTE = "the process ended during this sync (killed, crashed or the machine stopped)"


def _log() -> structlog.typing.FilteringBoundLogger:
    # Fetched per use, not cached at import: a logger cached before the entry point configures structlog (or
    # before a test captures it) would keep the old configuration.
    return structlog.get_logger(__name__)  # type: ignore[no-any-return]


@dataclass(frozen=True)
class ScoreRow:
    """One line of the CLI's table after a sync."""

    email: str
    name: str
    indicator_code: str
    round_label: str
    score: Decimal | None
    status: str
    flags: int


@dataclass
class SyncSummary:
    run_id: str
    started_at: datetime
    finished_at: datetime | None = None
    dry_run: bool = False
    counts: dict[str, int] = field(default_factory=dict)
    api_calls: int = 0
    write_calls: int = 0
    score_rows: list[ScoreRow] = field(default_factory=list)
    outcome: str = RUNNING  # running | ok | partial | interrupted | failed
    failed_forms: list[str] = field(default_factory=list)
    failures: list[SyncFailure] = field(default_factory=list)

    def bump(self, name: str, by: int = 1) -> None:
        self.counts[name] = self.counts.get(name, 0) + by

    @property
    def partial_reasons(self) -> list[str]:
        """The parts that failed, each once, in the order they failed: form, roster, evidence, publish."""
        return list(dict.fromkeys(f.part.value for f in self.failures))

    def failed(self, part: Part) -> bool:
        return any(f.part is part for f in self.failures)

    def record_failure(
        self, part: Part, exc: ConnectorError | PartUnusableError, *, form_id: str | None = None
    ) -> None:
        failure = failure_of(part, exc, form_id=form_id)
        self.failures.append(failure)
        if form_id is not None:
            self.failed_forms.append(form_id)
        # Fatal needs a person; a retriable one that ran out of retries usually clears by itself.
        emit = _log().error if failure.kind is Kind.FATAL else _log().warning
        fields: dict[str, Any] = {"form_id": form_id} if form_id is not None else {}
        emit(
            f"sync.{part.value}_failed",
            **fields,
            kind=failure.kind.value,
            status=failure.status,
            reason=failure.reason,
            method=failure.method,
            error=" ".join(failure.message.split()),
            hint=failure.hint,
        )


def open_run(engine: Engine, summary: SyncSummary) -> None:
    """The run's row, committed before any work, so a killed process leaves a trace the next one closes."""
    with Session(engine) as session:
        session.add(SyncRun(run_id=summary.run_id, started_at=summary.started_at, dry_run=summary.dry_run))
        session.commit()


def close_killed_runs(engine: Engine, now: datetime) -> int:
    """Runs still ``running`` although this process holds the sync lease: their process died. Marked
    ``interrupted``; returns how many."""
    with Session(engine) as session:
        stale = session.exec(select(SyncRun).where(col(SyncRun.outcome) == RUNNING)).all()
        closed = [run.run_id for run in stale]
        for run in stale:
            run.outcome = INTERRUPTED
            run.finished_at = now
            run.error = (run.error + "\n" if run.error else "") + KILLED_NOTE
            session.add(run)
        session.commit()
    if closed:
        _log().warning("sync.killed_runs_closed", runs=closed)
    return len(closed)


def record_run(engine: Engine, summary: SyncSummary, calls: Sequence[ApiCall], error: str) -> None:
    with Session(engine) as session:
        run = session.get(SyncRun, summary.run_id)
        if run is None:
            return
        run.finished_at = summary.finished_at
        run.outcome = summary.outcome
        run.counts_json = json.dumps(summary.counts, sort_keys=True)
        run.api_calls = summary.api_calls
        run.write_calls = summary.write_calls
        run.error = error[:2000]
        session.add(run)
        for seq, call in enumerate(calls):
            session.add(
                ApiCallRecord(
                    run_id=summary.run_id,
                    seq=seq,
                    api=call.api,
                    method=call.method,
                    status=call.status,
                    duration_ms=call.duration_ms,
                    request_bytes=call.request_bytes,
                    response_bytes=call.response_bytes,
                    attempt=call.attempt,
                    is_write=call.is_write,
                    inner_calls=call.inner_calls,
                )
            )
        session.commit()
