"""Benchmark: writing many errors as JSON against finding them.

A ROWS-row benchmark package with FAULTS injected faults (each an error or two) is validated in a
child process with ``limit_errors=200000``; the child times validate() (finding the errors), then
Report.to_json() (writing them), then what to_json did before (``dataclasses.asdict`` per error and
``json.dumps(indent=2)``), and checks the two texts are the same. Medians of --runs runs.

    python benchmarks/report_speed.py [--rows 1000000] [--faults 100000] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from common import table  # noqa: E402
from validate_speed import write_package  # noqa: E402

CHILD = r"""
import dataclasses, json, sys, time
from energy_ties.validation.pipeline import validate
t0 = time.perf_counter()
report = validate(sys.argv[1], limit_errors=200000)
t1 = time.perf_counter()
text = report.to_json()
t2 = time.perf_counter()
d = report.to_dict()
d["errors"] = [{k: v for k, v in dataclasses.asdict(e).items() if k not in ("order", "rank")} for e in report.errors]
before = json.dumps(d, indent=2, ensure_ascii=False)
t3 = time.perf_counter()
print(json.dumps({"errors": len(report.errors), "find": t1 - t0, "write": t2 - t1, "before": t3 - t2,
                  "same": text == before}))
"""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--faults", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    base = Path(tempfile.mkdtemp(prefix="et-report-"))
    write_package(base, args.rows, args.faults)
    runs = []
    for _ in range(args.runs):
        out = subprocess.run(
            [sys.executable, "-c", CHILD, str(base / "datapackage.json")], capture_output=True, text=True, check=True
        )
        runs.append(json.loads(out.stdout))
    shutil.rmtree(base)
    med = {k: statistics.median(r[k] for r in runs) for k in ("find", "write", "before")}
    print(f"{args.rows:,} rows, {args.faults:,} faults: {runs[0]['errors']:,} errors reported; medians of {args.runs}")
    rows = [
        ["validate() (finding them)", f"{med['find']:.2f}", "1.00"],
        ["to_json() (writing them)", f"{med['write']:.2f}", f"{med['write'] / med['find']:.2f}"],
        ["asdict + json.dumps(indent=2) (before)", f"{med['before']:.2f}", f"{med['before'] / med['find']:.2f}"],
    ]
    print(table(rows, ["step", "median s", "time / finding"]))
    print(f"same text as before: {all(r['same'] for r in runs)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
