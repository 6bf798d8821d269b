"""Run one process and measure it as the kernel accounts for it: its own user + system CPU seconds and peak
resident memory (``wait4``'s rusage of that child alone), and wall time; then read what it called from its
ledger: kpisync's ``api_call`` table for the run, or the baseline's JSON.

The sandbox answers from the bench's own process, so none of its work is counted in the child's CPU.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Call:
    api: str
    method: str
    status: int
    request_bytes: int
    response_bytes: int
    is_write: bool
    inner_calls: int = 0


@dataclass
class Measured:
    """One process's cost: time, memory, and every API call it made."""

    wall_s: float
    cpu_s: float
    user_s: float
    sys_s: float
    peak_rss_mb: float
    exit_code: int
    calls: list[Call] = field(default_factory=list)
    outcome: str = ""
    counts: dict[str, Any] = field(default_factory=dict)

    def summary(self, latency_s: float = 0.0) -> dict[str, Any]:
        """The figures a report shows. ``latency_s`` > 0 adds that much per call to the measured wall, for a
        process that ran with the sandbox's latency switched off (the per-row baseline): a sequential client
        waits exactly that long per call more."""
        by_method = Counter(f"{c.method}" for c in self.calls)
        by_api = Counter(c.api for c in self.calls)
        sheets = [c for c in self.calls if c.api == "sheets"]
        out: dict[str, Any] = {
            "wall_s": round(self.wall_s + latency_s * len(self.calls), 2),
            "cpu_s": round(self.cpu_s, 2),
            "user_s": round(self.user_s, 2),
            "sys_s": round(self.sys_s, 2),
            "peak_rss_mb": round(self.peak_rss_mb, 1),
            "exit_code": self.exit_code,
            "calls": len(self.calls),
            "write_calls": sum(1 for c in self.calls if c.is_write),
            "calls_by_api": dict(sorted(by_api.items())),
            "calls_by_method": dict(sorted(by_method.items())),
            "drive_files_asked": sum(
                c.inner_calls or (1 if c.method == "drive.files.get" else 0) for c in self.calls
            ),
            "bytes_sent": sum(c.request_bytes for c in self.calls),
            "bytes_received": sum(c.response_bytes for c in self.calls),
            "bytes_by_api": {
                api: sum(c.request_bytes + c.response_bytes for c in self.calls if c.api == api)
                for api in sorted(by_api)
            },
            "largest_sheets_request_bytes": max((c.request_bytes for c in sheets), default=0),
            "largest_sheets_response_bytes": max((c.response_bytes for c in sheets), default=0),
            "failed_calls": sum(1 for c in self.calls if c.status >= 400 or c.status == 0),
        }
        if latency_s:
            out["wall_note"] = f"measured without latency, plus {latency_s} s per call"
        if self.outcome:
            out["outcome"] = self.outcome
        if self.counts:
            out["counts"] = self.counts
        return out


def run_measured(argv: list[str], env: dict[str, str], log: Path) -> Measured:
    """Run ``argv`` to its end, stdout and stderr into ``log``, measured through bench/rusage.py."""
    usage_file = log.with_suffix(".rusage.json")
    wrapped = [sys.executable, "-m", "bench.rusage", str(usage_file), "--", *argv]
    env = {**env, "PYTHONPATH": os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p)}
    with log.open("ab") as out:
        started = time.perf_counter()
        subprocess.run(wrapped, env=env, stdout=out, stderr=subprocess.STDOUT, check=False)  # noqa: S603
        wall = time.perf_counter() - started
    usage = json.loads(usage_file.read_text("utf-8"))
    return Measured(
        wall_s=wall,
        cpu_s=usage["user_s"] + usage["sys_s"],
        user_s=usage["user_s"],
        sys_s=usage["sys_s"],
        peak_rss_mb=usage["maxrss_kb"] / 1024,  # kilobytes on Linux
        exit_code=int(usage["exit_code"]),
    )


def kpisync_ledger(database: Path) -> tuple[str, dict[str, Any], list[Call]]:
    """The newest sync run's outcome, counts and API calls, from kpisync's own record of it."""
    with sqlite3.connect(database) as db:
        run = db.execute(
            "SELECT run_id, outcome, counts_json FROM sync_run ORDER BY started_at DESC LIMIT 1"
        ).fetchone()
        rows = db.execute(
            "SELECT api, method, status, request_bytes, response_bytes, is_write, inner_calls FROM api_call"
            " WHERE run_id = ? ORDER BY seq",
            (run[0],),
        ).fetchall()
    calls = [Call(r[0], r[1], int(r[2]), int(r[3]), int(r[4]), bool(r[5]), int(r[6] or 0)) for r in rows]
    return str(run[1]), json.loads(run[2] or "{}"), calls


def baseline_ledger(path: Path) -> list[Call]:
    data = json.loads(path.read_text("utf-8"))
    return [
        Call(
            c["api"],
            c["method"],
            int(c["status"]),
            int(c["request_bytes"]),
            int(c["response_bytes"]),
            bool(c["is_write"]),
            int(c.get("inner_calls", 0)),
        )
        for c in data["calls"]
    ]
