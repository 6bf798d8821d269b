"""DashboardSink contract: InMemorySpreadsheet and GoogleSpreadsheet (gspread on the sandbox) agree."""

from __future__ import annotations

import json

import pytest
from conn_worlds import World

from connectors.base import RangeValues
from connectors.errors import FatalError

TAB = "ผลการประเมิน"
HEADER = ["อีเมล", "ชื่อ-นามสกุล", "คะแนน"]


def sheet(world: World) -> str:
    return world.create_spreadsheet("แดชบอร์ดทดสอบ", {TAB: [HEADER]})


def test_info_lists_tabs(world: World) -> None:
    """spreadsheets.get gives the title and each tab with its id, index and grid size, in one call."""
    sid = sheet(world)
    info = world.sink(sid).info()
    assert info.spreadsheet_id == sid
    assert info.title == "แดชบอร์ดทดสอบ"
    tab = info.tab(TAB)
    assert tab is not None and tab.index == 0
    assert tab.row_count >= 1 and tab.column_count >= 3
    assert world.ledger.count(method="sheets.spreadsheets.get") == 1


@pytest.mark.parametrize(
    "text", ["=1+1", '=HYPERLINK("http://evil.example","x")', "+66 81 234 5678", "-ไม่มี-", "@ครูสมศรี"]
)
def test_respondent_text_stays_literal(world: World, text: str) -> None:
    """Text that looks like a formula is stored RAW and read back exactly, never evaluated."""
    sid = sheet(world)
    sink = world.sink(sid)
    sink.write([RangeValues(f"'{TAB}'!A2:B2", [["a@sukho.nfe.go.th", text]])])
    for render in ("FORMATTED_VALUE", "UNFORMATTED_VALUE"):
        got = sink.read([f"'{TAB}'!B2"], value_render=render)
        assert got == {f"'{TAB}'!B2": [[text]]}


def test_numbers_and_render_options(world: World) -> None:
    """A number written RAW reads back as a number unformatted and as text formatted."""
    sid = sheet(world)
    sink = world.sink(sid)
    sink.write([RangeValues(f"'{TAB}'!C2:C3", [[85.5], [90]])])
    assert sink.read([f"'{TAB}'!C2:C3"], "UNFORMATTED_VALUE")[f"'{TAB}'!C2:C3"] == [[85.5], [90]]
    assert sink.read([f"'{TAB}'!C2:C3"], "FORMATTED_VALUE")[f"'{TAB}'!C2:C3"] == [["85.5"], ["90"]]


def test_read_trims_trailing_empties_and_keys_by_range_asked(world: World) -> None:
    """batchGet omits trailing empty cells and rows, and answers under each range exactly as asked."""
    sid = sheet(world)
    sink = world.sink(sid)
    sink.write([RangeValues(f"'{TAB}'!A2:C3", [["x", "", "z"], ["y", "", ""]])])
    ranges = [f"'{TAB}'!A1:E10", f"{TAB}!B2:B3"]
    got = sink.read(ranges)
    assert got[ranges[0]] == [HEADER, ["x", "", "z"], ["y"]]
    assert got[ranges[1]] == []
    assert world.ledger.count(method="sheets.spreadsheets.values.batchGet") == 1


def test_write_many_ranges_is_one_call(world: World) -> None:
    """Several ranges are written by one values.batchUpdate, recorded as one write."""
    sid = sheet(world)
    sink = world.sink(sid)
    sink.write([RangeValues(f"'{TAB}'!A2", [["a"]]), RangeValues(f"'{TAB}'!C5", [["c"]])])
    assert world.ledger.count(writes=True) == 1
    assert sink.read([f"'{TAB}'!A1:C5"], "UNFORMATTED_VALUE")[f"'{TAB}'!A1:C5"] == [
        HEADER,
        ["a"],
        [],
        [],
        ["", "", "c"],
    ]


def test_write_outside_grid_is_refused(world: World) -> None:
    """Writing past the tab's last row is a 400, as Google refuses it: the caller must grow the tab first."""
    sid = sheet(world)
    sink = world.sink(sid)
    rows = sink.info().tab(TAB).row_count  # type: ignore[union-attr]
    with pytest.raises(FatalError) as raised:
        sink.write([RangeValues(f"'{TAB}'!A{rows + 1}", [["x"]])])
    assert raised.value.status == 400


