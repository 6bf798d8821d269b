"""The store → the work tabs of the DashboardModel: who has not sent what for the current round, each unit
counted from the roster (not from who happened to send), each indicator's distribution, and the sync log.

"Sent" means a current submission (not superseded, not withdrawn) of the person, indicator, fiscal year and
round. The tabs are about the configured fiscal year (``Settings.fiscal_year_be``); its current round is the
first whose deadline has not passed on ``now``'s date in the office's timezone, or the last one once every
deadline has.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from decimal import Decimal

from sqlmodel import Session, select

from daemon.dashboard.labels import CHANGE_WORDS
from daemon.dashboard.model import IndicatorRow, MissingRow, SubmissionRow, SyncLogRow, UnitRow
from daemon.results import totals
from daemon.settings import Settings
from daemon.store import repo
from daemon.store.models import Person
from daemon.store.records import SubmissionRecord
from scoring.aggregate import PersonTotal, aggregate_person, aggregate_units
from scoring.calendar import Round

RUNS_LOOKED_AT = 5000  # the newest runs searched for ones worth a line in the sync log


def round_label(settings: Settings, fiscal_year: int | None, months: int | None) -> str:
    round_ = settings.round_of(fiscal_year, months)
    return round_.label(settings.lang) if round_ else ""


def current_round(settings: Settings, now: datetime) -> Round | None:
    rounds = sorted(settings.round_map().values(), key=lambda r: r.deadline)
    if not rounds:
        return None
    today = now.astimezone(settings.tz).date()
    return next((r for r in rounds if r.deadline >= today), rounds[-1])


def _roster(session: Session) -> list[Person]:
    query = select(Person).where(Person.active == True)  # noqa: E712 (SQL expression)
    return sorted(session.exec(query).all(), key=lambda p: p.email)


Sent = dict[int, dict[str, set[str]]]


def sent(submissions: Iterable[SubmissionRecord], settings: Settings) -> Sent:
    """Round months → person → the indicator codes with a current submission, in the configured year."""
    fiscal_year = settings.fiscal_year_be
    out: dict[int, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for sub in submissions:
        if sub.superseded_by or not sub.indicator_code or not sub.round_months:
            continue
        if sub.fiscal_year == fiscal_year:
            out[sub.round_months][sub.email].add(sub.indicator_code)
    return out


def missing(session: Session, settings: Settings, now: datetime, sent_codes: Sent) -> list[MissingRow]:
    """Each roster person's required indicators (those of their role) not sent for the current round."""
    round_ = current_round(settings, now)
    if round_ is None:
        return []
    fiscal_year = settings.fiscal_year_be
    done = sent_codes.get(round_.months, {})
    days_left = (round_.deadline - now.astimezone(settings.tz).date()).days
    label = round_.label(settings.lang)
    out: list[MissingRow] = []
    for person in _roster(session):
        for indicator in settings.rubrics.for_role(person.role):
            if indicator.code in done.get(person.email, set()):
                continue
            out.append(
                MissingRow(
                    person.email, person.name, person.unit, person.role, indicator.code,
                    indicator.name(settings.lang), fiscal_year, round_.months, label, round_.deadline,
                    days_left,
                )
            )  # fmt: skip
    return out


def units(
    session: Session, settings: Settings, now: datetime, rows: list[totals.PersonRound], sent_codes: Sent
) -> list[UnitRow]:
    """Per round (those with submissions, and the current one) and unit of the roster: its people, those who
    sent, those not complete, and the figures. People who sent nothing count as 0 when the scale counts
    missing scores as 0, so a unit is not judged by its best few alone."""
    roster = _roster(session)
    fiscal_year = settings.fiscal_year_be
    scale = settings.rubrics.scale
    by_round: dict[int, list[totals.PersonRound]] = defaultdict(list)
    for row in rows:
        if row.fiscal_year == fiscal_year:
            by_round[row.round_months].append(row)
    current = current_round(settings, now)
    months = sorted(set(by_round) | ({current.months} if current else set()))
    unit_of = {p.email: p.unit for p in roster}
    out: list[UnitRow] = []
    for m in months:
        figures: dict[str, PersonTotal] = {r.email: r.figures for r in by_round[m] if r.email in unit_of}
        for person in roster:
            required = settings.rubrics.for_role(person.role)
            if person.email not in figures and required and scale.missing_scores == "zero":
                figures[person.email] = aggregate_person(person.email, required, {}, scale)
        people: dict[str, int] = defaultdict(int)
        done: dict[str, int] = defaultdict(int)
        incomplete: dict[str, int] = defaultdict(int)
        for person in roster:
            people[person.unit] += 1
            codes = sent_codes.get(m, {}).get(person.email, set())
            done[person.unit] += bool(codes)
            codes_required = {i.code for i in settings.rubrics.for_role(person.role)}
            incomplete[person.unit] += bool(codes_required - codes)
        ranked = {u.unit: u for u in aggregate_units(list(figures.values()), unit_of, scale)}
        for unit in sorted(people):
            u = ranked.get(unit)
            out.append(
                UnitRow(
                    round_label(settings, fiscal_year, m), unit, people[unit],
                    u.total if u else Decimal(0), u.weighted_mean if u else Decimal(0),
                    u.rank if u else len(ranked) + 1, done[unit], incomplete[unit],
                )
            )  # fmt: skip
    return out


