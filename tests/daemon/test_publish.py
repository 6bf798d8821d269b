"""publish() against the in-memory Sheets fake: literal text, minimal writes, rows and columns found by
content."""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest
from dashboard_factories import HOSTILE_NOTES, model, submission

from connectors.base import RangeValues, SpreadsheetInfo, TabInfo
from connectors.ledger import ApiLedger
from connectors.memory_sheets import InMemorySheets, InMemorySpreadsheet
from daemon.dashboard.model import DashboardModel, EvidenceCell
from daemon.dashboard.publish import MAX_CALL_BYTES, planned_calls, publish
from daemon.dashboard.read import DashboardState

SHEET_ID = "1DashboardSukhothaiKpi2569xxxxxxxxxxxxxxxx"
SUBS = "ผลการประเมิน"
SUMMARY = "สรุปคะแนน"


@pytest.fixture
def ledger() -> ApiLedger:
    return ApiLedger()


@pytest.fixture
def sheet(ledger: ApiLedger) -> InMemorySpreadsheet:
    return InMemorySheets(ledger).create(SHEET_ID, "แดชบอร์ด", {"Sheet1": []})


def column(values: list[list[Any]], header: str) -> list[Any]:
    at = values[0].index(header)
    return [row[at] if at < len(row) else "" for row in values[1:]]


def row_for(values: list[list[Any]], key: str) -> dict[str, Any]:
    header = values[0]
    for row in values[1:]:
        if row and row[header.index("รหัสรายการ")] == key:
            return {h: (row[i] if i < len(row) else "") for i, h in enumerate(header)}
    raise AssertionError(f"no row for {key}")


def test_first_publish_writes_thai_tabs_and_literal_text(sheet: InMemorySpreadsheet) -> None:
    """Respondent notes starting with = + - @ are stored as the literal text, under Thai headers, and the
    whole first publish is one batchUpdate (tabs, headers and every row appended whole)."""
    result = publish(sheet, model(10))
    values = sheet.tab_values(SUBS)
    assert values[0][:4] == ["รหัสรายการ", "วันที่ส่ง", "ฉบับที่", "อีเมล"]
    notes = column(values, "หมายเหตุผู้ส่ง")
    assert set(HOSTILE_NOTES) <= set(notes)
    assert result.rows_written >= 10 + 3  # every submission and summary row, plus the legend
    assert result.write_calls == 1
    assert sheet.tab_values(SUMMARY)[0][:2] == ["รหัสแถว", "อีเมล"]


def test_scores_are_numbers(sheet: InMemorySpreadsheet) -> None:
    """A Decimal score reaches the Sheet as a number, not as text."""
    publish(sheet, model(2))
    scores = column(sheet.tab_values(SUBS), "คะแนนอัตโนมัติ")
    assert scores == [4.80653, 4.80653]


def test_second_publish_of_same_model_makes_no_write(sheet: InMemorySpreadsheet, ledger: ApiLedger) -> None:
    """Publishing the same model twice: the second makes zero write calls (info + read only)."""
    publish(sheet, model(25))
    writes = ledger.count(writes=True)
    before = len(ledger.calls)
    result = publish(sheet, model(25))
    assert result.write_calls == 0
    assert result.rows_written == 0
    assert ledger.count(writes=True) == writes
    assert len(ledger.calls) - before == 2


@pytest.mark.parametrize("n", [10, 300])
def test_write_calls_do_not_grow_with_rows(n: int, sheet: InMemorySpreadsheet, ledger: ApiLedger) -> None:
    """First publish takes one write call and a publish changing every row one more, for 10 or 300 rows."""
    publish(sheet, model(n))
    assert ledger.count(writes=True) == 1
    changed = replace(model(n), submissions=[replace(s, score=Decimal("3.5")) for s in model(n).submissions])
    result = publish(sheet, changed)
    assert result.write_calls == 1
    assert result.rows_written == n
    assert ledger.count(writes=True) == 2
    assert set(column(sheet.tab_values(SUBS), "คะแนนอัตโนมัติ")) == {3.5}


