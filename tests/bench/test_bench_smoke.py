"""The bench's smallest run, so the harness cannot rot: a tiny world through every scenario, with kpisync and
the per-row baseline, checked for what it must show (calls equal to the formula's minimum, nothing written
when nothing is new, every row of the baseline appended once) and never for how long anything took."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.report import write_results
from bench.scenarios import EDITS, NEW_RESPONSES, Options, run_scale

pytestmark = pytest.mark.integration

RESPONSES = 90  # three per form
FILES = 150  # more than one Drive batch


@pytest.mark.timeout(300)
def test_bench_runs_every_scenario_at_the_minimum_of_calls(tmp_path: Path) -> None:
    """Each scenario's kpisync sync makes exactly the formula's calls; the no-op sync writes nothing; the
    baseline appends each response once and updates the edited ones; both result files are written."""
    options = Options(latency_s=0.0, files=FILES)
    result = run_scale("smoke", RESPONSES, tmp_path / "work", options)

    scenarios = result["scenarios"]
    assert list(scenarios) == ["first", "noop", "incremental"]
    for name, entry in scenarios.items():
        kpisync = entry["kpisync"]
        assert kpisync["exit_code"] == 0, name
        assert kpisync["outcome"] == "ok", name
        assert kpisync["calls"] == entry["minimum"]["total"], (name, kpisync["calls_by_method"])
        assert kpisync["failed_calls"] == 0, name
    assert scenarios["first"]["kpisync"]["drive_files_asked"] == FILES + result["world"]["shortcut_targets"]
    assert scenarios["noop"]["kpisync"]["write_calls"] == 0
    assert scenarios["incremental"]["kpisync"]["drive_files_asked"] == NEW_RESPONSES

    baseline = {name: entry["baseline"] for name, entry in scenarios.items()}
    assert baseline["first"]["counts"] == {"appended": RESPONSES, "updated": 0, "files": FILES}
    assert baseline["noop"]["counts"]["appended"] == baseline["noop"]["counts"]["updated"] == 0
    assert baseline["incremental"]["counts"]["appended"] == NEW_RESPONSES
    assert baseline["incremental"]["counts"]["updated"] == EDITS
    # One Sheets append per row (and one for the header), one files.get per file: the per-row way.
    assert baseline["first"]["calls_by_method"]["sheets.spreadsheets.values.append"] == RESPONSES + 1
    assert baseline["first"]["calls_by_method"]["drive.files.get"] == FILES

    json_path, md_path = write_results(result, tmp_path / "results")
    assert json.loads(json_path.read_text("utf-8"))["scale"] == "smoke"
    assert "| sync with nothing new | kpisync |" in md_path.read_text("utf-8")
