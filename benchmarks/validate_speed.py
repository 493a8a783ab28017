"""Benchmark: `energy-ties validate` against its peers, side by side on the same synthetic package.

The package has a 10-field table (typed, constrained, a primary key and a foreign key into a small
second table). For each size, every tool runs --runs times, alternately, each as a whole command in
its own process: energy-ties, a polars script and a DuckDB script doing the same checks with the same
errors (benchmarks/peers/), the floor (the same Arrow CSV reader, reading only), and frictionless at
up to 1M rows (it is slow). The table shows median wall time, peak memory and each tool's time over
energy-ties' (above 1: energy-ties is faster). Then every tool runs on a copy with faults injected
(type errors, constraint violations, duplicate keys, dangling references, ragged rows), and the
(row, field, error type) sets are compared.

    python benchmarks/validate_speed.py [--rows 100000,1000000,5000000] [--big] [--runs 3] [--keep DIR]
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
from common import bin_of, measure, medians, table, verdict  # noqa: E402

REGIONS = [f"R{i:02d}" for i in range(50)]
CATEGORIES = ["alpha", "beta", "gamma", "delta", "epsilon"]
SCHEMA = {
    "fields": [
        {"name": "id", "type": "integer", "constraints": {"required": True, "minimum": 1}},
        {"name": "code", "type": "string", "constraints": {"required": True, "pattern": "[A-Z]{3}-[0-9]{4}"}},
        {"name": "name", "type": "string", "constraints": {"minLength": 1, "maxLength": 40}},
        {"name": "category", "type": "string", "constraints": {"enum": CATEGORIES}},
        {"name": "region", "type": "string", "constraints": {"required": True}},
        {"name": "amount", "type": "number", "constraints": {"minimum": 0, "maximum": 1000000}},
        {"name": "count", "type": "integer", "constraints": {"minimum": 0, "maximum": 100000}},
        {"name": "flag", "type": "boolean"},
        {"name": "day", "type": "date", "constraints": {"minimum": "2000-01-01"}},
        {"name": "ratio", "type": "number", "constraints": {"minimum": 0, "exclusiveMaximum": 1}},
    ],
    "primaryKey": ["id"],
    "foreignKeys": [{"fields": ["region"], "reference": {"resource": "regions", "fields": ["code"]}}],
}
REGION_SCHEMA = {
    "fields": [
        {"name": "code", "type": "string", "constraints": {"required": True}},
        {"name": "label", "type": "string"},
    ],
    "primaryKey": ["code"],
}


def row(i: int, rnd: random.Random) -> list[str]:
    return [
        str(i),
        f"{rnd.choice('ABCDEFGH')}{rnd.choice('KLMNOP')}{rnd.choice('QRSTU')}-{rnd.randrange(10000):04d}",
        f"item {rnd.randrange(10**6)}",
        rnd.choice(CATEGORIES),
        rnd.choice(REGIONS),
        f"{rnd.uniform(0, 999999):.2f}",
        str(rnd.randrange(100000)),
        rnd.choice(["true", "false"]),
        f"20{rnd.randrange(25):02d}-{rnd.randrange(1, 13):02d}-{rnd.randrange(1, 29):02d}",
        f"{rnd.random() * 0.999999:.6f}",  # printed to 6 places, random() could round to 1.000000
    ]


# each kind of injected fault: the column it breaks and the bad cell (for "short", the cells kept;
# for "long", the cell appended). The order decides which kind lands on which faulty row.
FAULTS = {
    "type": (6, "many"),
    "pattern": (1, "bad-code"),
    "enum": (3, "omega"),
    "minimum": (5, "-5"),
    "fk": (4, "R99"),
    "duplicate": (0, "1"),
    "required": (4, ""),
    "short": (8, None),
    "long": (None, "extra"),
    "date": (8, "2023-02-30"),
}
DIALECT = {"delimiter": ",", "quoteChar": '"', "doubleQuote": True, "skipInitialSpace": False}


def write_package(folder: Path, rows: int, faults: int, seed: int = 7) -> list[tuple[int, str]]:
    """Write the package; with faults, return the (row number, kind) of each injected fault."""
    rnd = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "regions.csv").write_text("code,label\n" + "".join(f"{r},Region {r}\n" for r in REGIONS))
    fault_rows = sorted(rnd.sample(range(2, rows + 2), faults)) if faults else []
    kinds = list(FAULTS)
    injected = []
    fault_at = {r: kinds[k % len(kinds)] for k, r in enumerate(fault_rows)}
    with open(folder / "items.csv", "w", encoding="utf-8", newline="") as fh:
        fh.write(",".join(f["name"] for f in SCHEMA["fields"]) + "\n")
        for i in range(1, rows + 1):
            cells = row(i, rnd)
            number = i + 1
            kind = fault_at.get(number)
            if kind:
                injected.append((number, kind))
                column, bad = FAULTS[kind]
                if kind == "short":
                    cells = cells[:column]
                elif kind == "long":
                    cells = cells + [bad]
                else:
                    cells[column] = bad
            fh.write(",".join(cells) + "\n")
    descriptor = {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": "benchmark",
        "resources": [
            {
                "name": "items",
                "path": "items.csv",
                "format": "csv",
                "encoding": "utf-8",
                "schema": SCHEMA,
                "dialect": DIALECT,
            },
            {
                "name": "regions",
                "path": "regions.csv",
                "format": "csv",
                "encoding": "utf-8",
                "schema": REGION_SCHEMA,
                "dialect": DIALECT,
            },
        ],
    }
    (folder / "datapackage.json").write_text(json.dumps(descriptor, indent=1))
    return injected


def error_set_ours(stdout: str) -> set[tuple]:
    report = json.loads(stdout)
    return {
        (
            e["resource"],
            e["row"],
            e["field_number"] if e["type"] not in ("primary-key", "foreign-key") else None,
            e["type"],
        )
        for e in report["errors"]
    }


def error_set_frictionless(stdout: str) -> set[tuple]:
    report = json.loads(stdout)
    out = set()
    for task in report["tasks"]:
        for e in task["errors"]:
            number = e.get("fieldNumber") if e["type"] not in ("primary-key", "foreign-key") else None
            out.add((task["name"], e.get("rowNumber"), number, e["type"]))
    return out


def tools(pkg: Path, frictionless: bool) -> dict[str, list[str]]:
    """Each tool's command on one package: energy-ties, its peers, the floor (and frictionless)."""
    peers = Path(__file__).parent / "peers"
    out = {
        "energy-ties": [bin_of("energy-ties"), "validate", "--json", "--limit-errors", "100000", str(pkg)],
        "polars script": [sys.executable, str(peers / "polars_validate.py"), str(pkg)],
        "duckdb script": [sys.executable, str(peers / "duckdb_validate.py"), str(pkg)],
        "csv floor": [sys.executable, str(peers / "csv_floor.py"), str(pkg)],
    }
    if frictionless:
        out["frictionless"] = [bin_of("frictionless"), "validate", "--json", "--limit-errors", "100000", str(pkg)]
    return out