def _sort_rows_descending(sheet: InMemorySpreadsheet) -> None:
    """What a person's Sort range Z→A does to the values: the same rows, another order."""
    values = sheet.tab_values(SUBS)
    body = sorted(values[1:], key=lambda r: r[0], reverse=True)
    width = max(len(r) for r in body)
    padded = [r + [""] * (width - len(r)) for r in body]
    last = chr(64 + width)
    sheet.write([RangeValues(f"'{SUBS}'!A2:{last}{len(padded) + 1}", padded)])


def test_sorted_rows_and_inserted_column_keep_identity(sheet: InMemorySpreadsheet) -> None:
    """After a human sorts rows and inserts a column, publish updates the right row and decision."""
    publish(sheet, model(6))
    _sort_rows_descending(sheet)
    tab_id = next(t.sheet_id for t in sheet.info().tabs if t.title == SUBS)
    sheet.batch_update(
        [
            {
                "insertDimension": {
                    "range": {"sheetId": tab_id, "dimension": "COLUMNS", "startIndex": 2, "endIndex": 3}
                }
            }
        ]
    )
    values = sheet.tab_values(SUBS)
    header = values[0]
    target = next(i for i, r in enumerate(values) if r and r[0] == "S-form-0002")
    decision_col = chr(65 + header.index("ผลการพิจารณา"))
    override_col = chr(65 + header.index("คะแนนที่กรรมการให้"))
    sheet.write(
        [
            RangeValues(f"'{SUBS}'!C1", [["บันทึกของกรรมการ"]]),
            RangeValues(f"'{SUBS}'!C{target + 1}", [["ตรวจแล้ว"]]),
            RangeValues(f"'{SUBS}'!{decision_col}{target + 1}", [["ไม่รับรอง"]]),
            RangeValues(f"'{SUBS}'!{override_col}{target + 1}", [[4.5]]),
        ]
    )
    m = model(6)
    subs = [
        replace(s, score=Decimal("1.25")) if s.submission_key == "S-form-0002" else s for s in m.submissions
    ]
    result = publish(sheet, replace(m, submissions=subs))

    after = sheet.tab_values(SUBS)
    row = row_for(after, "S-form-0002")
    assert row["คะแนนอัตโนมัติ"] == 1.25
    assert row["บันทึกของกรรมการ"] == "ตรวจแล้ว"
    assert row["ผลการพิจารณา"] == "ไม่รับรอง"
    assert row_for(after, "S-form-0003")["คะแนนอัตโนมัติ"] == 4.80653
    assert result.rows_written == 1
    reviews = {r.submission_key: r for r in result.reviews}
    assert reviews["S-form-0002"].decision == "ไม่รับรอง"
    assert reviews["S-form-0002"].override_score == "4.5"
    assert reviews["S-form-0003"].decision == ""
    assert len(after[0]) == len(values[0])  # no column was added: every header was found where it now is


def test_vanished_submission_is_marked_not_deleted(sheet: InMemorySpreadsheet) -> None:
    """A submission gone from the model keeps its row and the committee's comment; its status says deleted."""
    publish(sheet, model(3))
    values = sheet.tab_values(SUBS)
    target = next(i for i, r in enumerate(values) if r and r[0] == "S-form-0001")
    comment_col = chr(65 + values[0].index("ความเห็นกรรมการ"))
    sheet.write([RangeValues(f"'{SUBS}'!{comment_col}{target + 1}", [["ขอเอกสารเพิ่ม"]])])
    m = model(3)
    result = publish(
        sheet, replace(m, submissions=[s for s in m.submissions if s.submission_key != "S-form-0001"])
    )
    row = row_for(sheet.tab_values(SUBS), "S-form-0001")
    assert row["สถานะ"] == "ไม่พบในแบบฟอร์มแล้ว (ถูกลบ)"
    assert row["ความเห็นกรรมการ"] == "ขอเอกสารเพิ่ม"
    assert {r.submission_key: r.comment for r in result.reviews}["S-form-0001"] == "ขอเอกสารเพิ่ม"


