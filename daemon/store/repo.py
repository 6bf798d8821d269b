"""Upserts by natural ids and the queries the sync, the results and the dashboard need. Every write here is a
no-op when the stored row already says the same thing, which is what makes a second sync with nothing new
change no row. Knows the tables only: no sync, scoring or Google logic lives here."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import insert, update
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from daemon.store.intake import INSERT_CHUNK, chunked
from daemon.store.intake import assign as _assign
from daemon.store.models import (
    Checkpoint,
    Derived,
    DriveFile,
    EvidenceItem,
    Flag,
    Form,
    Person,
    PersonTotalRow,
    Review,
    Score,
    Submission,
    TotalKey,
)


def upsert_form(session: Session, form_id: str, values: Mapping[str, Any], now: datetime) -> bool:
    row = session.get(Form, form_id)
    if row is None:
        session.add(Form(form_id=form_id, updated_at=now, **values))
        return True
    if _assign(row, values):
        row.updated_at = now
        session.add(row)
        return True
    return False


def normalized_with(session: Session, form_id: str) -> str:
    """The digest the form's submissions were last normalized with ("" before the first time)."""
    row = session.get(Form, form_id)
    return row.normalized_with if row is not None else ""


def computed_with(session: Session, name: str) -> str:
    """What the derived part ``name`` was last computed from; "" when stale (or never computed)."""
    row = session.get(Derived, name)
    return row.computed_with if row is not None else ""


def set_computed(session: Session, name: str, digest: str, now: datetime) -> None:
    """Record that ``name`` is now up to date with its inputs, computed from ``digest``."""
    row = session.get(Derived, name)
    if row is None:
        session.add(Derived(name=name, computed_with=digest, updated_at=now))
    elif row.computed_with != digest:
        row.computed_with = digest
        row.updated_at = now
        session.add(row)


def mark_stale(session: Session, names: Iterable[str], now: datetime) -> None:
    """An input of these derived parts changed: recompute them at the next chance (in this transaction, so
    a crash before the recompute cannot leave them looking fresh)."""
    for name in names:
        set_computed(session, name, "", now)


def upsert_people(session: Session, people: Iterable[Mapping[str, str]]) -> int:
    """Insert or update roster people; people gone from the roster are kept, marked inactive."""
    existing = {p.email: p for p in session.exec(select(Person)).all()}
    seen: set[str] = set()
    changed = 0
    for values in people:
        email = values["email"]
        seen.add(email)
        row = existing.get(email)
        if row is None:
            session.add(Person(**values, active=True))
            changed += 1
        elif _assign(row, {**values, "active": True}):
            session.add(row)
            changed += 1
    for email, row in existing.items():
        if email not in seen and row.active:
            row.active = False
            session.add(row)
            changed += 1
    return changed


def get_checkpoint(session: Session, form_id: str) -> Checkpoint | None:
    return session.get(Checkpoint, form_id)


def save_checkpoint(
    session: Session, form_id: str, watermark: str | None, full_pass_at: datetime | None, now: datetime
) -> bool:
    if watermark is None:
        return False
    row = session.get(Checkpoint, form_id)
    if row is None:
        session.add(
            Checkpoint(form_id=form_id, watermark=watermark, full_pass_at=full_pass_at, updated_at=now)
        )
        return True
    values: dict[str, Any] = {"watermark": watermark}
    if full_pass_at is not None:
        values["full_pass_at"] = full_pass_at
    if _assign(row, values):
        row.updated_at = now
        session.add(row)
        return True
    return False


def active_submissions(session: Session) -> list[Submission]:
    """Submissions whose response the respondent has not deleted, by key."""
    query = select(Submission).where(col(Submission.withdrawn).is_(False)).order_by(col(Submission.key))
    return list(session.exec(query).all())


def evidence_by_submission(session: Session) -> dict[str, list[EvidenceItem]]:
    out: dict[str, list[EvidenceItem]] = {}
    for item in session.exec(
        select(EvidenceItem).order_by(col(EvidenceItem.submission_key), col(EvidenceItem.position))
    ):
        out.setdefault(item.submission_key, []).append(item)
    return out


def drive_files(session: Session) -> dict[str, DriveFile]:
    return {row.file_id: row for row in session.exec(select(DriveFile)).all()}


def current_scores(session: Session) -> dict[str, Score]:
    return {
        s.submission_key: s for s in session.exec(select(Score).where(col(Score.is_current).is_(True))).all()
    }


def _same_score(
    current: Score | None,
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


def save_score(
    session: Session,
    current: Score | None,
    *,
    submission_key: str,
    indicator_code: str,
    rubric_version: str,
    value: Decimal | None,
    status: str,
    explanation: str,
    now: datetime,
) -> Score | None:
    """A new current score row when anything differs from ``current``; the old row stays, no longer
    current."""
    text = None if value is None else str(value)
    if _same_score(current, indicator_code=indicator_code, rubric_version=rubric_version, text=text,
                   status=status, explanation=explanation):  # fmt: skip
        return None
    if current is not None:
        current.is_current = False
        session.add(current)
    row = Score(
        submission_key=submission_key,
        indicator_code=indicator_code,
        rubric_version=rubric_version,
        value=text,
        status=status,
        explanation=explanation,
        computed_at=now,
    )
    session.add(row)
    return row


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
        current: Score | None,
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


def open_flags(session: Session) -> dict[str, list[Flag]]:
    out: dict[str, list[Flag]] = {}
    for row in session.exec(select(Flag).where(col(Flag.closed_at).is_(None)).order_by(col(Flag.id))).all():
        out.setdefault(row.submission_key, []).append(row)
    return out


def current_reviews(session: Session) -> dict[str, Review]:
    query = select(Review).where(col(Review.replaced_by).is_(None))
    return {r.submission_key: r for r in session.exec(query).all()}


def save_reviews(session: Session, cells: Sequence[Any], now: datetime) -> int:
    """Keep what reviewers typed: a new row when a cell's text changed, the previous one pointing to it."""
    current = current_reviews(session)
    saved = 0
    for cell in cells:
        values = (cell.decision or "", cell.override_score or "", cell.comment or "")
        previous = current.get(cell.submission_key)
        if previous is None and not any(values):
            continue
        if previous is not None and (previous.decision, previous.override_score, previous.comment) == values:
            continue
        row = Review(
            submission_key=cell.submission_key,
            decision=values[0],
            override_score=values[1],
            comment=values[2],
            first_seen_at=now,
        )
        session.add(row)
        session.flush()
        if previous is not None:
            previous.replaced_by = row.id
            session.add(previous)
        saved += 1
    return saved


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
