"""Benchmark: `energy-ties diff` against datacompy (PandasCompare) and daff on the same pair of releases.

Two synthetic releases of ROWS rows x 10 fields (primary key `id`), the new one
with about 1% of rows removed, 1% added and 1% modified. Each tool runs as a
whole command in its own process, reading the CSV files itself, and reports
rows added, removed and modified; the table shows wall time, peak memory and
the ratios. daff, which compares in pure Python, can be run on a cut of
DAFF_ROWS rows (said so in the output, with energy-ties run again on the same
cut for a fair ratio); by default it runs on the whole pair.

    python benchmarks/diff_speed.py [--rows 1000000] [--daff-rows N] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from common import bin_of, measure, table  # noqa: E402
from validate_speed import REGION_SCHEMA, REGIONS, SCHEMA, row  # noqa: E402

DATACOMPY = r"""
import sys, json, pandas as pd, datacompy
old = pd.read_csv(sys.argv[1], keep_default_na=False, na_values=[""])
new = pd.read_csv(sys.argv[2], keep_default_na=False, na_values=[""])
cmp = datacompy.PandasCompare(old, new, join_columns="id", abs_tol=0, rel_tol=0)
mismatch = cmp.all_mismatch()
print(json.dumps({"added": len(cmp.df2_unq_rows), "removed": len(cmp.df1_unq_rows), "modified": len(mismatch)}))
"""

DAFF = r"""
import sys, csv, json, daff
def read(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return [r for r in csv.reader(fh)]
flags = daff.CompareFlags()
flags.addPrimaryKey("id")
a, b = daff.PythonTableView(read(sys.argv[1])), daff.PythonTableView(read(sys.argv[2]))
out = daff.PythonTableView([])
daff.TableDiff(daff.Coopy.compareTables(a, b, flags).align(), flags).hilite(out)
marks = [r[0] for r in out.getData()[1:]]
print(json.dumps({"added": marks.count("+++"), "removed": marks.count("---"), "modified": marks.count("->")}))
"""


def write_pair(base: Path, rows: int, seed: int = 11) -> dict:
    """Old and new releases; returns the expected counts."""
    rnd = random.Random(seed)
    old, new = base / "old", base / "new"
    expected = {"added": 0, "removed": 0, "modified": 0}
    for folder in (old, new):
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "regions.csv").write_text("code,label\n" + "".join(f"{r},Region {r}\n" for r in REGIONS))
        descriptor = {
            "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
            "name": "benchmark",
            "version": "1.0.0" if folder is old else "2.0.0",
            "resources": [
                {"name": "items", "path": "items.csv", "schema": SCHEMA},
                {"name": "regions", "path": "regions.csv", "schema": REGION_SCHEMA},
            ],
        }
        (folder / "datapackage.json").write_text(json.dumps(descriptor))
    header = ",".join(f["name"] for f in SCHEMA["fields"]) + "\n"
    with open(old / "items.csv", "w") as fo, open(new / "items.csv", "w") as fn:
        fo.write(header)
        fn.write(header)
        for i in range(1, rows + 1):
            cells = row(i, rnd)
            fo.write(",".join(cells) + "\n")
            fate = rnd.random()
            if fate < 0.01:
                expected["removed"] += 1
                continue
            if fate < 0.02:
                cells = list(cells)
                cells[6] = str(int(cells[6]) + 1)
                expected["modified"] += 1
            fn.write(",".join(cells) + "\n")
        for j in range(rows + 1, rows + 1 + rows // 100):
            fn.write(",".join(row(j, rnd)) + "\n")
            expected["added"] += 1
    return expected


def cut(src: Path, dest: Path, rows: int, total: int) -> None:
    """Ids 1..rows of both releases, and the first rows/100 of the added ids: a smaller pair, same mix."""
    shutil.copytree(src, dest)
    for side in ("old", "new"):
        lines = (src / side / "items.csv").read_text().splitlines(keepends=True)
        keep = [
            ln
            for ln in lines[1:]
            if int(ln.split(",", 1)[0]) <= rows or total < int(ln.split(",", 1)[0]) <= total + rows // 100
        ]
        (dest / side / "items.csv").write_text(lines[0] + "".join(keep))


def counts_of(stdout: str) -> dict:
    d = json.loads(stdout)
    if "resources" in d:
        return d["resources"]["items"]["rows"]
    return d


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument(
        "--daff-rows",
        type=int,
        default=None,
        help="run daff on a cut of this many rows (default: all of them; it takes about 90 s per million)",
    )
    ap.add_argument("--keep")
    args = ap.parse_args()
    base = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="et-diff-"))
    expected = write_pair(base / "full", args.rows)
    print(f"pair: {args.rows:,} rows x 10 fields; expected {expected}")

    def ours(folder: Path, label: str):
        return measure(
            label, [bin_of("energy-ties"), "diff", str(folder / "old"), str(folder / "new"), "--format", "json"]
        )

    runs = []
    r = ours(base / "full", f"energy-ties diff ({args.rows:,})")
    runs.append((r, counts_of(r.stdout), args.rows))
    dc = measure(
        f"datacompy PandasCompare ({args.rows:,})",
        [sys.executable, "-c", DATACOMPY, str(base / "full/old/items.csv"), str(base / "full/new/items.csv")],
    )
    runs.append((dc, counts_of(dc.stdout) if dc.returncode == 0 else {"error": dc.stderr[-200:]}, args.rows))
    daff_rows = min(args.rows, args.daff_rows or args.rows)
    folder = base / "full"
    if daff_rows < args.rows:
        cut(base / "full", base / "cut", daff_rows, args.rows)
        folder = base / "cut"
        print(
            f"daff cannot finish {args.rows:,} rows in reasonable time here: it runs on a {daff_rows:,}-row cut, "
            "and energy-ties is timed again on the same cut"
        )
        r_cut = ours(folder, f"energy-ties diff ({daff_rows:,} cut)")
        runs.append((r_cut, counts_of(r_cut.stdout), daff_rows))
    df = measure(
        f"daff ({daff_rows:,}{' cut' if daff_rows < args.rows else ''})",
        [sys.executable, "-c", DAFF, str(folder / "old/items.csv"), str(folder / "new/items.csv")],
    )
    runs.append((df, counts_of(df.stdout) if df.returncode == 0 else {"error": df.stderr[-200:]}, daff_rows))

    rows = [[r.name, f"{r.seconds:.2f}", f"{r.peak_mb:.0f}", json.dumps(c)] for r, c, _ in runs]
    print()
    print(table(rows, ["tool (rows)", "wall s", "peak MiB", "added/removed/modified"]))
    ours_full, dc_run = runs[0][0], runs[1][0]
    print(
        f"\nvs datacompy ({args.rows:,} rows): {dc_run.seconds / ours_full.seconds:.1f}x faster, "
        f"peak memory {ours_full.peak_mb / dc_run.peak_mb:.2f}x of datacompy's"
    )
    ours_same = runs[2][0] if daff_rows < args.rows else ours_full
    print(f"vs daff ({daff_rows:,} rows): {df.seconds / ours_same.seconds:.1f}x faster")
    if not args.keep:
        shutil.rmtree(base)
    return 0


if __name__ == "__main__":
    sys.exit(main())