def side_by_side(commands: dict[str, list[str]], runs: int, timeout: float | None = None) -> dict[str, list]:
    """Every command ``runs`` times, alternately (the order rotated each round), on the same input."""
    names = list(commands)
    got: dict[str, list] = {n: [] for n in names}
    for r in range(runs):
        for name in names[r % len(names) :] + names[: r % len(names)]:
            got[name].append(measure(name, commands[name], timeout=timeout))
    return got


def summary(got: dict[str, list], ours: str = "energy-ties") -> list[list[str]]:
    """Median wall time, the runs, the highest peak memory, and each tool's time over ours."""
    med = medians(got)
    rows = []
    for name, runs in got.items():
        codes = sorted({r.returncode for r in runs})
        rows.append(
            [
                name,
                f"{med[name]:.2f}",
                " ".join(f"{r.seconds:.2f}" for r in runs),
                f"{max(r.peak_mb for r in runs):.0f}",
                f"{med[name] / med[ours]:.2f}",
                ",".join(map(str, codes)),
            ]
        )
    return rows


#: Sizes the issue's goal 1 names: faster than both scripts at each, within 2x of the CSV floor at the larger.
GOAL_SIZES = (1_000_000, 5_000_000)
FLOOR_GOAL_SIZE = 5_000_000

HEADER = ["tool", "median s", "runs s", "peak MiB", "time / energy-ties", "exit"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", default="100000,1000000,5000000", help="sizes, comma-separated")
    ap.add_argument("--big", action="store_true", help="add 20,000,000 rows")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--frictionless-max", type=int, default=1_000_000, help="largest size frictionless runs at")
    ap.add_argument("--faults", type=int, default=200)
    ap.add_argument("--keep", help="write the packages here and keep them (reused when present)")
    args = ap.parse_args()
    sizes = [int(x) for x in args.rows.split(",")] + ([20_000_000] if args.big else [])
    base = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="et-bench-"))
    print(f"{args.runs} runs of each tool per size, alternating; medians (a 2-core machine shared with others)")
    for rows in sizes:
        clean = base / f"clean-{rows}"
        if not (clean / "datapackage.json").exists():
            write_package(clean, rows, 0)
        size = (clean / "items.csv").stat().st_size / 2**20
        got = side_by_side(tools(clean / "datapackage.json", rows <= args.frictionless_max), args.runs)
        print(f"\n{rows:,} rows x 10 fields ({size:.0f} MiB), primary key, foreign key")
        print(table(summary(got), HEADER))
        if rows in GOAL_SIZES:  # the issue sets goal 1 at these sizes (start-up dominates smaller ones)
            print(verdict("goal 1, faster than the polars and DuckDB scripts", got, ["polars script", "duckdb script"]))
        if "csv floor" in got and rows == FLOOR_GOAL_SIZE:
            wall = medians(got)
            ours, floor = wall["energy-ties"], wall["csv floor"]
            met = "met" if ours <= 2 * floor else "MISSED"
            print(f"  goal 1, within 2x of the CSV floor: {ours / floor:.2f}x the floor's time ({met})")
        if not args.keep:
            shutil.rmtree(clean)
    agreement(base / "faulty", min(sizes), args.faults, min(sizes) <= args.frictionless_max)
    if not args.keep:
        shutil.rmtree(base)
    return 0


def agreement(faulty: Path, rows: int, faults: int, frictionless: bool) -> None:
    """The tools find the same (resource, row, field, type) set on a copy with injected faults."""
    injected = write_package(faulty, rows, faults)
    pkg = faulty / "datapackage.json"
    found = {"energy-ties": error_set_ours(measure("ours", tools(pkg, False)["energy-ties"]).stdout)}
    for name in ("polars script", "duckdb script"):
        out = measure(name, [*tools(pkg, False)[name], "--errors"]).stdout
        found[name] = {
            (r, row, None if t in ("primary-key", "foreign-key") else f, t) for r, row, f, t in json.loads(out)
        }
    if frictionless:
        found["frictionless"] = error_set_frictionless(measure("fr", tools(pkg, True)["frictionless"]).stdout)
    print(f"\nfaulty copy, {rows:,} rows, {len(injected)} injected faults: errors found")
    for name, errors in found.items():
        same = "same set as energy-ties" if errors == found["energy-ties"] else "DIFFERENT from energy-ties"
        print(f"  {name}: {len(errors)} ({same})")


if __name__ == "__main__":
    sys.exit(main())