def _band(value: Decimal, full: Decimal) -> int:
    if full <= 0:
        return 0
    if value > full:
        return 5
    return min(int(value * 5 / full), 4)


def indicators(
    session: Session, settings: Settings, now: datetime, rows: list[SubmissionRow]
) -> list[IndicatorRow]:
    """Per indicator: the current round first (the chart reads those rows), then the other rounds that have
    submissions, latest first."""
    roster = {p.email: p for p in _roster(session)}
    counting = [r for r in rows if not r.superseded and r.email in roster and r.round_label]
    current = current_round(settings, now)
    labels_seen = {r.round_label for r in counting}
    rounds = sorted(settings.round_map().values(), key=lambda r: r.months, reverse=True)
    ordered = [current] if current else []
    ordered += [r for r in rounds if r is not current and r.label(settings.lang) in labels_seen]
    out: list[IndicatorRow] = []
    roles: dict[str, int] = defaultdict(int)
    for person in roster.values():
        roles[person.role] += 1
    required_by_code: dict[str, int] = defaultdict(int)
    for role, n in roles.items():
        for indicator in settings.rubrics.for_role(role):
            required_by_code[indicator.code] += n
    for round_ in ordered:
        label = round_.label(settings.lang)
        for code, indicator in settings.rubrics.indicators.items():
            required = required_by_code[code]
            mine = [r for r in counting if r.round_label == label and r.indicator_code == code]
            values = [v for r in mine if (v := r.used_score) is not None]
            bands = [0] * 6
            for v in values:
                bands[_band(v, indicator.max_score)] += 1
            mean = sum(values, Decimal(0)) / len(values) if values else None
            out.append(
                IndicatorRow(
                    code, indicator.name(settings.lang), label, required, len({r.email for r in mine}),
                    sum(1 for r in mine if r.certification == "certified"),
                    sum(1 for r in mine if r.certification == "not_certified"),
                    None if mean is None else mean.quantize(Decimal("0.00001")),
                    min(values, default=None), max(values, default=None), tuple(bands),
                )
            )  # fmt: skip
    return out


def worth_logging(outcome: str, changes: Mapping[str, int]) -> bool:
    """A sync gets a line when it changed something or did not end well: a sync with nothing new writes
    nothing to the Sheet, its own line included."""
    return outcome != "ok" or any(changes.get(key) for key in CHANGE_WORDS)


def log_changes(counts: Mapping[str, int]) -> dict[str, int]:
    return {key: int(counts[key]) for key in CHANGE_WORDS if counts.get(key)}


def sync_log(session: Session, settings: Settings, current: SyncLogRow | None) -> list[SyncLogRow]:
    """The runs worth a line, as stored, with this run as far as it got (its stored record is still
    'running'). A line depends only on what was known before publishing, so it never changes afterwards."""
    out: list[SyncLogRow] = []
    for run in repo.past_runs(session, RUNS_LOOKED_AT):
        if current is not None and run.run_id == current.run_id:
            continue
        changes = log_changes(json.loads(run.counts_json or "{}"))
        if not worth_logging(run.outcome, changes):
            continue
        started = run.started_at if run.started_at.tzinfo else run.started_at.replace(tzinfo=UTC)
        out.append(SyncLogRow(run.run_id, started.astimezone(settings.tz), run.outcome, changes, run.error))
    if current is not None and worth_logging(current.outcome, current.changes):
        out.append(current)
    return out
