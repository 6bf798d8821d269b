"""One sync: roster → each form (plan, then apply, committed with its checkpoint) → evidence → the
dashboard read (the committee's cells) → flags and scores → the dashboard written → the run and its
API-call ledger recorded.

A part Google will not serve (a form, the roster, the evidence batch, the dashboard) is passed over with
what was stored before and one event naming it; the run then ends ``partial`` rather than ``failed``, so one
mistyped form id does not hold back everyone else's scores. Each such part reads everything it needs from
Google before it writes, so a failure leaves nothing of that part half-applied. Only a ConnectorError is
caught this way: anything else is a bug and still fails the sync.

Each step has its own module: ``form_pull`` (one form), ``drive_check`` (evidence), ``daemon.results.assess``
(supersede, flags, scores), ``daemon.results.totals`` (person-round figures), ``daemon.dashboard`` (read and
publish). Everything the cycle talks to comes in through ``SyncDeps`` (Google adapters or in-memory fakes,
the engine, the clock, the ledger). Logging goes through structlog with a ``run_id`` bound for the run and
one ``sync.finished`` event at the end; structlog is configured by the entry point, never here.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import structlog
from sqlalchemy import Engine
from sqlmodel import Session

from connectors.base import DashboardSink, EvidenceChecker, FormsSource, SheetsClient
from connectors.errors import ConnectorError
from connectors.ledger import ApiLedger
from daemon.dashboard.build import build_dashboard_model
from daemon.dashboard.build_work import log_changes
from daemon.dashboard.model import DashboardModel, SyncLogRow
from daemon.dashboard.publish import DashboardState, PublishResult, publish, read_dashboard
from daemon.results import assess, totals
from daemon.settings import Settings
from daemon.store import repo
from daemon.store.models import ApiCallRecord, SyncRun
from daemon.sync import drive_check, form_pull
from daemon.sync.failures import Kind, Part, SyncFailure, failure_of
from daemon.sync.roster import load_roster


def _log() -> structlog.typing.FilteringBoundLogger:
    # Fetched per use, not cached at import: a logger cached before the entry point configures structlog (or
    # before a test captures it) would keep the old configuration.
    return structlog.get_logger(__name__)  # type: ignore[no-any-return]


Publisher = Callable[..., PublishResult]


def _utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class SyncDeps:
    engine: Engine
    forms: FormsSource
    evidence: EvidenceChecker
    sheets: SheetsClient
    ledger: ApiLedger = field(default_factory=ApiLedger)
    clock: Callable[[], datetime] = _utcnow
    publisher: Publisher = publish
    closers: list[Callable[[], None]] = field(default_factory=list)

    def close(self) -> None:
        """Close connections and the engine (the process keeps one SyncDeps for its life; tests close
        theirs)."""
        for closer in self.closers:
            closer()
        self.engine.dispose()


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
    outcome: str = "running"  # running | ok | partial | failed
    failed_forms: list[str] = field(default_factory=list)
    failures: list[SyncFailure] = field(default_factory=list)

    def bump(self, name: str, by: int = 1) -> None:
        self.counts[name] = self.counts.get(name, 0) + by

    @property
    def partial_reasons(self) -> list[str]:
        """The parts that failed, each once, in the order they failed: form, roster, evidence, publish."""
        return list(dict.fromkeys(f.part.value for f in self.failures))

    def record_failure(self, part: Part, exc: ConnectorError, *, form_id: str | None = None) -> None:
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


def run_sync(settings: Settings, deps: SyncDeps, *, dry_run: bool = False) -> SyncSummary:
    """Run one sync. With ``dry_run`` nothing is committed and nothing is written to the Sheet."""
    started = deps.clock()
    summary = SyncSummary(run_id=uuid.uuid4().hex[:12], started_at=started, dry_run=dry_run)
    ledger_mark = len(deps.ledger.calls)
    perf = time.perf_counter()
    with structlog.contextvars.bound_contextvars(run_id=summary.run_id, job="sync"):
        if not dry_run:
            with Session(deps.engine) as session:
                session.add(SyncRun(run_id=summary.run_id, started_at=started, dry_run=dry_run))
                session.commit()
        error = ""
        try:
            _run(settings, deps, summary, dry_run)
            summary.outcome = "partial" if summary.failures else "ok"
        except Exception as exc:
            summary.outcome = "failed"
            error = f"{type(exc).__name__}: {exc}"
            raise
        finally:
            # The run's record names every part passed over, one line each, after the error that failed it.
            error = "\n".join(line for line in (error, *(f.line() for f in summary.failures)) if line)
            summary.finished_at = deps.clock()
            calls = deps.ledger.calls[ledger_mark:]
            summary.api_calls = len(calls)
            summary.write_calls = sum(1 for c in calls if c.is_write)
            if not dry_run:
                _record_run(deps.engine, summary, calls, error)
            _log().info(
                "sync.finished",
                outcome=summary.outcome,
                dry_run=dry_run,
                duration_s=round(time.perf_counter() - perf, 3),
                api_calls=summary.api_calls,
                write_calls=summary.write_calls,
                failed_forms=summary.failed_forms,
                partial=summary.partial_reasons,
                **summary.counts,
            )
    return summary


def _run(settings: Settings, deps: SyncDeps, summary: SyncSummary, dry_run: bool) -> None:
    now = summary.started_at
    with Session(deps.engine) as session:

        def commit() -> None:
            # A dry run goes through every step on the same session and rolls it all back at the end.
            if dry_run:
                session.flush()
            else:
                session.commit()

        try:
            roster = load_roster(settings.roster, deps.sheets)
        except ConnectorError as exc:
            # The people table is left as the last sync stored it.
            summary.record_failure(Part.ROSTER, exc)
        else:
            summary.bump("roster", len(roster))
            summary.bump("people_changed", repo.upsert_people(session, [vars(p) for p in roster]))
            commit()

        for form in settings.forms:
            try:
                fetched = form_pull.fetch_form(session, settings, deps.forms, form, now=now)
            except ConnectorError as exc:
                # Nothing of this form was written yet: its responses and checkpoint stay as they were.
                summary.bump("forms_failed")
                summary.record_failure(Part.FORM, exc, form_id=form.form_id)
                continue
            form_pull.apply_form(session, settings, form, fetched, summary.bump, now=now)
            commit()

        assess.supersede(session, summary.bump)
        try:
            drive_check.check_evidence(session, settings, deps.evidence, now, summary.bump)
        except ConnectorError as exc:
            summary.record_failure(Part.EVIDENCE, exc)
        # The committee's cells are read before scoring, so their decision and score count in this sync;
        # publish later writes against this same read, so the sync costs no extra call.
        read = _read_dashboard(session, settings, deps, summary, now=now)
        commit()

        roster_unread = Part.ROSTER.value in summary.partial_reasons
        assess.score_and_flag(session, settings, now, summary.bump, roster_unread=roster_unread)
        # Stored so that a later `kpisync rescore` can compare against the figures of this rubric; not when a
        # form or the roster went unread, as figures computed without them are ones a run without faults
        # never has (the next full sync stores the right ones).
        standing = totals.standing(session, settings)
        if not (summary.failed_forms or roster_unread):
            summary.bump("totals_changed", totals.save_figures(session, standing.rows, now))
        commit()

        model = build_dashboard_model(session, settings, now, standing, _log_row(settings, summary))
        summary.score_rows = _score_rows(model)
        if read is not None and _publish(session, deps, summary, read, model, dry_run=dry_run, now=now):
            commit()
        if dry_run:
            session.rollback()


def _read_dashboard(
    session: Session, settings: Settings, deps: SyncDeps, summary: SyncSummary, *, now: datetime
) -> tuple[DashboardSink, DashboardState] | None:
    """The dashboard as it is now, its committee cells stored (first seen, replaced by); None when Google
    would not serve it: scores then stand on the reviews stored before, and the next sync reads again."""
    try:
        sink = deps.sheets.open(settings.dashboard.spreadsheet_id)
        state = read_dashboard(sink, settings.lang)
    except ConnectorError as exc:
        summary.record_failure(Part.PUBLISH, exc)
        return None
    summary.bump("reviews_saved", repo.save_reviews(session, state.reviews, now))
    return sink, state


def _publish(
    session: Session,
    deps: SyncDeps,
    summary: SyncSummary,
    read: tuple[DashboardSink, DashboardState],
    model: DashboardModel,
    *,
    dry_run: bool,
    now: datetime,
) -> bool:
    """Write ``model`` against the state read before scoring; False when Google refused it (the data is
    committed; the next sync publishes it)."""
    sink, state = read
    try:
        result = deps.publisher(sink, model, state, dry_run=dry_run)
    except ConnectorError as exc:
        summary.record_failure(Part.PUBLISH, exc)
        return False
    summary.bump("rows_written", result.rows_written)
    return True


def _log_row(settings: Settings, summary: SyncSummary) -> SyncLogRow:
    """This run for the Sheet's sync log, as far as it got: what a stored run record says once it ends."""
    details = "\n".join(f.line() for f in summary.failures)[:2000]
    outcome = "partial" if summary.failures else "ok"
    started = summary.started_at.astimezone(settings.tz)
    return SyncLogRow(summary.run_id, started, outcome, log_changes(summary.counts), details)


def _score_rows(model: DashboardModel) -> list[ScoreRow]:
    return [
        ScoreRow(r.email, r.name, r.indicator_code, r.round_label, r.score, r.score_status, len(r.flags))
        for r in model.submissions
        if not r.superseded
    ]


def _record_run(engine: Engine, summary: SyncSummary, calls: list[Any], error: str) -> None:
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
                    inner_calls=getattr(call, "inner_calls", 0),
                )
            )
        session.commit()
