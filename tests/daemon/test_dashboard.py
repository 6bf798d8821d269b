"""The pure dashboard layout: which tabs, which columns, what each cell says."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from dashboard_factories import model, submission
from hypothesis import given
from hypothesis import strategies as st

from daemon.dashboard.cells import CellValue
from daemon.dashboard.layout import RichText, layout, layout_submissions
from daemon.dashboard.model import DashboardModel, EvidenceCell, ReviewCell
from daemon.dashboard.tabs import column, titled
from scoring.flags import FlagCode, flag_label

THAI_SUBMISSION_HEADERS = [
    "รหัสรายการ", "วันที่ส่ง", "ฉบับที่", "อีเมล", "ชื่อ-นามสกุล", "หน่วยงาน", "ตัวชี้วัด", "รอบ", "คำตอบ",
    "หมายเหตุผู้ส่ง", "หลักฐาน", "สถานะหลักฐาน", "คะแนนอัตโนมัติ", "คะแนนที่ใช้", "คะแนนเต็ม", "คำอธิบายคะแนน",
    "ข้อสังเกต", "สถานะ", "สถานะการรับรอง", "ผลการพิจารณา", "คะแนนที่กรรมการให้", "ความเห็นกรรมการ",
]  # fmt: skip


def test_submission_tab_has_thai_headers_in_order() -> None:
    """The submissions tab is ผลการประเมิน with the daemon's Thai headers then the committee's three."""
    tab = layout(model(2)).submissions
    assert tab.title == "ผลการประเมิน"
    assert [c.header for c in tab.columns] == THAI_SUBMISSION_HEADERS
    assert [c.key for c in tab.columns if c.owner == "committee"] == ["decision", "override_score", "comment"]


def test_english_headers_match_the_same_columns() -> None:
    """lang="en" gives English headers, and each column still recognises its Thai header."""
    tab = layout(model(1, lang="en")).submissions
    assert tab.title == "Submissions"
    key_col = tab.column("submission_key")
    assert key_col.header == "Submission key"
    assert "รหัสรายการ" in key_col.match


def test_committee_cells_carry_only_the_stored_review() -> None:
    """Without a stored review the committee's columns are empty; with one they hold exactly what was typed
    (publish writes them only into a row it has to append again)."""
    tab = layout(model(5)).submissions
    committee = [i for i, c in enumerate(tab.columns) if c.owner == "committee"]
    assert all(row[i] is None for row in tab.rows for i in committee)
    stored = ReviewCell("S-form-0000", "ไม่รับรอง", "๓", "ขาดรายงาน")
    row = layout_submissions(DashboardModel([submission(0, review=stored)], [])).rows[0]
    assert [row[i] for i in committee] == ["ไม่รับรอง", "๓", "ขาดรายงาน"]


def test_respondent_text_is_kept_verbatim() -> None:
    """A note like =1+1 reaches the layout character for character."""
    tab = layout_submissions(model(1))
    note = tab.rows[0][tab.index("note")]
    assert note == "=1+1"


def test_evidence_cell_links_each_label() -> None:
    """Each evidence line's label is a link run spanning exactly that label."""
    tab = layout_submissions(model(1))
    cell = tab.rows[0][tab.index("evidence")]
    assert isinstance(cell, RichText)
    assert cell.text == "รายงาน.pdf\nhttps://youtu.be/abc"
    for link in cell.links:
        label = cell.text[link.start : link.end]
        assert label in ("รายงาน.pdf", "https://youtu.be/abc")
    assert [link.uri for link in cell.links] == [
        "https://drive.google.com/file/d/F0/view",
        "https://youtu.be/abc",
    ]


def test_scores_stay_decimal_and_status_is_thai() -> None:
    """Scores are the model's Decimals; a superseded row says so in Thai."""
    row = submission(1, superseded=True, score=None, explanation="", score_status="pending")
    tab = layout_submissions(DashboardModel([row], []))
    values = dict(zip([c.key for c in tab.columns], tab.rows[0], strict=True))
    assert values["score"] is None
    assert values["max_score"] == Decimal("5")
    assert values["status"] == "ถูกแทนที่ด้วยรายการใหม่กว่า"
    assert values["explanation"] == "รอข้อมูล"


