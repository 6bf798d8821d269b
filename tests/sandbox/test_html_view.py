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


ANCHOR = {"sheetId": 5, "rowIndex": 1, "columnIndex": 5}


def _source(col: int) -> dict[str, object]:
    grid = {
        "sheetId": 5,
        "startRowIndex": 0,
        "endRowIndex": 4,
        "startColumnIndex": col,
        "endColumnIndex": col + 1,
    }
    return {"sourceRange": {"sources": [grid]}}


def _rules_sheet(base_url: str) -> str:
    """A second tab with values, three conditional format rules and a chart over its numbers."""
    with clients(base_url) as (_gc, service):
        created = (
            service.spreadsheets()
            .create(
                body={
                    "properties": {"title": "กฎ"},
                    "sheets": [{"properties": {"title": "คะแนน", "sheetId": 5}}],
                }
            )
            .execute()
        )
        sid = str(created["spreadsheetId"])
        service.spreadsheets().values().update(
            spreadsheetId=sid, range="'คะแนน'!A1", valueInputOption="RAW",
            body={"values": [["ชื่อ", "สถานะ", "วัน"], ["ก", "รับรอง", 3], ["ข", "ไม่รับรอง", -2], ["ค", "", 5]]},
        ).execute()  # fmt: skip

        def rule(
            index: int, col: int, condition: dict[str, object], fmt: dict[str, object]
        ) -> dict[str, object]:
            grid = {"sheetId": 5, "startRowIndex": 1, "startColumnIndex": col, "endColumnIndex": col + 1}
            return {"addConditionalFormatRule": {"index": index, "rule": {
                "ranges": [grid], "booleanRule": {"condition": condition, "format": fmt}}}}  # fmt: skip

        green = {"backgroundColor": {"red": 0, "green": 1, "blue": 0}}
        red = {"textFormat": {"foregroundColor": {"red": 1, "green": 0, "blue": 0}, "bold": True}}
        grey = {"backgroundColor": {"red": 0.5, "green": 0.5, "blue": 0.5}}
        italic = {"textFormat": {"italic": True}}
        custom = {
            "type": "CUSTOM_FORMULA",
            "values": [{"userEnteredValue": '=IF($B2<>"",$B2="รับรอง",FALSE)'}],
        }
        below = {"type": "NUMBER_LESS", "values": [{"userEnteredValue": "0"}]}
        service.spreadsheets().batchUpdate(spreadsheetId=sid, body={"requests": [
            rule(0, 0, custom, green),
            rule(1, 2, below, red),
            rule(2, 1, {"type": "BLANK"}, grey),
            rule(3, 0, {"type": "CUSTOM_FORMULA", "values": [{"userEnteredValue": '=$B2<>""'}]}, italic),
            {"addChart": {"chart": {"spec": {"title": "วันที่เหลือ", "basicChart": {
                "chartType": "COLUMN", "headerCount": 1,
                "domains": [{"domain": _source(0)}], "series": [{"series": _source(2)}],
            }}, "position": {"overlayPosition": {"anchorCell": ANCHOR}}}}},
        ]}).execute()  # fmt: skip
    return sid


def _cell(page: str, text: str) -> str:
    """The opening <td ...> of the first cell showing ``text``."""
    end = page.index(f">{text}</td>")
    return page[page.rindex("<td", 0, end) : end]


def test_conditional_formats_apply_to_the_cells_whose_rule_holds(base_url: str) -> None:
    """A custom formula with a $column and a relative row tints only the row where it holds; a number rule
    colours only the negative number; a blank rule greys the empty cell; cells outside stay plain."""
    page = _get(f"{base_url}/view/spreadsheets/{_rules_sheet(base_url)}").text
    assert "background:#00ff00" in _cell(page, "ก") and "background:#00ff00" not in _cell(page, "ข")
    assert "color:#ff0000" in _cell(page, "-2") and "color" not in _cell(page, "5")
    assert 'style="background:#808080"></td>' in page
    assert "background" not in _cell(page, "ชื่อ")
    # A blank compares equal to "" as in Sheets: =$B2<>"" holds for ข (ไม่รับรอง) and not for ค (blank).
    assert "italic" in _cell(page, "ข") and "italic" not in _cell(page, "ค")


def test_each_tab_has_a_link_and_charts_are_drawn(base_url: str, spreadsheet_id: str) -> None:
    """The page starts with one link per tab to the tab's heading; a chart shows its title and a bar for
    each positive value of its series."""
    sid = _rules_sheet(base_url)
    page = _get(f"{base_url}/view/spreadsheets/{sid}").text
    assert '<nav class="tabs">' in page and '<a href="#tab-5">คะแนน</a>' in page and 'id="tab-5"' in page
    assert "<strong>วันที่เหลือ</strong>" in page
    assert page.count('<div class="bar">') == 3 and page.count("width:36px") == 1
