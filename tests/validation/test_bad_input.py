"""Bad tables and schemas: each is an error in the report (exit 1), named by resource, row and field.

Run through the command line (in-process), as a user meets them: never a traceback.
"""

from __future__ import annotations

import json

import pytest

from helpers import write_package
from helpers.cli import run

INT = {"fields": [{"name": "id", "type": "integer"}, {"name": "text", "type": "string"}]}


def validate_cli(*args):
    r = run("validate", *args)
    assert "Traceback" not in r.stderr + r.stdout
    return r


def errors(r) -> list[tuple]:
    report = json.loads(r.stdout)
    return [(e["type"], e["resource"], e["row"], e["field"]) for e in report["errors"]]


def test_unknown_resource_in_a_foreign_key(tmp_path):
    schema = {**INT, "foreignKeys": [{"fields": ["id"], "reference": {"resource": "ghost", "fields": ["id"]}}]}
    path = write_package(tmp_path, {"t": (schema, "id,text\n1,a\n")})
    r = validate_cli("--json", path)
    assert r.returncode == 1
    assert errors(r) == [("resource-error", "t", None, "id")]  # as frictionless names it
    assert "references unknown resource 'ghost'" in json.loads(r.stdout)["errors"][0]["message"]


def test_non_utf8_bytes_name_their_row(tmp_path):
    path = write_package(tmp_path, {"t": (INT, b"id,text\n1,a\n2,\xff\xfe\n")})
    r = validate_cli("--json", path)
    assert r.returncode == 1 and errors(r) == [("encoding-error", "t", 3, None)]


@pytest.mark.parametrize(
    "data",
    [
        "\ufeffid,text\n1,a\n",  # a byte order mark
        "id,text\r\n1,a\r\n2,b\r\n",  # CRLF line ends
        'id,text\n1,"two\nlines"\n2,"and\r\nthree"\n',  # quoted line breaks
        "id,text\n",  # a header and no rows
    ],
)
def test_valid_oddities(tmp_path, data):
    path = write_package(tmp_path, {"t": (INT, data)})
    r = validate_cli(path)
    assert r.returncode == 0, r.stdout + r.stderr


def test_row_numbers_count_records_not_lines(tmp_path):
    path = write_package(tmp_path, {"t": (INT, 'id,text\n1,"a\nb\nc"\nx,d\n')})
    r = validate_cli("--json", path)
    assert errors(r) == [("type-error", "t", 3, "id")]


def test_a_10_mb_cell(tmp_path):
    big = "x" * (10 * 1024 * 1024)
    path = write_package(tmp_path, {"t": (INT, f"id,text\n1,{big}\nbad,b\n")})
    r = validate_cli("--json", path)
    assert r.returncode == 1 and errors(r) == [("type-error", "t", 3, "id")]


def test_an_empty_file(tmp_path):
    path = write_package(tmp_path, {"t": (INT, "")})
    r = validate_cli("--json", path)
    assert r.returncode == 1 and errors(r) == [("source-error", "t", None, None)]


def test_a_format_that_is_not_a_string(tmp_path):
    path = write_package(tmp_path, {"t": (INT, "id,text\n1,a\n")})
    descriptor = json.loads(path.read_text())
    descriptor["resources"][0]["format"] = 5
    path.write_text(json.dumps(descriptor))
    r = validate_cli("--json", path)
    assert r.returncode == 1, r.stdout + r.stderr
    messages = [e["message"] for e in json.loads(r.stdout)["errors"]]
    assert errors(r) == [("resource-error", "t", None, None)], messages  # one problem, one error
    assert messages == ["/resources/0/format: 5 is not of type 'string'"]
    from energy_ties import load
    from energy_ties.errors import PackageReadError

    with pytest.raises(PackageReadError, match="format: 5 is not of type 'string'"):
        load("t", path=path)


@pytest.mark.parametrize("dialect", [{"header": False}, {"headerRows": []}], ids=["header-false", "no-header-rows"])
@pytest.mark.parametrize("path", [{}, {"skipInitialSpace": True}], ids=["arrow", "python"])
@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("1,a\n2,b\n", []),
        ("1\n2,b\n", [("missing-cell", "t", 1, "text")]),
        ("1,a,z\n2,b\n", [("extra-cell", "t", 1, "")]),
    ],
)
def test_without_a_header_fields_are_taken_by_position(tmp_path, dialect, path, data, expected):
    # as frictionless reads it: no labels (so no label errors), and each row is compared with the fields
    descriptor = write_package(tmp_path, {"t": (INT, data)})
    package = json.loads(descriptor.read_text())
    package["resources"][0]["dialect"].update(dialect, **path)
    descriptor.write_text(json.dumps(package))
    r = validate_cli("--json", descriptor)
    assert errors(r) == expected
