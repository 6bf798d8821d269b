"""A publish that fails halfway converges: with the sandbox's fault plan on each of the publish's calls, and
with the process killed between them, further syncs end with exactly the Sheet a fault-free run makes — no
row without its key, one row per key. The sync log tab is left out of the comparison: it records the faults.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import pytest
import requests
from google.auth.credentials import AnonymousCredentials
from googleapiclient.discovery import build

from daemon.app import build_deps
from daemon.dashboard.publish import publish
from daemon.settings import Settings, load_settings
from daemon.sync.cycle import run_sync
from sandbox.seed import seed_sample
from sandbox.server import RunningSandbox, start

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
KILL_AT = REPO / "tests" / "faults" / "kill_at.py"
DASHBOARD = "1DashboardSukhothaiKpi2569xxxxxxxxxxxxxxxx"
LOG_TAB = "บันทึกการซิงก์"
KEYED = {"ผลการประเมิน": 0, "สรุปคะแนน": 0, "ยังไม่ส่ง": 0}  # tab → key column
FIELDS = "sheets(properties(title),data(rowData(values(formattedValue,hyperlink,textFormatRuns))))"


def settings_for(base_url: str, db: Path) -> Settings:
    env = {"KPISYNC_GOOGLE_BASE_URL": base_url, "KPISYNC_DATABASE": str(db)}
    settings = load_settings(REPO / "config" / "kpisync.toml", env=env)
    retry = settings.google.retry.model_copy(update={"initial_wait_seconds": 0.0, "max_wait_seconds": 0.0})
    return settings.model_copy(update={"google": settings.google.model_copy(update={"retry": retry})})


def sheet_of(base_url: str) -> dict[str, list[Any]]:
    """Every tab but the sync log as the committee sees it: each cell's text, link and links inside."""
    service = build(
        "sheets", "v4", credentials=AnonymousCredentials(), static_discovery=True, cache_discovery=False,  # type: ignore[no-untyped-call]
        client_options={"api_endpoint": base_url + "/"},
    )  # fmt: skip
    try:
        got = (
            service.spreadsheets().get(spreadsheetId=DASHBOARD, includeGridData=True, fields=FIELDS).execute()
        )
    finally:
        service.close()
    tabs: dict[str, list[Any]] = {}
    for sheet in got["sheets"]:
        title = sheet["properties"]["title"]
        if title != LOG_TAB:
            rows = [r.get("values", []) for d in sheet.get("data", []) for r in d.get("rowData", [])]
            while rows and not any(c.get("formattedValue") for c in rows[-1]):
                rows.pop()
            tabs[title] = rows
    return tabs


def keys_once(tabs: dict[str, list[Any]]) -> None:
    """No row of a keyed tab without its key, and no key on two rows."""
    for title, col in KEYED.items():
        keys = [r[col].get("formattedValue", "") if len(r) > col else "" for r in tabs[title][1:]]
        assert all(keys), f"{title}: a row without its key"
        assert len(keys) == len(set(keys)), f"{title}: a key on two rows"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("faults-template")
    seed_sample(path)
    return path


@dataclass(frozen=True)
class FaultFree:
    tabs: dict[str, list[Any]]
    first_write: int  # the HTTP answers a first sync gets up to and including its first batchUpdate


@pytest.fixture(scope="module")
def fault_free(template: Path, tmp_path_factory: pytest.TempPathFactory) -> FaultFree:
    """The Sheet after two syncs without faults, and where the first sync's write came in its calls."""
    root = tmp_path_factory.mktemp("fault-free")
    shutil.copytree(template, root / "sandbox")
    running = start(root / "sandbox")
    try:
        settings = settings_for(running.base_url, root / "kpisync.db")
        deps = build_deps(settings)
        try:
            assert run_sync(settings, deps).outcome == "ok"
            # Every HTTP answer of the first sync, in order, as the ledger recorded them.
            methods = [c.method for c in deps.ledger.calls]
            assert run_sync(settings, deps).write_calls == 0
        finally:
            deps.close()
        tabs = sheet_of(running.base_url)
    finally:
        running.shutdown()
    keys_once(tabs)
    return FaultFree(tabs, methods.index(BATCH) + 1)


