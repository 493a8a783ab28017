"""energy-ties diff: text, JSON and Markdown, --exit-code, and one line for what cannot be read."""

from __future__ import annotations

import json

from helpers import ROOT
from helpers.cli import run
from helpers.diffpkg import write


def test_unreadable_files_exit_2_in_one_line(tmp_path):
    a = write(tmp_path / "a", {}, [])
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "datapackage.json").write_text("{")
    r = run("diff", a, tmp_path / "broken")
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "not valid JSON" in r.stderr


def test_cli_formats_and_exit_code(tmp_path):
    import jsonschema

    a = write(tmp_path / "a", {1: {"name": "x", "amount": 1.0, "day": None, "kind": "a"}}, [])
    b = write(
        tmp_path / "b",
        {
            1: {"name": "y", "amount": 1.0, "day": None, "kind": "a"},
            2: {"name": "z", "amount": None, "day": "2024-01-20", "kind": None},
        },
        [],
    )
    js = run("diff", a, b, "--format", "json")
    report = json.loads(js.stdout)
    jsonschema.validate(report, json.loads((ROOT / "src" / "energy_ties" / "schemas" / "diff.json").read_text()))
    assert report["required_bump"] == "minor"
    assert report["resources"]["items"]["rows"] == {"added": 1, "removed": 0, "modified": 1}
    assert report["resources"]["items"]["changes"][0]["row"]["day"] == "2024-01-20"
    md = run("diff", a, b, "--format", "markdown").stdout
    assert md.startswith("## [1.1.0] - ")  # the version the changes require, not the old one
    assert "### Added\n\n- `items`: 1 row (`2`)." in md
    assert run("diff", a, b).returncode == 0
    assert run("diff", a, b, "--exit-code").returncode == 1
    assert run("diff", a, a, "--exit-code").returncode == 0
