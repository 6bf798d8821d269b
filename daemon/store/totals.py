"""Stored person-round figures (total, weighted score, each category score), so ``kpisync rescore`` can say
what a rubric change did to them: the old figures were computed with the old weights, which the new config no
longer holds. Like scores, a figure gets a new row only when its value changes; the old row stays, no longer
current.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import NamedTuple

from sqlmodel import Field, Session, SQLModel, col, select


class TotalKey(NamedTuple):
    email: str
    fiscal_year: int
    round_months: int
    item: str  # "total", "weighted" or "category:<key>"


class PersonTotalRow(SQLModel, table=True):
    """One figure of one person for one round, as the rubric of its time computed it."""

    __tablename__ = "person_total"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(index=True)
    fiscal_year: int
    round_months: int
    item: str
    value: str  # exact Decimal as text
    computed_at: datetime
    is_current: bool = True

    @property
    def key(self) -> TotalKey:
        return TotalKey(self.email, self.fiscal_year, self.round_months, self.item)


def current_totals(session: Session) -> dict[TotalKey, PersonTotalRow]:
    query = select(PersonTotalRow).where(col(PersonTotalRow.is_current).is_(True))
    return {row.key: row for row in session.exec(query).all()}


def save_totals(session: Session, wanted: Mapping[TotalKey, Decimal], now: datetime) -> int:
    """Make ``wanted`` the current figures: a new row per changed value, the figures no longer wanted retired.

    Values compare as numbers (4.7 equals 4.70000), so a figure that merely gets re-rounded keeps its row.
    Returns how many rows were added or retired.
    """
    have = current_totals(session)
    changed = 0
    for key, row in have.items():
        if key not in wanted or Decimal(row.value) != wanted[key]:
            row.is_current = False
            session.add(row)
            changed += 1
    for key, value in wanted.items():
        row_now = have.get(key)
        if row_now is not None and Decimal(row_now.value) == value:
            continue
        session.add(
            PersonTotalRow(
                email=key.email,
                fiscal_year=key.fiscal_year,
                round_months=key.round_months,
                item=key.item,
                value=str(value),
                computed_at=now,
            )
        )
        changed += 1
    return changed
