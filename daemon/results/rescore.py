"""Recompute every score from the store after a rubric change, without calling Google, and say what changed.

Needs only the store: the engine and a clock (``StoreDeps``; a full ``SyncDeps`` fits too). Scores are
recomputed the way a sync does it (new rows only where something differs: a new rubric version at the same
value is recorded but not reported), flags are reconciled, and each person-round's total, weighted score and
category scores are computed by ``totals`` and stored. A change is reported when an indicator score's
value or status changed, or when one of those figures changed against the figure stored before: the old
figures were computed with the old weights, which only the store still knows. The Sheet catches up on the
next sync.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Literal, Protocol

from sqlalchemy import Engine
from sqlmodel import Session, select

from daemon.results import assess, freshness, totals
from daemon.results.store_view import StoreView
from daemon.settings import Settings
from daemon.store import repo
from daemon.store.models import Person, PersonTotalRow, Submission, TotalKey
from daemon.store.records import ScoreRecord
from daemon.store.scores import current_totals, save_totals
from scoring.aggregate import rank_with_ties
from scoring.model import ScoreResult, ScoreStatus
from scoring.rescore import diff_scores

Kind = Literal["indicator", "weighted", "category", "total", "rank"]
# A rank is within the same round and role (totals.ranks); a rubric change can move people past each other.
RANK_WORDS = ("อันดับ (ในบทบาทเดียวกัน)", "Rank (among the same role)")
ITEM_WORDS: dict[str, tuple[str, str]] = {
    totals.WEIGHTED: ("คะแนนถ่วงน้ำหนัก", "Weighted score"),
    totals.TOTAL: ("คะแนนรวม", "Total"),
}


class StoreDeps(Protocol):
    """What a rescore needs: the store, a clock and the database's sync lease, no Google connector."""

    @property
    def engine(self) -> Engine: ...

    @property
    def clock(self) -> Callable[[], datetime]: ...

    @property
    def lease(self) -> Callable[[float], AbstractContextManager[None]]: ...


@dataclass(frozen=True)
class ScoreChange:
    """One changed figure: an indicator score, or a person-round's weighted, category or total score."""

    email: str
    person: str
    kind: Kind
    indicator: str  # the indicator code, the category key, or "weighted" / "total"
    label: str  # what the CLI shows in the settings' language
    round: str
    old: Decimal | None
    new: Decimal | None
    old_status: str | None = None
    new_status: str | None = None
    old_version: str = ""
    new_version: str = ""


# (email, fiscal year, round months, item) → what a diff compares
_Keyed = dict[tuple[str, str, str], ScoreResult | Decimal | None]


def run_rescore(settings: Settings, store: StoreDeps, *, wait_seconds: float = 0.0) -> list[ScoreChange]:
    """Rescore everything in the store with ``settings``' rubric; the changes, indicator scores first.

    Holds the sync lease like a sync (``LeaseBusyError`` when one is running), so the two never interleave
    their writes."""
    with store.lease(wait_seconds):
        return _rescore(settings, store)


