"""energy-ties build-release and check-release: refusals in one line, --check's report, the gate's reasons."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from energy_ties.releases import builder
from helpers import ROOT, copy_package, write_package
from helpers.cli import run

DESCRIPTOR = json.loads((ROOT / "datapackage.json").read_text())
VERSION = DESCRIPTOR["version"]


def project(folder: Path, *, releases: bool = False) -> Path:
    """A copy of the repository's data package and changelog (and, if asked, of its releases) in ``folder``."""
    return copy_package(folder, extra=("CHANGELOG.md", "releases") if releases else ("CHANGELOG.md",))


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ---------------------------------------------------------------- build-release


def test_a_version_without_a_changelog_section_is_refused(tmp_path):
    root = project(tmp_path)
    d = json.loads((root / "datapackage.json").read_text())
    d["version"] = "1.0.1"
    (root / "datapackage.json").write_text(json.dumps(d))
    r = run("build-release", root)
    assert r.returncode == 1 and r.stderr.count("\n") == 1
    assert "no section for version 1.0.1" in r.stderr and "CHANGELOG.md" in r.stderr
    assert not (root / "releases").exists()


def test_released_versions_are_immutable_unless_forced(tmp_path):
    root = project(tmp_path)
    first, _ = builder.build(root)
    index_before = (root / "releases" / "index.json").read_bytes()
    archive_before = (root / "releases" / first["file"]).read_bytes()
    r = run("build-release", root)  # the same files again: nothing changes
    assert r.returncode == 0 and r.stdout.startswith("unchanged: ")
    assert (root / "releases" / "index.json").read_bytes() == index_before

    with open(root / "data" / "sources.csv", "a") as fh:  # a data change without a new version
        fh.write("\n")
    r = run("build-release", root)
    assert r.returncode == 1 and r.stderr.count("\n") == 1 and "immutable" in r.stderr and VERSION in r.stderr
    assert (root / "releases" / "index.json").read_bytes() == index_before
    assert (root / "releases" / first["file"]).read_bytes() == archive_before

    r = run("build-release", "--force", root)
    assert r.returncode == 0 and r.stdout.startswith("replaced: ")
    index = json.loads((root / "releases" / "index.json").read_text())
    assert index["releases"][0]["sha256"] == sha(root / "releases" / first["file"]) != first["sha256"]


# ---------------------------------------------------------------- --check (CI)


def test_the_repository_releases_are_consistent():
    r = run("build-release", "--check")
    assert r.returncode == 0, r.stdout + r.stderr
    index = json.loads((ROOT / "releases" / "index.json").read_text())
    assert VERSION in [x["version"] for x in index["releases"]]


def test_check_catches_a_tampered_archive(tmp_path):
    root = project(tmp_path, releases=True)
    path = root / "releases" / f"energy-ties-{VERSION}.zip"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 1
    path.write_bytes(bytes(data))
    r = run("build-release", "--check", root)
    assert r.returncode == 1
    assert r.stdout.splitlines()[0].startswith(f"{path}: {len(data)} bytes with SHA-256 ")


def test_check_catches_a_missing_archive_and_changed_data(tmp_path):
    root = project(tmp_path, releases=True)
    (root / "releases" / f"energy-ties-{VERSION}.zip").unlink()
    with open(root / "data" / "quotes.csv", "a") as fh:
        fh.write("\n")
    r = run("build-release", "--check", root)
    assert r.returncode == 1
    lines = r.stdout.splitlines()
    assert lines[0].startswith(f"version {VERSION}: the files rebuild to SHA-256 ")
    assert (
        lines[1] == f"{root / 'releases' / f'energy-ties-{VERSION}.zip'}: missing (version {VERSION} is in the index)"
    )
    assert lines[2] == "2 problem(s) with the releases in " + str(root / "releases")


# ---------------------------------------------------------------- check-release

# ---------------------------------------------------------------- check-release


def check_release_cli(
    tmp_path: Path, new_version: str, *, rows: str = "n\n1\n2\n", changelog: bool = True, old_version: str = "1.0.0"
):
    """check-release of a small package against an earlier one (version ``old_version``, one row)."""
    schema = {"fields": [{"name": "n", "type": "integer"}], "primaryKey": ["n"]}
    old = write_package(tmp_path / "old", {"t": (schema, "n\n1\n")}, version=old_version)
    described = dict(schema, fields=[{"name": "n", "type": "integer", "description": "a number"}])
    new = write_package(tmp_path / "new", {"t": (described, rows)}, version=new_version, title="T")
    if changelog:
        (new.parent / "CHANGELOG.md").write_text(f"# Changelog\n\n## [{new_version}] - 2027-01-01\n\n- more.\n")
    return run("check-release", new, "--against", old)


def test_check_release_refuses_a_bump_smaller_than_the_changes_need(tmp_path):
    r = check_release_cli(tmp_path, "1.0.1")
    assert r.returncode == 1, r.stderr
    assert r.stdout.splitlines() == [
        "1.0.0 -> 1.0.1: patch bump; the changes need minor",
        "  patch  metadata-changed: package title added",
        "  patch  metadata-changed t.n: description changed",
        "  minor  rows-added t: 1 row",
        "refused: 1.0.0 -> 1.0.1 is a patch bump, but the changes need a minor bump (rows-added t)",
    ]


def test_check_release_accepts_a_large_enough_bump_with_a_changelog_section(tmp_path):
    r = check_release_cli(tmp_path, "1.1.0")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[0] == "1.0.0 -> 1.1.0: minor bump; the changes need minor"
    assert r.stdout.splitlines()[-1] == "release ok"


def test_check_release_refuses_an_unchanged_version_and_a_missing_changelog(tmp_path):
    r = check_release_cli(tmp_path, "1.0.0")
    assert r.returncode == 1
    assert r.stdout.splitlines()[-1] == (
        "refused: the package changed since 1.0.0 but its version did not: the changes need a minor bump (rows-added t)"
    )
    r = check_release_cli(tmp_path / "2", "2.0.0", changelog=False)
    assert r.returncode == 1
    assert r.stdout.splitlines()[-1] == (
        f"refused: {tmp_path / '2' / 'new' / 'CHANGELOG.md'}: no CHANGELOG.md beside the descriptor"
    )


def test_check_release_refuses_a_version_that_is_not_semantic_in_one_line(tmp_path):
    r = check_release_cli(tmp_path, "1.1.0", old_version="1.0")
    assert r.returncode == 1 and r.stdout == "" and r.stderr.count("\n") == 1
    assert "versions must be semantic versions (MAJOR.MINOR.PATCH): '1.0', '1.1.0'" in r.stderr
    assert "internal error" not in r.stderr
