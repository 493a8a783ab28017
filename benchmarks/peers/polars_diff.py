"""Peer: the benchmark's diff written with polars: rows added, removed and modified between two releases.

Rows are matched on the primary key by anti-joins and a join; a matched row is modified when any
other field differs (nulls equal nulls), with the values typed as each Table Schema says.

    python benchmarks/peers/polars_diff.py OLD/datapackage.json NEW/datapackage.json
"""

import json
import sys
from pathlib import Path

import polars as pl

TYPES = {"integer": pl.Int64, "number": pl.Float64, "boolean": pl.Boolean, "date": pl.Date, "string": pl.String}


def read(descriptor: str) -> tuple[pl.DataFrame, list[str]]:
    pkg = json.loads(Path(descriptor).read_text())
    items = pkg["resources"][0]
    schema = {f["name"]: TYPES[f["type"]] for f in items["schema"]["fields"]}
    df = pl.read_csv(Path(descriptor).parent / items["path"], schema=schema)
    return df, items["schema"]["primaryKey"]


def main() -> None:
    old, key = read(sys.argv[1])
    new, _ = read(sys.argv[2])
    removed = old.join(new, on=key, how="anti", nulls_equal=True).height
    added = new.join(old, on=key, how="anti", nulls_equal=True).height
    both = old.join(new, on=key, how="inner", suffix="_new", nulls_equal=True)
    others = [c for c in old.columns if c not in key]
    changed = pl.any_horizontal([pl.col(c).ne_missing(pl.col(c + "_new")) for c in others])
    modified = both.filter(changed).height
    print(json.dumps({"added": added, "removed": removed, "modified": modified}))


if __name__ == "__main__":
    main()
