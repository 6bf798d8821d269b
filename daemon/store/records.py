"""Read-only copies of the rows the results step and the dashboard read by the tens of thousands.

An ORM object carries SQLAlchemy's instance state beside its values: some 2 KB for a submission, so 50,000
of them held for the length of a sync were a third of its memory and each cost more CPU to load than to
use. These slotted records hold the values only, are read with one Core query, and are never written
back (what changes a submission goes through ``Submission`` itself, as ``supersede`` does).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import ColumnElement
from sqlmodel import Session, col, select

from daemon.store.models import Score, Submission

_Record = TypeVar("_Record")


@dataclass(frozen=True, slots=True)
class SubmissionRecord:
    """A stored submission's values (see ``Submission``)."""

    key: str
    form_id: str
    response_id: str
    response_version_id: int
    email: str
    respondent_name: str
    indicator_code: str | None
    indicator_text: str
    round_months: int | None
    fiscal_year: int | None
    submitted_at: datetime
    value_text: str
    note_text: str
    date_text: str
    steps_json: str
    awards_json: str
    files_attached: bool
    parse_flags_json: str
    superseded_by: str | None
    withdrawn: bool


@dataclass(frozen=True, slots=True)
class ScoreRecord:
    """A current score's values (see ``Score``)."""

    id: int | None
    submission_key: str
    indicator_code: str
    rubric_version: str
    value: str | None
    status: str
    explanation: str


def _read(
    session: Session, record: type[_Record], model: Any, where: ColumnElement[bool], order: Any
) -> list[_Record]:
    names = [f.name for f in fields(record)]  # type: ignore[arg-type]  # a dataclass type
    query = select(*(getattr(model, name) for name in names)).where(where).order_by(order)
    return [record(*row) for row in session.execute(query)]


def active_submissions(session: Session) -> list[SubmissionRecord]:
    """Submissions whose response the respondent has not deleted, by key."""
    where = col(Submission.withdrawn).is_(False)
    return _read(session, SubmissionRecord, Submission, where, col(Submission.key))


def current_scores(session: Session) -> dict[str, ScoreRecord]:
    """The current score of each scored submission, by submission key."""
    rows = _read(session, ScoreRecord, Score, col(Score.is_current).is_(True), col(Score.id))
    return {row.submission_key: row for row in rows}
