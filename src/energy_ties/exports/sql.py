"""SQLite and DuckDB: every resource a table, with its types, primary key, unique keys, foreign keys,
required fields and categories declared, and its descriptions (DuckDB comments; for SQLite, datasette's
``metadata.json``).

Each database is built in a temporary folder with the engine's own Python
module (``sqlite3``, ``duckdb``) and then written to its target through
:mod:`energy_ties.files`, atomically. Tables are created and filled in the
order their foreign keys need (referenced tables first; in DuckDB, which
checks foreign keys on insert, a table referring to itself is filled parent
rows first, so its rows may come back in another order than the file's: read
them by primary key); SQLite keeps the file's order, and its ``PRAGMA
foreign_key_check`` is clean.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

from ..datapackage.model import Package, Resource
from ..errors import PackageReadError, require_extra
from ..files import read_bytes, write_bytes, write_text
from ..loading.backends import arrow_table, plain_schema
from ..loading.frames import read_table
from ..tabular.schema import Field

_TYPES = {
    "sqlite": {"integer": "INTEGER", "year": "INTEGER", "number": "REAL", "boolean": "INTEGER", "date": "TEXT"},
    "duckdb": {"integer": "BIGINT", "year": "BIGINT", "number": "DOUBLE", "boolean": "BOOLEAN", "date": "DATE"},
}
_MAX_DATABASE = 1 << 31


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(value: Any) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def _column(f: Field, dialect: str, pk: tuple[str, ...]) -> str:
    parts = [quote(f.name), _TYPES[dialect].get(f.type, "TEXT" if dialect == "sqlite" else "VARCHAR")]
    if f.required or f.name in pk:  # SQLite lets a PRIMARY KEY column hold NULL unless told
        parts.append("NOT NULL")
    if len(pk) == 1 and f.name == pk[0]:
        parts.append("PRIMARY KEY")
    if f.type == "string" and f.controlled is not None:
        parts.append(f"CHECK ({quote(f.name)} IN ({', '.join(_literal(v) for v in f.controlled)}))")
    elif f.type == "boolean" and dialect == "sqlite":
        parts.append(f"CHECK ({quote(f.name)} IN (0, 1))")
    return " ".join(parts)


def create_table(res: Resource, dialect: str) -> str:
    """``CREATE TABLE`` for one resource: columns with types, NOT NULL and CHECKs, and the keys."""
    schema = res.schema
    assert schema is not None
    lines = [_column(f, dialect, schema.primary_key) for f in schema.fields]
    if len(schema.primary_key) > 1:
        lines.append(f"PRIMARY KEY ({', '.join(quote(k) for k in schema.primary_key)})")
    for uk in schema.unique_keys:
        lines.append(f"UNIQUE ({', '.join(quote(k) for k in uk)})")
    for fk in schema.foreign_keys:
        target = fk.resource or res.name
        lines.append(
            f"FOREIGN KEY ({', '.join(quote(k) for k in fk.fields)}) "
            f"REFERENCES {quote(target)} ({', '.join(quote(k) for k in fk.reference_fields)})"
        )
    return f"CREATE TABLE {quote(res.name)} (\n  " + ",\n  ".join(lines) + "\n)"


def ordered(pkg: Package) -> list[Resource]:
    """The tabular resources, each after those its foreign keys refer to (a cycle is an error)."""
    tables = {r.name: r for r in pkg.resources if r.schema is not None}
    done: list[Resource] = []
    visiting: set[str] = set()

    def visit(name: str) -> None:
        if any(r.name == name for r in done):
            return
        if name in visiting:
            raise PackageReadError(f"resource {name!r}: its foreign keys form a cycle; it cannot be exported")
        visiting.add(name)
        res = tables[name]
        assert res.schema is not None
        for fk in res.schema.foreign_keys:
            if fk.resource and fk.resource != name and fk.resource in tables:
                visit(fk.resource)
        visiting.discard(name)
        done.append(res)

    for name in tables:
        visit(name)
    return done


def _levels(res: Resource, frame: pd.DataFrame) -> list[pd.Index]:
    """Row positions in insertion batches: rows a self-reference points at go in an earlier batch."""
    assert res.schema is not None
    selfs = [fk for fk in res.schema.foreign_keys if not fk.resource or fk.resource == res.name]
    if not selfs:
        return [frame.index]
    left, levels = frame.index, []
    placed: set[tuple] = set()
    while len(left):
        ready = [
            i for i in left
            if all(
                any(pd.isna(frame.at[i, f]) for f in fk.fields)
                or tuple(frame.at[i, f] for f in fk.fields) in placed
                for fk in selfs
            )
        ]  # fmt: skip
        if not ready:  # a reference the data cannot satisfy: let the database report it
            ready = list(left)
        levels.append(pd.Index(ready))
        for fk in selfs:
            placed.update(tuple(frame.at[i, f] for f in fk.reference_fields) for i in ready)
        left = left.difference(ready, sort=False)
    return levels


def _sqlite_value(value: Any) -> Any:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (dt.date, list, dict)):
        return value.isoformat() if isinstance(value, dt.date) else json.dumps(value, ensure_ascii=False)
    return value.item() if hasattr(value, "item") else value


def write_sqlite(pkg: Package, out: Path, metadata: Path | None) -> None:
    """A SQLite database at ``out``; with ``metadata``, datasette's metadata.json for it."""
    import sqlite3

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "export.db"
        con = sqlite3.connect(db)
        try:
            for res in ordered(pkg):
                con.execute(create_table(res, "sqlite"))
                frame = read_table(res)
                marks = ", ".join("?" * len(frame.columns))
                rows = [[_sqlite_value(v) for v in r] for r in frame.astype(object).itertuples(index=False)]
                con.executemany(f"INSERT INTO {quote(res.name)} VALUES ({marks})", rows)  # checked afterwards
            con.commit()
        finally:
            con.close()
        write_bytes(out, read_bytes(db, limit=_MAX_DATABASE))
    if metadata is not None:
        write_text(metadata, json.dumps(datasette_metadata(pkg, out.stem), indent=2, ensure_ascii=False) + "\n")


