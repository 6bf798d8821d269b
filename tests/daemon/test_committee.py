"""The score that counts (committee.used_score) and the dashboard read that feeds it before scoring."""

from __future__ import annotations

from decimal import Decimal

import pytest
from dashboard_factories import model
from hypothesis import given
from hypothesis import strategies as st

from connectors.base import RangeValues
from connectors.ledger import ApiLedger
from connectors.memory_sheets import InMemorySheets
from daemon.dashboard.publish import publish
from daemon.dashboard.read import read_dashboard
from daemon.results.committee import used_score
from scoring.model import Indicator, ManualParams

TEN = Indicator(
    code="TCH-1",
    name_th="ตัวชี้วัด",
    name_en="Indicator",
    category="c",
    weight=Decimal(1),
    roles=frozenset({"*"}),
    kind="manual",
    params=ManualParams(),
    max_score=Decimal(10),
)
AWARDS = Indicator(**{**TEN.__dict__, "kind": "awards", "allow_above_max": True})
LINEAR = Indicator(**{**TEN.__dict__, "kind": "linear"})
SEVEN = Decimal("7.00000")
OUT = "value_out_of_range"

CASES = [
    # (indicator, auto, decision, override) -> (used, source, flag code or None)
    (LINEAR, SEVEN, "", "", SEVEN, "auto", None),
    (LINEAR, None, "", "", None, "auto", None),
    (LINEAR, SEVEN, "รับรอง", "", SEVEN, "auto", None),
    (LINEAR, SEVEN, "", "๓", Decimal("3.00000"), "committee", None),
    (LINEAR, SEVEN, "", "4.5", Decimal("4.50000"), "committee", None),
    (LINEAR, SEVEN, "", "๔.๕", Decimal("4.50000"), "committee", None),
    (LINEAR, SEVEN, "", "4.123456", Decimal("4.12346"), "committee", None),
    (LINEAR, None, "", "2", Decimal("2.00000"), "committee", None),
    (LINEAR, SEVEN, "ไม่รับรอง", "", Decimal("0.00000"), "not_certified", None),
    (LINEAR, SEVEN, " Not  Certified ", "", Decimal("0.00000"), "not_certified", None),
    (LINEAR, None, "ไม่รับรอง", "", Decimal("0.00000"), "not_certified", None),
    (LINEAR, SEVEN, "ไม่รับรอง", "5", Decimal("5.00000"), "committee", None),
    (LINEAR, SEVEN, "", "ประมาณ 4", SEVEN, "auto", "unparseable"),
    (LINEAR, SEVEN, "", "N/A", SEVEN, "auto", "unparseable"),
    (LINEAR, SEVEN, "", "-", SEVEN, "auto", None),
    (LINEAR, SEVEN, "", "11", SEVEN, "auto", OUT),
    (LINEAR, SEVEN, "", "-1", SEVEN, "auto", OUT),
    (LINEAR, SEVEN, "ไม่รับรอง", "11", Decimal("0.00000"), "not_certified", OUT),
    # Above full marks on an uncapped indicator counts, flagged for confirmation like an auto score.
    (AWARDS, SEVEN, "", "12", Decimal("12.00000"), "committee", "above_max"),
    (AWARDS, SEVEN, "", "-1", SEVEN, "auto", OUT),
    (TEN, None, "", "10", Decimal("10.00000"), "committee", None),
]


@pytest.mark.parametrize(("indicator", "auto", "decision", "override", "used", "source", "flag"), CASES)
def test_used_score_rule(
    indicator: Indicator,
    auto: Decimal | None,
    decision: str,
    override: str,
    used: Decimal | None,
    source: str,
    flag: str | None,
) -> None:
    """Committee number (rounded, in range) first, then 0 when not certified, then the auto score."""
    result = used_score(indicator, auto, decision, override, comment="เอกสารไม่ครบ")
    assert (result.value, result.source) == (used, source)
    assert [code for code, _ in result.flags] == ([flag] if flag else [])


def test_flag_details_name_the_committee_column() -> None:
    """The flag's detail says which cell to fix, in the dashboard's language."""
    assert used_score(LINEAR, SEVEN, "", "ประมาณ 4").flags == (("unparseable", "คะแนนที่กรรมการให้: ประมาณ 4"),)
    detail = used_score(LINEAR, SEVEN, "", "11", lang="en").flags[0][1]
    assert detail.startswith("Committee score: 11") and "10" in detail


