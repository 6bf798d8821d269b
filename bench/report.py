"""Results as JSON (everything measured) and markdown (the tables the README quotes), one pair per scale in
bench/results/, plus a summary of every scale recorded there."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SCENARIO_WORDS = {
    "first": "first sync (empty database)",
    "noop": "sync with nothing new",
    "incremental": f"after {100} new responses and {20} edits",
}
# The targets of issue #11, CPU seconds of the kpisync process by scale and scenario, and peak RSS.
CPU_TARGETS = {("10k", "first"): 15.0, ("50k", "first"): 60.0, ("10k", "noop"): 3.0, ("50k", "noop"): 5.0}
RSS_TARGET_MB = {"50k": 300.0}
CALLS_SLACK = 1.02
SHEETS_REQUEST_LIMIT = 2 * 1024 * 1024


def write_results(result: dict[str, Any], out: Path) -> tuple[Path, Path]:
    out.mkdir(parents=True, exist_ok=True)
    json_path = out / f"{result['scale']}.json"
    md_path = out / f"{result['scale']}.md"
    json_path.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", "utf-8")
    md_path.write_text(scale_markdown(result), "utf-8")
    (out / "summary.md").write_text(summary_markdown(out), "utf-8")
    return json_path, md_path


def checks(scale: str, scenario: str, kpisync: dict[str, Any], minimum: int) -> list[str]:
    """The targets this measurement meets or misses, as words."""
    out = []
    target = CPU_TARGETS.get((scale, scenario))
    if target is not None:
        out.append(f"CPU {kpisync['cpu_s']} s {'≤' if kpisync['cpu_s'] <= target else '>'} {target} s")
    rss = RSS_TARGET_MB.get(scale)
    if rss is not None and scenario == "first":
        ok = kpisync["peak_rss_mb"] <= rss
        out.append(f"RSS {kpisync['peak_rss_mb']} MB {'≤' if ok else '>'} {rss:g} MB")
    ok_calls = kpisync["calls"] <= minimum * CALLS_SLACK
    out.append(f"calls {kpisync['calls']} {'≤' if ok_calls else '>'} {minimum} × 1.02")
    largest = kpisync["largest_sheets_request_bytes"]
    out.append(
        f"largest Sheets request {_mb(largest)} {'≤' if largest <= SHEETS_REQUEST_LIMIT else '>'} 2 MB"
    )
    return out


def scale_markdown(result: dict[str, Any]) -> str:
    world = result["world"]
    lines = [
        f"# bench: {result['scale']} ({world['responses']:,} responses)",
        "",
        f"World: {world['forms']} forms, {world['responses']:,} responses, {world['people']:,} people in the "
        f"roster, {world['files']:,} distinct Drive files named "
        f"({world['shortcut_targets']} of them shortcuts). "
        f"Sandbox latency {result['latency_s']} s per Forms and Sheets call and per Drive batch. "
        f"Machine: {result['machine']['cpus']} CPUs, Python {result['machine']['python']}.",
        "",
        "| scenario | who | outcome | CPU s | wall s | peak RSS MB | calls | minimum | ratio | writes"
        " | MB sent | MB received | largest Sheets request |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for scenario, entry in result["scenarios"].items():
        minimum = entry["minimum"]["total"]
        for who in ("kpisync", "baseline"):
            m = entry.get(who)
            if m is None:
                continue
            ratio = round(m["calls"] / minimum, 3)
            wall = f"{m['wall_s']}" + ("*" if who == "baseline" else "")
            lines.append(
                f"| {SCENARIO_WORDS[scenario]} | {who} | {m.get('outcome', '')} | {m['cpu_s']} | {wall} | "
                f"{m['peak_rss_mb']} | "
                f"{m['calls']:,} | {minimum} | {ratio} | {m['write_calls']:,} | {_mb(m['bytes_sent'])} | "
                f"{_mb(m['bytes_received'])} | {_mb(m['largest_sheets_request_bytes'])} |"
            )
    lines += [
        "",
        "\\* the baseline runs with latency and quotas off; its wall is the measured wall plus the latency"
        " per call. Google's 60 writes a minute per user would hold it longer: "
        + ", ".join(
            f"{s} ≥ {e['baseline']['quota_floor_minutes']} min"
            for s, e in result["scenarios"].items()
            if "baseline" in e
        )
        + ".",
        "",
        "## Targets",
        "",
    ]
    for scenario, entry in result["scenarios"].items():
        marks = checks(result["scale"], scenario, entry["kpisync"], entry["minimum"]["total"])
        lines.append(f"- {SCENARIO_WORDS[scenario]}: " + "; ".join(marks))
    lines += ["", "## Calls by method (kpisync)", ""]
    for scenario, entry in result["scenarios"].items():
        methods = ", ".join(f"{k} {v}" for k, v in entry["kpisync"]["calls_by_method"].items())
        terms = ", ".join(f"{k} {v}" for k, v in entry["minimum"].items() if k != "total")
        lines.append(f"- {SCENARIO_WORDS[scenario]}: {methods}. Minimum: {terms}.")
    lines.append("")
    return "\n".join(lines)


def summary_markdown(out: Path) -> str:
    """One table of every scale recorded in ``out``: kpisync beside the per-row baseline."""
    rows = [
        "| scale | scenario | kpisync CPU s | kpisync wall s | kpisync RSS MB | kpisync calls (minimum) "
        "| baseline CPU s | baseline wall s* | baseline calls |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    order = {"1k": 0, "10k": 1, "50k": 2}
    results = [json.loads(p.read_text("utf-8")) for p in out.glob("*.json")]
    for result in sorted(results, key=lambda r: order.get(r["scale"], 9)):
        for scenario, entry in result["scenarios"].items():
            k, b = entry["kpisync"], entry.get("baseline")
            base = f"{b['cpu_s']} | {b['wall_s']} | {b['calls']:,}" if b else "– | – | –"
            rows.append(
                f"| {result['scale']} | {SCENARIO_WORDS[scenario]} | {k['cpu_s']} | {k['wall_s']} | "
                f"{k['peak_rss_mb']} | {k['calls']} ({entry['minimum']['total']}) | {base} |"
            )
    rows += ["", "\\* measured without latency, plus the latency per call.", ""]
    return "\n".join(rows)


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.2f} MB"
