"""The English switch: with ``lang = "en"`` every word the daemon writes into the Sheet is English; only
what people typed or the roster holds (names, units, roles, answers, notes, file names) stays as it is."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from daemon.sync.cycle import run_sync
from tests.daemon.sync_world import CONFIG, World, make_world, response

REPO = Path(__file__).resolve().parents[2]
THAI = re.compile("[\u0e00-\u0e7f]")
# Columns whose cells carry people's or the roster's own words, by tab.
DATA = {
    "Submissions": {"Email", "Name", "Unit", "Answer", "Respondent's note", "Evidence"},
    "Summary": {"Name", "Unit", "Role"},
    "Not yet sent": {"Name", "Unit", "Role"},
    "Summary by unit": {"Unit"},
}


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    rubric = REPO / "config" / "rubrics" / "sukhothai-2569.toml"
    config = CONFIG.replace('lang = "th"', 'lang = "en"').replace('"rubric.toml"', f'"{rubric}"')
    made = make_world(tmp_path, config)
    yield made
    made.deps.close()


def test_every_word_the_daemon_writes_is_english(world: World) -> None:
    """After a sync in English, no tab title, header, status, flag label, explanation, legend line or log
    line holds Thai; the people's own words (here Thai) are left as typed."""
    world.submit(response("r1", "somsri@sukho.nfe.go.th", "ร้อยละของผู้เข้าสอบ N-NET", value="ประมาณ 80"))
    world.submit(response("r2", "somchai@sukho.nfe.go.th", "DMIS 100%", note="ส่งทางไลน์แล้ว"))
    world.submit(response("r3", "ghost@example.com", "ร้อยละของผู้เข้าสอบ N-NET", value="85"))
    run_sync(world.settings, world.deps)
    sheet = world.dashboard()
    titles = [t.title for t in sheet.tabs if t.title != "แดชบอร์ด"]
    assert {
        "Submissions",
        "Summary",
        "Not yet sent",
        "Summary by unit",
        "Indicators",
        "Legend",
        "Sync log",
    } <= set(titles)
    thai: list[str] = []
    for title in titles:
        grid = sheet.tab_values(title, "FORMATTED_VALUE")
        if not grid:
            continue
        header = grid[0]
        thai += [f"{title}: header {h}" for h in header if THAI.search(str(h))]
        skip = {i for i, h in enumerate(header) if h in DATA.get(title, set())}
        for row in grid[1:]:
            for i, value in enumerate(row):
                text = str(value)
                if i in skip or not THAI.search(text):
                    continue
                if header[i] == "Flags":
                    # A flag's detail may quote what was typed; its label is the daemon's.
                    text = "\n".join(line.split(":", 1)[0] for line in text.splitlines())
                # An explanation quotes the answer it could not read, “as typed”.
                text = re.sub("“[^”]*”", "", text)
                if THAI.search(text):
                    thai.append(f"{title}: {header[i]}: {text[:80]}")
    assert not thai, thai
    notes = [r for r in sheet.tab_values("Submissions") if "ส่งทางไลน์แล้ว" in r]
    assert notes, "the respondent's Thai note stays as typed"
