"""Peer: the benchmark package's checks written with polars, as a user could in an afternoon.

Types (integer, number, boolean, date), required, pattern, enum, lengths, bounds, missing and extra
cells, a unique primary key (nulls are errors) and a one-field foreign key: the (row, field, type) of
each error energy-ties reports on the benchmark packages. polars reads the CSV (its fast, threaded
reader); ragged rows are found by counting delimiters on each line (the benchmark data quotes
nothing). Prints {"errors": N} or, with --errors, the list.

    python benchmarks/peers/polars_validate.py DATAPACKAGE.json [--errors]
"""

import json
import sys

import polars as pl
from package import read

TYPES = {"integer": pl.Int64, "number": pl.Float64}
TRUE, FALSE = ["true", "True", "TRUE", "1"], ["false", "False", "FALSE", "0"]


def typed(col: pl.Expr, f: dict) -> pl.Expr:
    if f["type"] in TYPES:
        return col.cast(TYPES[f["type"]], strict=False)
    if f["type"] == "boolean":
        return pl.when(col.is_in(TRUE)).then(True).when(col.is_in(FALSE)).then(False)
    if f["type"] == "date":
        return col.str.to_date("%Y-%m-%d", strict=False)
    return col


def field_errors(f: dict, number: int, pk: list) -> list[tuple[str, int, pl.Expr]]:
    """(error type, field number, where the row breaks it), one per check of the field."""
    col, c = pl.col(f["name"]), f.get("constraints", {})
    present = col.is_not_null() & (col != "")
    value = typed(col, f)
    ok = present & value.is_not_null()
    checks = [("type-error", present & value.is_null())]
    if c.get("required") or f["name"] in pk:
        checks.append(("constraint-error", col.is_not_null() & (col == "")))
    if "pattern" in c:
        checks.append(("constraint-error", ok & ~col.str.contains(f"^(?:{c['pattern']})$")))
    if "enum" in c:
        checks.append(("constraint-error", ok & ~col.is_in(c["enum"])))
    if "minLength" in c:
        checks.append(("constraint-error", ok & (col.str.len_chars() < c["minLength"])))
    if "maxLength" in c:
        checks.append(("constraint-error", ok & (col.str.len_chars() > c["maxLength"])))
    bound = (lambda x: pl.lit(x).str.to_date()) if f["type"] == "date" else pl.lit
    for key, test in [("minimum", "lt"), ("maximum", "gt"), ("exclusiveMinimum", "le"), ("exclusiveMaximum", "ge")]:
        if key in c:
            checks.append(("constraint-error", ok & getattr(value, test)(bound(c[key]))))
    return [(kind, number, bad.fill_null(False)) for kind, bad in checks]


def main() -> None:
    folder, items, parent, fields, pk, fk = read(sys.argv[1])
    width = len(fields)
    path = folder / items["path"]
    lines = pl.scan_csv(
        path, has_header=False, skip_rows=1, separator="\x1f", quote_char=None, schema={"line": pl.String}
    )
    counts = lines.select((pl.col("line").str.count_matches(",", literal=True) + 1).alias("n")).collect()
    df = pl.read_csv(path, infer_schema=False, truncate_ragged_lines=True).with_columns(
        (pl.int_range(pl.len()) + 2).alias("row"), counts["n"]
    )
    # an absent cell (a short row) is null; an empty one ""
    df = df.with_columns(
        pl.when(pl.col("n") > i).then(pl.col(f["name"]).fill_null("")).alias(f["name"]) for i, f in enumerate(fields)
    )
    codes = pl.read_csv(folder / parent["path"], infer_schema=False)[fk["reference"]["fields"][0]]
    key = typed(pl.col(pk[0]), fields[[f["name"] for f in fields].index(pk[0])])
    lazy = df.lazy()
    found = [
        lazy.filter(bad).select("row", pl.lit(number, pl.Int64).alias("field"), pl.lit(kind).alias("type"))
        for i, f in enumerate(fields)
        for kind, number, bad in field_errors(f, i + 1, pk)
    ]
    out = pl.concat(found).collect()  # the checks run in parallel
    ragged = df.filter(pl.col("n") != width).select("row", "n")
    missing = (
        ragged.filter(pl.col("n") < width)
        .with_columns(pl.int_ranges(pl.col("n") + 1, width + 1).alias("field"))
        .explode("field")  # never empty: the filter keeps rows with fields to name
    )
    extra = (
        ragged.filter(pl.col("n") > width)
        .with_columns(pl.int_ranges(width + 1, pl.col("n") + 1).alias("field"))
        .explode("field")  # never empty: the filter keeps rows with fields to name
    )
    keys = df.select("row", key.alias("k"))
    pkerr = keys.filter(pl.col("k").is_null() | ~pl.col("k").is_first_distinct())
    fkcol = pl.col(fk["fields"][0])
    fkerr = df.filter(fkcol.is_not_null() & (fkcol != "") & ~fkcol.is_in(codes.implode()))
    errors = pl.concat(
        [
            out,
            missing.select("row", "field", pl.lit("missing-cell").alias("type")),
            extra.select("row", "field", pl.lit("extra-cell").alias("type")),
            pkerr.select("row", pl.lit(None, pl.Int64).alias("field"), pl.lit("primary-key").alias("type")),
            fkerr.select("row", pl.lit(None, pl.Int64).alias("field"), pl.lit("foreign-key").alias("type")),
        ]
    ).sort("row", "field", nulls_last=True)
    if "--errors" in sys.argv:
        print(json.dumps([[items["name"], *r] for r in errors.rows()]))
    else:
        print(json.dumps({"errors": errors.height}))


if __name__ == "__main__":
    main()
