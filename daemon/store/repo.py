"""Upserts by natural ids and the queries the sync, the results and the dashboard need. Every write here is a
no-op when the stored row already says the same thing, which is what makes a second sync with nothing new
change no row. Knows the tables only: no sync, scoring or Google logic lives here."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlmodel import Session, SQLModel, col, select

from daemon.store.models import (
    Checkpoint,
    DriveFile,
    EvidenceItem,
    Flag,
    Form,
    Person,
    PersonTotalRow,
    ResponseVersion,
    Review,
    Score,
    Submission,
    SyncRun,
    TotalKey,
)


def _assign(row: SQLModel, values: Mapping[str, Any]) -> bool:
    """Set the fields that differ; True when anything changed (so unchanged rows are never marked dirty)."""
    changed = False
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    return changed


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


def version_marks(session: Session, form_id: str) -> list[tuple[str, str, bool, bool]]:
    """Each stored version of the form's responses: (responseId, lastSubmittedTime, is current, withdrawn)."""
    query = select(
        ResponseVersion.response_id,
        ResponseVersion.last_submitted_time,
        ResponseVersion.is_current,
        ResponseVersion.withdrawn,
    ).where(ResponseVersion.form_id == form_id)
    return [tuple(row) for row in session.exec(query).all()]  # type: ignore[misc]


def current_version(session: Session, form_id: str, response_id: str) -> ResponseVersion | None:
    query = select(ResponseVersion).where(
        ResponseVersion.form_id == form_id,
        ResponseVersion.response_id == response_id,
        col(ResponseVersion.is_current).is_(True),
    )
    return session.exec(query).first()


def set_current(session: Session, form_id: str, response_id: str, version: ResponseVersion) -> None:
    previous = current_version(session, form_id, response_id)
    if previous is not None and previous.id != version.id:
        previous.is_current = False
        session.add(previous)
    version.is_current = True
    session.add(version)


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


def upsert_submission(
    session: Session,
    key: str,
    values: Mapping[str, Any],
    evidence: Callable[[], Iterable[EvidenceItem]],
) -> bool:
    """Write the submission when any of ``values`` differs; its evidence items are replaced by ``evidence()``
    when the row is new or its ``content_hash`` changed. True when anything was written."""
    row = session.get(Submission, key)
    if row is None:
        session.add(Submission(key=key, **values))
        _replace_evidence(session, key, evidence())
        return True
    content_changed = row.content_hash != values["content_hash"]
    if _assign(row, values):
        session.add(row)
        if content_changed:
            _replace_evidence(session, key, evidence())
        return True
    return False


def _replace_evidence(session: Session, key: str, items: Iterable[EvidenceItem]) -> None:
    for old in session.exec(select(EvidenceItem).where(EvidenceItem.submission_key == key)).all():
        session.delete(old)
    session.flush()
    session.add_all(list(items))


def mark_withdrawn(session: Session, form_id: str, response_id: str, withdrawn: bool) -> None:
    version = current_version(session, form_id, response_id)
    if version is not None and version.withdrawn != withdrawn:
        version.withdrawn = withdrawn
        session.add(version)
    submission = session.exec(
        select(Submission).where(Submission.form_id == form_id, Submission.response_id == response_id)
    ).first()
    if submission is not None and submission.withdrawn != withdrawn:
        submission.withdrawn = withdrawn
        session.add(submission)


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
    if (
        current is not None
        and current.rubric_version == rubric_version
        and current.value == text
        and current.status == status
        and current.explanation == explanation
        and current.indicator_code == indicator_code
    ):
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


def reconcile_flags(
    session: Session, wanted: Mapping[str, set[tuple[str, str]]], now: datetime
) -> tuple[int, int]:
    """Open the flags in ``wanted`` that are not open, close the open ones no longer wanted: (opened,
    closed)."""
    open_rows = session.exec(select(Flag).where(col(Flag.closed_at).is_(None))).all()
    have: dict[tuple[str, str, str], Flag] = {(f.submission_key, f.code, f.detail): f for f in open_rows}
    opened = closed = 0
    want_keys = {(key, code, detail) for key, flags in wanted.items() for code, detail in flags}
    for ident, row in have.items():
        if ident not in want_keys:
            row.closed_at = now
            session.add(row)
            closed += 1
    for key, code, detail in sorted(want_keys - have.keys()):
        session.add(Flag(submission_key=key, code=code, detail=detail, opened_at=now))
        opened += 1
    return opened, closed


def open_flags(session: Session) -> dict[str, list[Flag]]:
    out: dict[str, list[Flag]] = {}
    for row in session.exec(select(Flag).where(col(Flag.closed_at).is_(None)).order_by(col(Flag.id))).all():
        out.setdefault(row.submission_key, []).append(row)
    return out


def current_reviews(session: Session) -> dict[str, Review]:
    query = select(Review).where(col(Review.replaced_by).is_(None))
    return {r.submission_key: r for r in session.exec(query).all()}


def version_numbers(session: Session) -> dict[int, int]:
    """Each stored response version's number within its response (ฉบับที่): 1 for the first one received
    in time order, 2 for the first edit, …"""
    query = select(
        ResponseVersion.id,
        ResponseVersion.form_id,
        ResponseVersion.response_id,
        ResponseVersion.last_submitted_time,
    ).order_by(
        col(ResponseVersion.form_id),
        col(ResponseVersion.response_id),
        col(ResponseVersion.last_submitted_time),
    )
    out: dict[int, int] = {}
    previous: tuple[str, str] | None = None
    number = 0
    for version_id, form_id, response_id, _ in session.exec(query).all():
        number = number + 1 if previous == (form_id, response_id) else 1
        previous = (form_id, response_id)
        out[int(version_id)] = number  # type: ignore[arg-type]
    return out


def _version_judged(session: Session, key: str, shown: int | None) -> int | None:
    """The version id a committee entry judged: the one numbered ``shown`` of the submission's response,
    else (no number, or one that does not exist) the version the submission counts."""
    submission = session.get(Submission, key)
    if submission is None:
        return None
    if shown is not None:
        query = (
            select(ResponseVersion.id)
            .where(
                ResponseVersion.form_id == submission.form_id,
                ResponseVersion.response_id == submission.response_id,
            )
            .order_by(col(ResponseVersion.last_submitted_time))
        )
        ids = list(session.exec(query).all())
        if 1 <= shown <= len(ids):
            return ids[shown - 1]
    return submission.response_version_id


def save_reviews(session: Session, cells: Sequence[Any], now: datetime) -> int:
    """Keep what reviewers typed: a new row when a cell's text changed, the previous one pointing to it, tied
    to the version the row showed (``version_shown``) when it was read."""
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
            response_version_id=_version_judged(
                session, cell.submission_key, getattr(cell, "version_shown", None)
            ),
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


def past_runs(session: Session, limit: int) -> list[SyncRun]:
    """The newest ``limit`` sync runs that were not dry runs, oldest first."""
    query = (
        select(SyncRun)
        .where(col(SyncRun.dry_run).is_(False))
        .order_by(col(SyncRun.started_at).desc(), col(SyncRun.run_id).desc())
        .limit(limit)
    )
    return list(reversed(session.exec(query).all()))
