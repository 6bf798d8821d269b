"""Person-round figures from the store, computed by ``scoring.aggregate`` and nothing else: the Sheet's
summary, the stored figures a rescore compares against, and the rescore itself all come from here, so they
cannot disagree.

What counts: each active, not superseded submission of a person in the roster whose indicator and round are
known; its score that counts (``committee.used_score``: the committee's score, 0 when not certified, else the
current auto score; None while pending, manual or not scorable, which the scale's ``missing_scores``
then treats as 0 or leaves out). The stored score is the indicator's rounded value, so with
``round_each_step = false`` the totals start from 5-place scores rather than the engine's exact ones.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlmodel import Session

from daemon.results.committee import UsedScore, used_score
from daemon.results.store_view import StoreView
from daemon.settings import Settings
from daemon.store import repo
from daemon.store.models import TotalKey
from daemon.store.records import ScoreRecord
from daemon.store.scores import save_totals
from scoring.aggregate import PersonTotal, UnitTotal, aggregate_person, aggregate_units, rank_people
from scoring.model import Indicator
from scoring.rubric import RubricSet

TOTAL = "total"
WEIGHTED = "weighted"
CATEGORY = "category:"


@dataclass(frozen=True)
class PersonRound:
    """One person's figures for one round, with what the Sheet needs beside them."""

    email: str
    fiscal_year: int
    round_months: int
    role: str
    unit: str
    figures: PersonTotal
    submission_keys: tuple[str, ...]  # the submissions that count

    @property
    def round_key(self) -> tuple[int, int]:
        return (self.fiscal_year, self.round_months)


def applicable(rubrics: RubricSet, role: str, codes: Iterable[str]) -> list[Indicator]:
    """The indicators of the role; for a role the rubric does not know, the ones the person answered."""
    return rubrics.for_role(role) or [rubrics.indicators[c] for c in codes if c in rubrics.indicators]


@dataclass(frozen=True)
class Standing:
    """The scores that count and the person-round figures built on them: computed once per sync, then stored,
    laid out on the dashboard and compared by rescore. ``view`` and ``scores`` are what they were computed
    from, handed on so the dashboard reads the store no second time."""

    used: Mapping[str, UsedScore]
    rows: list[PersonRound]
    view: StoreView
    scores: Mapping[str, ScoreRecord]


def standing(session: Session, settings: Settings, view: StoreView) -> Standing:
    scores = repo.current_scores(session)
    used = used_scores(settings, view, scores)
    return Standing(used, person_rounds(settings, view, used), view, scores)


def person_rounds(settings: Settings, view: StoreView, used: Mapping[str, UsedScore]) -> list[PersonRound]:
    """Every person-round with at least one counting submission, sorted by person and round."""
    people = view.people
    groups: dict[tuple[str, int, int], dict[str, str]] = defaultdict(dict)
    for sub in view.submissions:
        if sub.superseded_by or not sub.indicator_code or sub.email not in people:
            continue
        round_ = settings.round_of(sub.fiscal_year, sub.round_months)
        if round_ is None:
            continue
        groups[(sub.email, round_.fiscal_year.year_be, round_.months)][sub.indicator_code] = sub.key
    out: list[PersonRound] = []
    for (email, fiscal_year, months), by_code in sorted(groups.items()):
        person = people[email]
        values = {code: used[key].value if key in used else None for code, key in by_code.items()}
        indicators = applicable(settings.rubrics, person.role, by_code)
        rubrics = settings.rubrics
        figures = aggregate_person(email, indicators, values, rubrics.scale, rubrics.category_weights())
        out.append(
            PersonRound(
                email, fiscal_year, months, person.role, person.unit, figures, tuple(sorted(by_code.values()))
            )
        )
    return out


def used_scores(
    settings: Settings, view: StoreView, scores: Mapping[str, ScoreRecord]
) -> dict[str, UsedScore]:
    """Each scored submission's score that counts: its current score under the committee's current word on
    the version it counts."""
    reviews, _stale = view.reviews_in_force()
    indicators = settings.rubrics.indicators
    lang = settings.lang
    out: dict[str, UsedScore] = {}
    for key, score in scores.items():
        indicator = indicators.get(score.indicator_code)
        auto = _value(score)
        review = reviews.get(key)
        if indicator is None or review is None:
            out[key] = UsedScore(auto, "auto")
        else:
            out[key] = used_score(
                indicator, auto, review.decision, review.override_score, lang, comment=review.comment
            )
    return out


def _value(score: ScoreRecord) -> Decimal | None:
    return None if score.value is None else Decimal(score.value)


def figures_of(rows: Iterable[PersonRound]) -> dict[TotalKey, Decimal]:
    """Each person-round's total, weighted score and category scores, keyed for the store."""
    out: dict[TotalKey, Decimal] = {}
    for row in rows:
        key = (row.email, row.fiscal_year, row.round_months)
        out[TotalKey(*key, TOTAL)] = row.figures.total
        out[TotalKey(*key, WEIGHTED)] = row.figures.weighted
        for category, value in row.figures.per_category.items():
            out[TotalKey(*key, CATEGORY + category)] = value
    return out


def save_figures(session: Session, rows: Iterable[PersonRound], now: datetime) -> int:
    """Store the current figures (a row only where one changed); returns the rows added or retired."""
    return save_totals(session, figures_of(rows), now)


def ranks(rows: list[PersonRound]) -> dict[tuple[str, int, int], int]:
    """Rank by weighted score within the same round and the same role, ties sharing a place (1, 2, 2, 4).

    Only like is ranked with like: a teacher is scored on other indicators than a district office, so their
    weighted scores do not compare. The weighted score, not the plain total, because the total grows with the
    number of indicators and with award points above full score.
    """
    groups: dict[tuple[int, int, str], list[PersonRound]] = defaultdict(list)
    for row in rows:
        groups[(*row.round_key, row.role)].append(row)
    out: dict[tuple[str, int, int], int] = {}
    for members in groups.values():
        for row, rank in zip(members, rank_people([m.figures for m in members]), strict=True):
            out[(row.email, row.fiscal_year, row.round_months)] = rank
    return out


def units(rows: list[PersonRound], settings: Settings) -> dict[tuple[int, int], list[UnitTotal]]:
    """Per round, each unit's people, summed totals and mean weighted score, ranked by that mean."""
    by_round: dict[tuple[int, int], list[PersonRound]] = defaultdict(list)
    for row in rows:
        by_round[row.round_key].append(row)
    out: dict[tuple[int, int], list[UnitTotal]] = {}
    for round_key, members in sorted(by_round.items()):
        unit_of: Mapping[str, str] = {m.email: m.unit for m in members}
        out[round_key] = aggregate_units([m.figures for m in members], unit_of, settings.rubrics.scale)
    return out