def _rescore(settings: Settings, store: StoreDeps) -> list[ScoreChange]:
    now = store.clock()
    with Session(store.engine) as session:
        scores_before = _indicator_scores(session)
        versions_before = {k: s.rubric_version for k, s in repo.current_scores(session).items()}
        figures_before = current_totals(session)
        view = StoreView.read(session)
        assess.score_and_flag(session, settings, now, lambda _name, _by: None, view)
        session.flush()
        scores_after = _indicator_scores(session)
        versions_after = {k: s.rubric_version for k, s in repo.current_scores(session).items()}
        rows_after = totals.standing(session, settings, view).rows
        figures_after = totals.figures_of(rows_after)
        save_totals(session, figures_after, now)
        # The Sheet shows the new scores at the next sync. Results are left as marked: a rescore does not
        # supersede, so it cannot stand for the sync's own recompute.
        repo.mark_stale(session, [freshness.DASHBOARD], now)
        session.commit()
        everyone = session.exec(select(Person)).all()
        people = {p.email: p.name for p in everyone}
        ranks_before = _ranks_before(figures_before, {p.email: p.role for p in everyone})
        ranks_after = totals.ranks(rows_after)
        subs = {s.key: s for s in session.exec(select(Submission)).all()}

        changes: list[ScoreChange] = []
        for ch in diff_scores(_by_submission(scores_before), _by_submission(scores_after)):
            sub = subs[ch.person]
            changes.append(
                ScoreChange(
                    email=sub.email,
                    person=people.get(sub.email) or sub.respondent_name,
                    kind="indicator",
                    indicator=ch.indicator,
                    label=ch.indicator,
                    round=_round_label(settings, sub.fiscal_year, sub.round_months),
                    old=ch.old,
                    new=ch.new,
                    old_status=ch.old_status,
                    new_status=ch.new_status,
                    old_version=versions_before.get(sub.key, ""),
                    new_version=versions_after.get(sub.key, ""),
                )
            )
        old_figures = {k: Decimal(row.value) for k, row in figures_before.items()}
        for ch in diff_scores(_by_figure(old_figures), _by_figure(figures_after)):
            email, fiscal_year, months = ch.person.split("\t")
            kind, item = _kind(ch.indicator)
            changes.append(
                ScoreChange(
                    email=email,
                    person=people.get(email) or email,
                    kind=kind,
                    indicator=item,
                    label=_item_label(settings, kind, item),
                    round=_round_label(settings, int(fiscal_year), int(months)),
                    old=ch.old,
                    new=ch.new,
                )
            )
        for key in sorted(ranks_before.keys() | ranks_after.keys()):
            old, new = ranks_before.get(key), ranks_after.get(key)
            if old == new:
                continue
            who, year, length = key
            changes.append(
                ScoreChange(
                    email=who,
                    person=people.get(who) or who,
                    kind="rank",
                    indicator="rank",
                    label=RANK_WORDS[0] if settings.lang == "th" else RANK_WORDS[1],
                    round=_round_label(settings, year, length),
                    old=None if old is None else Decimal(old),
                    new=None if new is None else Decimal(new),
                )
            )
    order: dict[Kind, int] = {"indicator": 0, "category": 1, "weighted": 2, "total": 3, "rank": 4}
    return sorted(changes, key=lambda c: (c.round, c.email, order[c.kind], c.indicator))


def _ranks_before(
    figures: Mapping[TotalKey, PersonTotalRow], roles: Mapping[str, str]
) -> dict[tuple[str, int, int], int]:
    """The ranks the stored weighted scores gave, by the rule of ``totals.ranks``: within round and role."""
    groups: dict[tuple[int, int, str], list[tuple[tuple[str, int, int], Decimal]]] = defaultdict(list)
    for key, row in figures.items():
        if key.item == totals.WEIGHTED:
            person_round = (key.email, key.fiscal_year, key.round_months)
            groups[(key.fiscal_year, key.round_months, roles.get(key.email, ""))].append(
                (person_round, Decimal(row.value))
            )
    out: dict[tuple[str, int, int], int] = {}
    for members in groups.values():
        ranks = rank_with_ties([value for _, value in members])
        out.update({person_round: rank for (person_round, _), rank in zip(members, ranks, strict=True)})
    return out


def _indicator_scores(session: Session) -> dict[str, tuple[str, ScoreRecord]]:
    """Current score of each submission that counts: key → (indicator code, score row).

    Superseded submissions are rescored too but not reported: they no longer count for anyone.
    """
    scores = repo.current_scores(session)
    return {
        sub.key: (scores[sub.key].indicator_code, scores[sub.key])
        for sub in repo.active_submissions(session)
        if sub.key in scores and not sub.superseded_by
    }


def _by_submission(scores: dict[str, tuple[str, ScoreRecord]]) -> _Keyed:
    # The submission key stands in for the person: a submission is one person × indicator × round.
    return {(key, code, ""): _result(score) for key, (code, score) in scores.items()}


def _result(score: ScoreRecord) -> ScoreResult:
    value = None if score.value is None else Decimal(score.value)
    return ScoreResult(value, ScoreStatus(score.status), "")


def _by_figure(figures: dict[TotalKey, Decimal]) -> _Keyed:
    return {(f"{k.email}\t{k.fiscal_year}\t{k.round_months}", k.item, ""): v for k, v in figures.items()}


def _kind(item: str) -> tuple[Kind, str]:
    if item.startswith(totals.CATEGORY):
        return "category", item.removeprefix(totals.CATEGORY)
    return ("weighted", item) if item == totals.WEIGHTED else ("total", item)


def _item_label(settings: Settings, kind: Kind, item: str) -> str:
    lang = settings.lang
    if kind == "category":
        prefix = "กลุ่ม" if lang == "th" else "category"
        return f"{prefix}: {settings.rubrics.category_name(item, lang)}"
    words = ITEM_WORDS[item]
    return words[0] if lang == "th" else words[1]


def _round_label(settings: Settings, fiscal_year: int | None, months: int | None) -> str:
    round_ = settings.round_of(fiscal_year, months)
    return round_.label(settings.lang) if round_ else ""
