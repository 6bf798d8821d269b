"""The scenarios of one scale, run against one sandbox in this process: a first sync of a fresh database,
a sync with nothing new, and a sync after 100 new responses and 20 edits. Each is run by kpisync
(``kpisync sync --once``, its own process, the sandbox's latency switched on) and by the per-row baseline
(bench/baseline.py, its own process, on the same world in the same run).

The baseline runs with latency and quotas switched off, or 1,000 appends alone would take 17 minutes at
Sheets' 60 writes a minute; its wall time is reported as measured plus the latency per call it would have
waited, and the minutes Google's per-user write quota would hold it are reported beside it.
"""

from __future__ import annotations

import json
import os
import random
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.formula import Situation, minimum_calls
from bench.measure import Measured, baseline_ledger, kpisync_ledger, run_measured
from bench.world import BASELINE_ID, FILE_COUNT, Evidence, World, answers_for, build_world, eligible
from sandbox import seed_data as d
from sandbox.seed_shapes import MIME
from sandbox.server import RunningSandbox, start

NEW_RESPONSES = 100
EDITS = 20
SHEETS_WRITES_PER_MINUTE = 60  # Google's per-user quota (DESIGN.md)


@dataclass(frozen=True)
class Options:
    latency_s: float = 0.2
    baseline: bool = True
    seed: int = 2569
    files: int = FILE_COUNT  # distinct evidence files in the world (the bench's smoke test uses fewer)


class _Control:
    """The sandbox's behaviour switches (sandbox-only endpoints, not counted as API calls)."""

    def __init__(self, running: RunningSandbox) -> None:
        self.base = running.base_url

    def post(self, path: str, body: dict[str, Any]) -> None:
        request = urllib.request.Request(  # noqa: S310 - the sandbox on loopback
            self.base + path, data=json.dumps(body).encode(), method="POST",
            headers={"Content-Type": "application/json"},
        )  # fmt: skip
        with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
            answer.read()

    def latency(self, seconds: float) -> None:
        # Every Forms and Sheets call waits; a Drive batch waits once as a whole, as Google serves its parts
        # together (the baseline's single files.get calls get the same per call when it is modelled).
        self.post(
            "/sandbox/latency", {"forms": seconds, "sheets": seconds, "drive": 0, "drive.batch": seconds}
        )

    def quotas(self, enabled: bool) -> None:
        self.post("/sandbox/quotas", {"enabled": enabled, "reset": True})


def run_scale(name: str, responses: int, work: Path, options: Options) -> dict[str, Any]:
    """Build the world of ``responses``, run every scenario, return the results as a JSON-ready dict."""
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    world = build_world(work / "sandbox", responses, seed=options.seed, files=options.files)
    built = time.perf_counter() - started
    running = start(world.data_dir)
    control = _Control(running)
    scenarios: dict[str, Any] = {}
    try:
        for scenario in ("first", "noop", "incremental"):
            changed = None
            if scenario == "incremental":
                changed = change_world(running, world, random.Random(options.seed + 1))  # noqa: S311
            control.latency(options.latency_s)
            control.quotas(True)
            kpisync = _run_kpisync(world, running, work, scenario)
            written = sum(
                c.request_bytes for c in kpisync.calls if c.method == "sheets.spreadsheets.batchUpdate"
            )
            situation = _situation(world, scenario, changed, written)
            entry: dict[str, Any] = {"kpisync": kpisync.summary(), "minimum": minimum_calls(situation)}
            entry["kpisync"]["ratio_to_minimum"] = round(len(kpisync.calls) / entry["minimum"]["total"], 4)
            if options.baseline:
                control.latency(0)
                control.quotas(False)
                base = _run_baseline(world, running, work, scenario)
                summary = base.summary(latency_s=options.latency_s)
                writes = summary["write_calls"]
                summary["quota_floor_minutes"] = round(writes / SHEETS_WRITES_PER_MINUTE, 1)
                entry["baseline"] = summary
            scenarios[scenario] = entry
    finally:
        running.shutdown()
    return {
        "scale": name,
        "world": world.manifest(),
        "latency_s": options.latency_s,
        "world_build_s": round(built, 1),
        "machine": _machine(),
        "scenarios": scenarios,
    }


