"""The rows the dashboard shows, as plain values: the sync cycle builds them from the store, the dashboard
lays them out, publish writes them. Nothing here knows about Google or SQL."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from scoring.explain import Lang


@dataclass(frozen=True)
class EvidenceCell:
    """One piece of evidence as the committee sees it: a label, a link to open, and the check's verdict."""

    label: str  # file name, or the link as typed
    url: str | None  # a link the committee can click (webViewLink, or the URL the respondent gave)
    status: str  # EvidenceStatus value, or "link" for a non-Drive link that cannot be checked


@dataclass(frozen=True)
class FlagCell:
    code: str  # scoring.flags.FlagCode value
    label: str  # short text in the dashboard's language
    detail: str = ""


@dataclass(frozen=True)
class SubmissionRow:
    """One submission (person × indicator × round) with the response version that counts."""

    submission_key: str  # the row's identity in the Sheet, e.g. "S-7f3a9c01b2"; never changes
    response_id: str
    submitted_at: datetime  # lastSubmittedTime in the office's timezone
    email: str
    name: str
    unit: str
    role: str
    indicator_code: str
    indicator_name: str
    round_label: str  # e.g. "รอบ 12 เดือน ปีงบประมาณ 2569"
    answer_text: str  # the numeric answer exactly as typed (respondent text: written literally)
    note_text: str  # the respondent's free-text note (respondent text: written literally)
    evidence: tuple[EvidenceCell, ...]
    score: Decimal | None  # None when pending, manual or not scorable
    max_score: Decimal
    score_status: str  # scoring.engine.ScoreStatus value
    explanation: str
    flags: tuple[FlagCell, ...]
    superseded: bool = False
    # The score that counts (daemon.results.committee): the committee's, 0 when not certified, else ``score``.
    used_score: Decimal | None = None
    used_explanation: str = ""  # why it is not the auto score; empty when it is


@dataclass(frozen=True)
class SummaryRow:
    """One person's totals for a round."""

    email: str
    name: str
    unit: str
    role: str
    round_label: str
    # indicator code -> score (None: no submission, or not scored yet)
    indicator_scores: dict[str, Decimal | None]
    total: Decimal
    weighted: Decimal
    rank: int  # by weighted score within the same round and role; ties share a rank
    flags_open: int
    # category key -> the weighted score within that category (scoring.aggregate's per_category)
    category_scores: dict[str, Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class UnitRow:
    """One unit's (หน่วยงาน) figures for a round."""

    round_label: str
    unit: str
    people: int
    total: Decimal  # sum of its people's totals
    weighted_mean: Decimal  # mean of its people's weighted scores
    rank: int  # by weighted_mean within the round; ties share a rank


@dataclass(frozen=True)
class DashboardModel:
    submissions: list[SubmissionRow]
    summary: list[SummaryRow]
    indicator_codes: list[str] = field(default_factory=list)  # column order of the summary
    category_names: dict[str, str] = field(default_factory=dict)  # category key -> its name, in column order
    units: list[UnitRow] = field(default_factory=list)
    lang: Lang = "th"
    generated_at: datetime | None = None


@dataclass(frozen=True)
class ReviewCell:
    """What a committee member typed beside a row, read back from the Sheet (never written by the daemon)."""

    submission_key: str
    decision: str
    override_score: str
    comment: str
