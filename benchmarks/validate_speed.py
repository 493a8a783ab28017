"""Benchmark: `energy-ties validate` against `frictionless validate` on the same synthetic package.

The package has a 10-field table (typed, constrained, a primary key and a
foreign key into a small second table) of ROWS rows. Run as

    python benchmarks/validate_speed.py [--rows 1000000] [--faults 200] [--keep DIR]

It prints, side by side, each tool's wall time and peak memory and the ratio,
then runs both again on a copy with faults injected (type errors, constraint
violations, duplicate keys, dangling references, ragged rows) and compares the
(row, field, error type) sets they report.
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
        f"{rnd.random():.6f}",
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


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--faults", type=int, default=200)
    ap.add_argument("--keep", help="write the packages here and keep them")
    ap.add_argument("--skip-frictionless", action="store_true", help="time energy-ties alone")
    args = ap.parse_args()

    base = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="et-bench-"))
    clean, faulty = base / "clean", base / "faulty"
    write_package(clean, args.rows, 0)
    injected = write_package(faulty, args.rows, args.faults)
    size = (clean / "items.csv").stat().st_size / 2**20
    print(
        f"package: {args.rows:,} rows x 10 fields ({size:.0f} MiB), primary key, foreign key; "
        f"faulty copy with {len(injected)} injected faults"
    )

    ours_cmd = [bin_of("energy-ties"), "validate", "--json", "--limit-errors", "100000"]
    fr_cmd = [bin_of("frictionless"), "validate", "--json", "--limit-errors", "100000"]
    runs = []
    ours = measure("energy-ties validate", [*ours_cmd, str(clean / "datapackage.json")])
    runs.append(ours)
    fr = None
    if not args.skip_frictionless:
        fr = measure("frictionless validate", [*fr_cmd, str(clean / "datapackage.json")])
        runs.append(fr)
    rows = []
    for r in runs:
        valid = json.loads(r.stdout)["valid"] if r.stdout.strip().startswith("{") else f"exit {r.returncode}"
        rows.append([r.name, f"{r.seconds:.2f}", f"{r.peak_mb:.0f}", f"{args.rows / r.seconds:,.0f}", str(valid)])
    print()
    print(table(rows, ["clean package", "wall s", "peak MiB", "rows/s", "valid"]))
    if fr:
        print(
            f"\nspeed ratio (frictionless / energy-ties): {fr.seconds / ours.seconds:.1f}x; "
            f"memory ratio: {fr.peak_mb / ours.peak_mb:.2f}x"
        )

    ours_f = measure("energy-ties validate", [*ours_cmd, str(faulty / "datapackage.json")])
    found = error_set_ours(ours_f.stdout)
    print(
        f"\nfaulty package: energy-ties {ours_f.seconds:.2f} s, {ours_f.peak_mb:.0f} MiB, "
        f"{len(found)} errors for {len(injected)} faults"
    )
    if not args.skip_frictionless:
        fr_f = measure("frictionless validate", [*fr_cmd, str(faulty / "datapackage.json")])
        theirs = error_set_frictionless(fr_f.stdout)
        print(f"faulty package: frictionless {fr_f.seconds:.2f} s, {fr_f.peak_mb:.0f} MiB, {len(theirs)} errors")
        same = found == theirs
        print(f"same (resource, row, field, type) set: {same}")
        if not same:
            print("  only energy-ties:", sorted(found - theirs, key=str)[:10])
            print("  only frictionless:", sorted(theirs - found, key=str)[:10])
    if not args.keep:
        shutil.rmtree(base)
    return 0


if __name__ == "__main__":
    sys.exit(main())
