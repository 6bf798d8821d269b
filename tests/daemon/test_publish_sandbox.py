"""publish() through the real gspread adapter against the sandbox: what Google would store, and how many
calls."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from dashboard_factories import HOSTILE_NOTES, model
from google.auth.credentials import AnonymousCredentials
from googleapiclient.discovery import build

from connectors.base import DashboardSink
from connectors.google import GoogleSettings, build_google_connectors
from connectors.ledger import ApiLedger
from daemon.dashboard.publish import publish
from sandbox.server import RunningSandbox, start

pytestmark = pytest.mark.integration

SUBS = "ผลการประเมิน"


@pytest.fixture
def running(tmp_path: Path) -> Iterator[RunningSandbox]:
    sandbox = start(tmp_path / "sandbox")
    yield sandbox
    sandbox.shutdown()


@pytest.fixture
def human(running: RunningSandbox) -> Iterator[Any]:
    """A person's own Sheets client (googleapiclient), acting on the same spreadsheet as the daemon."""
    service = build(
        "sheets",
        "v4",
        credentials=AnonymousCredentials(),
        client_options={"api_endpoint": running.base_url + "/"},
        static_discovery=True,
        cache_discovery=False,
    )
    yield service.spreadsheets()
    service.close()


@pytest.fixture
def spreadsheet_id(human: Any) -> str:
    created = human.create(
        body={"properties": {"title": "แดชบอร์ด"}, "sheets": [{"properties": {"title": "Sheet1"}}]}
    )
    return str(created.execute()["spreadsheetId"])


@pytest.fixture
def ledger() -> ApiLedger:
    return ApiLedger()


@pytest.fixture
def sink(running: RunningSandbox, ledger: ApiLedger, spreadsheet_id: str) -> DashboardSink:
    connectors = build_google_connectors(GoogleSettings(base_url=running.base_url), ledger)
    return connectors.sheets.open(spreadsheet_id)


def _values(human: Any, spreadsheet_id: str, render: str = "FORMULA") -> list[list[Any]]:
    reply = human.values().get(spreadsheetId=spreadsheet_id, range=SUBS, valueRenderOption=render).execute()
    return list(reply.get("values", []))


def _row(values: list[list[Any]], key: str) -> dict[str, Any]:
    header = values[0]
    for row in values[1:]:
        if row and key in row:
            return {h: (row[i] if i < len(row) else "") for i, h in enumerate(header)}
    raise AssertionError(key)


def test_hostile_text_is_literal_in_the_sheet(sink: DashboardSink, human: Any, spreadsheet_id: str) -> None:
    """=1+1, +66…, -x and @x come back as that text even when read as formulas: nothing was parsed."""
    publish(sink, model(10))
    values = _values(human, spreadsheet_id, "FORMULA")
    notes = [r[values[0].index("หมายเหตุผู้ส่ง")] for r in values[1:]]
    assert set(HOSTILE_NOTES) <= set(notes)
    formatted = _values(human, spreadsheet_id, "FORMATTED_VALUE")
    assert {r[formatted[0].index("หมายเหตุผู้ส่ง")] for r in formatted[1:]} == set(HOSTILE_NOTES)


def test_second_publish_makes_zero_writes(sink: DashboardSink, ledger: ApiLedger) -> None:
    """The ledger shows no write call when the same model is published again."""
    publish(sink, model(20))
    writes = ledger.count(writes=True)
    assert writes == 1
    result = publish(sink, model(20))
    assert result.write_calls == 0
    assert ledger.count(writes=True) == writes


@pytest.mark.parametrize("n", [10, 300])
def test_call_count_is_constant(n: int, sink: DashboardSink, ledger: ApiLedger) -> None:
    """A first publish costs info + one batchUpdate + the check of the keys written (no tab to read yet),
    for 10 or 300 rows; a publish that changes every row costs info + read + the key fence + one batchUpdate
    + the check."""
    publish(sink, model(n))
    assert ledger.count(api="sheets") == 3
    assert ledger.count(writes=True) == 1
    changed = replace(model(n), submissions=[replace(s, score=Decimal("1")) for s in model(n).submissions])
    result = publish(sink, changed)
    assert result.rows_written == n
    assert ledger.count(api="sheets") == 8
    assert ledger.count(writes=True) == 2


def test_sort_insert_and_decision_survive(
    sink: DashboardSink, human: Any, spreadsheet_id: str, ledger: ApiLedger
) -> None:
    """A person sorts rows, inserts a column, picks a decision; publish fixes the right row, reads it back."""
    publish(sink, model(8))
    meta = human.get(spreadsheetId=spreadsheet_id).execute()
    sheet_id = next(s["properties"]["sheetId"] for s in meta["sheets"] if s["properties"]["title"] == SUBS)
    human.batchUpdate(
        spreadsheetId=spreadsheet_id,
        body={
            "requests": [
                {
                    "sortRange": {
                        "range": {"sheetId": sheet_id, "startRowIndex": 1, "endRowIndex": 9},
                        "sortSpecs": [{"dimensionIndex": 0, "sortOrder": "DESCENDING"}],
                    }
                },
                {
                    "insertDimension": {
                        "range": {"sheetId": sheet_id, "dimension": "COLUMNS", "startIndex": 1, "endIndex": 2}
                    }
                },
            ]
        },
    ).execute()
    values = _values(human, spreadsheet_id)
    assert values[1][0] == "S-form-0007"  # the sort really happened
    at = next(i for i, r in enumerate(values) if r and r[0] == "S-form-0003")
    decision = values[0].index("ผลการพิจารณา")
    letter = chr(65 + decision)
    human.values().batchUpdate(
        spreadsheetId=spreadsheet_id,
        body={
            "valueInputOption": "USER_ENTERED",
            "data": [
                {"range": f"'{SUBS}'!B1", "values": [["โน้ต"]]},
                {"range": f"'{SUBS}'!{letter}{at + 1}", "values": [["รับรอง"]]},
            ],
        },
    ).execute()

    m = model(8)
    subs = [
        replace(s, score=Decimal("2.5")) if s.submission_key == "S-form-0003" else s for s in m.submissions
    ]
    result = publish(sink, replace(m, submissions=subs))

    after = _values(human, spreadsheet_id, "UNFORMATTED_VALUE")
    assert _row(after, "S-form-0003")["คะแนนอัตโนมัติ"] == 2.5
    assert _row(after, "S-form-0003")["ผลการพิจารณา"] == "รับรอง"
    assert _row(after, "S-form-0004")["คะแนนอัตโนมัติ"] == 4.80653
    assert after[0][1] == "โน้ต"
    reviews = {r.submission_key: r.decision for r in result.reviews}
    assert reviews["S-form-0003"] == "รับรอง"
    assert reviews["S-form-0004"] == ""
    assert result.write_calls == 1
