"""Benchmark: validate and diff under a data limit (`prlimit --data`, 1 GiB), with the same report as without.

energy-ties keeps key columns past its budget in DuckDB on disk; this runs `energy-ties validate --json`
on a ROWS-row package with and without the limit (and the DuckDB peer script under it), then
`energy-ties diff --format json` on a pair of DIFF_ROWS-row releases, and says whether each output is
byte for byte the unlimited one. Peak memory is the child's maximum resident set.

    python benchmarks/memory_limit.py [--rows 20000000] [--diff-rows 5000000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from common import bin_of, measure, table  # noqa: E402
from diff_speed import write_pair  # noqa: E402
from validate_speed import write_package  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=20_000_000)
    ap.add_argument("--diff-rows", type=int, default=5_000_000)
    ap.add_argument("--limit", type=int, default=1 << 30, help="bytes for prlimit --data")
    ap.add_argument("--keep", help="write the packages here and keep them (reused when present)")
    args = ap.parse_args()
    base = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="et-mem-"))
    pkg, pair = base / f"clean-{args.rows}", base / f"integer-{args.diff_rows}"
    if not (pkg / "datapackage.json").exists():
        write_package(pkg, args.rows, 0)
    if not (pair / "new" / "datapackage.json").exists():
        write_pair(pair, args.diff_rows)
    limited = ["prlimit", f"--data={args.limit}"]
    validate = [bin_of("energy-ties"), "validate", "--json", str(pkg / "datapackage.json")]
    peer = [sys.executable, str(Path(__file__).parent / "peers" / "duckdb_validate.py"), str(pkg / "datapackage.json")]
    diff = [bin_of("energy-ties"), "diff", str(pair / "old"), str(pair / "new"), "--format", "json"]
    runs = [
        ("validate, no limit", measure("v", validate), None),
        ("validate, limited", measure("vl", limited + validate), "validate, no limit"),
        ("duckdb script, limited", measure("dl", limited + peer), None),
        ("diff, no limit", measure("d", diff), None),
        ("diff, limited", measure("dl", limited + diff), "diff, no limit"),
    ]
    by_name = {name: r for name, r, _ in runs}
    rows = []
    for name, r, twin in runs:
        same = (
            "" if twin is None else str(r.stdout == by_name[twin].stdout and r.returncode == by_name[twin].returncode)
        )
        rows.append([name, f"{r.seconds:.1f}", f"{r.peak_mb:.0f}", str(r.returncode), same, r.stderr.strip()[-80:]])
    print(
        f"validate: {args.rows:,} rows; diff: two releases of {args.diff_rows:,} rows; limit {args.limit / 2**30:g} GiB"
    )
    print(table(rows, ["run", "wall s", "peak MiB", "exit", "same output as unlimited", "stderr"]))
    if not args.keep:
        shutil.rmtree(base)
    return 0


if __name__ == "__main__":
    sys.exit(main())
