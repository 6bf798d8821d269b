"""What the fakes add beyond the contract: A1 parsing, injected failures, row moves, unsorted pages."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from conn_worlds import SandboxWorld
from hypothesis import given
from hypothesis import strategies as st

from connectors.a1 import GridRange, column_index, column_letters, parse_range, quote_sheet, split_sheet
from connectors.base import EvidenceStatus, FileRef, RangeValues
from connectors.errors import FatalError, RetriableError
from connectors.ledger import ApiLedger
from connectors.memory import DriveFile, InMemoryEvidence, InMemoryForms, InMemorySheets


@given(st.integers(min_value=0, max_value=18277))
def test_column_letters_round_trip(index: int) -> None:
    """Column letters and indexes convert both ways for every column Sheets allows."""
    assert column_index(column_letters(index)) == index


@given(st.integers(min_value=0, max_value=18_277))
def test_column_letters_are_bijective_base_26(index: int) -> None:
    """Column letters follow A..Z, AA.. exactly like Sheets (bijective base 26)."""
    letters = column_letters(index)
    value = 0
    for ch in letters:
        value = value * 26 + (ord(ch) - 64)
    assert value - 1 == index


@given(st.text(min_size=1, max_size=20).filter(lambda t: t.strip() == t))
def test_quoted_titles_round_trip(title: str) -> None:
    """Any tab title, quoted as Google quotes it, splits back to itself."""
    assert split_sheet(quote_sheet(title) + "!A1:B2") == (title, "A1:B2")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("'ผลการประเมิน'!A1:M120", GridRange("ผลการประเมิน", 0, 0, 120, 13)),
        ("Sheet1!A:C", GridRange("Sheet1", None, 0, None, 3)),
        ("Sheet1!2:5", GridRange("Sheet1", 1, None, 5, None)),
        ("Sheet1!B3", GridRange("Sheet1", 2, 1, 3, 2)),
        ("Sheet1!A2:C", GridRange("Sheet1", 1, 0, None, 3)),
        ("'It''s'!A1", GridRange("It's", 0, 0, 1, 1)),
    ],
)
def test_parse_range(text: str, expected: GridRange) -> None:
    """The A1 shapes the dashboard uses parse to 0-based bounds with exclusive ends."""
    assert parse_range(text) == expected


def test_bare_tab_title_is_whole_tab() -> None:
    """A range that is only a tab title means the whole tab."""
    assert parse_range("สรุป", ["สรุป"]) == GridRange("สรุป", None, None, None, None)
    with pytest.raises(ValueError, match="Unable to parse range"):
        parse_range("Sheet1!1A")


def test_injected_fault_is_raised_and_recorded() -> None:
    """An injected RetriableError surfaces once (as after exhausted retries), recorded with its status."""
    ledger = ApiLedger()
    sheets = InMemorySheets(ledger)
    sheets.create("S", "t")
    sink = sheets.open("S")
    sheets.spreadsheets["S"].inject(RetriableError("quota", status=429), method="sheets.spreadsheets.get")
    with pytest.raises(RetriableError):
        sink.info()
    assert sink.info().title == "t"
    assert [c.status for c in ledger.calls] == [429, 200]


def test_fake_drive_outage_leaves_files_unchecked() -> None:
    """An injected RetriableError on the batch leaves the file unchecked, like the Google adapter after its
    retries; the next call gets the verdict."""
    drive = InMemoryEvidence(ApiLedger(), [DriveFile("1a", "a.pdf", "application/pdf")])
    drive.inject(RetriableError("backend", status=503), method="drive.batch")
    first = drive.check_files([FileRef("1a")])
    assert first.verdicts == {} and first.unchecked["1a"].status == 503
    assert drive.check_files([FileRef("1a")]).verdicts["1a"].status is EvidenceStatus.OK


@given(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=40))
def test_fake_raw_round_trip(text: str) -> None:
    """Any non-empty text written RAW reads back unchanged, formatted or not: nothing is parsed."""
    sheets = InMemorySheets()
    sheets.create("S", "t")
    sink = sheets.open("S")
    sink.write([RangeValues("Sheet1!B2", [[text]])])
    for render in ("FORMATTED_VALUE", "UNFORMATTED_VALUE", "FORMULA"):
        assert sink.read(["Sheet1!B2"], render) == {"Sheet1!B2": [[text]]}


def test_insert_rows_moves_cells_like_a_person_would() -> None:
    """insertDimension shifts values down and grows the grid, so code keyed by row number breaks here too."""
    sheets = InMemorySheets()
    sheet = sheets.create("S", "t", {"Sheet1": [["id"], ["r1"], ["r2"]]})
    sheet.batch_update(
        [{"insertDimension": {"range": {"sheetId": 0, "dimension": "ROWS", "startIndex": 1, "endIndex": 2}}}]
    )
    assert sheet.tab_values("Sheet1") == [["id"], [], ["r1"], ["r2"]]
    assert sheet.info().tabs[0].row_count == 1001


def test_non_json_values_are_refused() -> None:
    """A Decimal cannot travel as JSON: refused (fatal), as the real adapter's serialisation would fail."""
    sheets = InMemorySheets()
    sheets.create("S", "t")
    with pytest.raises(FatalError):
        sheets.open("S").write([RangeValues("Sheet1!A1", [[Decimal("1.5")]])])


def test_fake_pages_are_not_in_time_order() -> None:
    """The fake returns responses in an order unrelated to time, so callers cannot lean on one."""
    forms = InMemoryForms(page_size=100)
    forms.add_form({"formId": "F", "items": []})
    for i in range(20):
        forms.submit("F", {"responseId": f"r{i:02d}", "lastSubmittedTime": f"2026-03-01T00:00:{i:02d}Z"})
    (page,) = list(forms.list_responses("F"))
    times = [r["lastSubmittedTime"] for r in page]
    assert times != sorted(times)
    with pytest.raises(ValueError, match="timezone-aware"):
        list(forms.list_responses("F", since=datetime(2026, 3, 1)))  # noqa: DTZ001
    assert len(next(forms.list_responses("F", since=datetime(2026, 3, 1, 0, 0, 10, tzinfo=UTC)))) == 10


@pytest.mark.integration
def test_forms_adapter_is_safe_across_threads(sandbox_world: SandboxWorld) -> None:
    """Four threads list responses at once through one GoogleForms (one httplib2.Http per thread)."""
    form_id = sandbox_world.create_form("แบบทดสอบ", ["ชื่อ-นามสกุล"])
    for i in range(5):
        sandbox_world.submit(form_id, f"R{i}", f"2026-03-0{i + 1}T00:00:00Z", {"ชื่อ-นามสกุล": f"คน {i}"})
    results: list[int] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(3):
                results.append(sum(len(p) for p in sandbox_world.forms.list_responses(form_id)))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert errors == []
    assert results == [5] * 12
    assert len(sandbox_world.google.forms._http._all) == 4
