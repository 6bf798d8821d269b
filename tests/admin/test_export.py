"""`kpisync export`: a round's results as .xlsx and .csv, equal cell for cell to the summary tab of the
dashboard that the same sync published."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from connectors.a1 import quote_sheet
from daemon.admin.export import NothingToExportError, select_round, summary_tab
from daemon.app import build_deps
from daemon.cli import app
from daemon.dashboard.labels import SUMMARY_HEADERS, TAB_TITLES
from daemon.demo import find_config
from daemon.settings import load_settings
from daemon.sync.cycle import run_sync
from tests.daemon.sync_world import World, response

REPO_CONFIG = find_config()
SUMMARY = TAB_TITLES["summary"][0]
ROUND_HEADER = SUMMARY_HEADERS["round"][0]


def _padded(rows: list[list[Any]], width: int) -> list[list[Any]]:
    """Google leaves out trailing empty cells; the export writes them as empty."""
    return [list(r) + [None] * (width - len(r)) for r in rows]


def _number(value: Any) -> Any:
    # The Sheet answers floats under UNFORMATTED_VALUE and openpyxl reads floats back: compare exactly.
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None if value == "" else value
    return Decimal(repr(value)).normalize()


@pytest.mark.integration
def test_export_equals_the_summary_tab(sandbox: Any, tmp_path: Path) -> None:
    """After a sync against the sandbox, the .xlsx (opened with openpyxl) holds the summary tab's header and
    the round's rows with the same values, and the .csv the text the Sheet shows."""
    env = {"KPISYNC_GOOGLE_BASE_URL": sandbox.base_url, "KPISYNC_DATABASE": str(tmp_path / "k.db")}
    settings = load_settings(REPO_CONFIG, env=env)
    deps = build_deps(settings)
    try:
        assert run_sync(settings, deps).outcome == "ok"
        sink = deps.sheets.open(settings.dashboard.spreadsheet_id)
        whole = quote_sheet(SUMMARY)
        raw = sink.read([whole], "UNFORMATTED_VALUE")[whole]
        shown = sink.read([whole], "FORMATTED_VALUE")[whole]
    finally:
        deps.close()
    xlsx, csv_path = tmp_path / "round.xlsx", tmp_path / "round.csv"

    result = CliRunner().invoke(
        app,
        ["export", "--config", str(REPO_CONFIG), "--out", str(xlsx), "--out", str(csv_path)],
        env=env,
    )

    assert result.exit_code == 0, result.output
    header = raw[0]
    round_at = header.index(ROUND_HEADER)
    latest = settings.round_map()[max(settings.round_map())].label("th")
    width = len(header)
    sheet_rows = [r for r in _padded(raw[1:], width) if r[round_at] == latest]
    shown_rows = [r for r in _padded(shown[1:], width) if r[round_at] == latest]
    assert sheet_rows, "the sample office has results in the latest round"
    assert f"{latest}: {len(sheet_rows)} rows" in result.stdout

    book = load_workbook(xlsx)
    assert book.sheetnames == [SUMMARY]
    cells = [list(r) for r in book[SUMMARY].iter_rows(values_only=True)]
    assert cells[0] == header
    assert [[_number(v) for v in r] for r in cells[1:]] == [[_number(v) for v in r] for r in sheet_rows]

    with csv_path.open(encoding="utf-8-sig", newline="") as handle:
        text_rows = list(csv.reader(handle))
    assert text_rows[0] == header
    assert text_rows[1:] == [["" if v is None else str(v) for v in r] for r in shown_rows]


def test_export_keeps_only_the_round_asked_for(world: World) -> None:
    """--round 12 keeps the 12-month rows only; a round with no results, or none at all, says so."""
    world.submit(response("a1", "somsri@sukho.nfe.go.th", "ร้อยละของผู้เข้าสอบ N-NET", value="70"))
    world.submit(
        response(
            "a2", "somchai@sukho.nfe.go.th", "ร้อยละของผู้เข้าสอบ N-NET", value="90", round_text="รอบ 12 เดือน"
        )
    )
    assert run_sync(world.settings, world.deps).outcome == "ok"
    tab = summary_tab(world.deps.engine, world.settings, world.clock())
    rounds = world.settings.round_map()

    twelve = select_round(tab, world.settings, 12)
    six = select_round(tab, world.settings, 6)

    assert [r[tab.index("round")] for r in twelve.rows] == [rounds[12].label("th")]
    assert [r[tab.index("email")] for r in six.rows] == ["somsri@sukho.nfe.go.th"]
    assert select_round(tab, world.settings, None).round_months == 12
    with pytest.raises(NothingToExportError, match="9-month"):
        select_round(tab, world.settings, 9)


def test_export_refuses_other_file_kinds(world: World) -> None:
    """An --out that is neither .xlsx nor .csv is a usage error before anything is read."""
    result = CliRunner().invoke(
        app, ["export", "--config", str(world.settings.config_path), "--out", "results.pdf"]
    )
    assert result.exit_code == 2
    assert ".xlsx or .csv" in result.output
