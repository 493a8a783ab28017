"""The command line: exit codes, one-line errors, plain output when piped."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import ROOT, write_package


def run(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "energy_ties.cli", *args], capture_output=True, text=True, cwd=cwd)


def test_info_prints_versions_resources_and_row_counts():
    r = run("info")
    assert r.returncode == 0, r.stderr
    descriptor = json.loads((ROOT / "datapackage.json").read_text())
    assert f"version {descriptor['version']}" in r.stdout
    for res in descriptor["resources"]:
        rows = sum(1 for _ in open(ROOT / res["path"], encoding="utf-8")) - 1
        assert f"{res['name']}\t{rows}\t" in r.stdout


def test_validate_exit_codes(tmp_path):
    assert run("validate").returncode == 0
    bad = write_package(tmp_path / "bad", {"t": ({"fields": [{"name": "n", "type": "integer"}]}, "n\n1\nx\n")})
    r = run("validate", str(bad))
    assert r.returncode == 1
    assert r.stdout.splitlines()[0] == "t:3:n: type-error: " + r.stdout.splitlines()[0].split(": ", 2)[2]
    missing = run("validate", str(tmp_path / "nowhere.json"))
    assert missing.returncode == 2 and missing.stderr.count("\n") == 1 and "no such file" in missing.stderr
    assert run("validate", "--limit-errors", "0").returncode == 2


def test_validate_json_report(tmp_path):
    import jsonschema

    bad = write_package(tmp_path, {"t": ({"fields": [{"name": "n", "type": "integer"}]}, "n\n1\nx\n")})
    r = run("validate", "--json", str(bad))
    report = json.loads(r.stdout)
    jsonschema.validate(report, json.loads((ROOT / "src" / "energy_ties" / "schemas" / "validation-report.json").read_text()))
    assert r.returncode == 1 and report["valid"] is False
    assert report["errors"][0] | {"message": None} == {"type": "type-error", "resource": "t", "row": 3, "field": "n",
                                                       "message": None, "field_number": 1, "cell": "x",
                                                       "constraint": None}


def test_schemas_and_docs_are_current():
    assert run("schemas").returncode == 0
    assert run("docs").returncode == 0


def test_bad_json_is_one_line_and_exit_2(tmp_path):
    (tmp_path / "datapackage.json").write_text("{not json")
    r = run("validate", str(tmp_path))
    assert r.returncode == 2
    assert r.stderr.strip().count("\n") == 0 and "not valid JSON (line 1, column 2" in r.stderr
    assert "Traceback" not in r.stderr


def test_schemas_write_stays_inside_the_package(tmp_path):
    # a Table Schema file at the package root has no schemas/rows/ beside it: nothing to check or write,
    # and above all nothing written to ../rows/ outside the package folder (here named "tables", too)
    for folder in (tmp_path / "pkg", tmp_path / "tables"):
        path = write_package(folder, {"t": ({"fields": [{"name": "n", "type": "integer"}]}, "n\n1\n")})
        descriptor = json.loads(path.read_text())
        (folder / "t.json").write_text(json.dumps(descriptor["resources"][0]["schema"]))
        descriptor["resources"][0]["schema"] = "t.json"
        path.write_text(json.dumps(descriptor))
        for args in (["schemas", str(path)], ["schemas", "--write", str(path)]):
            r = run(*args)
            assert r.returncode == 0 and r.stdout.strip() == "row JSON Schemas are current", r.stdout + r.stderr
        assert not (tmp_path / "rows").exists()
        assert run("validate", str(path)).returncode == 0
