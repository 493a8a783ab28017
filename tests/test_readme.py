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
    # load(version="1.0.0") gives the old data: the tables of the 1.0.0 archive, whatever the current release
    old = energy_ties.load(path=ROOT / "releases" / "energy-ties-1.0.0.zip")
    assert list(namespace["tables"]) == list(old) and "dates" not in old
    for name, frame in old.items():
        assert namespace["tables"][name].equals(frame), name
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
    assert re.fullmatch(r"[0-9a-f]{40}", ref), f"{ref}: pin the action to a commit, not a branch"
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: the pinned commit cannot be looked up")
    found = subprocess.run(["git", "-C", ROOT, "cat-file", "-e", f"{ref}:action.yml"], capture_output=True)
    assert found.returncode == 0, f"{ref} is not a commit of this repository holding action.yml"
    shown = subprocess.run(["git", "-C", ROOT, "show", f"{ref}:pyproject.toml"], capture_output=True, text=True)
    version = re.search(r'^version = "([^"]+)"', shown.stdout, re.M).group(1)
    assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"{ref} is not a library release (version {version})"
    assert f"## [{version}]" in (ROOT / "CHANGELOG-library.md").read_text(), version


def test_every_pin_a_user_copies_exists():
    """README, the pre-commit hook and the changelogs pin commits and release archives that exist: no tags
    (the repository has none)."""
    import shutil
    import subprocess

    names = ("README.md", ".pre-commit-hooks.yaml", "CHANGELOG.md", "CHANGELOG-library.md")
    text = "\n".join((ROOT / name).read_text() for name in names)
    assert "releases/tag/" not in text and not re.search(r"rev: v\d", text) and "compare/v" not in text
    archives = set(re.findall(r"releases/(energy-ties-[0-9][^/\s)`]*\.zip)", text))
    assert archives and all((ROOT / "releases" / a).is_file() for a in archives), archives
    commits = set(re.findall(r"(?<![0-9a-f])[0-9a-f]{40}(?![0-9a-f])", text))
    assert commits
    git = shutil.which("git")
    probe = [git, "-C", str(ROOT), "rev-parse", "--is-shallow-repository"] if git else None
    if probe is None or subprocess.run(probe, capture_output=True, text=True).stdout.strip() != "false":
        pytest.skip("no full git history to look the pinned commits up in")
    for sha in commits:
        found = subprocess.run([git, "-C", str(ROOT), "cat-file", "-e", f"{sha}^{{commit}}"], capture_output=True)
        assert found.returncode == 0, f"{sha} is not a commit of this repository"


def _section(title: str) -> str:
    return (ROOT / "README.md").read_text().split(f"## {title}\n")[1].split("\n## ")[0]


def test_the_views_examples_run_and_answer_their_questions():
    namespace: dict = {}
    exec(re.search(r"```python\n(.+?)```", _section("Questions in one call: the views"), re.S).group(1), namespace)
    assert len(namespace["mx_jm"]) >= 3 and namespace["mx_jm"]["countries"].str.contains("Mexico").all()
    assert list(namespace["t"]["sort_key"]) == sorted(namespace["t"]["sort_key"])
    assert set(namespace["d"]["aspect"]) >= {"status"}
    for name in ("events", "claims", "timeline", "quotes", "network", "disagreements"):
        assert f"`{name}()`" in _section("Questions in one call: the views")


def test_the_notebook_and_export_examples_run(tmp_path):
    section = _section("In notebooks, databases and spreadsheets")
    namespace: dict = {}
    exec(re.search(r"```python\n(.+?)```", section, re.S).group(1), namespace)
    assert namespace["events"].attrs["title"] == "Events" and "claims" in namespace["arrow"]
    for line in re.search(r"```sh\n(.+?)```", section, re.S).group(1).splitlines():
        args = line.split("#")[0].split()
        if args[0] == "datasette":  # started in-process by tests/exports/test_exports.py
            continue
        assert run(*args[1:], cwd=tmp_path).returncode == 0, line
    assert (tmp_path / "energy-ties.metadata.json").is_file() and (tmp_path / "energy-ties-parquet").is_dir()


def test_the_readme_shows_both_pictures():
    for name in ("timeline.svg", "network.svg"):
        assert f"(pictures/{name})" in _section("Pictures") and (ROOT / "pictures" / name).is_file()
