"""Small DashboardModel builders shared by the dashboard, publish and CLI tests."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from daemon.dashboard.model import DashboardModel, EvidenceCell, FlagCell, Lang, SubmissionRow, SummaryRow

HOSTILE_NOTES = ("=1+1", '=HYPERLINK("http://evil.example","x")', "+66 81 234 5678", "-ไม่มี-", "@ครูสมศรี")


def submission(i: int, **overrides: object) -> SubmissionRow:
    base = SubmissionRow(
        submission_key=f"S-form-{i:04d}",
        response_id=f"resp{i:04d}",
        submitted_at=datetime(2026, 3, 1, 10, 0, tzinfo=UTC) + timedelta(minutes=i),
        email=f"teacher{i % 7}@sukho.nfe.go.th",
        name=f"นางสาวสมศรี ใจดี {i}",
        unit="สกร.อำเภอเมืองสุโขทัย",
        role="ครู",
        indicator_code="TCH-2",
        indicator_name="ร้อยละของผู้เข้าสอบ N-NET",
        round_label="รอบ 6 เดือน ปีงบประมาณ 2569",
        answer_text="๘๕ %",
        note_text=HOSTILE_NOTES[i % len(HOSTILE_NOTES)],
        evidence=(
            EvidenceCell("รายงาน.pdf", f"https://drive.google.com/file/d/F{i}/view", "ok"),
            EvidenceCell("https://youtu.be/abc", "https://youtu.be/abc", "link"),
        ),
        score=Decimal("4.80653"),
        max_score=Decimal("5"),
        score_status="scored",
        explanation="ร้อยละ 85 อยู่ระหว่าง 80 ถึง 90: 4.80653",
        flags=(FlagCell("late", "ส่งช้า", "เลยกำหนด 2 วัน"),) if i % 3 == 0 else (),
    )
    return replace(base, **overrides)  # type: ignore[arg-type]


def summary_row(i: int, rank: int) -> SummaryRow:
    return SummaryRow(
        email=f"teacher{i}@sukho.nfe.go.th",
        name=f"ครู {i}",
        unit="สกร.อำเภอเมืองสุโขทัย",
        role="ครู",
        round_label="รอบ 6 เดือน ปีงบประมาณ 2569",
        indicator_scores={"TCH-1": Decimal("7"), "TCH-2": Decimal("4.80653"), "TCH-3": None},
        total=Decimal("11.80653"),
        weighted=Decimal("4.74511"),
        rank=rank,
        flags_open=i % 2,
    )


def model(n: int, *, lang: Lang = "th", summaries: int = 3) -> DashboardModel:
    return DashboardModel(
        submissions=[submission(i) for i in range(n)],
        summary=[summary_row(i, rank=1 + i // 2) for i in range(summaries)],
        indicator_codes=["TCH-1", "TCH-2", "TCH-3"],
        lang=lang,
    )
