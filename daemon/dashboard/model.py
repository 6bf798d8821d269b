"""The rows the dashboard shows, as plain values: the sync cycle builds them from the store, the dashboard
lays them out, publish writes them. Nothing here knows about Google or SQL."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
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
    version: int = 1  # ฉบับที่: 1 for the response as first sent, 2 after the respondent's first edit, …
    # The certification status (seed 004): a key of daemon.results.committee.CERTIFICATIONS.
    certification: str = "awaiting"
    # What the committee typed, as stored: put back only into a row the daemon has to append again.
    review: ReviewCell | None = None


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
    fiscal_year: int = 0
    round_months: int = 0

    @property
    def row_key(self) -> str:
        """The row's identity in the summary tab, the same in either language: ``2569-06:email``."""
        return f"{self.fiscal_year}-{self.round_months:02d}:{self.email}"


@dataclass(frozen=True)
class UnitRow:
    """One unit's (หน่วยงาน) figures for a round."""

    round_label: str
    unit: str
    people: int  # in the roster (active), whether they sent anything or not
    total: Decimal  # sum of its people's totals
    weighted_mean: Decimal  # mean of its people's weighted scores
    rank: int  # by weighted_mean within the round; ties share a rank
    submitted: int = 0  # people who sent at least one indicator that counts in the round
    incomplete: int = 0  # people with at least one required indicator not sent


@dataclass(frozen=True)
class MissingRow:
    """A required indicator a person of the roster has not sent for the current round (ยังไม่ส่ง)."""

    email: str
    name: str
    unit: str
    role: str
    indicator_code: str
    indicator_name: str
    fiscal_year: int
    round_months: int
    round_label: str
    deadline: date
    days_left: int  # negative once the deadline has passed

    @property
    def row_key(self) -> str:
        return f"{self.fiscal_year}-{self.round_months:02d}:{self.indicator_code}:{self.email}"


@dataclass(frozen=True)
class IndicatorRow:
    """One indicator in one round: who had to send it, who did, how the committee judged, the scores."""

    code: str
    name: str
    round_label: str
    required: int  # roster people whose role has the indicator
    submitted: int
    certified: int
    not_certified: int
    mean: Decimal | None  # of the scores used
    low: Decimal | None
    high: Decimal | None
    bands: tuple[int, ...]  # how many scores used fall in each band of labels.SCORE_BANDS


@dataclass(frozen=True)
class SyncLogRow:
    """One sync that changed something or did not end well, as the committee and the admin read it."""

    run_id: str
    started_at: datetime  # in the office's timezone
    outcome: str  # ok | partial | failed | running | interrupted
    changes: dict[str, int]  # counts of what the sync changed (daemon.sync.cycle's counters)
    details: str = ""  # one line per part passed over, with its hint


@dataclass(frozen=True)
class DashboardModel:
    submissions: list[SubmissionRow]
    summary: list[SummaryRow]
    indicator_codes: list[str] = field(default_factory=list)  # column order of the summary
    category_names: dict[str, str] = field(default_factory=dict)  # category key -> its name, in column order
    units: list[UnitRow] = field(default_factory=list)
    lang: Lang = "th"
    generated_at: datetime | None = None
    indicator_names: dict[str, str] = field(default_factory=dict)  # code -> name in ``lang``
    missing: list[MissingRow] = field(default_factory=list)
    indicators: list[IndicatorRow] = field(default_factory=list)
    sync_log: list[SyncLogRow] = field(default_factory=list)


@dataclass(frozen=True)
class ReviewCell:
    """What a committee member typed beside a row, read back from the Sheet (the daemon writes these cells
    only into a row it appends, from what it stored)."""

    submission_key: str
    decision: str
    override_score: str
    comment: str
    version_shown: int | None = None  # the ฉบับที่ the row showed when it was read: the version judged
