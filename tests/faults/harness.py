"""The convergence harness: the real ``kpisync sync --once`` against the sandbox, SIGKILLed at chosen points
and hit by the sandbox's fault plan, restarted until a sync ends ok, then compared with a fault-free run.

What must match (DESIGN.md invariant 3): the current state of the database (forms, every response version,
submissions, evidence items, Drive verdicts, current scores, open flags, current reviews, people,
checkpoints' watermarks, current person-round figures) and every value of the dashboard, rows of the keyed
tab compared per key. Not compared: row ids, timestamps of when things were stored, the sync runs and their
API ledgers (and the Sheet's sync-log tab that shows them), and the history rows a run with faults adds (a
score recorded as pending while Drive was down is history that a fault-free run does not have, by design).
After every kill ``PRAGMA integrity_check`` must say ``ok``.

Run many schedules (the tests run a fixed sample)::

    .venv/bin/python tests/faults/harness.py --schedules 200 --jobs 2 --seed 1
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import tomllib
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[2]
KILL_AT = Path(__file__).resolve().parent / "kill_at.py"
sys.path.insert(0, str(ROOT))

from sandbox.seed import MANIFEST, seed_sample  # noqa: E402

MAX_RESTARTS = 6
# Tabs that are a history of the runs themselves (one line per sync), like the sync_run table: not compared.
HISTORY_TABS = frozenset({"บันทึกการซิงก์", "Sync log"})
FAULTS = ("500", "503", "429", "drop", "slow")
APIS = ("forms", "drive", "sheets")
# Retries fast enough for hundreds of runs; a "slow" fault outlasts the timeout.
RETRY = {"max_attempts": 3, "initial_wait_seconds": 0.01, "max_wait_seconds": 0.05}
TIMEOUT_SECONDS = 15.0

# (table, columns compared, which rows): the current state, without ids and storage times.
TABLES: tuple[tuple[str, str, str], ...] = (
    ("form", "form_id, title, revision_id, question_map", ""),
    ("response_version", "form_id, response_id, last_submitted_time, raw_json, is_current, withdrawn", ""),
    (
        "submission",
        "s.key, s.form_id, s.response_id, v.last_submitted_time, s.email, s.respondent_name,"
        " s.indicator_code, s.indicator_text, s.round_months, s.fiscal_year, s.value_text, s.note_text,"
        " s.date_text, s.steps_json, s.awards_json, s.files_attached, s.parse_flags_json, s.withdrawn,"
        " s.superseded_by, s.content_hash",
        "",
    ),
    (
        "evidence_item",
        "submission_key, position, source, kind, original, file_id, resource_key, upload_name,"
        " upload_mime_type",
        "",
    ),
    (
        "drive_file",
        "file_id, resource_key, status, name, mime_type, size, web_view_link, modified_time, md5_checksum,"
        " via_shortcut, detail",
        "",
    ),
    ("score", "submission_key, indicator_code, rubric_version, value, status, explanation", "is_current"),
    ("flag", "submission_key, code, detail", "closed_at IS NULL"),
    ("review", "submission_key, decision, override_score, comment", "replaced_by IS NULL"),
    ("person", "*", ""),
    ("checkpoint", "form_id, watermark", ""),
    ("person_total", "email, fiscal_year, round_months, item, value", "is_current"),
)


@dataclass(frozen=True)
class Schedule:
    """One trial: the fault plan of the first run, and where each run is killed (None: it runs out)."""

    number: int
    faults: tuple[dict[str, Any], ...]
    kills: tuple[str | None, ...]

    def describe(self) -> str:
        faults = ",".join(f"{f['fault']}@{f.get('api', '*')}x{f.get('times', 1)}" for f in self.faults) or "-"
        return f"#{self.number} kills={list(self.kills)} faults={faults}"


@dataclass
class Outcome:
    schedule: Schedule
    codes: list[int] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


class Trial:
    """A fresh sandbox (copied from a seeded template, in its own process so that trials run side by side
    on several cores) and a fresh database, driven through the CLI."""

    def __init__(self, template: Path, work: Path) -> None:
        self.work = work
        shutil.copytree(template, work / "sandbox")
        self.manifest = json.loads((work / "sandbox" / MANIFEST).read_text("utf-8"))
        self.server = subprocess.Popen(
            [sys.executable, "-m", "sandbox.cli", "serve", "--no-seed", "--data", str(work / "sandbox")],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.server.stdout is not None
        self.base_url = self.server.stdout.readline().strip()
        if not self.base_url.startswith("http://"):
            raise RuntimeError(f"the sandbox did not start: {self.base_url!r}")
        self.database = work / "kpisync.db"
        self.config = write_config(work)

    def close(self) -> None:
        self.server.terminate()
        self.server.wait(timeout=30)
        if self.server.stdout is not None:
            self.server.stdout.close()

    def faults(self, rules: Iterable[dict[str, Any]]) -> None:
        answer = requests.post(f"{self.base_url}/sandbox/faults", json={"rules": list(rules)}, timeout=10)
        answer.raise_for_status()

    def sync(self, point: str | None, counts: Path | None = None) -> int:
        env = {
            **os.environ,
            "KPISYNC_GOOGLE_BASE_URL": self.base_url,
            "KPISYNC_DATABASE": str(self.database),
            "PYTHONPATH": str(ROOT),
        }
        if counts is not None:
            env["KPISYNC_KILL_COUNTS"] = str(counts)
        command = [
            sys.executable,
            str(KILL_AT),
            point or "none",
            "--",
            "sync",
            "--once",
            "--config",
            str(self.config),
        ]
        done = subprocess.run(
            command, env=env, cwd=self.work, capture_output=True, text=True, timeout=600, check=False
        )
        with (self.work / "runs.log").open("a", encoding="utf-8") as log:
            log.write(f"--- {point} exit {done.returncode}\n{done.stdout[-2000:]}{done.stderr[-4000:]}\n")
        return done.returncode

    def integrity(self) -> str:
        if not self.database.exists():
            return "ok"
        with closing(sqlite3.connect(self.database)) as connection:
            return str(connection.execute("PRAGMA integrity_check").fetchone()[0])

    def database_state(self) -> dict[str, list[tuple[Any, ...]]]:
        return database_state(self.database)

    def sheet_state(self) -> dict[str, Any]:
        return sheet_state(self.base_url, self.manifest)


def write_config(work: Path) -> Path:
    """config/kpisync.toml with fast retries and a short timeout, its rubric file addressed absolutely."""
    with (ROOT / "config" / "kpisync.toml").open("rb") as handle:
        data = tomllib.load(handle)
    text = (ROOT / "config" / "kpisync.toml").read_text("utf-8")
    text = text.replace(
        f'rubric_file = "{data["rubric_file"]}"', f'rubric_file = "{ROOT / "config" / data["rubric_file"]}"'
    )
    text = text.replace("timeout_seconds = 60", f"timeout_seconds = {TIMEOUT_SECONDS}")
    for key, value in RETRY.items():
        text = _set_key(text, "[google.retry]", key, value)
    path = work / "kpisync.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _set_key(text: str, section: str, key: str, value: object) -> str:
    lines = text.splitlines()
    start = lines.index(section)
    for i in range(start + 1, len(lines)):
        if lines[i].startswith("["):
            break
        if lines[i].split("=")[0].strip() == key:
            lines[i] = f"{key} = {value}"
            return "\n".join(lines) + "\n"
    lines.insert(start + 1, f"{key} = {value}")
    return "\n".join(lines) + "\n"


def database_state(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    state: dict[str, list[tuple[Any, ...]]] = {}
    with closing(sqlite3.connect(path)) as connection:
        for table, columns, where in TABLES:
            if table == "submission":
                joined = "submission s JOIN response_version v ON v.id = s.response_version_id"
                query = f"SELECT {columns} FROM {joined}"
            else:
                query = f"SELECT {columns} FROM {table}" + (f" WHERE {where}" if where else "")
            state[table] = sorted(connection.execute(query).fetchall(), key=repr)
    return state


# The key columns' headers of the keyed tabs: submissions, and the summary and missing-work tabs.
KEY_HEADERS = ("รหัสรายการ", "รหัสแถว")


def sheet_state(base_url: str, manifest: dict[str, Any]) -> dict[str, Any]:
    """Every tab's values (formatted, as a person reads them); a keyed tab as key → row, since the order of
    its rows is history (new rows are appended, people sort), not a result."""
    dashboard = manifest["spreadsheets"]["dashboard"] if "spreadsheets" in manifest else manifest["dashboard"]
    with requests.Session() as session:
        return _sheet_state(session, base_url, dashboard)


def _sheet_state(session: requests.Session, base_url: str, dashboard: str) -> dict[str, Any]:
    meta = session.get(f"{base_url}/v4/spreadsheets/{dashboard}", timeout=30).json()
    titles = [sheet["properties"]["title"] for sheet in meta["sheets"]]
    params = [("ranges", f"'{t}'") for t in titles]
    reply = session.get(
        f"{base_url}/v4/spreadsheets/{dashboard}/values:batchGet", params=params, timeout=30
    ).json()
    state: dict[str, Any] = {}
    for title, value_range in zip(titles, reply.get("valueRanges", []), strict=True):
        if title in HISTORY_TABS:
            continue
        rows = value_range.get("values", [])
        header = rows[0] if rows else []
        key_header = next((h for h in KEY_HEADERS if h in header), None)
        if key_header is not None:
            at = header.index(key_header)
            keyed: dict[str, list[Any]] = {}
            keyless = []
            for row in rows[1:]:
                key = row[at] if at < len(row) else ""
                if key:
                    keyed.setdefault(key, []).append(row)
                elif any(str(cell).strip() for cell in row):
                    keyless.append(row)
            state[title] = {"header": header, "rows": keyed, "keyless": keyless}
        else:
            state[title] = rows
    return state


def differences(expected: dict[str, Any], got: dict[str, Any], what: str) -> list[str]:
    out: list[str] = []
    for name in sorted(set(expected) | set(got)):
        if expected.get(name) != got.get(name):
            out.append(f"{what} {name!r} differs: {_brief(expected.get(name), got.get(name))}")
    return out


def _brief(a: Any, b: Any) -> str:
    if isinstance(a, list) and isinstance(b, list):
        only_a = [x for x in a if x not in b][:2]
        only_b = [x for x in b if x not in a][:2]
        return f"{len(a)} vs {len(b)} rows; only expected {only_a!r:.300}; only got {only_b!r:.300}"
    if isinstance(a, dict) and isinstance(b, dict) and "rows" in a and "rows" in b:
        missing = sorted(set(a["rows"]) - set(b["rows"]))[:3]
        extra = sorted(set(b["rows"]) - set(a["rows"]))[:3]
        changed = [k for k in a["rows"] if k in b["rows"] and a["rows"][k] != b["rows"][k]][:3]
        return f"missing {missing} extra {extra} changed {changed} keyless {len(b['keyless'])}"
    return f"{a!r:.200} vs {b!r:.200}"


@dataclass(frozen=True)
class Reference:
    database: dict[str, list[tuple[Any, ...]]]
    sheet: dict[str, Any]
    counts: dict[str, int]


def reference(template: Path, work: Path) -> Reference:
    """The fault-free result: two syncs in a row, and how many kill points the first one passes."""
    trial = Trial(template, work)
    try:
        counts = work / "counts.json"
        codes = [trial.sync(None, counts), trial.sync(None)]
        if codes != [0, 0]:
            raise RuntimeError(f"the fault-free runs exited {codes}; see {work / 'runs.log'}")
        return Reference(trial.database_state(), trial.sheet_state(), json.loads(counts.read_text("utf-8")))
    finally:
        trial.close()


def schedules(counts: dict[str, int], seed: int, total: int) -> list[Schedule]:
    """Every commit boundary of the first run once, then random kills (any kind, any run) and faults."""
    rng = random.Random(seed)
    out = [Schedule(i, (), (f"commit:{n}",)) for i, n in enumerate(range(1, counts.get("commit", 0) + 1), 1)]
    while len(out) < total:
        kills: list[str | None] = []
        for _ in range(rng.choice((1, 1, 1, 2))):
            kind = rng.choice(("sql", "commit", "http", "answer"))
            kills.append(f"{kind}:{rng.randint(1, max(counts.get(kind, 1), 1))}")
        faults = tuple(_fault(rng) for _ in range(rng.choice((0, 0, 1, 2, 3))))
        out.append(Schedule(len(out) + 1, faults, tuple(kills)))
    return out[:total] if total >= counts.get("commit", 0) else out


def _fault(rng: random.Random) -> dict[str, Any]:
    fault = rng.choice(FAULTS)
    rule: dict[str, Any] = {"fault": fault, "api": rng.choice(APIS), "nth": rng.randint(1, 6)}
    rule["times"] = rng.choice((1, 2, 3, 5))
    if fault == "slow":
        rule["seconds"] = TIMEOUT_SECONDS + 0.5
        rule["times"] = min(rule["times"], 2)
    if fault == "429":
        rule["retryAfter"] = 0
    return rule


def run_schedule(schedule: Schedule, template: Path, expected: Reference, work: Path) -> Outcome:
    outcome = Outcome(schedule)
    trial = Trial(template, work)
    try:
        trial.faults(schedule.faults)
        for point in schedule.kills:
            outcome.codes.append(trial.sync(point))
            trial.faults([])
            if (check := trial.integrity()) != "ok":
                outcome.problems.append(f"integrity_check after {point}: {check}")
        for _ in range(MAX_RESTARTS):
            code = trial.sync(None)
            outcome.codes.append(code)
            if code == 0:
                break
        else:
            outcome.problems.append(f"no sync ended ok after {MAX_RESTARTS} restarts: exits {outcome.codes}")
        outcome.codes.append(trial.sync(None))
        outcome.problems += differences(expected.database, trial.database_state(), "table")
        outcome.problems += differences(expected.sheet, trial.sheet_state(), "tab")
    finally:
        trial.close()
    if outcome.ok:
        shutil.rmtree(work, ignore_errors=True)
    return outcome


@contextmanager
def seeded_template(root: Path) -> Iterator[Path]:
    template = root / "template"
    seed_sample(template)
    yield template


def run_many(count: int, jobs: int, seed: int, root: Path) -> tuple[Reference, list[Outcome]]:
    with seeded_template(root) as template:
        expected = reference(template, root / "reference")
        plan = schedules(expected.counts, seed, count)
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            outcomes = list(
                pool.map(lambda s: run_schedule(s, template, expected, root / f"trial-{s.number:04d}"), plan)
            )
    return expected, outcomes


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--schedules", type=int, default=200)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--keep", type=Path, default=None, help="work directory to keep (default: a temp dir)"
    )
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="kpisync-faults-"))
    root.mkdir(parents=True, exist_ok=True)
    expected, outcomes = run_many(args.schedules, args.jobs, args.seed, root)
    failed = [o for o in outcomes if not o.ok]
    kills = sum(1 for o in outcomes for k in o.schedule.kills if k)
    print(f"kill points in a first sync: {expected.counts}")
    print(
        f"{len(outcomes)} schedules, {kills} kills, {sum(len(o.schedule.faults) for o in outcomes)} faults:"
    )
    print(f"  converged: {len(outcomes) - len(failed)}   failed: {len(failed)}   (work dir {root})")
    for outcome in failed:
        print(f"  {outcome.schedule.describe()} exits={outcome.codes}")
        for problem in outcome.problems:
            print(f"      {problem}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
