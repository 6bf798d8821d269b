"""What a sync stores from Google, in bulk: response versions (which one is current, which are withdrawn),
the submissions normalized from them and their evidence items.

A form's responses are stored with a handful of statements however many there are: versions inserted in
batches, the previous current versions cleared in one UPDATE, submissions read by key in chunks and
written only where a value differs, evidence replaced with one DELETE per chunk. Rows go in as plain
column values through the Core tables, not ORM objects nor ORM-enabled statements: building a SQLModel
object costs more than storing its row, and the ORM's bulk insert splits a batch into one statement per
set of None columns (thousands of statements for a first sync). Like every write of the store, each is a
no-op when the stored row already says the same thing.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import RowMapping, Table, bindparam, delete, insert, update
from sqlmodel import Session, SQLModel, col, select

from daemon.store.models import EvidenceItem, ResponseVersion, Submission

# Bound parameters per statement: SQLite allows 32,766 and PostgreSQL 65,535; chunks stay far below both.
CHUNK = 5000
# Rows per multi-row INSERT batch, kept small enough for memory and for those limits.
INSERT_CHUNK = 1000
T = TypeVar("T")

VERSIONS: Table = ResponseVersion.__table__  # type: ignore[attr-defined]
SUBMISSIONS: Table = Submission.__table__  # type: ignore[attr-defined]
EVIDENCE: Table = EvidenceItem.__table__  # type: ignore[attr-defined]


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


@dataclass(frozen=True)
class StoredVersion:
    """A current version as normalization reads it back (no ORM object: there may be tens of thousands)."""

    id: int
    response_id: str
    raw_json: str
    submitted_at: datetime


def current_versions(
    session: Session, form_id: str, known: Container[int] = ()
) -> Iterator[StoredVersion | int]:
    """The form's current versions that are not withdrawn: the ones submissions are normalized from.

    A version whose id is in ``known`` (the caller holds its response already) comes back as its id alone,
    so its stored JSON is neither read nor decoded again; the others are read a chunk at a time."""
    query = select(VERSIONS.c.id).where(
        VERSIONS.c.form_id == form_id, VERSIONS.c.is_current.is_(True), VERSIONS.c.withdrawn.is_(False)
    )
    wanted: list[int] = []
    for version_id in session.execute(query).scalars().all():
        if version_id in known:
            yield int(version_id)
        else:
            wanted.append(int(version_id))
    v = VERSIONS.c
    for chunk in chunked(wanted):
        by_id = select(v.id, v.response_id, v.raw_json, v.submitted_at).where(v.id.in_(chunk)).order_by(v.id)
        rows = session.execute(by_id).all()
        yield from (StoredVersion(int(i), r, raw, utc(at)) for i, r, raw, at in rows)


def add_versions(
    session: Session, form_id: str, rows: Sequence[Mapping[str, Any]]
) -> dict[tuple[str, str], int]:
    """Insert new versions (``response_version`` columns, in batches); those marked current replace their
    response's current version. Returns each new version's id by (responseId, lastSubmittedTime)."""
    becoming = sorted({str(r["response_id"]) for r in rows if r["is_current"]})
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
    ids: dict[tuple[str, str], int] = {}
    statement = insert(VERSIONS).returning(
        VERSIONS.c.id, VERSIONS.c.response_id, VERSIONS.c.last_submitted_time
    )
    for batch in chunked(rows, INSERT_CHUNK):
        for version_id, response_id, last_submitted in session.execute(statement, list(batch)):
            ids[(response_id, last_submitted)] = version_id
    return ids


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
    """One submission as normalization wants it stored (``submission`` columns), its evidence items
    (``evidence_item`` columns) built only when they must be written."""

    key: str
    values: Mapping[str, Any]
    evidence: Callable[[], Iterable[Mapping[str, Any]]]


def upsert_submissions(session: Session, writes: Sequence[SubmissionWrite]) -> int:
    """Write each submission whose values differ from the stored row; replace the evidence items of those
    that are new or whose ``content_hash`` changed. Returns how many submissions were written."""
    table = SUBMISSIONS
    existing: dict[str, RowMapping] = {}
    for chunk in chunked([w.key for w in writes]):
        found = session.execute(table.select().where(table.c.key.in_(chunk))).mappings()
        existing.update((str(row["key"]), row) for row in found)
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    replaced: list[str] = []
    items: list[Mapping[str, Any]] = []
    for write in writes:
        row = existing.get(write.key)
        if row is None:
            inserts.append({"key": write.key, **write.values})
        elif all(same(row[name], value) for name, value in write.values.items()):
            continue
        else:
            updates.append({"key": write.key, **write.values})
            if row["content_hash"] == write.values["content_hash"]:
                continue
        replaced.append(write.key)
        items.extend(write.evidence())
    for batch in chunked(inserts, INSERT_CHUNK):
        session.execute(insert(SUBMISSIONS), list(batch))
    if updates:
        update_by_key(session, SUBMISSIONS, "key", updates)
    for chunk in chunked(replaced):
        session.execute(delete(EVIDENCE).where(EVIDENCE.c.submission_key.in_(chunk)))
    for rows in chunked(items, INSERT_CHUNK):
        session.execute(insert(EVIDENCE), list(rows))
    return len(inserts) + len(updates)


def update_by_key(session: Session, table: Table, key: str, rows: Sequence[Mapping[str, Any]]) -> None:
    """UPDATE each row found by its primary key ``key`` (every row with the same columns), in one
    executemany per chunk."""
    names = [name for name in rows[0] if name != key]
    statement = (
        update(table)
        .where(table.c[key] == bindparam(f"_{key}"))
        .values({name: bindparam(f"_{name}") for name in names})
    )
    for batch in chunked(rows, INSERT_CHUNK):
        session.execute(statement, [{f"_{name}": value for name, value in row.items()} for row in batch])


def utc(value: datetime) -> datetime:
    """A stored timestamp (SQLite gives it back without its zone; it was written in UTC) as aware UTC."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def same(stored: Any, wanted: Any) -> bool:
    """Whether a stored column already holds ``wanted`` (timestamps compared as instants)."""
    if isinstance(stored, datetime) and isinstance(wanted, datetime):
        return utc(stored) == utc(wanted)
    return bool(stored == wanted)
