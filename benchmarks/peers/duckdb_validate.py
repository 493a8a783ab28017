"""Peer: the benchmark package's checks written as DuckDB SQL, as a user could in an afternoon.

The same checks and errors as peers/polars_validate.py: types, required, pattern, enum, lengths,
bounds, missing and extra cells (DuckDB pads short rows with NULL, and an extra column catches long
ones), a unique primary key (nulls are errors) and a one-field foreign key. Row numbers follow the
file's order (one thread keeps it). Prints {"errors": N} or, with --errors, the list.

    python benchmarks/peers/duckdb_validate.py DATAPACKAGE.json [--errors]
"""

import json
import sys

import duckdb
from package import read

CAST = {"integer": "BIGINT", "number": "DOUBLE", "date": "DATE"}
BOOL = "CASE WHEN {c} IN ('true','True','TRUE','1') THEN true WHEN {c} IN ('false','False','FALSE','0') THEN false END"


def typed(c: str, f: dict) -> str:
    if f["type"] in CAST:
        return f"TRY_CAST({c} AS {CAST[f['type']]})"
    return BOOL.format(c=c) if f["type"] == "boolean" else c


def literal(v, f: dict) -> str:
    return f"DATE '{v}'" if f["type"] == "date" else repr(v)


def checks(f: dict, number: int, pk: list) -> list[str]:
    """SELECTs of (row, field, type), one per check of the field."""
    c, k = f'"{f["name"]}"', f.get("constraints", {})
    present, v = f"({c} IS NOT NULL AND {c} <> '')", f"v{number}"
    ok = f"({present} AND {v} IS NOT NULL)"
    conds = [("type-error", f"{present} AND {v} IS NULL")]
    if k.get("required") or f["name"] in pk:
        conds.append(("constraint-error", f"{c} = ''"))
    if "pattern" in k:
        conds.append(("constraint-error", f"{ok} AND NOT regexp_full_match({c}, '{k['pattern']}')"))
    if "enum" in k:
        conds.append(("constraint-error", f"{ok} AND {c} NOT IN ({', '.join(map(repr, k['enum']))})"))
    if "minLength" in k:
        conds.append(("constraint-error", f"{ok} AND length({c}) < {k['minLength']}"))
    if "maxLength" in k:
        conds.append(("constraint-error", f"{ok} AND length({c}) > {k['maxLength']}"))
    for key, op in [("minimum", "<"), ("maximum", ">"), ("exclusiveMinimum", "<="), ("exclusiveMaximum", ">=")]:
        if key in k:
            conds.append(("constraint-error", f"{ok} AND {v} {op} {literal(k[key], f)}"))
    return [f"SELECT row, {number} AS field, '{kind}' AS type FROM t WHERE {cond}" for kind, cond in conds]


def main() -> None:
    folder, items, parent, fields, pk, fk = read(sys.argv[1])
    width = len(fields)
    con = duckdb.connect()
    names = [f["name"] for f in fields] + ["_extra"]
    columns = "{" + ", ".join(f"'{n}': 'VARCHAR'" for n in names) + "}"
    source = (
        f"read_csv('{folder / items['path']}', header=false, skip=1, auto_detect=false, delim=',', "
        f"quote='\"', escape='\"', null_padding=true, nullstr='\\x01', strict_mode=false, columns={columns})"
    )
    values = ", ".join(f"{typed(chr(34) + f['name'] + chr(34), f)} AS v{i + 1}" for i, f in enumerate(fields))
    con.execute("SET preserve_insertion_order = true")
    con.execute(f"CREATE TEMP TABLE t AS SELECT row_number() OVER () + 1 AS row, *, {values} FROM {source}")
    n_cells = " + ".join(f'("{n}" IS NOT NULL)::INT' for n in names)
    selects = [s for i, f in enumerate(fields) for s in checks(f, i + 1, pk)]
    key, ref = f"v{[f['name'] for f in fields].index(pk[0]) + 1}", fk["fields"][0]
    code = fk["reference"]["fields"][0]
    selects += [
        f"SELECT row, UNNEST(range(n + 1, {width + 1})) AS field, 'missing-cell' "
        f"FROM (SELECT row, {n_cells} AS n FROM t) WHERE n < {width}",
        f"SELECT row, {width + 1}, 'extra-cell' FROM t WHERE _extra IS NOT NULL",
        f"SELECT row, NULL, 'primary-key' FROM (SELECT row, {key} AS k, "
        f"row_number() OVER (PARTITION BY {key} ORDER BY row) AS i FROM t) WHERE k IS NULL OR i > 1",
        f"SELECT row, NULL, 'foreign-key' FROM t WHERE \"{ref}\" <> '' AND \"{ref}\" NOT IN "
        f"(SELECT {code} FROM read_csv('{folder / parent['path']}', all_varchar=true))",
    ]
    query = " UNION ALL ".join(selects)
    if "--errors" in sys.argv:
        rows = con.execute(f"SELECT * FROM ({query}) ORDER BY row, field NULLS LAST").fetchall()
        print(json.dumps([[items["name"], *r] for r in rows]))
    else:
        print(json.dumps({"errors": con.execute(f"SELECT count(*) FROM ({query})").fetchone()[0]}))


if __name__ == "__main__":
    main()
