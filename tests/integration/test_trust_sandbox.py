"""A sync you can trust, through the real client libraries and the real command line against the sandbox:
a Drive outage, an API not enabled, SIGTERM during a wait, and a kill during the very first start."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlmodel import Session, select

from daemon.app import build_deps
from daemon.settings import Settings, load_settings
from daemon.store.models import DriveFile, Score, SyncRun
from daemon.sync.cycle import SyncDeps, run_sync

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
KILL_AT = REPO / "tests" / "faults" / "kill_at.py"


def control(sandbox: Any, path: str, body: dict[str, Any]) -> None:
    requests.post(f"{sandbox.base_url}{path}", json=body, timeout=10).raise_for_status()


def fast_settings(sandbox: Any, tmp_path: Path) -> Settings:
    env = {"KPISYNC_GOOGLE_BASE_URL": sandbox.base_url, "KPISYNC_DATABASE": str(tmp_path / "kpisync.db")}
    settings = load_settings(REPO / "config" / "kpisync.toml", env=env)
    retry = settings.google.retry.model_copy(update={"initial_wait_seconds": 0.0, "max_wait_seconds": 0.0})
    return settings.model_copy(update={"google": settings.google.model_copy(update={"retry": retry})})


@pytest.fixture
def synced(sandbox: Any, tmp_path: Path, request: pytest.FixtureRequest) -> tuple[Settings, SyncDeps]:
    """The sample office after one good sync."""
    settings = fast_settings(sandbox, tmp_path)
    deps = build_deps(settings)
    request.addfinalizer(deps.close)
    assert run_sync(settings, deps).outcome == "ok"
    return settings, deps


def verdicts_and_scores(deps: SyncDeps) -> tuple[dict[str, str], dict[str, tuple[str | None, str]]]:
    with Session(deps.engine) as session:
        files = {f.file_id: f.status for f in session.exec(select(DriveFile))}
        scores = {
            s.submission_key: (s.value, s.status) for s in session.exec(select(Score).where(Score.is_current))
        }
    return files, scores


def test_a_drive_outage_is_partial_and_changes_no_verdict_or_score(sandbox: Any, synced: Any) -> None:
    """Every Drive batch 503 a day later: the run is partial (evidence), no file changes its verdict and no
    score changes, though every file was due for a recheck."""
    settings, deps = synced
    before = verdicts_and_scores(deps)
    started = deps.clock()
    deps.clock = lambda: started + timedelta(hours=settings.evidence.recheck_after_hours + 1)
    control(
        sandbox,
        "/sandbox/faults",
        {"rules": [{"api": "drive", "method": "batch", "fault": "503", "times": 100}]},
    )
    summary = run_sync(settings, deps)
    assert summary.outcome == "partial" and summary.partial_reasons == ["evidence"]
    assert summary.counts["files_unchecked"] == summary.counts["files_to_check"] > 200
    assert verdicts_and_scores(deps) == before


@pytest.mark.parametrize(
    ("api", "part", "name"),
    [("drive", "evidence", "Google Drive API"), ("forms", "form", "Google Forms API")],
)
def test_an_api_not_enabled_is_a_fatal_part_with_the_api_to_enable(
    sandbox: Any, synced: Any, api: str, part: str, name: str
) -> None:
    """An API switched off in the Cloud project: that part fails as fatal, the hint names the API to enable,
    and nothing stored changes."""
    settings, deps = synced
    before = verdicts_and_scores(deps)
    started = deps.clock()
    deps.clock = lambda: started + timedelta(hours=settings.evidence.recheck_after_hours + 1)
    control(sandbox, "/sandbox/apis", {api: False})
    summary = run_sync(settings, deps)
    assert summary.outcome == "partial" and part in summary.partial_reasons
    failure = next(f for f in summary.failures if f.part.value == part)
    assert failure.kind.value == "fatal" and failure.status == 403 and name in failure.hint
    assert verdicts_and_scores(deps) == before


def _cli(tmp_path: Path, sandbox: Any, *args: str) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "KPISYNC_GOOGLE_BASE_URL": sandbox.base_url,
        "KPISYNC_DATABASE": str(tmp_path / "kpisync.db"),
        "PYTHONPATH": str(REPO),
    }
    return subprocess.Popen(
        [sys.executable, *args],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def test_sigterm_during_a_retry_wait_stops_cleanly(sandbox: Any, tmp_path: Path) -> None:
    """SIGTERM while the sync waits 30 s to retry a 503: it stops at once (exit 143), the run is recorded
    interrupted, the database is sound, and the next sync completes."""
    control(
        sandbox,
        "/sandbox/faults",
        {"rules": [{"api": "forms", "fault": "429", "retryAfter": 30, "times": 3}]},
    )
    config = str(REPO / "config" / "kpisync.toml")
    process = _cli(tmp_path, sandbox, str(KILL_AT), "none", "--", "sync", "--once", "--config", config)
    try:
        assert process.stdout is not None
        for line in process.stdout:
            if "google.retry" in line:
                break
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=20) == 143  # well before the 30 s wait would have ended
        output = process.stdout.read()
    finally:
        process.kill()
        process.wait(timeout=30)
        if process.stdout is not None:
            process.stdout.close()
    assert "stopped on request" in output
    with sqlite3.connect(tmp_path / "kpisync.db") as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert connection.execute("SELECT outcome FROM sync_run").fetchall() == [("interrupted",)]
    control(sandbox, "/sandbox/faults", {"rules": []})
    again = _cli(tmp_path, sandbox, str(KILL_AT), "none", "--", "sync", "--once", "--config", config)
    out, _ = again.communicate(timeout=300)
    assert again.returncode == 0, out[-2000:]


@pytest.mark.parametrize("statement", [3, 14])
def test_a_kill_during_the_first_start_leaves_a_database_the_next_start_opens(
    sandbox: Any, tmp_path: Path, statement: int
) -> None:
    """SIGKILL at a statement of the very first start (migrations): the file is sound and the next sync
    migrates it and ends ok."""
    config = str(REPO / "config" / "kpisync.toml")
    killed = _cli(
        tmp_path, sandbox, str(KILL_AT), f"sql:{statement}", "--", "sync", "--once", "--config", config
    )
    killed.communicate(timeout=300)
    assert killed.returncode == -signal.SIGKILL
    with sqlite3.connect(tmp_path / "kpisync.db") as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    # All or nothing: either no table of ours, or every one with its version stamp.
    assert not tables - {"alembic_version"} or "alembic_version" in tables
    again = _cli(tmp_path, sandbox, str(KILL_AT), "none", "--", "sync", "--once", "--config", config)
    out, _ = again.communicate(timeout=300)
    assert again.returncode == 0, out[-2000:]
    with Session(build_deps(fast_settings(sandbox, tmp_path)).engine) as session:
        assert [r.outcome for r in session.exec(select(SyncRun))] == ["ok"]
