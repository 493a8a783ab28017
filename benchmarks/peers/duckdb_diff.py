"""Peer: the benchmark's diff written as DuckDB SQL: rows added, removed and modified between two releases.

Rows are matched on the primary key by anti-joins and a join; a matched row is modified when any
other field IS DISTINCT FROM its old value, with the values typed as each Table Schema says.

    python benchmarks/peers/duckdb_diff.py OLD/datapackage.json NEW/datapackage.json
"""

import json
import sys
from pathlib import Path

import duckdb

TYPES = {"integer": "BIGINT", "number": "DOUBLE", "boolean": "BOOLEAN", "date": "DATE", "string": "VARCHAR"}


def source(descriptor: str) -> tuple[str, list[str], list[str]]:
    pkg = json.loads(Path(descriptor).read_text())
    items = pkg["resources"][0]
    fields = items["schema"]["fields"]
    columns = "{" + ", ".join(f"'{f['name']}': '{TYPES[f['type']]}'" for f in fields) + "}"
    path = Path(descriptor).parent / items["path"]
    sql = f"read_csv('{path}', header=true, auto_detect=false, delim=',', quote='\"', columns={columns})"
    return sql, items["schema"]["primaryKey"], [f["name"] for f in fields]


def main() -> None:
    old, key, names = source(sys.argv[1])
    new, _, _ = source(sys.argv[2])
    con = duckdb.connect()
    con.execute(f"CREATE TEMP TABLE o AS SELECT * FROM {old}")
    con.execute(f"CREATE TEMP TABLE n AS SELECT * FROM {new}")
    on = " AND ".join(f'o."{k}" IS NOT DISTINCT FROM n."{k}"' for k in key)
    differs = " OR ".join(f'o."{c}" IS DISTINCT FROM n."{c}"' for c in names if c not in key)
    removed = con.execute(f"SELECT count(*) FROM o ANTI JOIN n ON {on}").fetchone()[0]
    added = con.execute(f"SELECT count(*) FROM n ANTI JOIN o ON {on}").fetchone()[0]
    modified = con.execute(f"SELECT count(*) FROM o JOIN n ON {on} WHERE {differs}").fetchone()[0]
    print(json.dumps({"added": added, "removed": removed, "modified": modified}))


if __name__ == "__main__":
    main()
