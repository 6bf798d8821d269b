"""What the results step writes, in batches: scores (a new current row only where one changed), flags
(opened and closed against what is open) and person-round figures (a new row per changed value). The rows
they replace stay, no longer current: the history a rescore compares against and the committee can audit."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import insert, update
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from daemon.store.intake import INSERT_CHUNK, chunked
from daemon.store.models import Flag, PersonTotalRow, Score, TotalKey
from daemon.store.records import ScoreRecord


def _same_score(
    current: ScoreRecord | None,
    *,
    indicator_code: str,
    rubric_version: str,
    text: str | None,
    status: str,
    explanation: str,
) -> bool:
    return (
        current is not None
        and current.rubric_version == rubric_version
        and current.value == text
        and current.status == status
        and current.explanation == explanation
        and current.indicator_code == indicator_code
    )


class ScoreWriter:
    """``save_score`` for every submission of a sync, written in one batch by ``flush``: the scores that
    changed as new current rows, the rows they replace no longer current."""

    def __init__(self, session: Session, now: datetime) -> None:
        self.session = session
        self.now = now
        self.rows: list[dict[str, Any]] = []
        self.retired: list[int] = []

    def save(
        self,
        current: ScoreRecord | None,
        *,
        submission_key: str,
        indicator_code: str,
        rubric_version: str,
        value: Decimal | None,
        status: str,
        explanation: str,
    ) -> bool:
        """Queue a new score for ``submission_key`` when it differs from ``current``; True when it does."""
        text = None if value is None else str(value)
        if _same_score(current, indicator_code=indicator_code, rubric_version=rubric_version, text=text,
                       status=status, explanation=explanation):  # fmt: skip
            return False
        if current is not None and current.id is not None:
            self.retired.append(current.id)
        self.rows.append(
            {
                "submission_key": submission_key,
                "indicator_code": indicator_code,
                "rubric_version": rubric_version,
                "value": text,
                "status": status,
                "explanation": explanation,
                "computed_at": self.now,
                "is_current": True,
            }
        )
        return True

    def flush(self) -> int:
        for chunk in chunked(self.retired):
            self.session.execute(
                update(Score)
                .where(col(Score.id).in_(chunk))
                .values(is_current=False)
                .execution_options(synchronize_session=False)
            )
        for batch in chunked(self.rows, INSERT_CHUNK):
            self.session.execute(insert(Score), list(batch))
        written = len(self.rows)
        self.rows, self.retired = [], []
        return written


def reconcile_flags(
    session: Session, wanted: Mapping[str, set[tuple[str, str]]], now: datetime
) -> tuple[int, int]:
    """Open the flags in ``wanted`` that are not open, close the open ones no longer wanted: (opened,
    closed)."""
    query = select(Flag.id, Flag.submission_key, Flag.code, Flag.detail).where(col(Flag.closed_at).is_(None))
    have: dict[tuple[str, str, str], int] = {
        (k, c, d): int(i or 0) for i, k, c, d in session.exec(query).all()
    }
    want_keys = {(key, code, detail) for key, flags in wanted.items() for code, detail in flags}
    closing = [flag_id for ident, flag_id in have.items() if ident not in want_keys]
    for chunk in chunked(closing):
        session.execute(
            update(Flag)
            .where(col(Flag.id).in_(chunk))
            .values(closed_at=now)
            .execution_options(synchronize_session=False)
        )
    opening = [
        {"submission_key": key, "code": code, "detail": detail, "opened_at": now, "closed_at": None}
        for key, code, detail in sorted(want_keys - have.keys())
    ]
    for batch in chunked(opening, INSERT_CHUNK):
        session.execute(insert(Flag), list(batch))
    return len(opening), len(closing)


def current_totals(session: Session) -> dict[TotalKey, PersonTotalRow]:
    query = select(PersonTotalRow).where(col(PersonTotalRow.is_current).is_(True))
    return {row.key: row for row in session.exec(query).all()}


def save_totals(session: Session, wanted: Mapping[TotalKey, Decimal], now: datetime) -> int:
    """Make ``wanted`` the current figures: a new row per changed value, the figures no longer wanted retired.

    Values compare as numbers (4.7 equals 4.70000), so a figure that merely gets re-rounded keeps its row.
    Returns how many rows were added or retired.
    """
    table = PersonTotalRow.__table__  # type: ignore[attr-defined]
    query = sa_select(
        table.c.id, table.c.email, table.c.fiscal_year, table.c.round_months, table.c.item, table.c.value
    ).where(table.c.is_current.is_(True))
    have = {TotalKey(e, y, m, item): (int(i), Decimal(v)) for i, e, y, m, item, v in session.execute(query)}
    retired = [row_id for key, (row_id, value) in have.items() if key not in wanted or value != wanted[key]]
    for chunk in chunked(retired):
        session.execute(
            update(PersonTotalRow)
            .where(col(PersonTotalRow.id).in_(chunk))
            .values(is_current=False)
            .execution_options(synchronize_session=False)
        )
    added = [
        {
            "email": key.email,
            "fiscal_year": key.fiscal_year,
            "round_months": key.round_months,
            "item": key.item,
            "value": str(value),
            "computed_at": now,
            "is_current": True,
        }
        for key, value in wanted.items()
        if key not in have or have[key][1] != value
    ]
    for batch in chunked(added, INSERT_CHUNK):
        session.execute(insert(PersonTotalRow), list(batch))
    return len(retired) + len(added)
