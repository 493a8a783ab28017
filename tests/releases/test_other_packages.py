"""The release tools on another package than energy-ties: its version numbers name its own releases (its
releases/index.json, a URL its descriptor names, or a base URL serving its index), check-release defaults to
its latest release and reads git revisions, and validate defaults to ./datapackage.json."""

from __future__ import annotations

import json
import shutil

import pytest

from helpers.cli import run
from helpers.gitpkg import COUNTS_1_1, NAME, bird_counts, git, write_version
from helpers.server import Server


@pytest.fixture(scope="module")
def released(tmp_path_factory):
    """bird-counts with two tagged releases; tests that change it work on a copy (see ``repo``)."""
    return bird_counts(tmp_path_factory.mktemp("released") / NAME)


@pytest.fixture
def repo(released, tmp_path):
    copy = tmp_path / NAME
    shutil.copytree(released, copy, symlinks=True)
    return copy


@pytest.fixture
def served(released, tmp_path, monkeypatch):
    """bird-counts' releases/ served from 127.0.0.1."""
    for var in ("ENERGY_TIES_BASE_URL", "ENERGY_TIES_CACHE", "ENERGY_TIES_OFFLINE", "ENERGY_TIES_TIMEOUT"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    s = Server(shutil.copytree(released / "releases", tmp_path / "served"))
    yield s
    s.stop()


def test_validate_checks_the_package_in_the_current_folder(released, tmp_path):
    r = run("validate", cwd=released)
    assert r.returncode == 0 and r.stdout.startswith("valid: datapackage.json (version 1.1.0;"), r.stderr
    r = run("validate", cwd=tmp_path)  # no package here: say so, never validate ours instead
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr == (
        "energy-ties validate: error: no datapackage.json in the current folder: give PATH (a descriptor, a "
        "folder or a .zip), or --bundled for the package shipped with energy-ties\n"
    )
    r = run("validate", "--bundled", cwd=tmp_path)
    assert r.returncode == 0 and "valid: " in r.stdout and "energy-ties" not in r.stderr
    assert run("validate", released, "--bundled").returncode == 2


def test_check_release_defaults_to_the_latest_release_of_the_package_itself(repo):
    r = run("check-release", cwd=repo)
    assert (r.returncode, r.stdout) == (0, "1.1.0 -> 1.1.0: none bump; the changes need none\nrelease ok\n"), r.stderr
    counts = [row[:4] + ["recounted"] if row[0] == "3" else row for row in COUNTS_1_1]
    write_version(repo, "1.1.0", counts, {"1.1.0": ("2026-02-10", "A count added.")})
    r = run("check-release", repo)
    assert r.returncode == 1
    assert r.stdout.splitlines()[0] == "1.1.0 -> 1.1.0: none bump; the changes need patch"
    assert "refused: the package changed since 1.1.0 but its version did not" in r.stdout


@pytest.mark.parametrize("against", ["1.0.0", "v1.0.0", "git:v1.0.0", "git:HEAD~1", "releases/bird-counts-1.0.0.zip"])
def test_check_release_against_a_version_a_tag_or_a_revision(repo, against):
    before = git(repo, "status", "--porcelain", "--ignored")
    r = run("check-release", "--against", against, cwd=repo)
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.splitlines() == [
        "1.0.0 -> 1.1.0: minor bump; the changes need minor",
        "  minor  rows-added counts: 1 row",
        "release ok",
    ]
    assert git(repo, "status", "--porcelain", "--ignored") == before  # the work tree is untouched


def test_a_git_revision_outside_a_repository_or_unknown_is_one_line(repo, tmp_path):
    shutil.rmtree(repo / ".git")
    r = run("check-release", repo, "--against", "git:HEAD~1")
    assert (r.returncode, r.stdout) == (2, "")
    assert (
        r.stderr == f"energy-ties check-release: error: {repo}: not in a git repository, so git:HEAD~1 names nothing\n"
    )


def test_an_unknown_revision_is_one_line(repo):
    r = run("check-release", repo, "--against", "git:v9.9.9")
    assert (r.returncode, r.stdout) == (2, "")
    assert r.stderr.startswith("energy-ties check-release: error: git:v9.9.9: no such revision in ")
    assert r.stderr.count("\n") == 1


def test_a_package_without_releases_has_nothing_to_compare_and_no_version_means_none_of_its(repo):
    shutil.rmtree(repo / "releases")
    r = run("check-release", repo)
    assert r.returncode == 0
    assert r.stdout.startswith("no earlier release of 'bird-counts' is published: nothing to compare against\n")
    r = run("check-release", repo, "--against", "1.0.0")
    assert r.returncode == 2 and "names no 'releases' URL, so a version number names none of its releases" in r.stderr
    assert "energy-ties" not in r.stderr.removeprefix("energy-ties check-release: error: ")


def test_versions_and_download_from_the_package_own_index_over_http(released, served, tmp_path):
    cache = tmp_path / "cache"
    options = ["--base-url", served.url, "--cache", cache]
    r = run("versions", "--package", released, "--json", *options)
    assert r.returncode == 0, r.stderr
    listed = json.loads(r.stdout)
    assert (listed["package"], listed["index"]) == (NAME, f"{served.url}index.json")
    assert [(x["version"], x["latest"], x["cached"]) for x in listed["releases"]] == [
        ("1.0.0", False, False),
        ("1.1.0", True, False),
    ]
    r = run("download", "v1.0.0", "--package", NAME, *options)  # a name will do, with the base URL
    assert r.returncode == 0, r.stderr
    folder = cache / "packages" / NAME / "releases" / "1.0.0"
    assert r.stdout == f"{folder}\n"
    assert json.loads((folder / "datapackage.json").read_text())["version"] == "1.0.0"
    again = json.loads(run("versions", "--package", released, "--json", *options, "--offline").stdout)
    assert [x["cached"] for x in again["releases"]] == [True, False]
    assert not (cache / "releases").exists()  # energy-ties' part of the cache is not where bird-counts goes


def test_an_index_of_another_package_is_refused_for_this_one(released, served, tmp_path):
    r = run("download", "1.1.0", "--base-url", served.url, "--cache", tmp_path / "cache")  # energy-ties by default
    refused = f"{served.url}index.json: is the index of 'bird-counts', not of 'energy-ties'; it was not kept\n"
    assert (r.returncode, r.stderr) == (2, f"energy-ties download: error: {refused}")


def test_the_descriptor_names_where_its_releases_are(repo, served, tmp_path, monkeypatch):
    monkeypatch.setenv("ENERGY_TIES_CACHE", str(tmp_path / "cache"))
    shutil.rmtree(repo / "releases")
    descriptor = json.loads((repo / "datapackage.json").read_text())
    (repo / "datapackage.json").write_text(json.dumps(descriptor | {"releases": served.url}))
    r = run("check-release", repo)  # the latest there is 1.1.0, and naming the URL is a change of metadata
    assert r.returncode == 1, r.stderr
    assert r.stdout.splitlines()[:2] == [
        "1.1.0 -> 1.1.0: none bump; the changes need patch",
        "  patch  metadata-changed: package releases added",
    ]
    r = run("check-release", repo, "--against", "1.0.0")
    assert r.returncode == 0 and r.stdout.startswith("1.0.0 -> 1.1.0: minor bump"), r.stderr
    assert served.log == ["index.json", "bird-counts-1.1.0.zip", "index.json", "bird-counts-1.0.0.zip"]


def test_build_release_and_its_check_work_for_another_package(repo):
    r = run("build-release", repo, "--check")
    assert r.returncode == 0, r.stdout
    index = json.loads((repo / "releases" / "index.json").read_text())
    assert index["name"] == NAME and [x["file"] for x in index["releases"]] == [
        "bird-counts-1.0.0.zip",
        "bird-counts-1.1.0.zip",
    ]


def test_versions_json_follows_its_schema_and_cache_lists_and_clears(released, served, tmp_path):
    import jsonschema

    from helpers import ROOT

    cache = tmp_path / "cache"
    options = ["--package", released, "--base-url", served.url, "--cache", cache]
    assert run("download", "1.1.0", *options).returncode == 0
    listed = json.loads(run("versions", "--json", *options).stdout)
    schema = json.loads((ROOT / "src" / "energy_ties" / "schemas" / "versions.json").read_text())
    jsonschema.validate(listed, schema, format_checker=jsonschema.FormatChecker())
    (cache / "mine.txt").write_text("not the library's")
    r = run("cache", "--cache", cache)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[:2] == [f"cache {cache}", "package\tversion\tunpacked\tbytes"]
    assert [line.split("\t")[:3] for line in lines[2:]] == [[NAME, "1.1.0", "yes"]]
    r = run("cache", "--clear", "--cache", cache)
    assert r.returncode == 0 and r.stdout.startswith(f"cleared {cache}: ")
    assert sorted(p.name for p in cache.iterdir()) == ["mine.txt"]  # only what the library keeps is removed
    assert run("cache", "--cache", cache).stdout.splitlines()[2:] == []