def test_explanations_say_why() -> None:
    """A used score that is not the auto score says why; the auto one says nothing more."""
    assert "ไม่รับรอง โดยคณะกรรมการ" in used_score(LINEAR, SEVEN, "ไม่รับรอง").explanation
    assert (
        "not certified by the committee" in used_score(LINEAR, SEVEN, "not certified", lang="en").explanation
    )
    assert "3.00000" in used_score(LINEAR, SEVEN, "", "3").explanation
    assert used_score(LINEAR, SEVEN).explanation == ""


@given(st.decimals(min_value=0, max_value=10, places=5, allow_nan=False), st.sampled_from(["", "ไม่รับรอง"]))
def test_any_number_in_range_is_the_score(value: Decimal, decision: str) -> None:
    """Every committee number from 0 to full marks is the score used, whatever the decision."""
    result = used_score(LINEAR, SEVEN, decision, str(value), comment="ตรวจแล้ว")
    assert result.value == value and result.source == "committee" and not result.flags


@pytest.mark.parametrize("comment", ["", "   "])
def test_not_certified_without_a_comment_is_flagged(comment: str) -> None:
    """ไม่รับรอง with an empty comment still gives 0 and asks for the reason; with one it raises nothing."""
    result = used_score(LINEAR, SEVEN, "ไม่รับรอง", "", comment=comment)
    assert result.value == Decimal("0.00000")
    assert [code for code, _ in result.flags] == ["not_certified_no_comment"]
    assert not used_score(LINEAR, SEVEN, "ไม่รับรอง", "", comment="ไม่แนบรายงาน").flags


def test_seventy_for_seven_is_flagged_for_confirmation() -> None:
    """70 typed for an uncapped award indicator whose rows score 7 counts and names both numbers."""
    result = used_score(AWARDS, SEVEN, "", "70")
    assert result.value == Decimal("70.00000")
    ((code, detail),) = result.flags
    assert code == "above_max" and "70" in detail and "10" in detail


@pytest.mark.parametrize("typed", ["1/2/2026", "2026-01-02", "2/1", "12.5.69"])
def test_a_score_sheets_read_as_a_date_is_flagged_as_such(typed: str) -> None:
    """A score that came back as date text (Sheets parsed "1/2") never counts and the flag says why."""
    result = used_score(AWARDS, SEVEN, "", typed)
    assert result.value == SEVEN and result.source == "auto"
    ((code, detail),) = result.flags
    assert code == "unparseable" and "วันที่" in detail


@given(st.text(alphabet="กขคabc ประมาณ", min_size=1).filter(lambda t: t.strip() not in {"", "-"}))
def test_text_never_counts(text: str) -> None:
    """Text with no number is flagged and never changes the score."""
    result = used_score(LINEAR, SEVEN, "", text)
    assert result.value == SEVEN and [c for c, _ in result.flags] == ["unparseable"]


def test_read_dashboard_then_publish_costs_the_same_calls() -> None:
    """A first read is one info(); publishing against a read state does not read again; the reviews typed
    are in the state before anything is written."""
    ledger = ApiLedger()
    sheet = InMemorySheets(ledger).create("1Dash", "แดชบอร์ด", {"Sheet1": []})
    state = read_dashboard(sheet, "th")
    assert ledger.count(api="sheets") == 1 and state.reviews == []
    publish(sheet, model(3), state)
    assert ledger.count(api="sheets") == 3  # info, batchUpdate, values write
    values = sheet.tab_values("ผลการประเมิน")
    col = chr(65 + values[0].index("คะแนนที่กรรมการให้"))
    sheet.write([RangeValues(f"'ผลการประเมิน'!{col}2", [["๓"]])])
    mark = ledger.count(api="sheets")
    state = read_dashboard(sheet, "th")
    assert ledger.count(api="sheets") == mark + 2  # info + one read
    assert [r.override_score for r in state.reviews if r.override_score] == ["๓"]
    result = publish(sheet, model(3), state, dry_run=True)
    assert ledger.count(api="sheets") == mark + 2 and result.write_calls == 0
