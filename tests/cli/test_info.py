"""energy-ties info: versions, resources and row counts, as plain lines when piped."""

from __future__ import annotations

import json

from helpers import ROOT
from helpers.cli import run


def test_info_prints_versions_resources_and_row_counts():
    r = run("info", cwd=ROOT)
    assert r.returncode == 0, r.stderr
    descriptor = json.loads((ROOT / "datapackage.json").read_text())
    assert f"version {descriptor['version']}" in r.stdout
    for res in descriptor["resources"]:
        rows = sum(1 for _ in open(ROOT / res["path"], encoding="utf-8")) - 1
        assert f"{res['name']}\t{rows}\t" in r.stdout


def test_info_piped_is_plain_tab_separated_lines():
    r = run("info", cwd=ROOT)
    lines = r.stdout.splitlines()
    assert lines[0].startswith("package energy-ties version ") and lines[1].startswith("descriptor ")
    assert lines[2] == "resource\trows\tfile"
    assert "\x1b" not in r.stdout and "━" not in r.stdout and "│" not in r.stdout  # no rich table, no colour