def test_batch_update_adds_and_resizes_tabs(world: World) -> None:
    """addSheet answers with the new sheetId; appendDimension and frozen rows show in info()."""
    sid = sheet(world)
    sink = world.sink(sid)
    reply = sink.batch_update(
        [{"addSheet": {"properties": {"title": "สรุป", "gridProperties": {"rowCount": 50}}}}]
    )
    new_id = reply["replies"][0]["addSheet"]["properties"]["sheetId"]
    sink.batch_update(
        [
            {"appendDimension": {"sheetId": new_id, "dimension": "ROWS", "length": 25}},
            {
                "updateSheetProperties": {
                    "properties": {"sheetId": new_id, "gridProperties": {"frozenRowCount": 1}},
                    "fields": "gridProperties.frozenRowCount",
                }
            },
        ]
    )
    tab = sink.info().tab("สรุป")
    assert tab is not None
    assert (tab.sheet_id, tab.row_count, tab.frozen_row_count) == (new_id, 75, 1)
    assert world.ledger.count(method="sheets.spreadsheets.batchUpdate") == 2


def test_update_cells_writes_link_text_not_formula(world: World) -> None:
    """updateCells with a stringValue stores the text (a link format does not make it a formula)."""
    sid = sheet(world)
    sink = world.sink(sid)
    tab_id = sink.info().tab(TAB).sheet_id  # type: ignore[union-attr]
    cell = {
        "userEnteredValue": {"stringValue": "ดูหลักฐาน"},
        "userEnteredFormat": {"textFormat": {"link": {"uri": "https://drive.google.com/file/d/1x/view"}}},
    }
    sink.batch_update(
        [
            {
                "updateCells": {
                    "rows": [{"values": [cell]}],
                    "fields": "userEnteredValue,userEnteredFormat.textFormat.link",
                    "start": {"sheetId": tab_id, "rowIndex": 1, "columnIndex": 0},
                }
            }
        ]
    )
    assert sink.read([f"'{TAB}'!A2"])[f"'{TAB}'!A2"] == [["ดูหลักฐาน"]]


def test_an_encoded_body_is_one_call_sent_as_is(world: World) -> None:
    """A batchUpdate body already encoded as UTF-8 JSON is applied as one call, its text literal, and the
    ledger records the call at the body's own size."""
    sid = sheet(world)
    sink = world.sink(sid)
    tab_id = sink.info().tab(TAB).sheet_id  # type: ignore[union-attr]
    rows = [{"values": [{"userEnteredValue": {"stringValue": text}}]} for text in ("=1+1", "ครูสมศรี")]
    request = {"appendCells": {"sheetId": tab_id, "fields": "*", "rows": rows}}
    body = json.dumps({"requests": [request]}, ensure_ascii=False, separators=(",", ":")).encode()
    reply = sink.batch_update_body(body)
    assert reply["spreadsheetId"] == sid and len(reply["replies"]) == 1
    assert sink.read([f"'{TAB}'!A2:A3"])[f"'{TAB}'!A2:A3"] == [["=1+1"], ["ครูสมศรี"]]
    writes = [c for c in world.ledger.calls if c.method == "sheets.spreadsheets.batchUpdate"]
    assert [(c.request_bytes, c.is_write) for c in writes] == [(len(body), True)]


def test_duplicate_tab_is_refused_atomically(world: World) -> None:
    """A batchUpdate with one bad request changes nothing (Google applies all or none)."""
    sid = sheet(world)
    sink = world.sink(sid)
    with pytest.raises(FatalError):
        sink.batch_update(
            [{"addSheet": {"properties": {"title": "ใหม่"}}}, {"addSheet": {"properties": {"title": TAB}}}]
        )
    assert [t.title for t in sink.info().tabs] == [TAB]


def test_unknown_spreadsheet_is_fatal(world: World) -> None:
    """Opening costs nothing; the first call on a spreadsheet that does not exist is a fatal 404."""
    sink = world.sheets.open("1NoSuchSheetxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")
    assert world.ledger.count() == 0
    with pytest.raises(FatalError) as raised:
        sink.info()
    assert raised.value.status == 404


def test_bare_tab_title_reads_whole_tab(world: World) -> None:
    """A range that is only the tab's title reads the whole tab."""
    sid = sheet(world)
    assert world.sink(sid).read([TAB]) == {TAB: [HEADER]}
