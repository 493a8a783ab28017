"""load() returns every resource as a typed DataFrame, read through the same reader as the validator."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import energy_ties
from energy_ties import validate
from energy_ties.errors import PackageReadError
from helpers import ROOT, copy_package, set_dialect, write_package

RESOURCES = [r["name"] for r in json.loads((ROOT / "datapackage.json").read_text())["resources"]]


def test_load_returns_every_resource_keyed_by_name():
    tables = energy_ties.load()
    assert list(tables) == RESOURCES
    for name, frame in tables.items():
        raw = (ROOT / "data" / f"{name}.csv").read_text(encoding="utf-8")
        assert len(frame) == len(pd.read_csv(ROOT / "data" / f"{name}.csv", dtype=str, keep_default_na=False))
        assert list(frame.columns) == raw.splitlines()[0].split(",")


def test_load_one_resource_is_the_same_frame_as_in_the_full_load():
    pd.testing.assert_frame_equal(energy_ties.load("events"), energy_ties.load()["events"])


def test_dtypes_follow_the_table_schema():
    evidence = energy_ties.load("evidence")
    assert str(evidence["start"].dtype) == "Int64" and str(evidence["end"].dtype) == "Int64"
    assert isinstance(evidence["resource"].dtype, pd.CategoricalDtype)
    schema = json.loads((ROOT / "schemas/tables/events.json").read_text())
    kind = next(f for f in schema["fields"] if f["name"] == "kind")
    events = energy_ties.load("events")
    assert list(events["kind"].cat.categories) == [c["value"] for c in kind["categories"]]
    assert str(energy_ties.load("claims")["quantity"].dtype) == "Float64"
    assert pd.api.types.is_string_dtype(events["label"])


def test_missing_values_load_as_missing():
    dates = energy_ties.load("dates")
    # a date known only by its anchor ('on Tuesday') has no date, and the empty cell is NA, not ""
    row = dates[dates["anchor"] == "weekday-tuesday"].iloc[0]
    assert pd.isna(row["date"]) and row["precision"] == "day"
    # a stated date has no anchor: NA in a categorical column too
    assert dates.loc[dates["basis"] == "stated", "anchor"].isna().all()


def test_unknown_resource_names_the_known_ones():
    with pytest.raises(PackageReadError, match="no resource named 'nope'.*events"):
        energy_ties.load("nope")


def test_load_another_package_by_path(tmp_path):
    copy = copy_package(tmp_path / "copy")
    assert set(energy_ties.load(path=copy)) == set(RESOURCES)


def test_a_bad_cell_is_one_error_naming_file_row_and_field(tmp_path):
    schema = {
        "fields": [{"name": "id", "type": "integer"}, {"name": "kind", "type": "string", "categories": ["a", "b"]}]
    }
    path = write_package(tmp_path, {"t": (schema, "id,kind\n1,a\n2,b\nx,a\n")})
    with pytest.raises(PackageReadError) as info:
        energy_ties.load("t", path=path)
    assert str(info.value) == "t.csv: row 4, field 'id': value is not a valid integer (default)"
    path = write_package(tmp_path / "c", {"t": (schema, "id,kind\n1,a\n2,c\n")})
    with pytest.raises(PackageReadError, match="row 3, field 'kind': 'c' is not one of its categories"):
        energy_ties.load("t", path=path)


def test_a_ragged_row_names_its_row(tmp_path):
    schema = {"fields": [{"name": "a"}, {"name": "b"}]}
    path = write_package(tmp_path, {"t": (schema, "a,b\n1,2\n3\n")})
    with pytest.raises(PackageReadError, match=r"t.csv: row 3: has 1 cells, the header has 2"):
        energy_ties.load("t", path=path)


def test_a_value_outside_an_enum_is_an_error_not_a_silent_gap(tmp_path):
    schema = {"fields": [{"name": "kind", "type": "string", "constraints": {"enum": ["a", "b"]}}]}
    path = write_package(tmp_path, {"t": (schema, "kind\na\nz\n")})
    with pytest.raises(PackageReadError, match="row 3, field 'kind': 'z' is not one of its values"):
        energy_ties.load("t", path=path)


def test_number_categories_with_fractions_load_and_refuse_as_validate_does(tmp_path):
    schema = {"fields": [{"name": "x", "type": "number", "categories": [1.5, 2]}]}
    path = write_package(tmp_path, {"t": (schema, "x\n1.5\n2\n")})
    assert validate(str(path)).valid
    assert energy_ties.load("t", path=path)["x"].tolist() == [1.5, 2.0]
    path = write_package(tmp_path / "bad", {"t": (schema, "x\n1.5\n3\n")})
    with pytest.raises(PackageReadError, match=r"^t.csv: row 3, field 'x': 3.0 is not one of its categories$"):
        energy_ties.load("t", path=path)


def test_boolean_categories_are_read_as_booleans_whatever_the_true_values(tmp_path):
    schema = {
        "fields": [
            {"name": "ok", "type": "boolean", "trueValues": ["yes"], "falseValues": ["no"], "categories": [True]}
        ]
    }
    path = write_package(tmp_path, {"t": (schema, "ok\nyes\nyes\n")})
    assert validate(str(path)).valid
    assert energy_ties.load("t", path=path)["ok"].tolist() == [True, True]
    path = write_package(tmp_path / "bad", {"t": (schema, "ok\nyes\nno\n")})
    with pytest.raises(PackageReadError, match=r"^t.csv: row 3, field 'ok': False is not one of its categories$"):
        energy_ties.load("t", path=path)


def test_a_value_outside_an_enum_is_named_by_its_record_number(tmp_path):
    # row numbers count records, comment rows included, as validate counts them
    schema = {"fields": [{"name": "kind", "type": "string", "constraints": {"enum": ["a", "b"]}}]}
    path = set_dialect(write_package(tmp_path, {"t": (schema, "kind\n# note\na\nz\n")}), commentChar="#")
    assert [e.row for e in validate(str(path)).errors] == [4]
    with pytest.raises(PackageReadError, match=r"^t.csv: row 4, field 'kind': 'z' is not one of its values$"):
        energy_ties.load("t", path=path)


@pytest.mark.parametrize(
    "dialect", [{"header": False}, {"header": False, "skipInitialSpace": True}], ids=["arrow", "python"]
)
def test_a_table_without_a_header_loads_its_fields_by_position(tmp_path, dialect):
    schema = {"fields": [{"name": "id", "type": "integer"}, {"name": "kind", "type": "string"}]}
    path = set_dialect(write_package(tmp_path, {"t": (schema, "1,a\n2,b\n")}), **dialect)
    frame = energy_ties.load("t", path=path)
    assert frame["id"].tolist() == [1, 2] and frame["kind"].tolist() == ["a", "b"]