def test_flags_are_labelled_with_detail() -> None:
    """The flags cell lists each flag's Thai label with its detail."""
    tab = layout_submissions(model(1))
    assert tab.rows[0][tab.index("flags")] == "ส่งช้า: เลยกำหนด 2 วัน"


def test_summary_has_one_column_per_indicator_and_ranks() -> None:
    """The summary tab is keyed by round and person, has one column per indicator named beside its code, then
    total, weighted, rank and open flags."""
    m = replace(model(0, summaries=4), indicator_names={"TCH-1": "นักศึกษาที่สร้างชื่อเสียง"})
    tab = layout(m).summary
    assert tab.title == "สรุปคะแนน"
    assert tab.key_column == "row_key"
    headers = [c.header for c in tab.columns]
    assert headers[6:9] == ["TCH-1 นักศึกษาที่สร้างชื่อเสียง", "TCH-2", "TCH-3"]
    assert headers[9:] == ["คะแนนรวม", "คะแนนถ่วงน้ำหนัก", "อันดับ", "ข้อสังเกตที่ยังเปิด"]
    ranks = [row[11] for row in tab.rows]
    assert ranks == [Decimal(1), Decimal(1), Decimal(2), Decimal(2)]
    assert [row[0] for row in tab.rows][:1] == ["0-00:teacher0@sukho.nfe.go.th"]


def test_legend_explains_every_flag_and_status_in_words() -> None:
    """The legend names every flag and certification status by its label and says what it means in words:
    no meaning is a bare code."""
    tab = layout(model(3)).legend
    assert tab.title == "คำอธิบาย"
    items = dict(tab.rows)
    for code in FlagCode:
        meaning = items[f"ข้อสังเกต: {flag_label(code)}"]
        assert isinstance(meaning, str) and len(meaning) > 15 and code.value not in meaning
    for status in ("ยังไม่รายงานผล", "รอการรับรองผล", "ไม่รับรอง", "รับรอง"):
        assert f"สถานะการรับรอง: {status}" in items
    codes = {c.value for c in FlagCode}
    assert not codes & {str(m) for m in items.values()}


@given(
    st.lists(
        st.tuples(st.text(max_size=30), st.one_of(st.none(), st.text(min_size=1, max_size=20))), max_size=6
    )
)
def test_evidence_links_always_cover_their_label(items: list[tuple[str, str | None]]) -> None:
    """Whatever the labels, each link run is inside the text and starts where its label starts."""
    cells = tuple(EvidenceCell(label, url, "ok") for label, url in items)
    tab = layout_submissions(DashboardModel([submission(0, evidence=cells)], []))
    cell = tab.rows[0][tab.index("evidence")]
    if not items:
        assert cell is None
        return
    assert isinstance(cell, RichText)
    for link in cell.links:
        assert 0 <= link.start < link.end <= len(cell.text)


def test_a_repeated_value_is_held_once_and_keeps_how_it_reads() -> None:
    """Rows that repeat a text or a number share one copy of it (a large tab is held through the whole
    publish), while equal numbers written differently (2.50, 2.5) each keep their own digits."""
    cols = (column("a", ("ก", "a"), "th"), column("b", ("ข", "b"), "th", "number"))
    rows: list[list[CellValue]] = [[f"{'x' * 30}{i % 2}", Decimal("2.50") if i % 3 else Decimal("2.5")]
                                   for i in range(300)]  # fmt: skip
    tab = titled("t", ("ท", "t"), "th", cols, rows)
    assert tab.rows[0][0] is tab.rows[2][0] and tab.rows[0][0] == "x" * 30 + "0"
    assert tab.rows[1][1] is tab.rows[2][1]
    assert [str(r[1]) for r in tab.rows[:3]] == ["2.5", "2.50", "2.50"]
