"""The Google request bodies publish sends for evidence cells."""

from __future__ import annotations

from daemon.dashboard.layout import LinkRun, RichText
from daemon.dashboard.sheet_requests import update_cells


def _cell(value: RichText) -> dict:
    return update_cells(7, 1, 9, [[value]])["updateCells"]["rows"][0]["values"][0]


def test_one_link_over_the_whole_text_is_the_cells_own_link() -> None:
    """A single link covering the text becomes the cell's text-format link, the text a literal string."""
    cell = _cell(RichText("=report.pdf", (LinkRun(0, 11, "https://drive.google.com/file/d/F1/view"),)))
    assert cell["userEnteredValue"] == {"stringValue": "=report.pdf"}
    assert cell["userEnteredFormat"]["textFormat"]["link"]["uri"].endswith("/F1/view")
    assert "textFormatRuns" not in cell


def test_several_links_are_runs_counted_in_utf16_units() -> None:
    """Runs start where each label starts in UTF-16 code units: an emoji before the second counts twice."""
    first, second = "รูป🎉.jpg", "รายงาน.pdf"
    text = f"{first}\n{second}"
    value = RichText(
        text,
        (
            LinkRun(0, len(first), "https://drive.google.com/file/d/A/view"),
            LinkRun(len(first) + 1, len(text), "https://drive.google.com/file/d/B/view"),
        ),
    )
    runs = _cell(value)["textFormatRuns"]
    utf16_first = len(first.encode("utf-16-le")) // 2
    assert utf16_first == len(first) + 1
    assert [r["startIndex"] for r in runs] == [0, utf16_first, utf16_first + 1]
    assert runs[2]["format"]["link"]["uri"].endswith("/B/view")