def test_dry_run_writes_nothing(sheet: InMemorySpreadsheet, ledger: ApiLedger) -> None:
    """dry_run computes the change but makes no write call and leaves the Sheet as it was."""
    result = publish(sheet, model(4), dry_run=True)
    assert result.write_calls == 0
    assert result.rows_written >= 4
    assert ledger.count(writes=True) == 0
    assert [t.title for t in sheet.info().tabs] == ["Sheet1"]


def test_evidence_link_is_a_format_not_a_formula(sheet: InMemorySpreadsheet) -> None:
    """A single evidence link is the cell's link format over literal text, never a =HYPERLINK formula."""
    ev = (EvidenceCell('=HYPERLINK("http://evil")', "https://drive.google.com/file/d/X/view", "ok"),)
    publish(sheet, DashboardModel([submission(0, evidence=ev)], []))
    values = sheet.tab_values(SUBS)
    at = values[0].index("หลักฐาน")
    assert values[1][at] == '=HYPERLINK("http://evil")'
    assert sheet.link_at(SUBS, 1, at) == "https://drive.google.com/file/d/X/view"


def test_tab_grows_when_rows_exceed_grid(sheet: InMemorySpreadsheet, ledger: ApiLedger) -> None:
    """Rows beyond a small existing tab are added by growing the grid in the same batch, not by failing."""
    sheet.add_tab(SUBS, [["รหัสรายการ"]], row_count=3, cols=26)
    publish(sheet, model(12))
    assert len(column(sheet.tab_values(SUBS), "รหัสรายการ")) == 12
    assert ledger.count(writes=True) == 1


def test_language_switch_reuses_columns(sheet: InMemorySpreadsheet) -> None:
    """Republishing in English renames the headers in place instead of adding a second set of columns."""
    publish(sheet, model(2))
    width = len(sheet.tab_values(SUBS)[0])
    publish(sheet, model(2, lang="en"))
    header = sheet.tab_values(SUBS)[0]
    assert len(header) == width
    assert header[0] == "Submission key"


def test_summary_shrink_clears_stale_rows(sheet: InMemorySpreadsheet) -> None:
    """When the summary loses rows, the old rows are cleared rather than left behind."""
    publish(sheet, model(1, summaries=5))
    publish(sheet, model(1, summaries=2))
    assert len(sheet.tab_values(SUMMARY)) == 3


def test_ten_thousand_submissions_go_in_calls_of_at_most_two_megabytes() -> None:
    """10,000 submissions of Thai text published to an empty spreadsheet: the batchUpdate bodies, as JSON on
    the wire, are each at most 2 MB (the whole would be one call far over Google's 10 MB) and filled up to
    it but for the last, and every row is appended in one of them, once, with its key."""
    info = SpreadsheetInfo(SHEET_ID, "แดชบอร์ด", [TabInfo(0, "Sheet1", 0, 1000, 26)])
    bodies = planned_calls(model(10_000, summaries=200), DashboardState(info, {}, {}, []))
    sizes = [len(body) for body in bodies]
    assert len(sizes) > 5 and max(sizes) <= MAX_CALL_BYTES
    assert sum(sizes) > 5 * MAX_CALL_BYTES
    assert min(sizes[:-1]) > MAX_CALL_BYTES - 10_000  # no call left short by a request's own limit
    calls = [json.loads(body)["requests"] for body in bodies]
    keys = [
        row["values"][0]["userEnteredValue"]["stringValue"]
        for call in calls
        for request in call
        for row in request.get("appendCells", {}).get("rows", [])
    ]
    subs = [k for k in keys if k.startswith("S-form-")]
    assert len(subs) == len(set(subs)) == 10_000
