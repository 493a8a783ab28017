"""energy-ties info: versions, resources and row counts, as plain lines when piped."""

from __future__ import annotations

import json

from helpers import ROOT
from helpers.cli import run


def test_info_prints_versions_resources_row_counts_and_titles():
    r = run("info", cwd=ROOT)
    assert r.returncode == 0, r.stderr
    descriptor = json.loads((ROOT / "datapackage.json").read_text())
    assert f"version {descriptor['version']}" in r.stdout
    for res in descriptor["resources"]:
        rows = sum(1 for _ in open(ROOT / res["path"], encoding="utf-8")) - 1
        line = next(x for x in r.stdout.splitlines() if x.startswith(f"{res['name']}\t"))
        assert line.split("\t")[1] == str(rows) and line.split("\t")[-2] == res.get("title", "")


def test_info_piped_is_plain_tab_separated_lines():
    r = run("info", cwd=ROOT)
    lines = r.stdout.splitlines()
    assert lines[0].startswith("package energy-ties version ") and lines[1].startswith("descriptor ")
    descriptor = json.loads((ROOT / "datapackage.json").read_text())
    about = [f"license {x.get('title') or x.get('name')} <{x['path']}>" for x in descriptor["licenses"]]
    assert lines[2 : 2 + len(about)] == about
    assert "resource\trows\tfields\tprimary key\ttitle\tfile" in lines
    assert "\x1b" not in r.stdout and "━" not in r.stdout and "│" not in r.stdout  # no rich table, no colour
