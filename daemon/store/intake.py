"""What a sync stores from Google, in bulk: response versions (which one is current, which are withdrawn),
the submissions normalized from them and their evidence items.

A form's responses are stored with a handful of statements however many there are: versions inserted in
one batch, the previous current versions cleared in one UPDATE, submissions loaded by key in chunks and
written only where a value differs, evidence replaced with one DELETE per chunk. Like every write of the
store, each is a no-op when the stored row already says the same thing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import delete, update
from sqlmodel import Session, SQLModel, col, select

from daemon.store.models import EvidenceItem, ResponseVersion, Submission

# Bound parameters per statement: SQLite allows 32,766 and PostgreSQL 65,535; chunks stay far below both.
CHUNK = 5000
T = TypeVar("T")


def chunked(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def assign(row: SQLModel, values: Mapping[str, Any]) -> bool:
    """Set the fields that differ; True when anything changed (so unchanged rows are never marked dirty)."""
    changed = False
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
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


def current_versions(session: Session, form_id: str) -> list[ResponseVersion]:
    """The form's current versions that are not withdrawn: the ones submissions are normalized from."""
    query = select(ResponseVersion).where(
        ResponseVersion.form_id == form_id,
        col(ResponseVersion.is_current).is_(True),
        col(ResponseVersion.withdrawn).is_(False),
    )
    return list(session.exec(query).all())


def add_versions(session: Session, form_id: str, versions: Sequence[ResponseVersion]) -> None:
    """Insert new versions (one batch); those marked current replace their response's current version."""
    becoming = sorted({v.response_id for v in versions if v.is_current})
    for chunk in chunked(becoming):
        # Before the insert, so the new current versions are not cleared with the old ones.
        session.execute(
            update(ResponseVersion)
            .where(
                col(ResponseVersion.form_id) == form_id,
                col(ResponseVersion.response_id).in_(chunk),
                col(ResponseVersion.is_current).is_(True),
            )
            .values(is_current=False)
            .execution_options(synchronize_session=False)
        )
    session.add_all(versions)
    session.flush()  # ids, for the submissions that point at their version


def mark_withdrawn(session: Session, form_id: str, response_id: str, withdrawn: bool) -> None:
    query = select(ResponseVersion).where(
        ResponseVersion.form_id == form_id,
        ResponseVersion.response_id == response_id,
        col(ResponseVersion.is_current).is_(True),
    )
    version = session.exec(query).first()
    if version is not None and version.withdrawn != withdrawn:
        version.withdrawn = withdrawn
        session.add(version)
    submission = session.exec(
        select(Submission).where(Submission.form_id == form_id, Submission.response_id == response_id)
    ).first()
    if submission is not None and submission.withdrawn != withdrawn:
        submission.withdrawn = withdrawn
        session.add(submission)


@dataclass(frozen=True)
class SubmissionWrite:
    """One submission as normalization wants it stored, its evidence built only when it must be written."""

    key: str
    values: Mapping[str, Any]
    evidence: Callable[[], Iterable[EvidenceItem]]


def upsert_submissions(session: Session, writes: Sequence[SubmissionWrite]) -> int:
    """Write each submission whose values differ from the stored row; replace the evidence items of those
    that are new or whose ``content_hash`` changed. Returns how many submissions were written."""
    keys = [w.key for w in writes]
    existing: dict[str, Submission] = {}
    for chunk in chunked(keys):
        existing.update(
            (s.key, s) for s in session.exec(select(Submission).where(col(Submission.key).in_(chunk)))
        )
    replaced: list[str] = []
    items: list[EvidenceItem] = []
    written = 0
    for write in writes:
        row = existing.get(write.key)
        if row is None:
            session.add(Submission(key=write.key, **write.values))
        else:
            content_changed = row.content_hash != write.values["content_hash"]
            if not assign(row, write.values):
                continue
            session.add(row)
            if not content_changed:
                written += 1
                continue
        written += 1
        replaced.append(write.key)
        items.extend(write.evidence())
    for chunk in chunked(replaced):
        # Before the new items are added: this statement flushes what is pending first.
        session.execute(
            delete(EvidenceItem)
            .where(col(EvidenceItem.submission_key).in_(chunk))
            .execution_options(synchronize_session=False)
        )
    session.add_all(items)
    return written
