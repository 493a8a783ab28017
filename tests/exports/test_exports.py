"""Exports read back by each target's own reader equal load(), value for value, with the keys declared."""

from __future__ import annotations

import asyncio
import datetime as dt
import html
import json
import math
import sqlite3

import duckdb
import openpyxl
import pandas as pd
import pyarrow.parquet as pq
import pytest

import energy_ties
from energy_ties.datapackage.opening import open_package
from energy_ties.exports import export
from helpers.story import write_story


def plain(value):
    """One value as the formats share it: no NA, dates as dates, booleans as 0/1, numbers as floats."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (int, float)):
        return float(value)
    return value.item() if hasattr(value, "item") else value


def rows_of(frame: pd.DataFrame) -> list[list]:
    return [[plain(v) for v in r] for r in frame.astype(object).itertuples(index=False)]


@pytest.fixture(scope="module")
def tables():
    return energy_ties.load()


@pytest.fixture(scope="module")
def sqlite_db(tmp_path_factory):
    out = tmp_path_factory.mktemp("sqlite") / "energy-ties.db"
    with open_package(None) as pkg:
        export(pkg, "sqlite", out, out.with_name("energy-ties.metadata.json"))
    return out


def test_sqlite_reads_back_as_loaded_with_a_clean_foreign_key_check(sqlite_db, tables):
    con = sqlite3.connect(sqlite_db)
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    for name, frame in tables.items():
        cursor = con.execute(f'SELECT * FROM "{name}"')
        assert [d[0] for d in cursor.description] == list(frame.columns)
        assert [[plain(v) for v in r] for r in cursor.fetchall()] == rows_of(frame), name
    fks = con.execute("SELECT * FROM pragma_foreign_key_list('claims')").fetchall()
    assert {(f[2], f[3]) for f in fks} >= {("entities", "subject"), ("events", "event")}
    assert con.execute("SELECT COUNT(*) FROM pragma_index_list('evidence') WHERE origin = 'pk'").fetchone() == (1,)


def test_sqlite_refuses_a_value_outside_the_categories(sqlite_db):
    con = sqlite3.connect(sqlite_db)
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        con.execute("UPDATE events SET status = 'nonsense' WHERE rowid = 1")


def test_datasette_lists_every_table_with_its_description(sqlite_db, tables):
    from datasette.app import Datasette

    metadata = json.loads(sqlite_db.with_name("energy-ties.metadata.json").read_text())
    descriptor = json.loads(energy_ties.package_path().read_text())
    assert metadata["license"] and metadata["title"] == descriptor["title"]

    async def pages():
        ds = Datasette([str(sqlite_db)], metadata=metadata)
        listed = (await ds.client.get("/energy-ties.json")).json()
        shown = {name: (await ds.client.get(f"/energy-ties/{name}")).text for name in tables}
        return listed, shown

    listed, shown = asyncio.run(pages())
    assert {t["name"] for t in listed["tables"]} == set(tables)
    for r in descriptor["resources"]:
        assert r["description"] in html.unescape(shown[r["name"]])  # escaped as &#39; or &#x27;, or not at all


def test_duckdb_reads_back_as_loaded_with_its_constraints(tmp_path, tables):
    out = tmp_path / "energy-ties.duckdb"
    with open_package(None) as pkg:
        export(pkg, "duckdb", out)
        con = duckdb.connect(str(out), read_only=True)
        for res in pkg.resources:
            frame = tables[res.name].sort_values("id")  # a self reference is filled parents first
            got = con.execute(f'SELECT * FROM "{res.name}" ORDER BY id').fetchall()
            assert [[plain(v) for v in r] for r in got] == rows_of(frame), res.name
            kinds = [c for (c,) in con.execute(
                "SELECT constraint_type FROM duckdb_constraints() WHERE table_name = ?", [res.name]
            ).fetchall()]  # fmt: skip
            assert kinds.count("PRIMARY KEY") == 1
            assert kinds.count("FOREIGN KEY") == len(res.schema.foreign_keys)
            comment = con.execute("SELECT comment FROM duckdb_tables() WHERE table_name = ?", [res.name]).fetchone()
            assert comment == (res.descriptor["description"],)


def test_parquet_reads_back_as_loaded_with_the_schema_in_its_metadata(tmp_path, tables):
    with open_package(None) as pkg:
        written = export(pkg, "parquet", tmp_path / "parquet")
    assert [p.stem for p in written] == list(tables)
    for p in written:
        table = pq.read_table(p)
        assert rows_of(table.to_pandas()) == rows_of(tables[p.stem]), p.stem
        assert table.equals(energy_ties.load(p.stem, backend="arrow"))
        assert json.loads(table.schema.metadata[b"schema"])["primaryKey"] == ["id"]


def test_xlsx_reads_back_as_loaded_with_a_dictionary_sheet(tmp_path, tables):
    out = tmp_path / "energy-ties.xlsx"
    with open_package(None) as pkg:
        export(pkg, "xlsx", out)
    book = openpyxl.load_workbook(out, read_only=True)
    assert book.sheetnames == [*tables, "dictionary"]
    for name, frame in tables.items():
        rows = list(book[name].iter_rows(values_only=True))
        assert list(rows[0]) == list(frame.columns)
        assert [[plain(v) for v in r] for r in rows[1:]] == rows_of(frame), name
    dictionary = list(book["dictionary"].iter_rows(values_only=True))
    assert len(dictionary) - 1 == sum(len(f.columns) for f in tables.values())


def test_a_package_with_dates_and_a_self_reference_exports_to_both_databases(tmp_path):
    path = write_story(tmp_path / "story")
    with open_package(path) as pkg:
        export(pkg, "duckdb", tmp_path / "s.duckdb")
        export(pkg, "sqlite", tmp_path / "s.db")
    assert duckdb.connect(str(tmp_path / "s.duckdb")).execute("SELECT COUNT(*) FROM dates").fetchone() == (4,)
    assert sqlite3.connect(tmp_path / "s.db").execute("SELECT COUNT(*) FROM dates").fetchone() == (4,)
