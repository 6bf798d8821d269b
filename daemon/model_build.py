"""The store → the DashboardModel publish writes: one row per active submission (superseded ones kept,
marked),
and one summary row per person per round with totals, a weighted score and a rank (ties share a rank)."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from decimal import Decimal

from sqlmodel import Session, select

from daemon.dashboard_model import DashboardModel, EvidenceCell, FlagCell, SubmissionRow, SummaryRow
from daemon.derive import active_submissions, evidence_views
from daemon.settings import Settings
from daemon.store import repo
from daemon.store.models import Person
from scoring.decimals import ZERO, div, mul, quantize, total
from scoring.flags import FlagCode, flag_label

DECIMALS = 5


def build_dashboard_model(session: Session, settings: Settings, now: datetime) -> DashboardModel:
    lang = settings.lang
    people = {p.email: p for p in session.exec(select(Person)).all()}
    scores = repo.current_scores(session)
    flags = repo.open_flags(session)
    views = evidence_views(session)
    rounds = settings.round_map()
    indicators = settings.rubrics.indicators
    rows: list[SubmissionRow] = []
    for sub in active_submissions(session):
        person = people.get(sub.email)
        indicator = indicators.get(sub.indicator_code or "")
        score = scores.get(sub.key)
        round_ = rounds.get(sub.round_months or 0)
        rows.append(
            SubmissionRow(
                submission_key=sub.key,
                response_id=sub.response_id,
                submitted_at=sub.submitted_at.astimezone(settings.tz),
                email=sub.email,
                name=person.name if person and person.name else sub.respondent_name,
                unit=person.unit if person else "",
                role=person.role if person else "",
                indicator_code=sub.indicator_code or "",
                indicator_name=indicator.name(lang) if indicator else sub.indicator_text,
                round_label=round_.label(lang) if round_ else "",
                answer_text=sub.value_text,
                note_text=sub.note_text,
                evidence=tuple(EvidenceCell(v.label, v.url, v.status) for v in views.get(sub.key, [])),
                score=Decimal(score.value) if score and score.value is not None else None,
                max_score=indicator.max_score if indicator else settings.rubrics.scale.full_score,
                score_status=score.status if score else "not_scorable",
                explanation=score.explanation if score else "",
                flags=tuple(FlagCell(f.code, _label(f.code, lang), f.detail) for f in flags.get(sub.key, [])),
                superseded=sub.superseded_by is not None,
            )
        )
    rows.sort(key=lambda r: (r.submitted_at, r.submission_key))
    return DashboardModel(
        submissions=rows,
        summary=_summary(rows, people, settings),
        indicator_codes=list(indicators),
        lang=lang,
        generated_at=None,  # a timestamp here would change the Sheet on every sync
    )


def _label(code: str, lang: str) -> str:
    try:
        return flag_label(FlagCode(code), "en" if lang == "en" else "th")
    except ValueError:
        return code


def _summary(rows: list[SubmissionRow], people: dict[str, Person], settings: Settings) -> list[SummaryRow]:
    """Per person (in the roster) and round: each indicator's counting score, total, weighted score, rank."""
    counting: dict[tuple[str, str], dict[str, SubmissionRow]] = defaultdict(dict)
    for row in rows:
        if row.superseded or not row.indicator_code or not row.round_label or row.email not in people:
            continue
        counting[(row.email, row.round_label)][row.indicator_code] = row
    rubrics = settings.rubrics
    out: list[SummaryRow] = []
    for (email, round_label), by_code in counting.items():
        person = people[email]
        applicable = rubrics.for_role(person.role) or [
            rubrics.indicators[c] for c in by_code if c in rubrics.indicators
        ]
        scores: dict[str, Decimal | None] = {}
        weighted_sum = ZERO
        weights = ZERO
        for indicator in applicable:
            counted = by_code.get(indicator.code)
            value = counted.score if counted else None
            scores[indicator.code] = value
            if value is not None or rubrics.scale.missing_scores == "zero":
                weighted_sum += mul(value or ZERO, indicator.weight)
                weights += indicator.weight
        known = [v for v in scores.values() if v is not None]
        weighted = quantize(div(weighted_sum, weights), DECIMALS) if weights else ZERO
        open_flags = sum(len(r.flags) for r in by_code.values())
        out.append(
            SummaryRow(
                email=email,
                name=person.name,
                unit=person.unit,
                role=person.role,
                round_label=round_label,
                indicator_scores=scores,
                total=quantize(total(known), DECIMALS),
                weighted=weighted,
                rank=0,
                flags_open=open_flags,
            )
        )
    return _ranked(out)


def _ranked(rows: list[SummaryRow]) -> list[SummaryRow]:
    """Rank within each round by total, highest first; equal totals share a rank (1, 2, 2, 4)."""
    by_round: dict[str, list[SummaryRow]] = defaultdict(list)
    for row in rows:
        by_round[row.round_label].append(row)
    ranked: list[SummaryRow] = []
    for round_label in sorted(by_round):
        members = sorted(by_round[round_label], key=lambda r: (-r.total, r.email))
        previous: Decimal | None = None
        rank = 0
        for position, row in enumerate(members, start=1):
            if row.total != previous:
                rank = position
                previous = row.total
            ranked.append(
                SummaryRow(
                    row.email,
                    row.name,
                    row.unit,
                    row.role,
                    row.round_label,
                    row.indicator_scores,
                    row.total,
                    row.weighted,
                    rank,
                    row.flags_open,
                )
            )
    return ranked
