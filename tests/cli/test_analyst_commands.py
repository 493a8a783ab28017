"""energy-ties view, pictures and export: what the library gives, printed or written; errors in one line."""

from __future__ import annotations

import io
import json
import shutil
import sqlite3
import sys

import pandas as pd
import pytest

from energy_ties import views
from helpers import ROOT
from helpers.cli import run
from helpers.story import write_story


@pytest.mark.parametrize("name", list(views.VIEWS))
def test_view_as_csv_is_the_view(name):
    r = run("view", name, "--format", "csv")
    assert r.returncode == 0, r.stderr
    frame = pd.read_csv(io.StringIO(r.stdout), dtype=str, keep_default_na=False)
    expected = views.VIEWS[name]()
    assert list(frame.columns) == list(expected.columns) and len(frame) == len(expected)


def test_view_as_json_and_as_a_table(tmp_path):
    path = write_story(tmp_path)
    rows = json.loads(run("view", "network", str(path), "--format", "json").stdout)
    assert rows == [
        {
            "entity_a": "person:p", "name_a": "Pat", "kind_a": "person",
            "entity_b": "person:q", "name_b": "Quinn", "kind_b": "person",
            "events": 2, "event_ids": "event:meet; event:sign",
            "event_labels": "Pat meets Quinn; Signing of a memorandum",
            "roles": "visitor/host; signatory/signatory",
        }
    ]  # fmt: skip
    events = json.loads(run("view", "events", str(path), "--format", "json").stdout)
    assert events[2]["earliest"] == "2013-01-01" and events[1]["start"] is None
    table = run("view", "quotes", str(path)).stdout.splitlines()
    assert table[0].split("\t")[:3] == ["quote", "speaker", "speaker_name"] and len(table) == 2


def test_an_unknown_view_is_a_usage_error():
    r = run("view", "nope")
    assert r.returncode == 2 and "invalid choice" in r.stderr


def test_pictures_are_checked_and_rewritten(tmp_path):
    assert run("pictures", cwd=ROOT).returncode == 0
    out = tmp_path / "pics"
    r = run("pictures", ROOT / "datapackage.json", "--out", out)
    assert r.returncode == 1 and "out of date" in r.stdout
    assert run("pictures", ROOT / "datapackage.json", "--out", out, "--write").returncode == 0
    assert {p.name for p in out.iterdir()} == {"timeline.svg", "network.svg"}
    assert run("pictures", ROOT / "datapackage.json", "--out", out).returncode == 0


def test_export_sqlite_writes_the_database_and_datasettes_metadata(tmp_path):
    r = run("export", "sqlite", tmp_path / "e.db")
    assert r.returncode == 0, r.stderr
    assert "datasette" in r.stdout and (tmp_path / "e.metadata.json").is_file()
    assert sqlite3.connect(tmp_path / "e.db").execute("SELECT COUNT(*) FROM sources").fetchone() == (3,)


def test_export_without_its_extra_is_one_line_naming_it(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "duckdb", None)  # import duckdb now raises ImportError
    r = run("export", "duckdb", tmp_path / "e.duckdb")
    assert r.returncode == 2 and r.stderr.strip() == (
        "energy-ties export: error: duckdb is not installed: pip install 'energy-ties[duckdb]'"
    )
    assert not (tmp_path / "e.duckdb").exists()


def test_export_refuses_metadata_for_other_formats(tmp_path):
    r = run("export", "xlsx", tmp_path / "e.xlsx", "--metadata", tmp_path / "m.json")
    assert r.returncode == 2 and "sqlite only" in r.stderr


def test_export_parquet_into_a_folder(tmp_path):
    shutil.rmtree(tmp_path, ignore_errors=True)
    r = run("export", "parquet", tmp_path / "pq")
    assert r.returncode == 0 and len(r.stdout.splitlines()) == len(list((tmp_path / "pq").glob("*.parquet")))
