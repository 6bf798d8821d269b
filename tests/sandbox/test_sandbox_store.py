"""The sandbox's state persists through a write-ahead journal: small appends, atomic against a kill."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sandbox import jsondiff
from sandbox.store import JOURNAL, Store
from tests.sandbox.api_helpers import control
from tests.sandbox.gspread_helpers import clients


def _journal_lines(data_dir: Path) -> list[dict]:
    path = data_dir / JOURNAL
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


def test_a_change_is_journaled_not_rewritten(tmp_path: Path) -> None:
    """After the first snapshot, a change appends a journal line and leaves the snapshot file alone."""
    store = Store(tmp_path)
    section = store.section("forms")
    section["responses"] = {"F": {f"r{i}": {"x": "y" * 50} for i in range(200)}}
    store.save("forms")
    store.compact()
    snapshot = (tmp_path / "forms.json").read_bytes()
    section["responses"]["F"]["r7"]["x"] = "changed"
    store.save("forms")
    assert (tmp_path / "forms.json").read_bytes() == snapshot
    (line,) = _journal_lines(tmp_path)
    assert line["ops"] == [["set", ["responses", "F", "r7", "x"], "changed"]]


def test_a_restart_replays_the_journal(tmp_path: Path) -> None:
    """A store opened on a directory with snapshots and a journal holds every saved change."""
    store = Store(tmp_path)
    store.section("drive")["files"] = {"a": {"name": "one"}}
    store.save("drive")
    store.compact()
    store.section("drive")["files"]["b"] = {"name": "two"}
    store.save("drive")
    del store.section("drive")["files"]["a"]
    store.save("drive")
    assert Store(tmp_path).section("drive") == {"files": {"b": {"name": "two"}}}


def test_a_torn_last_line_is_dropped_whole(tmp_path: Path) -> None:
    """A kill mid-append leaves a torn line: the next start drops that change whole."""
    store = Store(tmp_path)
    store.section("sheets")["n"] = 1
    store.save("sheets")
    with (tmp_path / JOURNAL).open("ab") as handle:
        handle.write(b'{"s": "sheets", "ops": [["set", ["n"], 2')
    reopened = Store(tmp_path)
    assert reopened.section("sheets") == {"n": 1}
    reopened.section("sheets")["n"] = 3
    reopened.save("sheets")
    assert Store(tmp_path).section("sheets") == {"n": 3}


def test_replaying_over_a_compacted_state_changes_nothing(tmp_path: Path) -> None:
    """A kill between writing snapshots and emptying the journal: replaying the journal again converges."""
    store = Store(tmp_path)
    rows = store.section("sheets").setdefault("rows", [])
    for i in range(5):
        rows.append([i])
        store.save("sheets")
    del rows[2:]
    store.save("sheets")
    rows.extend([[7], [8]])
    store.save("sheets")
    journal = (tmp_path / JOURNAL).read_bytes()
    store.compact()
    (tmp_path / JOURNAL).write_bytes(journal)
    assert Store(tmp_path).section("sheets") == {"rows": [[0], [1], [7], [8]]}


def test_restore_puts_back_the_saved_document(tmp_path: Path) -> None:
    """restore() undoes unsaved changes to one document (a refused call's rollback) and nothing else."""
    store = Store(tmp_path)
    section = store.section("sheets")
    section["spreadsheets"] = {"S": {"title": "a", "rows": [[1]]}, "T": {"title": "t"}}
    store.save("sheets")
    section["spreadsheets"]["S"]["rows"].append([2])
    section["spreadsheets"]["S"]["title"] = "b"
    store.restore("sheets", "spreadsheets", "S")
    assert section["spreadsheets"] == {"S": {"title": "a", "rows": [[1]]}, "T": {"title": "t"}}


def test_compaction_empties_the_journal_past_its_size(tmp_path: Path) -> None:
    """Past compact_bytes the snapshots are rewritten and the journal starts again empty."""
    store = Store(tmp_path, compact_bytes=2000)
    section = store.section("forms")
    for i in range(40):
        section[f"k{i}"] = "v" * 100
        store.save("forms")
    assert store.journal_bytes < 2000
    assert Store(tmp_path).section("forms") == section


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ({"a": [1, 2, 3]}, {"a": [1, 9, 3]}),
        ({"a": [1, 2, 3]}, {"a": [1, 2, 3, 4]}),
        ({"a": [1, 2, 3]}, {"a": [0, 1, 2, 3]}),
        ({"a": [1, 2, 3]}, {"a": [1]}),
        ({"a": {"b": 1}, "c": 2}, {"a": {"b": 2.5}, "d": [True]}),
        ({"a": [{"b": [1, 2]}, {"c": 1}]}, {"a": [{"b": [1, 3]}, {"c": 1}, {"d": None}]}),
    ],
)
def test_diff_then_apply_reproduces_the_new_document(old: dict, new: dict) -> None:
    """Applying diff(old, new) to old gives new, and applying it twice still gives new."""
    ops = jsondiff.diff(old, new)
    once = jsondiff.clone(old)
    jsondiff.apply(once, ops)
    assert once == new
    jsondiff.apply(once, ops)
    assert once == new


def test_state_survives_a_restart_through_the_journal(sandbox) -> None:
    """A spreadsheet write reaches the journal at once and a restarted sandbox answers it."""
    dashboard = sandbox.manifest["spreadsheets"]["dashboard"]
    with clients(sandbox.base_url) as (gc, _):
        gc.open_by_key(dashboard).sheet1.update([["บันทึก"]], "A1")
    assert any(line["s"] == "sheets" for line in _journal_lines(sandbox.data_dir))
    sandbox.restart()
    assert not _journal_lines(sandbox.data_dir), "a clean shutdown compacts"
    with clients(sandbox.base_url) as (gc, _):
        assert gc.open_by_key(dashboard).sheet1.acell("A1").value == "บันทึก"
    assert control(sandbox.base_url, "GET", "/sandbox/health") == {"ok": True}
