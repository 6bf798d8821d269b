"""Recompute every score from the store after a rubric change, without calling Google.

New scores are stored with the new rubric version (the old rows stay, no longer current), flags are reconciled
the same way a sync does it, and the changes are returned for the CLI to show. The Sheet catches up on
the next
sync.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlmodel import Session, select

from daemon import derive
from daemon.cycle import SyncDeps
from daemon.settings import Settings
from daemon.store import repo
from daemon.store.models import Person, Submission


@dataclass(frozen=True)
class ScoreChange:
    email: str
    person: str
    indicator: str
    round: str
    old: Decimal | None
    new: Decimal | None
    old_version: str
    new_version: str


def run_rescore(settings: Settings, deps: SyncDeps) -> list[ScoreChange]:
    now = deps.clock()
    with Session(deps.engine) as session:
        before = repo.current_scores(session)
        derive.score_and_flag(session, settings, now, lambda _name, _by: None)
        session.commit()
        after = repo.current_scores(session)
        people = {p.email: p for p in session.exec(select(Person)).all()}
        rounds = settings.round_map()
        changes: list[ScoreChange] = []
        for key, new in sorted(after.items()):
            old = before.get(key)
            if old is not None and old.id == new.id:
                continue
            sub = session.get(Submission, key)
            if sub is None:
                continue
            person = people.get(sub.email)
            round_ = rounds.get(sub.round_months or 0)
            changes.append(
                ScoreChange(
                    email=sub.email,
                    person=person.name if person else sub.respondent_name,
                    indicator=new.indicator_code,
                    round=round_.label(settings.lang) if round_ else "",
                    old=_dec(old.value if old else None),
                    new=_dec(new.value),
                    old_version=old.rubric_version if old else "",
                    new_version=new.rubric_version,
                )
            )
    return changes


def _dec(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)
