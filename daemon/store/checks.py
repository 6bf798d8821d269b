"""The Drive checks the evidence step reads and writes: which files the active submissions name, each file's
last verdict, and the new verdicts, as plain rows (a first sync checks thousands of files at once)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Table, insert
from sqlmodel import Session, col, select

from daemon.store.intake import INSERT_CHUNK, chunked, update_by_key, utc
from daemon.store.models import DriveFile, EvidenceItem, Submission

DRIVE_FILES: Table = DriveFile.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class LastCheck:
    """What the evidence step needs of a stored verdict to decide whether it is still fresh."""

    status: str
    checked_at: datetime
    resource_key: str | None


def evidence_files(session: Session) -> list[tuple[str, str | None]]:
    """(file id, resource key) of every evidence item of an active submission that names a Drive file, in
    the order of the submissions and their items."""
    query = (
        select(EvidenceItem.file_id, EvidenceItem.resource_key)
        .join(Submission, col(Submission.key) == col(EvidenceItem.submission_key))
        .where(col(Submission.withdrawn).is_(False), col(EvidenceItem.file_id).is_not(None))
        .order_by(col(EvidenceItem.submission_key), col(EvidenceItem.position))
    )
    return [(str(file_id), key) for file_id, key in session.exec(query).all()]


def last_checks(session: Session) -> dict[str, LastCheck]:
    query = select(DriveFile.file_id, DriveFile.status, DriveFile.checked_at, DriveFile.resource_key)
    return {f: LastCheck(s, utc(at), k) for f, s, at, k in session.exec(query).all()}


def save_checks(session: Session, rows: Sequence[Mapping[str, Any]]) -> None:
    """Store verdicts (``drive_file`` rows with every column): new files inserted, known ones replaced."""
    known: set[str] = set()
    for chunk in chunked([str(r["file_id"]) for r in rows]):
        known.update(session.exec(select(DriveFile.file_id).where(col(DriveFile.file_id).in_(chunk))).all())
    fresh = [dict(r) for r in rows if r["file_id"] not in known]
    again = [dict(r) for r in rows if r["file_id"] in known]
    # Through the Core table: the ORM's bulk insert splits a batch into one statement per set of None
    # columns (a verdict with no size, another with no checksum, …).
    for batch in chunked(fresh, INSERT_CHUNK):
        session.execute(insert(DRIVE_FILES), list(batch))
    if again:
        update_by_key(session, DRIVE_FILES, "file_id", again)