def _situation(world: World, scenario: str, changed: dict[str, int] | None, written: int) -> Situation:
    if scenario == "first":
        # The tabs are made by this sync: no read, no fence; the rows written are checked.
        return Situation(
            world.responses_per_form, world.files, world.shortcut_targets, False, False, written, True
        )
    if scenario == "noop":
        # Since the checkpoint, each form lists the response(s) at the checkpoint itself (timestamp >=).
        return Situation({f: 1 for f in world.forms}, 0, 0, True, False, 0, False)
    assert changed is not None
    listed = {f: 1 + changed.get(f, 0) for f in world.forms}
    return Situation(listed, NEW_RESPONSES, 0, True, True, written, True)


def change_world(running: RunningSandbox, world: World, rng: random.Random) -> dict[str, int]:
    """100 new responses, each with one new uploaded file, and 20 edits of existing ones (a note added),
    submitted as respondents do, now. Returns how many responses each form changed."""
    app = running.app
    per_form: dict[str, int] = {}
    for n in range(NEW_RESPONSES):
        fid = world.forms[n % len(world.forms)]
        kind = world.kind_of[fid]
        person = rng.choice([p for p in world.people if eligible(kind, p.role)])
        upload = app.drive.put_file(
            {"name": f"PDF_ใหม่_{n:03d}.pdf", "mimeType": MIME["pdf"], "size": "120000",
             "md5Checksum": f"{rng.getrandbits(128):032x}", "owners": [{"emailAddress": d.FORM_OWNER}]}
        )  # fmt: skip
        uploaded = {"fileId": upload["id"], "fileName": upload["name"], "mimeType": upload["mimeType"]}
        answers = answers_for(rng, kind, person, [Evidence("upload", upload=uploaded)])
        app.responses.submit(fid, {"respondentEmail": person.email, "answers": answers})
        per_form[fid] = per_form.get(fid, 0) + 1
    for n in range(EDITS):
        fid = world.forms[n % len(world.forms)]
        rid = world.response_ids[fid][(n // len(world.forms)) % len(world.response_ids[fid])]
        with app.store.lock:
            current = app.store.section("forms")["responses"][fid][rid]
            answers = {qid: dict(a) for qid, a in current["answers"].items()}
        answers[world.questions[fid][d.Q_NOTE]] = ["แก้ไข: ส่งหลักฐานเพิ่มเติมแล้ว"]
        app.responses.edit(fid, rid, {"answers": answers})
        per_form[fid] = per_form.get(fid, 0) + 1
    return per_form


def _env(running: RunningSandbox, database: Path) -> dict[str, str]:
    return {**os.environ, "KPISYNC_GOOGLE_BASE_URL": running.base_url, "KPISYNC_DATABASE": str(database)}


def _run_kpisync(world: World, running: RunningSandbox, work: Path, scenario: str) -> Measured:
    database = work / "kpisync.db"
    argv = [sys.executable, "-m", "daemon.cli", "sync", "--once", "--config", str(world.config)]
    result = run_measured(argv, _env(running, database), work / f"kpisync-{scenario}.log")
    result.outcome, result.counts, result.calls = kpisync_ledger(database)
    return result


def _run_baseline(world: World, running: RunningSandbox, work: Path, scenario: str) -> Measured:
    ledger = work / f"baseline-{scenario}.json"
    argv = [
        sys.executable, "-m", "bench.baseline", "--base-url", running.base_url, "--config", str(world.config),
        "--spreadsheet", BASELINE_ID, "--ledger", str(ledger),
    ]  # fmt: skip
    result = run_measured(argv, dict(os.environ), work / f"baseline-{scenario}.log")
    result.calls = baseline_ledger(ledger)
    counts = ledger.with_suffix(".counts.json")
    if counts.exists():
        result.counts = json.loads(counts.read_text("utf-8"))
    result.outcome = "ok" if result.exit_code == 0 else "failed"
    return result


def _machine() -> dict[str, Any]:
    load = os.getloadavg()
    return {"cpus": os.cpu_count(), "python": sys.version.split()[0], "load_avg_1m_at_end": round(load[0], 2)}
