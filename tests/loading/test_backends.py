"""load(backend=...) gives the same values in Arrow and polars, with the Table Schema's types."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import energy_ties
from energy_ties.errors import MissingExtraError, require_extra
from helpers import write_package

SCHEMA = {
    "fields": [
        {"name": "id", "type": "integer", "description": "the row"},
        {"name": "kind", "type": "string", "categories": ["b", "a"], "description": "its kind"},
        {"name": "x", "type": "number"},
        {"name": "ok", "type": "boolean"},
        {"name": "day", "type": "date"},
        {"name": "note", "type": "string"},
    ],
    "primaryKey": ["id"],
}
CSV = "id,kind,x,ok,day,note\n1,a,1.5,true,2024-01-20,hi\n2,,,,,\n"


@pytest.fixture
def path(tmp_path):
    return write_package(tmp_path, {"t": (SCHEMA, CSV)})


def test_arrow_types_follow_the_table_schema(path):
    table = energy_ties.load("t", path=path, backend="arrow")
    assert table.schema.field("id").type == pa.int64() and table.schema.field("x").type == pa.float64()
    assert table.schema.field("ok").type == pa.bool_() and table.schema.field("day").type == pa.date32()
    kind = table.column("kind").combine_chunks()
    assert kind.dictionary.to_pylist() == ["b", "a"] and kind.to_pylist() == ["a", None]
    assert table.schema.field("kind").metadata[b"description"] == b"its kind"
    assert table.to_pylist()[0] == {
        "id": 1,
        "kind": "a",
        "x": 1.5,
        "ok": True,
        "day": dt.date(2024, 1, 20),
        "note": "hi",
    }


def test_polars_keeps_the_declared_categories_in_order(path):
    frame = energy_ties.load("t", path=path, backend="polars")
    assert frame.schema["kind"] == pl.Enum(["b", "a"]) and frame.schema["day"] == pl.Date
    assert frame.schema["id"] == pl.Int64 and frame.schema["ok"] == pl.Boolean
    assert frame.to_dicts()[1] == dict.fromkeys(["kind", "x", "ok", "day", "note"]) | {"id": 2}


def test_every_backend_holds_the_same_values_as_pandas():
    frames = energy_ties.load()
    arrow = energy_ties.load(backend="arrow")
    polars = energy_ties.load(backend="polars")
    assert list(frames) == list(arrow) == list(polars)
    for name, frame in frames.items():
        expected = frame.astype(object).where(frame.notna(), None).values.tolist()
        assert [list(r.values()) for r in arrow[name].to_pylist()] == expected, name
        assert [list(r) for r in polars[name].rows()] == expected, name


def test_an_unknown_backend_is_refused():
    with pytest.raises(ValueError, match="backend must be one of pandas, arrow, polars"):
        energy_ties.load(backend="excel")


def test_a_missing_extra_is_one_line_naming_it():
    with pytest.raises(
        MissingExtraError, match=r"^nonexistent_module is not installed: pip install 'energy-ties\[x\]'$"
    ):
        require_extra("nonexistent_module", "x")


def test_frames_carry_their_data_dictionary_in_attrs():
    events = energy_ties.load("events")
    descriptor = json.loads(energy_ties.package_path().read_text())
    res = next(r for r in descriptor["resources"] if r["name"] == "events")
    assert events.attrs["title"] == res["title"] and events.attrs["description"] == res["description"]
    assert list(events.attrs["fields"]) == list(events.columns) and all(events.attrs["fields"].values())
    assert events.attrs["categories"]["status"]["contested"]


def test_missing_values_display_one_way(path):
    frame = energy_ties.load("t", path=path)
    assert "NaN" not in frame.to_string() and frame.iloc[[1]].to_string().count("<NA>") == 5
    for name, f in energy_ties.load().items():
        assert "NaN" not in f.to_string(), name


def test_the_dictionary_is_a_dataframe_of_the_fields():
    d = energy_ties.dictionary("claims")
    schema = json.loads((energy_ties.package_path().parent / "schemas/tables/claims.json").read_text())
    assert list(d["field"]) == [f["name"] for f in schema["fields"]]
    row = d.set_index("field").loc["subject"]
    assert row.references == "entities.id" and not row.required and row.type == "string"
    assert d.set_index("field").loc["id", "primary_key"]
    assert d.set_index("field").loc["modality", "categories"].startswith("asserted; ")
    assert pd.api.types.is_bool_dtype(d["required"])
