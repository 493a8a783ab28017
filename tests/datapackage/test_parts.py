"""Each part of a descriptor is checked before anything reads it; the profile patches, each with its reason."""

from __future__ import annotations

import json

import pytest

from energy_ties import load, validate
from energy_ties.datapackage.profiles import part_errors, patched_profile, profile
from energy_ties.errors import PackageReadError

V2 = "https://datapackage.org/profiles/2.0/datapackage.json"
INT = {"fields": [{"name": "id", "type": "integer"}, {"name": "name"}]}


def write(folder, resource: dict, csv: str = "id,name\n1,a\n", **package) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "t.csv").write_text(csv, encoding="utf-8")
    descriptor = {"$schema": V2, "name": "p", **package, "resources": [{"name": "t", "path": "t.csv", **resource}]}
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    return str(folder / "datapackage.json")


def found(path) -> list[tuple]:
    return [(e.type, e.row) for e in validate(path, profile="none").errors]


def test_fields_match_is_a_string_though_the_published_profile_types_it_as_an_array():
    # Table Schema v2: "A Table Schema descriptor `MAY` contain a property `fieldsMatch` that `MUST` be a string";
    # the published profile says {"type": "array", "item": ...}: a bug of the profile, patched as for `list`
    assert profile("tableschema")["properties"]["fieldsMatch"]["type"] == "array"
    assert patched_profile("tableschema")["properties"]["fieldsMatch"]["type"] == "string"
    assert part_errors("schema", {**INT, "fieldsMatch": "subset"}) == []
    assert part_errors("schema", {**INT, "fieldsMatch": ["subset"]}) != []


def test_a_dialect_may_be_a_path_though_the_published_profile_types_it_as_an_object(tmp_path):
    # Data Resource v2: "the `dialect` property `MUST` be a Table Dialect descriptor in a form of an object or
    # URL-or-Path"; the published profile says "type": "object"
    assert profile("dataresource")["properties"]["dialect"]["type"] == "object"
    path = write(tmp_path, {"schema": INT, "dialect": "dialect.json"}, "id;name\n1;a\nx;b\n")
    (tmp_path / "dialect.json").write_text('{"delimiter": ";"}', encoding="utf-8")
    assert found(path) == [("type-error", 3)]


def test_a_part_of_the_wrong_type_is_its_own_error_and_the_table_is_not_read(tmp_path):
    path = write(tmp_path, {"schema": {"fields": [{"name": "id", "type": "boolean", "trueValues": "yes"}]}}, "x\n")
    assert found(path) == [("field-error", None)]
    with pytest.raises(PackageReadError, match="trueValues"):
        load("t", path=path)


def test_load_refuses_hexadecimal_integers_instead_of_reading_them_wrong(tmp_path):
    # Arrow's cast reads "0x10" as 16 and "0xFFFFFFFFFFFFFFFF" as -1; frictionless (Python's int) refuses them
    path = write(tmp_path, {"schema": INT}, "id,name\n0xFFFFFFFFFFFFFFFF,a\n")
    with pytest.raises(PackageReadError, match="row 2, field 'id'"):
        load("t", path=path)
    assert found(path) == [("type-error", 2)]


@pytest.mark.parametrize(("created", "valid"), [("1985-04-12T23:20:50.52Z", True), ("2024-01-01", False)])
def test_created_is_an_rfc3339_date_time(tmp_path, created, valid):
    # jsonschema checks "date-time" only with rfc3339-validator installed: a dependency, so it is always checked
    assert (found(write(tmp_path, {"schema": INT}, created=created)) == []) is valid


def test_no_schema_property_means_the_1_0_profile_and_its_lower_case_names(tmp_path):
    # Data Package v2: "The default value is `https://datapackage.org/profiles/1.0/datapackage.json`"
    path = write(tmp_path, {"schema": INT})
    descriptor = json.loads((tmp_path / "datapackage.json").read_text())
    descriptor["resources"][0]["name"] = "T"
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor))
    assert found(path) == []
    del descriptor["$schema"]
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor))
    assert found(path) == [("resource-error", None)]


def test_a_v0_url_is_read_as_the_path(tmp_path):
    path = write(tmp_path, {"schema": INT}, "id,name\nx,a\n")
    descriptor = json.loads((tmp_path / "datapackage.json").read_text())
    descriptor["resources"][0]["url"] = descriptor["resources"][0].pop("path")
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor))
    assert found(path) == [("type-error", 2)]


def test_bytes_and_hash_are_compared_with_the_file_and_reported_last(tmp_path):
    path = write(tmp_path, {"schema": INT, "bytes": 3, "hash": "md5:" + "0" * 32}, "id,name\nx,a\n")
    assert found(path) == [("type-error", 2), ("hash-count", None), ("byte-count", None)]
