"""One sync: roster → each form (plan, then apply, committed with its checkpoint) → evidence → the
dashboard read (the committee's cells) → flags and scores → the dashboard written → the run and its
API-call ledger recorded.

A part Google will not serve (a form, the roster, the evidence batch, the dashboard) is passed over with
what was stored before and one event naming it; the run then ends ``partial`` rather than ``failed``, so one
mistyped form id does not hold back everyone else's scores. Each such part reads everything it needs from
Google before it writes, so a failure leaves nothing of that part half-applied. Only a ConnectorError (or
a part served unusable, ``PartUnusableError``) is caught this way: anything else is a bug and still fails
the sync.

No database transaction is open while Google is called: every step commits before the next network call,
so another process (``kpisync status``, a rescore waiting for the lease) is never locked out by a slow
answer, and a kill at any instant loses at most the step in progress. The whole sync holds the database's
sync lease (daemon/store/lease.py), so two processes never sync one database at once. A stop request
(SIGTERM) is honoured at the next step boundary or retry wait: the run is recorded ``interrupted``.

Each step has its own module: ``form_pull`` (one form), ``drive_check`` (evidence), ``daemon.results.assess``
(supersede, flags, scores), ``daemon.results.totals`` (person-round figures), ``daemon.dashboard`` (read and
publish). Everything the cycle talks to comes in through ``SyncDeps`` (Google adapters or in-memory fakes,
the engine, the clock, the ledger, the lease, the stop event). Logging goes through structlog with a
``run_id`` bound for the run and one ``sync.finished`` event at the end; structlog is configured by the
entry point, never here.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol

import structlog
from sqlalchemy import Engine
from sqlmodel import Session

from connectors.base import DashboardSink, EvidenceChecker, FormsSource, SheetsClient
from connectors.errors import ConnectorError
from connectors.ledger import ApiLedger
from connectors.retry import RetryCancelledError
from daemon.dashboard import memo
from daemon.dashboard.build import build_dashboard_model
from daemon.dashboard.build_work import log_changes
from daemon.dashboard.model import DashboardModel, SyncLogRow
from daemon.dashboard.publish import PublishResult, publish
from daemon.dashboard.read import DashboardState, read_dashboard
from daemon.results import assess, freshness, totals
from daemon.results.store_view import StoreView
from daemon.settings import FormSettings, Settings
from daemon.store import repo
from daemon.sync import drive_check, form_pull
from daemon.sync.failures import Part, PartUnusableError
from daemon.sync.roster import load_roster
from daemon.sync.run_record import (
    INTERRUPTED,
    ScoreRow,
    SyncSummary,
    close_killed_runs,
    open_run,
    record_run,
)


def _log() -> structlog.typing.FilteringBoundLogger:
    return structlog.get_logger(__name__)  # type: ignore[no-any-return]


Publisher = Callable[..., PublishResult]
Lease = Callable[[float], AbstractContextManager[None]]


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _no_lease(_wait_seconds: float) -> AbstractContextManager[None]:
    return nullcontext()


class SyncProgress(Protocol):
    """Told as each step of a sync begins (the CLI draws a bar on a terminal; nothing listens otherwise)."""

    def begin(self, total: int) -> None: ...

    def step(self, label: str) -> None: ...

    def end(self) -> None: ...


class NoProgress:
    def begin(self, total: int) -> None:
        pass

    def step(self, label: str) -> None:
        pass

    def end(self) -> None:
        pass


class SyncInterruptedError(Exception):
    """A stop was requested (SIGTERM): the sync ended at a step boundary, everything before it committed."""


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
    # One sync per database across processes (daemon.store.lease.sync_lease in a real process).
    lease: Lease = _no_lease
    # Set by a signal handler: the sync stops at its next step boundary or retry wait.
    stop: threading.Event = field(default_factory=threading.Event)
    progress: SyncProgress = field(default_factory=NoProgress)

    def close(self) -> None:
        """Close connections and the engine (the process keeps one SyncDeps for its life; tests close
        theirs)."""
        for closer in self.closers:
            closer()
        self.engine.dispose()


def run_sync(
    settings: Settings, deps: SyncDeps, *, dry_run: bool = False, wait_seconds: float = 0.0
) -> SyncSummary:
    """Run one sync. With ``dry_run`` nothing is committed and nothing is written to the Sheet.

    Raises ``daemon.store.lease.LeaseBusyError`` (nothing done) when another process keeps the database's sync
    lease for longer than ``wait_seconds``, and :class:`SyncInterruptedError` after a stop request.
    """
    with deps.lease(wait_seconds):
        return _leased_sync(settings, deps, dry_run=dry_run)


def _leased_sync(settings: Settings, deps: SyncDeps, *, dry_run: bool) -> SyncSummary:
    started = deps.clock()
    summary = SyncSummary(run_id=uuid.uuid4().hex[:12], started_at=started, dry_run=dry_run)
    ledger_mark = len(deps.ledger.calls)
    perf = time.perf_counter()
    with structlog.contextvars.bound_contextvars(run_id=summary.run_id, job="sync"):
        if not dry_run:
            close_killed_runs(deps.engine, started)
            open_run(deps.engine, summary)
        error = ""
        try:
            _run(settings, deps, summary, dry_run)
            summary.outcome = "partial" if summary.failures else "ok"
        except (SyncInterruptedError, RetryCancelledError) as exc:
            summary.outcome = INTERRUPTED
            error = "stopped on request (SIGTERM) before the sync was complete"
            raise SyncInterruptedError(error) from exc
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
                record_run(deps.engine, summary, calls, error)
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
    progress = deps.progress
    # roster, each form, evidence, the dashboard read, scores, publish
    progress.begin(len(settings.forms) + 5)
    try:
        with Session(deps.engine) as session:
            steps = _Steps(settings, deps, summary, session, dry_run)
            progress.step("roster")
            steps.roster()
            for form in settings.forms:
                progress.step(f"form {form.label or form.form_id}")
                steps.form(form)
            progress.step("evidence")
            steps.evidence()
            progress.step("dashboard read")
            read = steps.read_dashboard()
            progress.step("scores")
            if read is not None and steps.sheet_as_left(read[1]):
                # Nothing changed on either side since the last publish: no score, no model, no write.
                progress.step("publish")
            else:
                standing = steps.results()
                model = build_dashboard_model(
                    session, settings, summary.started_at, standing, _log_row(settings, summary)
                )
                steps.commit()
                summary.score_rows = _score_rows(model)
                progress.step("publish")
                if read is not None:
                    steps.publish(read, model)
            if dry_run:
                session.rollback()
    finally:
        progress.end()


@dataclass
class _Steps:
    """The steps of one sync on one session, each ending with its writes committed."""

    settings: Settings
    deps: SyncDeps
    summary: SyncSummary
    session: Session
    dry_run: bool

    @property
    def now(self) -> datetime:
        return self.summary.started_at

    def commit(self) -> None:
        """End the step: its writes committed (a dry run keeps them pending, to roll back at the end), and
        no transaction left open across the network call that follows."""
        if self.dry_run:
            self.session.flush()
        else:
            self.session.commit()

    def before_network(self) -> None:
        if self.deps.stop.is_set():
            raise SyncInterruptedError
        self.commit()

    def roster(self) -> None:
        self.before_network()
        try:
            roster = load_roster(self.settings.roster, self.deps.sheets)
        except (ConnectorError, PartUnusableError) as exc:
            # The people table is left as the last good read stored it.
            self.summary.record_failure(Part.ROSTER, exc)
            return
        self.summary.bump("roster", len(roster))
        changed = repo.upsert_people(self.session, [vars(p) for p in roster])
        self.summary.bump("people_changed", changed)
        if changed:
            self.inputs_changed()
        self.commit()

    def form(self, form: FormSettings) -> None:
        self.before_network()
        try:
            fetched = form_pull.fetch_form(
                self.session, self.settings, self.deps.forms, form, now=self.now, idle=self.commit
            )
        except ConnectorError as exc:
            # Nothing of this form was written yet: its responses and checkpoint stay as they were.
            self.summary.bump("forms_failed")
            self.summary.record_failure(Part.FORM, exc, form_id=form.form_id)
            return
        if form_pull.apply_form(self.session, self.settings, form, fetched, self.summary.bump, now=self.now):
            self.inputs_changed()
        self.commit()

    def evidence(self) -> None:
        refs = drive_check.files_due(self.session, self.settings, self.now, self.summary.bump)
        self.before_network()
        try:
            drive_check.check_evidence(self.session, self.deps.evidence, refs, self.now, self.summary.bump)
        except ConnectorError as exc:
            self.summary.record_failure(Part.EVIDENCE, exc)
        if self.summary.counts.get("files_checked"):
            self.inputs_changed()
        self.commit()

    def read_dashboard(self) -> tuple[DashboardSink, DashboardState] | None:
        """The dashboard as it is now, its committee cells stored (first seen, replaced by); None when Google
        would not serve it: scores then stand on the reviews stored before, and the next sync reads again.

        Read before scoring, so the committee's decision and score count in this sync; publish later
        writes against this same read, so the sync costs no extra call."""
        self.before_network()
        narrow = self.narrow_memo()
        try:
            sink = self.deps.sheets.open(self.settings.dashboard.spreadsheet_id)
            state = read_dashboard(sink, self.settings.lang, narrow=narrow)
        except ConnectorError as exc:
            self.summary.record_failure(Part.PUBLISH, exc)
            return None
        saved = repo.save_reviews(self.session, state.reviews, self.now)
        self.summary.bump("reviews_saved", saved)
        if saved:
            self.inputs_changed()
        self.commit()
        return sink, state

    def dashboard_digest(self) -> str:
        return memo.dashboard_digest(
            self.session, self.settings, self.now, _log_row(self.settings, self.summary)
        )

    def narrow_memo(self) -> memo.SheetMemo | None:
        """The submissions tab as the last publish left it, when nothing is due to change since (the
        dashboard is up to date with the store, the settings, the code, the date and the sync log) and the
        daily whole read is not due: the read then takes only the columns people type in."""
        if repo.computed_with(self.session, freshness.DASHBOARD) != self.dashboard_digest():
            return None
        sheet = memo.load_memo(self.session)
        every = timedelta(hours=self.settings.schedule.full_reconcile_hours)
        return None if sheet is None or sheet.due_for_whole_read(self.now, every) else sheet

    def sheet_as_left(self, state: DashboardState) -> bool:
        """The narrow read found the Sheet's keys and header where the last publish left them, and the
        committee's cells as stored: the dashboard is still up to date."""
        return (
            state.as_left and repo.computed_with(self.session, freshness.DASHBOARD) == self.dashboard_digest()
        )

    def inputs_changed(self) -> None:
        """Something scores, flags or the Sheet are computed from changed: recompute them this sync (marked
        in the transaction of the change, so a crash before then leaves them stale, never falsely fresh)."""
        repo.mark_stale(self.session, freshness.DERIVED, self.now)

    def results(self) -> totals.Standing:
        """Supersede, score, flag and total every submission, unless nothing they are computed from changed
        since the last time (then the stored results stand and only the figures the Sheet shows are read)."""
        digest = freshness.results_digest(self.settings)
        if repo.computed_with(self.session, freshness.RESULTS) == digest:
            return totals.standing(self.session, self.settings, StoreView.read(self.session))
        roster_unread = self.summary.failed(Part.ROSTER)
        assess.supersede(self.session, self.summary.bump)
        self.session.flush()
        view = StoreView.read(self.session)
        assess.score_and_flag(
            self.session, self.settings, self.now, self.summary.bump, view, roster_unread=roster_unread
        )
        # Stored so that a later `kpisync rescore` can compare against the figures of this rubric; not when a
        # form or the roster went unread, as figures computed without them are ones a run without faults
        # never has (the next full sync stores the right ones).
        standing = totals.standing(self.session, self.settings, view)
        if not (self.summary.failed_forms or roster_unread):
            self.summary.bump("totals_changed", totals.save_figures(self.session, standing.rows, self.now))
        repo.mark_stale(self.session, [freshness.DASHBOARD], self.now)
        if not self.summary.failures:
            # A part passed over (a form, the roster, Drive) may hold news: the next sync computes again.
            repo.set_computed(self.session, freshness.RESULTS, digest, self.now)
        # Flushed, not committed: a commit would expire the view's objects, which the dashboard model reads
        # next (the step is committed once the model is built, before any network call).
        self.session.flush()
        return standing

    def publish(self, read: tuple[DashboardSink, DashboardState], model: DashboardModel) -> None:
        """Write ``model`` against the state read before scoring; a refusal is recorded (the data is
        committed; the next sync publishes it)."""
        self.before_network()
        sink, state = read
        try:
            result = self.deps.publisher(sink, model, state, dry_run=self.dry_run)
        except ConnectorError as exc:
            self.summary.record_failure(Part.PUBLISH, exc)
            return
        self.summary.bump("rows_written", result.rows_written)
        if not self.dry_run and not self.summary.failures:
            # The Sheet shows this model: until an input changes, the next syncs read only what people type.
            repo.set_computed(self.session, freshness.DASHBOARD, self.dashboard_digest(), self.now)
            left = result.sheet
            sheet = memo.SheetMemo(tuple(left[0]), memo.keys_digest(left[1]), self.now) if left else None
            memo.save_memo(self.session, sheet, self.now)
            self.commit()


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
