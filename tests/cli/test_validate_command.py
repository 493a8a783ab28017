"""energy-ties validate: exit codes, one-line errors, the JSON report, plain lines when piped."""

from __future__ import annotations

import json

import jsonschema

from helpers import ROOT, write_package
from helpers.cli import run

INTEGER = {"fields": [{"name": "n", "type": "integer"}]}
TYPE_ERROR = 'Type error in the cell "x" in row "3" and field "n" at position "1": type is "integer/default"'


def test_validate_exit_codes(tmp_path):
    assert run("validate", cwd=ROOT).returncode == 0
    bad = write_package(tmp_path / "bad", {"t": (INTEGER, "n\n1\nx\n")})
    r = run("validate", bad)
    assert r.returncode == 1
    assert r.stdout.splitlines() == [f"t:3:n: type-error: {TYPE_ERROR}", f"invalid: {bad}: 1 error(s)"]
    missing = run("validate", tmp_path / "nowhere.json")
    assert missing.returncode == 2 and missing.stderr.count("\n") == 1 and "no such file" in missing.stderr
    assert run("validate", "--limit-errors", "0", cwd=ROOT).returncode == 2


def test_validate_json_report(tmp_path):
    bad = write_package(tmp_path, {"t": (INTEGER, "n\n1\nx\n")})
    r = run("validate", "--json", bad)
    report = json.loads(r.stdout)
    jsonschema.validate(
        report, json.loads((ROOT / "src" / "energy_ties" / "schemas" / "validation-report.json").read_text())
    )
    assert r.returncode == 1 and report["valid"] is False
    assert sum(report["stats"]["types"].values()) == report["stats"]["errors"]  # every error, by type
    assert report["errors"][0] | {"message": None} == {
        "type": "type-error",
        "resource": "t",
        "row": 3,
        "field": "n",
        "message": None,
        "field_number": 1,
        "cell": "x",
        "constraint": None,
    }


def test_bad_json_is_one_line_and_exit_2(tmp_path):
    (tmp_path / "datapackage.json").write_text("{not json")
    r = run("validate", tmp_path)
    assert r.returncode == 2
    assert r.stderr.strip().count("\n") == 0 and "not valid JSON (line 1, column 2" in r.stderr
    assert "Traceback" not in r.stderr


# ---------------------------------------------------------------- unreadable input: one line, exit 2


def validate_cli(*args):
    r = run("validate", *args)
    assert "Traceback" not in r.stderr + r.stdout
    return r


def test_malformed_json(tmp_path):
    (tmp_path / "datapackage.json").write_text('{"resources": [}')
    r = validate_cli(tmp_path)
    assert r.returncode == 2
    assert r.stderr.strip() == (
        f"energy-ties validate: error: {tmp_path}: datapackage.json: not valid JSON "
        "(line 1, column 16: Expecting value)"
    )


def test_missing_descriptor_and_missing_data_file(tmp_path):
    r = validate_cli(tmp_path / "nope" / "datapackage.json")
    assert r.returncode == 2 and "no such file or folder" in r.stderr
    path = write_package(tmp_path, {"t": ({"fields": [{"name": "id", "type": "integer"}]}, "id\n1\n")})
    (tmp_path / "t.csv").unlink()
    r = validate_cli("--json", path)
    report = json.loads(r.stdout)
    assert r.returncode == 1
    assert [(e["type"], e["resource"], e["row"], e["field"]) for e in report["errors"]] == [
        ("scheme-error", "t", None, None)
    ]
    assert "data file 't.csv' not found" in report["errors"][0]["message"]


def test_bad_arguments_exit_2():
    assert validate_cli("--limit-errors", "many").returncode == 2
    assert validate_cli("--profile", "strict").returncode == 2
