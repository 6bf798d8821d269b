"""Upserts by natural ids and the queries the sync, the results and the dashboard need. Every write here is a
no-op when the stored row already says the same thing, which is what makes a second sync with nothing new
change no row. Knows the tables only: no sync, scoring or Google logic lives here."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from daemon.store import records
from daemon.store.intake import assign as _assign
from daemon.store.models import (
    Checkpoint,
    Derived,
    DriveFile,
    EvidenceItem,
    Flag,
    Form,
    Person,
    ResponseVersion,
    Review,
    Submission,
    SyncRun,
)
from daemon.store.records import ScoreRecord


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


def withdrawn_superseding(session: Session) -> list[str]:
    """Keys of withdrawn submissions still marked as superseded by another."""
    query = select(Submission.key).where(
        col(Submission.withdrawn).is_(True), col(Submission.superseded_by).is_not(None)
    )
    return list(session.exec(query).all())


def set_superseded(session: Session, changes: Mapping[str, str | None]) -> None:
    """Set each submission's ``superseded_by`` (key → the key that supersedes it, or None), as one ORM bulk
    UPDATE by primary key."""
    if changes:
        session.execute(update(Submission), [{"key": k, "superseded_by": v} for k, v in changes.items()])


def evidence_by_submission(session: Session) -> dict[str, list[EvidenceItem]]:
    out: dict[str, list[EvidenceItem]] = {}
    for item in session.exec(
        select(EvidenceItem).order_by(col(EvidenceItem.submission_key), col(EvidenceItem.position))
    ):
        out.setdefault(item.submission_key, []).append(item)
    return out


def drive_files(session: Session) -> dict[str, DriveFile]:
    return {row.file_id: row for row in session.exec(select(DriveFile)).all()}


def current_scores(session: Session) -> dict[str, ScoreRecord]:
    return records.current_scores(session)


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


def run_marks(session: Session, limit: int) -> list[tuple[str, str, str]]:
    """(run id, outcome, counts JSON) of the newest ``limit`` runs that were not dry runs, newest first: what
    deciding which runs the sync log shows needs, without loading each run."""
    query = (
        select(SyncRun.run_id, SyncRun.outcome, SyncRun.counts_json)
        .where(col(SyncRun.dry_run).is_(False))
        .order_by(col(SyncRun.started_at).desc(), col(SyncRun.run_id).desc())
        .limit(limit)
    )
    return [(str(r), str(o), str(c)) for r, o, c in session.exec(query).all()]


def past_runs(session: Session, limit: int) -> list[SyncRun]:
    """The newest ``limit`` sync runs that were not dry runs, oldest first."""
    query = (
        select(SyncRun)
        .where(col(SyncRun.dry_run).is_(False))
        .order_by(col(SyncRun.started_at).desc(), col(SyncRun.run_id).desc())
        .limit(limit)
    )
    return list(reversed(session.exec(query).all()))
