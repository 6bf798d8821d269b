"""``python -m bench``: build each scale's world, run its scenarios with kpisync and the per-row baseline, and
write bench/results/<scale>.json and .md (and summary.md). See bench/README.md."""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench.report import write_results
from bench.scenarios import Options, run_scale
from bench.world import SCALES

RESULTS = Path(__file__).resolve().parent / "results"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("scales", nargs="*", metavar="SCALE", help=f"any of {', '.join(SCALES)} (default 1k)")
    parser.add_argument("--latency", type=float, default=0.2, help="seconds per call (default 0.2)")
    parser.add_argument("--no-baseline", action="store_true", help="run kpisync only")
    parser.add_argument("--out", type=Path, default=RESULTS, help="results directory (default bench/results)")
    parser.add_argument("--work", type=Path, help="keep the worlds, databases and logs here")
    args = parser.parse_args(argv)
    unknown = [s for s in args.scales if s not in SCALES]
    if unknown:
        parser.error(f"unknown scale {', '.join(unknown)}: choose from {', '.join(SCALES)}")
    options = Options(latency_s=args.latency, baseline=not args.no_baseline)
    for scale in args.scales or ["1k"]:
        work = args.work / scale if args.work else Path(tempfile.mkdtemp(prefix=f"kpisync-bench-{scale}-"))
        if work.exists() and any(work.iterdir()):
            shutil.rmtree(work)
        started = time.perf_counter()
        print(f"bench {scale}: building the world and running the scenarios in {work}", flush=True)
        result = run_scale(scale, SCALES[scale], work, options)
        result["bench_wall_s"] = round(time.perf_counter() - started, 1)
        json_path, md_path = write_results(result, args.out)
        print(md_path.read_text("utf-8"), flush=True)
        print(f"bench {scale}: {result['bench_wall_s']} s; wrote {json_path} and {md_path}", flush=True)
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
