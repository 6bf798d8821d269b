"""Upserts by natural ids and the queries the sync cycle needs. Every write here is a no-op when the
stored row
already says the same thing, which is what makes a second sync with nothing new change no row."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlmodel import Session, SQLModel, col, select

from daemon.links import Link
from daemon.normalize import Normalized, Upload, evidence_rows
from daemon.plan import StoredResponse
from daemon.store.models import (
    Checkpoint,
    DriveFile,
    EvidenceItem,
    Flag,
    Form,
    Person,
    ResponseVersion,
    Review,
    Score,
    Submission,
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


def stored_responses(session: Session, form_id: str) -> dict[str, StoredResponse]:
    versions: dict[str, set[str]] = {}
    current: dict[str, tuple[str, bool]] = {}
    for row in session.exec(select(ResponseVersion).where(ResponseVersion.form_id == form_id)).all():
        versions.setdefault(row.response_id, set()).add(row.last_submitted_time)
        if row.is_current:
            current[row.response_id] = (row.last_submitted_time, row.withdrawn)
    return {
        rid: StoredResponse(
            rid, frozenset(v), current.get(rid, (max(v), False))[0], current.get(rid, ("", False))[1]
        )
        for rid, v in versions.items()
    }


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
    session: Session, normalized: Normalized, version: ResponseVersion, fiscal_year: int
) -> bool:
    """Write the submission and its evidence items when the normalized content or the counting version
    changed."""
    content_hash = normalized.content_hash()
    row = session.get(Submission, normalized.key)
    assert version.id is not None
    values: dict[str, Any] = {
        "form_id": normalized.form_id,
        "response_id": normalized.response_id,
        "response_version_id": version.id,
        "email": normalized.email,
        "respondent_name": normalized.respondent_name,
        "indicator_code": normalized.indicator_code,
        "indicator_text": normalized.indicator_text,
        "round_months": normalized.round_months,
        "fiscal_year": fiscal_year,
        "submitted_at": version.submitted_at,
        "value_text": normalized.value_text,
        "note_text": normalized.note_text,
        "date_text": normalized.date_text,
        "steps_json": json.dumps(list(normalized.steps)),
        "awards_json": json.dumps(dict(sorted(normalized.awards.items())), ensure_ascii=False),
        "files_attached": normalized.files_attached,
        "parse_flags_json": json.dumps(
            [[f.code.value, f.detail] for f in normalized.flags], ensure_ascii=False
        ),
        "withdrawn": False,
        "content_hash": content_hash,
    }
    if row is None:
        session.add(Submission(key=normalized.key, **values))
        _replace_evidence(session, normalized)
        return True
    content_changed = row.content_hash != content_hash
    if _assign(row, values):
        session.add(row)
        if content_changed:
            _replace_evidence(session, normalized)
        return True
    return False


def _replace_evidence(session: Session, normalized: Normalized) -> None:
    for old in session.exec(select(EvidenceItem).where(EvidenceItem.submission_key == normalized.key)).all():
        session.delete(old)
    session.flush()
    for position, (source, item) in enumerate(evidence_rows(normalized)):
        session.add(_evidence_item(normalized.key, position, source, item))


def _evidence_item(key: str, position: int, source: str, item: Link | Upload) -> EvidenceItem:
    if isinstance(item, Upload):
        return EvidenceItem(
            submission_key=key,
            position=position,
            source=source,
            kind="drive_file",
            original=item.name or item.file_id,
            file_id=item.file_id,
            upload_name=item.name,
            upload_mime_type=item.mime_type,
        )
    return EvidenceItem(
        submission_key=key,
        position=position,
        source=source,
        kind=item.kind.value,
        original=item.original,
        file_id=item.file_id,
        resource_key=item.resource_key,
    )


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