def datasette_metadata(pkg: Package, database: str) -> dict[str, Any]:
    """datasette's metadata: the package's title, description, licence and source, and each table's title,
    description and column descriptions."""
    d = pkg.descriptor
    licence = (d.get("licenses") or [{}])[0]
    tables = {}
    for res in pkg.resources:
        if res.schema is None:
            continue
        tables[res.name] = {
            "title": res.descriptor.get("title") or res.name,
            "description": res.descriptor.get("description") or "",
            "columns": {f.name: f.description or "" for f in res.schema.fields},
        }
    return {
        "title": d.get("title") or d.get("name") or "",
        "description": d.get("description") or "",
        "license": licence.get("title") or licence.get("name") or "",
        "license_url": licence.get("path") or "",
        "source": f"{d.get('name') or 'data package'} {d.get('version') or ''}".strip(),
        "source_url": d.get("homepage") or "",
        "databases": {database: {"tables": tables}},
    }


def write_duckdb(pkg: Package, out: Path) -> None:
    """A DuckDB database at ``out``, with the constraints declared and descriptions as comments."""
    duckdb = require_extra("duckdb", "duckdb")
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "export.duckdb"
        con = duckdb.connect(str(db))
        try:
            for res in ordered(pkg):
                assert res.schema is not None
                con.execute(create_table(res, "duckdb"))
                if res.descriptor.get("description"):
                    con.execute(f"COMMENT ON TABLE {quote(res.name)} IS {_literal(res.descriptor['description'])}")
                for f in res.schema.fields:
                    if f.description:
                        con.execute(f"COMMENT ON COLUMN {quote(res.name)}.{quote(f.name)} IS {_literal(f.description)}")
                table = arrow_table(res)
                frame = table.to_pandas(types_mapper=pd.ArrowDtype)
                for level in _levels(res, frame):
                    part = table.take(list(level)).cast(plain_schema(table.schema))  # noqa: F841 (read by name in SQL)
                    con.execute(f"INSERT INTO {quote(res.name)} SELECT * FROM part")
        finally:
            con.close()
        write_bytes(out, read_bytes(db, limit=_MAX_DATABASE))
