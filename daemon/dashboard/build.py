"""The store → the DashboardModel publish writes: one row per active submission (superseded ones kept,
marked) with the version it shows and its certification status, one summary row per person per round,
and the work tabs (``daemon.dashboard.build_work``: missing work, units, indicators, the sync log).

Every total, weighted and category score comes from ``daemon.results.totals`` (``scoring.aggregate`` with
the rubric set's scale), the same figures ``kpisync rescore`` stores and reports.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlmodel import Session

from daemon.dashboard import build_work
from daemon.dashboard.model import (
    DashboardModel,
    EvidenceCell,
    FlagCell,
    ReviewCell,
    SubmissionRow,
    SummaryRow,
    SyncLogRow,
)
from daemon.results import totals
from daemon.results.committee import certification, review_applies
from daemon.settings import Settings
from daemon.store import repo
from daemon.store.models import Flag, Person, Review
from scoring.explain import Lang
from scoring.flags import FlagCode, flag_label
from scoring.rubric import RubricSet


def build_dashboard_model(
    session: Session,
    settings: Settings,
    now: datetime,
    standing: totals.Standing,
    current_run: SyncLogRow | None = None,
) -> DashboardModel:
    """The whole dashboard as of ``now``; ``current_run`` is this sync as far as it got (for the log)."""
    lang = settings.lang
    view = standing.view
    people = view.people
    scores = standing.scores
    used = standing.used
    flags = repo.open_flags(session)
    views = view.evidence
    reviews = view.reviews
    numbers = view.numbers
    indicators = settings.rubrics.indicators
    rows: list[SubmissionRow] = []
    for sub in view.submissions:
        person = people.get(sub.email)
        indicator = indicators.get(sub.indicator_code or "")
        score = scores.get(sub.key)
        round_ = settings.round_of(sub.fiscal_year, sub.round_months)
        counts = used.get(sub.key)
        review = reviews.get(sub.key)
        sub_flags = flags.get(sub.key, [])
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
                flags=tuple(FlagCell(f.code, _label(f.code, lang), f.detail) for f in sub_flags),
                superseded=sub.superseded_by is not None,
                used_score=counts.value if counts else None,
                used_explanation=counts.explanation if counts else "",
                version=numbers.get(sub.response_version_id, 1),
                certification=_certification(review, sub.response_version_id, sub_flags),
                review=_stored(review),
            )
        )
    rows.sort(key=lambda r: (r.submitted_at, r.submission_key))
    person_rounds = standing.rows
    sent = build_work.sent(view.submissions, settings)
    return DashboardModel(
        submissions=rows,
        summary=_summary(person_rounds, people, flags, settings),
        indicator_codes=list(indicators),
        category_names=category_names(settings.rubrics, lang),
        units=build_work.units(session, settings, now, person_rounds, sent),
        lang=lang,
        generated_at=None,  # a timestamp here would change the Sheet on every sync
        indicator_names={code: i.name(lang) for code, i in indicators.items()},
        missing=build_work.missing(session, settings, now, sent),
        indicators=build_work.indicators(session, settings, now, rows),
        sync_log=build_work.sync_log(session, settings, current_run),
    )


def _certification(review: Review | None, counted_version: int, flags: list[Flag]) -> str:
    decision = (
        review.decision if review and review_applies(review.response_version_id, counted_version) else ""
    )
    numbers_missing = any(f.code == FlagCode.NUMBERS_MISSING.value for f in flags)
    return certification(decision, numbers_missing=numbers_missing)


def _stored(review: Review | None) -> ReviewCell | None:
    if review is None:
        return None
    return ReviewCell(review.submission_key, review.decision, review.override_score, review.comment)


def category_names(rubrics: RubricSet, lang: Lang) -> dict[str, str]:
    """Every category the indicators use, in the order they first appear, with its name in ``lang``."""
    keys = dict.fromkeys(i.category for i in rubrics.indicators.values())
    return {key: rubrics.category_name(key, lang) for key in keys}


def _label(code: str, lang: Lang) -> str:
    try:
        return flag_label(FlagCode(code), lang)
    except ValueError:
        return code


def _summary(
    rows: list[totals.PersonRound],
    people: dict[str, Person],
    flags: dict[str, list[Flag]],
    settings: Settings,
) -> list[SummaryRow]:
    """Per person (in the roster) and round: the figures of scoring.aggregate and the rank within the role."""
    ranks = totals.ranks(rows)
    out: list[SummaryRow] = []
    for row in rows:
        person = people[row.email]
        out.append(
            SummaryRow(
                email=row.email,
                name=person.name,
                unit=row.unit,
                role=row.role,
                round_label=build_work.round_label(settings, row.fiscal_year, row.round_months),
                indicator_scores=dict(row.figures.per_indicator),
                total=row.figures.total,
                weighted=row.figures.weighted,
                rank=ranks[(row.email, row.fiscal_year, row.round_months)],
                flags_open=sum(len(flags.get(key, [])) for key in row.submission_keys),
                category_scores=dict(row.figures.per_category),
                fiscal_year=row.fiscal_year,
                round_months=row.round_months,
            )
        )
    return out
