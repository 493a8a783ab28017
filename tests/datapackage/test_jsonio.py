"""YAML descriptors: read safely, to JSON's values, within bounds; their failures are one line (exit 2)."""

from __future__ import annotations

import json
import zipfile

import pytest
import yaml

import energy_ties
from energy_ties.datapackage.jsonio import MAX_YAML_NODES, parse_yaml
from energy_ties.errors import PackageReadError
from helpers import write_file
from helpers.cli import run


def test_yaml_reads_as_the_json_it_stands_for():
    text = b"name: p\ncreated: 2024-01-02T03:04:05Z\nday: 2024-01-02\nresources:\n  - {name: t, path: t.csv}\n"
    assert parse_yaml(text, "x") == {
        "name": "p",
        "created": "2024-01-02T03:04:05+00:00",
        "day": "2024-01-02",
        "resources": [{"name": "t", "path": "t.csv"}],
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (b"!!python/object/apply:os.system ['true']\n", "could not determine a constructor"),
        (b"a: [1\n", "not valid YAML \\(line 2"),
        (b"1: x\n", "the key 1 is not a string"),
        (b"a: !!binary aGk=\n", "binary values"),
        (b"[" * 5000, "nested too deeply|nesting depth"),
        (b"\xff\xfe", "not UTF-8"),
    ],
)
def test_unsafe_or_broken_yaml_is_one_line(text, message):
    with pytest.raises(PackageReadError, match=message) as info:
        parse_yaml(text, "d.yaml")
    assert "\n" not in str(info.value)


def test_aliases_that_expand_without_bound_are_refused():
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    assert 10**9 > MAX_YAML_NODES
    with pytest.raises(PackageReadError, match="expands to more than"):
        parse_yaml("\n".join(lines).encode(), "bomb.yaml")


def test_a_yaml_package_is_found_in_a_folder_and_a_zip_and_validated(tmp_path):
    descriptor = {"name": "p", "resources": [{"name": "t", "path": "t.csv", "schema": {"fields": [{"name": "id"}]}}]}
    write_file(tmp_path / "datapackage.yml", yaml.safe_dump(descriptor))
    write_file(tmp_path / "t.csv", "id,id\n1\n")
    errors = [(e.type, e.row) for e in energy_ties.validate(tmp_path).errors]
    assert errors == [("extra-label", 1), ("missing-cell", 2)]
    with zipfile.ZipFile(tmp_path / "p.zip", "w") as zf:
        zf.write(tmp_path / "datapackage.yml", "p/datapackage.yml")
        zf.write(tmp_path / "t.csv", "p/t.csv")
    assert [(e.type, e.row) for e in energy_ties.validate(tmp_path / "p.zip").errors] == errors


def test_a_broken_yaml_descriptor_exits_2_with_one_line(tmp_path):
    path = write_file(tmp_path / "datapackage.yaml", "resources: [\n")
    result = run("validate", path)
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "not valid YAML" in result.stderr


def test_a_resource_descriptor_alone_is_the_package_of_that_resource(tmp_path):
    write_file(tmp_path / "t.csv", "id\n1\n2\n")
    rd = {"name": "t", "path": "t.csv", "schema": {"fields": [{"name": "id", "type": "integer"}]}}
    path = write_file(tmp_path / "t.resource.json", json.dumps(rd))
    assert energy_ties.validate(path).valid
    assert energy_ties.load("t", path=path)["id"].tolist() == [1, 2]
