"""The read-only HTML view: the index, a spreadsheet rendered as tables; everything escaped."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from gspread_helpers import clients, sandbox_base_url

pytestmark = pytest.mark.integration


@pytest.fixture
def base_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    for url, _ in sandbox_base_url(request, tmp_path):
        yield url


@pytest.fixture
def spreadsheet_id(base_url: str) -> str:
    with clients(base_url) as (gc, service):
        created = service.spreadsheets().create(body={"properties": {"title": "แดชบอร์ด <b>"}}).execute()
        sheet = gc.open_by_key(created["spreadsheetId"]).sheet1
        sheet.update([["หัวข้อ", "ลิงก์"], ["<script>alert(1)</script>", "ดูไฟล์"]], "A1")
        sheet.freeze(rows=1)
        sheet.format("A1:B1", {"textFormat": {"bold": True, "foregroundColor": {"red": 1}}})
        sheet.spreadsheet.batch_update(
            {
                "requests": [
                    {
                        "repeatCell": {
                            "range": {
                                "sheetId": 0,
                                "startRowIndex": 1,
                                "endRowIndex": 2,
                                "startColumnIndex": 1,
                                "endColumnIndex": 2,
                            },
                            "cell": {
                                "userEnteredFormat": {
                                    "textFormat": {"link": {"uri": "https://drive.google.com/file/d/F1/view"}}
                                }
                            },
                            "fields": "userEnteredFormat.textFormat.link",
                        }
                    },
                    {
                        "setDataValidation": {
                            "range": {
                                "sheetId": 0,
                                "startRowIndex": 2,
                                "endRowIndex": 3,
                                "startColumnIndex": 0,
                                "endColumnIndex": 1,
                            },
                            "rule": {
                                "condition": {"type": "ONE_OF_LIST", "values": [{"userEnteredValue": "ผ่าน"}]}
                            },
                        }
                    },
                ]
            }
        )
        return str(created["spreadsheetId"])


def _get(url: str) -> requests.Response:
    with requests.Session() as session:
        return session.get(url, timeout=10)


def test_index_lists_spreadsheets_escaped(base_url: str, spreadsheet_id: str) -> None:
    """The index links each spreadsheet by its escaped title and serves UTF-8 HTML."""
    page = _get(base_url + "/")
    assert page.status_code == 200
    assert page.headers["Content-Type"] == "text/html; charset=utf-8"
    assert f'href="/view/spreadsheets/{spreadsheet_id}"' in page.text
    assert "แดชบอร์ด &lt;b&gt;" in page.text


def test_spreadsheet_page_escapes_cells_and_shows_formats(base_url: str, spreadsheet_id: str) -> None:
    """A cell holding <script> is shown as text; bold, colour, links, frozen header and dropdowns render."""
    page = _get(f"{base_url}/view/spreadsheets/{spreadsheet_id}").text
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "font-weight:bold" in page and "color:#ff0000" in page
    assert '<a href="https://drive.google.com/file/d/F1/view" rel="noopener noreferrer">ดูไฟล์</a>' in page
    assert '<tr class="frozen">' in page
    assert "▾ ผ่าน" in page
    assert "read-only view of the sandbox" in page


def test_several_links_in_one_cell_render_as_separate_anchors(base_url: str, spreadsheet_id: str) -> None:
    """textFormatRuns with two links (UTF-16 offsets, an emoji first) give two anchors, the text exact."""
    first, second = "รูป🎉.jpg", "รายงาน.pdf"
    start_second = len(first.encode("utf-16-le")) // 2 + 1
    with clients(base_url) as (_gc, service):
        service.spreadsheets().batchUpdate(
            spreadsheetId=spreadsheet_id,
            body={
                "requests": [
                    {
                        "updateCells": {
                            "rows": [
                                {
                                    "values": [
                                        {
                                            "userEnteredValue": {"stringValue": f"{first}\n{second}"},
                                            "textFormatRuns": [
                                                {
                                                    "startIndex": 0,
                                                    "format": {"link": {"uri": "https://a.example/1"}},
                                                },
                                                {"startIndex": start_second - 1, "format": {}},
                                                {
                                                    "startIndex": start_second,
                                                    "format": {"link": {"uri": "https://a.example/2"}},
                                                },
                                            ],
                                        }
                                    ]
                                }
                            ],
                            "fields": "userEnteredValue,textFormatRuns",
                            "start": {"sheetId": 0, "rowIndex": 3, "columnIndex": 0},
                        }
                    }
                ]
            },
        ).execute()
    page = _get(f"{base_url}/view/spreadsheets/{spreadsheet_id}").text
    assert f'<a href="https://a.example/1" rel="noopener noreferrer">{first}</a>\n' in page
    assert f'<a href="https://a.example/2" rel="noopener noreferrer">{second}</a>' in page


def test_unknown_spreadsheet_is_404(base_url: str) -> None:
    """An unknown id renders a 404 page, not a crash."""
    assert _get(base_url + "/view/spreadsheets/nope").status_code == 404


def test_index_and_form_page_show_titles_and_response_counts(sandbox) -> None:  # type: ignore[no-untyped-def]
    """On the seeded sandbox the index names each form by its Thai title with its number of responses."""
    counts = sandbox.manifest["response_counts"]
    page = _get(sandbox.base_url + "/").text
    form_id = sandbox.manifest["forms"]["teacher"]
    title = "ตัวชี้วัดคุณภาพ สกร.สุโขทัย – ครู/ครู กศน.ตำบล ปีงบประมาณ 2569"
    assert f'<a href="/view/forms/{form_id}">{title}</a> — {counts["teacher"]} คำตอบ' in page
    assert sum(counts.values()) == sandbox.manifest["response_count"] > 0
    form_page = _get(f"{sandbox.base_url}/view/forms/{form_id}").text
    assert f"จำนวนคำตอบ (responses): {counts['teacher']}" in form_page
    assert "<li>ตัวชี้วัด <small>(questionItem)</small></li>" in form_page