@pytest.fixture
def office(template: Path, tmp_path: Path) -> Iterator[RunningSandbox]:
    shutil.copytree(template, tmp_path / "sandbox")
    running = start(tmp_path / "sandbox")
    yield running
    running.shutdown()


def faults(running: RunningSandbox, *rules: dict[str, Any]) -> None:
    requests.post(
        f"{running.base_url}/sandbox/faults", json={"rules": list(rules)}, timeout=10
    ).raise_for_status()


BATCH = "sheets.spreadsheets.batchUpdate"
READ = "sheets.spreadsheets.values.batchGet"


@pytest.mark.parametrize(
    ("rule", "chunk"),
    [
        # The first publish's only call fails five times: nothing lands.
        ({"api": "sheets", "method": BATCH, "fault": "503", "times": 5}, None),
        # Published in calls of 100 KB (tabs and headers, then rows), the third fails: the second's rows are
        # there, whole, with their keys.
        ({"api": "sheets", "method": BATCH, "fault": "503", "nth": 3, "times": 5}, 100_000),
        # The write lands, the check after it fails (the roster read is the first batchGet).
        ({"api": "sheets", "method": READ, "fault": "503", "nth": 2, "times": 5}, None),
    ],
    ids=["write", "third-chunk", "check"],
)
def test_a_failed_publish_call_converges_to_the_fault_free_sheet(
    office: RunningSandbox,
    tmp_path: Path,
    fault_free: dict[str, list[Any]],
    rule: dict[str, Any],
    chunk: int | None,
) -> None:
    """One of the publish's calls fails until the retries run out: the sync is partial for publish; two more
    syncs end ok with exactly the fault-free Sheet, every key on one row and no row without one."""
    settings = settings_for(office.base_url, tmp_path / "kpisync.db")
    deps = build_deps(settings)
    if chunk is not None:
        deps.publisher = partial(publish, max_call_bytes=chunk)
    try:
        faults(office, rule)
        first = run_sync(settings, deps)
        assert first.outcome == "partial" and first.partial_reasons == ["publish"]
        if chunk is not None:
            half = sheet_of(office.base_url)
            keys_once(half)
            assert 1 < len(half["ผลการประเมิน"]) < len(fault_free.tabs["ผลการประเมิน"]), "a half-done publish"
        faults(office)
        assert run_sync(settings, deps).outcome == "ok"
        assert run_sync(settings, deps).outcome == "ok"
    finally:
        deps.close()
    tabs = sheet_of(office.base_url)
    keys_once(tabs)
    assert tabs == fault_free.tabs


def test_a_kill_between_the_write_and_the_check_converges(
    office: RunningSandbox, tmp_path: Path, fault_free: FaultFree
) -> None:
    """``kpisync sync --once`` SIGKILLed right after Google applied its write, before the check: the next
    syncs end with exactly the fault-free Sheet."""
    answer = fault_free.first_write
    env = {
        "KPISYNC_GOOGLE_BASE_URL": office.base_url,
        "KPISYNC_DATABASE": str(tmp_path / "kpisync.db"),
        "PYTHONPATH": str(REPO),
    }
    config = str(REPO / "config" / "kpisync.toml")
    killed = subprocess.run(
        [sys.executable, str(KILL_AT), f"answer:{answer}", "--", "sync", "--once", "--config", config],
        env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert killed.returncode == -signal.SIGKILL, killed.stdout[-2000:] + killed.stderr[-2000:]
    assert len(sheet_of(office.base_url)["ผลการประเมิน"]) > 100, "Google had applied the write"
    settings = settings_for(office.base_url, tmp_path / "kpisync.db")
    deps = build_deps(settings)
    try:
        assert run_sync(settings, deps).outcome == "ok"
        assert run_sync(settings, deps).outcome == "ok"
    finally:
        deps.close()
    tabs = sheet_of(office.base_url)
    keys_once(tabs)
    assert tabs == fault_free.tabs
