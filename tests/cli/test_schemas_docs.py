"""energy-ties schemas and docs: the generated row schemas and the README's data dictionary are current."""

from __future__ import annotations

import json

from helpers import ROOT, write_package
from helpers.cli import run


def test_schemas_and_docs_are_current():
    assert run("schemas", cwd=ROOT).returncode == 0
    assert run("docs", cwd=ROOT).returncode == 0


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
        assert run("validate", path).returncode == 0
