"""The store's tables (DESIGN.md "Data model").

Natural ids are the keys a re-run upserts on (formId, responseId + lastSubmittedTime, Drive fileId, the
submission key), so a crash or a second sync converges instead of doubling. Scores are stored as exact
decimal strings, never floats. Timestamps are UTC; Google's own RFC3339 strings are kept as received where
they are identities.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel


class Form(SQLModel, table=True):
    __tablename__ = "form"

    form_id: str = Field(primary_key=True)
    title: str = ""
    revision_id: str = ""
    question_map: str = "{}"  # JSON: questionId -> title (grid rows: "item title / row title")
    # Digest of everything normalization read for this form (its questions, its config, the indicator names
    # and aliases, the rounds, the code): only new versions are normalized while it stays the same.
    normalized_with: str = ""
    updated_at: datetime


class ResponseVersion(SQLModel, table=True):
    """One version of a Form response as received; an edit keeps the responseId and adds a version."""

    __tablename__ = "response_version"
    __table_args__ = (UniqueConstraint("form_id", "response_id", "last_submitted_time"),)

    id: int | None = Field(default=None, primary_key=True)
    form_id: str = Field(index=True)
    response_id: str = Field(index=True)
    last_submitted_time: str  # Google's RFC3339 string as received: the version's identity
    submitted_at: datetime  # the same instant, parsed (UTC)
    create_time: str = ""
    respondent_email: str = ""
    raw_json: str  # the FormResponse JSON exactly as received
    is_current: bool = True
    withdrawn: bool = False  # the respondent deleted it (seen missing in a full pass)
    received_at: datetime


class Person(SQLModel, table=True):
    __tablename__ = "person"

    email: str = Field(primary_key=True)
    name: str = ""
    unit: str = ""
    role: str = ""
    staff_type: str = ""
    active: bool = True


class Submission(SQLModel, table=True):
    """Person × indicator × round as one response states it. The row a later submission of the same person,
    indicator and round supersedes stays, marked, so the committee sees the history."""

    __tablename__ = "submission"

    key: str = Field(primary_key=True)  # normalize.submission_key(): the row's identity in the Sheet
    form_id: str = Field(index=True)
    response_id: str
    response_version_id: int  # the version that counts
    email: str = Field(index=True)
    respondent_name: str = ""
    indicator_code: str | None = Field(default=None, index=True)
    indicator_text: str = ""  # the answer as chosen, for rows whose indicator could not be mapped
    round_months: int | None = None
    fiscal_year: int | None = None
    submitted_at: datetime
    value_text: str = ""
    note_text: str = ""
    date_text: str = ""
    steps_json: str = "[]"
    awards_json: str = "{}"
    files_attached: bool = False
    parse_flags_json: str = "[]"  # flags the answers themselves raise: [[code, detail], ...]
    superseded_by: str | None = None  # key of the submission that replaced this one
    withdrawn: bool = False
    content_hash: str = ""  # of the normalized content: unchanged content is not rewritten


class LinkKind(enum.StrEnum):
    """What one piece of evidence is (``EvidenceItem.kind``): daemon.sync.links finds these in answers,
    daemon.results.evidence reads them back."""

    DRIVE_FILE = "drive_file"
    DRIVE_FOLDER = "drive_folder"
    YOUTUBE = "youtube"
    WEB = "web"
    NOT_A_LINK = "not_a_link"  # words, a Form's public responder link, a Drive URL without an id


class EvidenceItem(SQLModel, table=True):
    """One piece of evidence a submission names: a pasted link (or text that is not one) or an uploaded file.

    The Drive check verdict lives in DriveFile, one row per file, because each distinct file is checked
    once."""

    __tablename__ = "evidence_item"
    __table_args__ = (UniqueConstraint("submission_key", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    submission_key: str = Field(index=True)
    position: int
    source: str  # "link" | "upload"
    kind: str  # a LinkKind value
    original: str  # the text or URL as the respondent gave it, or the uploaded file name
    file_id: str | None = Field(default=None, index=True)
    resource_key: str | None = None
    upload_name: str | None = None
    upload_mime_type: str | None = None


class DriveFile(SQLModel, table=True):
    """The last check of one Drive file (connectors.base.FileCheck)."""

    __tablename__ = "drive_file"

    file_id: str = Field(primary_key=True)
    resource_key: str | None = None
    status: str  # connectors.base.EvidenceStatus value
    name: str | None = None
    mime_type: str | None = None
    size: int | None = None
    web_view_link: str | None = None
    modified_time: str | None = None
    md5_checksum: str | None = None
    via_shortcut: str | None = None
    detail: str = ""
    checked_at: datetime


class Score(SQLModel, table=True):
    """A score as one rubric version computed it. A new row only when something changed; the old one stays."""

    __tablename__ = "score"

    id: int | None = Field(default=None, primary_key=True)
    submission_key: str = Field(index=True)
    indicator_code: str
    rubric_version: str
    value: str | None = None  # exact Decimal as text, 5 places
    status: str  # scoring.engine.ScoreStatus value
    explanation: str = ""
    computed_at: datetime
    is_current: bool = True


class Flag(SQLModel, table=True):
    __tablename__ = "flag"

    id: int | None = Field(default=None, primary_key=True)
    submission_key: str = Field(index=True)
    code: str  # scoring.flags.FlagCode value
    detail: str = ""
    opened_at: datetime
    closed_at: datetime | None = None


class Review(SQLModel, table=True):
    """What the committee typed beside a row, as first seen; a changed entry replaces, never overwrites.

    It judges one version of the response: the one the row showed when the entry was first seen. Once the
    respondent edits, the submission counts a newer version and this entry no longer decides its score."""

    __tablename__ = "review"

    id: int | None = Field(default=None, primary_key=True)
    submission_key: str = Field(index=True)
    decision: str = ""
    override_score: str = ""
    comment: str = ""
    first_seen_at: datetime
    replaced_by: int | None = None
    response_version_id: int | None = None  # the version judged; None: stored before versions were kept


class Checkpoint(SQLModel, table=True):
    __tablename__ = "checkpoint"

    form_id: str = Field(primary_key=True)
    watermark: str  # max lastSubmittedTime of a completed pass (RFC3339 Z)
    full_pass_at: datetime | None = None
    updated_at: datetime


class Derived(SQLModel, table=True):
    """What a derived part of the store (scores and flags, the dashboard) was last computed from: a digest of
    the settings and code it used, empty once an input changed since. A sync with nothing new finds every
    part fresh and recomputes nothing; the mark is written in the transaction that changes an input, so a
    crash between that commit and the recompute leaves the part stale, never falsely fresh."""

    __tablename__ = "derived"

    name: str = Field(primary_key=True)  # "results" | "dashboard"
    computed_with: str = ""  # "" = stale
    updated_at: datetime


class SyncRun(SQLModel, table=True):
    __tablename__ = "sync_run"

    run_id: str = Field(primary_key=True)
    started_at: datetime
    finished_at: datetime | None = None
    outcome: str = "running"  # running | ok | partial | failed
    dry_run: bool = False
    counts_json: str = "{}"
    api_calls: int = 0
    write_calls: int = 0
    error: str = ""


class ApiCallRecord(SQLModel, table=True):
    """One row of a sync's API-call ledger (connectors.ledger.ApiCall)."""

    __tablename__ = "api_call"

    id: int | None = Field(default=None, primary_key=True)
    run_id: str = Field(index=True)
    seq: int
    api: str
    method: str
    status: int
    duration_ms: float = 0.0
    request_bytes: int = 0
    response_bytes: int = 0
    attempt: int = 1
    is_write: bool = False
    inner_calls: int = 0  # calls a Drive batch carried (each counts against quota)


DATA_TABLES: tuple[type[SQLModel], ...] = (
    Form,
    ResponseVersion,
    Person,
    Submission,
    EvidenceItem,
    DriveFile,
    Score,
    Flag,
    Review,
    Checkpoint,
)
"""Tables whose content is the synced data; sync_run and api_call are the record of syncing itself."""


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
