"""The README: its two commands are the ones CI runs, its data dictionary is current, its examples run."""

from __future__ import annotations

import json
import re
import subprocess

import pytest
import yaml

import energy_ties
from energy_ties.datapackage.dictionary import update_readme
from helpers import ROOT, files, zip_entries
from helpers.cli import run


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text()
    return re.findall(r"```sh\n(.+?)\n```", text.split("## What the data is")[0])


def test_readme_opens_with_exactly_two_commands():
    commands = readme_commands()
    assert len(commands) == 2
    assert "energy-ties" in commands[0] and "pytest" in commands[1]


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    assert readme_commands()[1] in ci


def test_data_dictionary_is_current():
    assert update_readme(ROOT / "README.md", ROOT / "datapackage.json", write=False) is False


def test_the_readme_examples_run(server, cache, tmp_path, monkeypatch):
    """The Python and shell examples of "Releases and downloads", against a local release server."""
    section = (ROOT / "README.md").read_text().split("## Releases and downloads\n")[1].split("\n## ")[0]
    monkeypatch.setenv("ENERGY_TIES_BASE_URL", server.url)
    monkeypatch.setenv("ENERGY_TIES_CACHE", str(cache))
    namespace: dict = {}
    exec(re.search(r"```python\n(.+?)```", section, re.S).group(1), namespace)
    latest = json.loads((server.root / "index.json").read_text())["latest"]
    assert namespace["folder"] == cache / "releases" / "1.0.0" and namespace["latest"] == cache / "releases" / latest
    assert list(namespace["tables"]) == list(energy_ties.load())
    for line in re.search(r"```sh\n(.+?)```", section, re.S).group(1).splitlines():
        args = line.split("#")[0].split()
        assert args[0] == "energy-ties"
        r = run(*args[1:], cwd=tmp_path)  # the command line in-process: tests/cli/test_entry_points.py runs the script
        assert r.returncode == 0, (line, r.stderr)
    first = zip_entries(ROOT / "releases" / "energy-ties-1.0.0.zip")
    assert files(tmp_path / "energy-ties-1.0.0") == first


def test_the_ci_section_is_a_workflow_whose_references_exist():
    """The snippet a maintainer copies: a checkout, then this repository's action at a ref that exists."""
    section = (ROOT / "README.md").read_text().split("**In CI.**")[1].split("\n## ")[0]
    steps = yaml.safe_load(re.search(r"```yaml\n(.+?)```", section, re.S).group(1))["steps"]
    assert [s["uses"].split("@")[0] for s in steps] == ["actions/checkout", "energy-ties/energy-ties"]
    assert (ROOT / "action.yml").is_file()
    ref = steps[1]["uses"].split("@")[1]
    assert "rev:" not in section  # no pre-commit snippet until a release tag exists to point it at
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: the refs cannot be listed")
    tags = subprocess.run(["git", "-C", ROOT, "tag", "-l"], capture_output=True, text=True).stdout.split()
    assert ref == "main" or ref in tags, f"{ref} is neither main nor a tag of this repository"
