"""Benchmark: `energy-ties validate` against `frictionless validate`, end to end, on small packages.

Most packages validated in CI are small: a few files of a hundred to some tens of thousands of rows, a
lookup table or two, foreign keys. There start-up dominates, so each tool is run as a new process, as CI
runs it, start-up and imports included. The packages are built here, in the shapes published packages
have (see PACKAGES). The tools run alternately, RUNS times each (on a busy machine a burst of load then
falls on both alike), and the medians of wall time and of CPU time (user + system, steadier when the
machine is shared) are printed with the ratio frictionless / energy-ties per package. Run as

    python benchmarks/small_packages.py [--runs 7] [--keep DIR]
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
from common import bin_of, measure, medians, table  # noqa: E402

V2 = "https://datapackage.org/profiles/2.0/datapackage.json"
COUNTRIES = [f"C{i:03d}" for i in range(250)]


def _write(folder: Path, resources: list[tuple[str, dict, list[str], list[list[str]]]]) -> Path:
    folder.mkdir(parents=True)
    res = []
    for name, schema, header, rows in resources:
        text = ",".join(header) + "\n" + "".join(",".join(r) + "\n" for r in rows)
        (folder / f"{name}.csv").write_text(text, encoding="utf-8")
        res.append({"name": name, "path": f"{name}.csv", "format": "csv", "schema": schema})
    descriptor = {"$schema": V2, "name": folder.name, "version": "1.0.0", "resources": res}
    (folder / "datapackage.json").write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    return folder / "datapackage.json"


def _countries() -> tuple[str, dict, list[str], list[list[str]]]:
    schema = {
        "fields": [
            {"name": "code", "type": "string", "constraints": {"required": True, "pattern": "C[0-9]{3}"}},
            {"name": "name", "type": "string"},
            {"name": "region", "type": "string", "constraints": {"enum": ["north", "south", "east", "west"]}},
            {"name": "population", "type": "integer", "constraints": {"minimum": 0}},
        ],
        "primaryKey": ["code"],
    }
    rnd = random.Random(1)
    rows = [[c, f"country {c}", rnd.choice(["north", "south", "east", "west"]), str(rnd.randrange(10**8))]
            for c in COUNTRIES]  # fmt: skip
    return "countries", schema, ["code", "name", "region", "population"], rows


def _observations(name: str, n: int, seed: int) -> tuple[str, dict, list[str], list[list[str]]]:
    schema = {
        "fields": [
            {"name": "id", "type": "integer", "constraints": {"required": True}},
            {"name": "country", "type": "string", "constraints": {"required": True}},
            {"name": "year", "type": "year"},
            {"name": "date", "type": "date"},
            {"name": "value", "type": "number"},
            {"name": "flag", "type": "boolean"},
            {"name": "note", "type": "string", "constraints": {"maxLength": 40}},
        ],
        "primaryKey": ["id"],
        "foreignKeys": [{"fields": ["country"], "reference": {"resource": "countries", "fields": ["code"]}}],
    }
    rnd = random.Random(seed)
    rows = [
        [
            str(i),
            rnd.choice(COUNTRIES),
            str(rnd.randrange(1990, 2025)),
            f"20{rnd.randrange(10, 24)}-{rnd.randrange(1, 13):02d}-{rnd.randrange(1, 29):02d}",
            f"{rnd.uniform(0, 1000):.3f}",
            rnd.choice(["true", "false"]),
            rnd.choice(["", "estimated", "provisional"]),
        ]
        for i in range(1, n + 1)
    ]
    return name, schema, [f["name"] for f in schema["fields"]], rows


def _tiny() -> tuple[str, dict, list[str], list[list[str]]]:
    schema = {"fields": [{"name": "id", "type": "integer"}, {"name": "name", "type": "string"}], "primaryKey": ["id"]}
    return "items", schema, ["id", "name"], [[str(i), f"item {i}"] for i in range(1, 11)]


#: name -> resources: the shapes of published packages, from one ten-row table to 50,000 rows and foreign keys.
PACKAGES = {
    "tiny (1 table, 10 rows)": lambda: [_tiny()],
    "lookup (1 table, 250 rows)": lambda: [_countries()],
    "several (4 tables, 100-2,000 rows, fks)": lambda: [
        _countries(),
        _observations("a", 100, 2),
        _observations("b", 500, 3),
        _observations("c", 2000, 4),
    ],
    "medium (2 tables, 10,000 rows, fk)": lambda: [_countries(), _observations("obs", 10_000, 5)],
    "largest (3 tables, 50,000 rows, fks)": lambda: [
        _countries(),
        _observations("obs", 50_000, 6),
        _observations("extra", 5_000, 7),
    ],
}


def compile_sources() -> None:
    """Write energy-ties's bytecode, as installing a wheel does (pip compiles what it installs; an editable
    install under PYTHONDONTWRITEBYTECODE would otherwise compile every module on every run)."""
    import compileall

    import energy_ties

    compileall.compile_dir(Path(energy_ties.__file__).parent, quiet=1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--keep", type=Path, help="build the packages here and keep them")
    args = ap.parse_args()
    compile_sources()
    root = args.keep or Path(tempfile.mkdtemp(prefix="small-packages-"))
    tools = {"energy-ties": [bin_of("energy-ties"), "validate"], "frictionless": [bin_of("frictionless"), "validate"]}
    out = []
    try:
        for i, (label, build) in enumerate(PACKAGES.items()):
            path = _write(root / f"p{i}", build())
            runs: dict[str, list] = {t: [] for t in tools}
            for _ in range(args.runs):
                for tool, argv in tools.items():  # alternately
                    r = measure(tool, [*argv, str(path)])
                    if r.returncode != 0:
                        raise SystemExit(f"{tool} on {label}: exit {r.returncode}\n{r.stdout[-2000:]}{r.stderr[-900:]}")
                    runs[tool].append(r)
            wall, cpu = medians(runs), medians(runs, "cpu_seconds")
            out.append(
                [
                    label,
                    f"{wall['energy-ties']:.3f}",
                    f"{wall['frictionless']:.3f}",
                    f"{wall['frictionless'] / wall['energy-ties']:.2f}x",
                    f"{cpu['energy-ties']:.3f}",
                    f"{cpu['frictionless']:.3f}",
                    f"{cpu['frictionless'] / cpu['energy-ties']:.2f}x",
                ]
            )
            print(out[-1], flush=True, file=sys.stderr)
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)
    header = ["package", "ours s", "frictionless s", "ratio", "ours cpu s", "fl cpu s", "cpu ratio"]
    print(f"median of {args.runs} alternate runs each, end to end (start-up included)")
    print(table(out, header))


if __name__ == "__main__":
    main()
