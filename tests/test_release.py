"""Release archives are reproducible, hold exactly the data package, and the index keeps them honest."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT
from energy_ties.datapackage import archive
from energy_ties.releases import builder, changelog, semver
from energy_ties.releases import index as release_index
from energy_ties.files import write_bytes
from energy_ties.errors import ReleaseError

DESCRIPTOR = json.loads((ROOT / "datapackage.json").read_text())
VERSION = DESCRIPTOR["version"]
INDEX_SCHEMA = json.loads((ROOT / "src" / "energy_ties" / "schemas" / "release-index.json").read_text())


def project(folder: Path, *, releases: bool = False) -> Path:
    """A copy of the repository's data package (and, if asked, of its releases) in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for top in ("data", "schemas") + (("releases",) if releases else ()):
        shutil.copytree(ROOT / top, folder / top)
    for name in ("datapackage.json", "CHANGELOG.md"):
        shutil.copy(ROOT / name, folder / name)
    return folder


def cli(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "energy_ties.cli", *args], capture_output=True, text=True, cwd=cwd)


def entries(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def set_version(root: Path, version: str, date: str) -> None:
    """Give the package in ``root`` a new version, with a changelog section for it."""
    d = json.loads((root / "datapackage.json").read_text())
    d["version"] = version
    (root / "datapackage.json").write_text(json.dumps(d, indent=2))
    log = (root / "CHANGELOG.md").read_text()
    (root / "CHANGELOG.md").write_text(log.replace("## [Unreleased]\n", f"## [Unreleased]\n\n## [{version}] - {date}\n\n"
                                                   f"### Fixed\n\n- something in {version}.\n", 1))


# ---------------------------------------------------------------- reproducibility

def test_building_twice_in_two_places_gives_the_same_bytes(tmp_path):
    a, b = project(tmp_path / "a"), project(tmp_path / "b")
    for path in (b / "data").iterdir():  # other timestamps and permissions must not matter
        os.utime(path, (1_000_000_000, 1_000_000_000))
        path.chmod(0o600)
    ea, _ = builder.build(a)
    eb, _ = builder.build(b)
    assert ea == eb
    assert (a / "releases" / ea["file"]).read_bytes() == (b / "releases" / eb["file"]).read_bytes()
    assert sha(a / "releases" / ea["file"]) == ea["sha256"]


names = st.lists(st.text("abcxyz_-.", min_size=1, max_size=6).filter(lambda s: s not in (".", "..")),
                 min_size=1, max_size=3).map("/".join)


@settings(max_examples=40)
@given(files=st.dictionaries(names, st.binary(max_size=300), min_size=1, max_size=6), seed=st.randoms())
def test_archive_bytes_depend_only_on_names_and_contents(tmp_path_factory, files, seed):
    # a name that is also a folder of another name cannot be written to disk
    files = {n: c for n, c in files.items() if not any(o.startswith(n + "/") for o in files)}
    outs = []
    for _ in range(2):
        root = tmp_path_factory.mktemp("files")
        order = list(files)
        seed.shuffle(order)  # written in another order, with other times and modes
        for n in order:
            (root / n).parent.mkdir(parents=True, exist_ok=True)
            (root / n).write_bytes(files[n])
            os.utime(root / n, (seed.randrange(1, 2**31), seed.randrange(1, 2**31)))
            (root / n).chmod(seed.choice([0o600, 0o644, 0o755]))
        write_bytes(root / "out.zip", archive.reproducible_zip({n: (root / n).read_bytes() for n in order}))
        outs.append((root / "out.zip").read_bytes())
    assert outs[0] == outs[1]
    unpacked = tmp_path_factory.mktemp("unpacked")
    archive.unpack(root / "out.zip", unpacked)
    assert {p.relative_to(unpacked).as_posix(): p.read_bytes() for p in unpacked.rglob("*") if p.is_file()} == files


# ---------------------------------------------------------------- what an archive holds

def test_the_archive_holds_the_data_package_and_not_the_tool(tmp_path):
    root = project(tmp_path)
    entry, _ = builder.build(root)
    got = entries(root / "releases" / entry["file"])
    expected = {"datapackage.json", "README.md", "CHANGELOG.md"}
    expected |= {r["path"] for r in DESCRIPTOR["resources"]} | {r["schema"] for r in DESCRIPTOR["resources"]}
    expected |= {f"schemas/rows/{p.name}" for p in (ROOT / "schemas" / "rows").glob("*.json")}
    expected |= {"schemas/energy-ties-package.json"}
    assert set(got) == expected
    for name in expected - {"README.md", "CHANGELOG.md"}:
        assert got[name] == (ROOT / name).read_bytes(), name
    for info in zipfile.ZipFile(root / "releases" / entry["file"]).infolist():
        assert info.date_time == archive.FIXED_DATE and info.external_attr >> 16 == 0o100644


def test_a_new_tool_schema_does_not_change_the_archive(tmp_path):
    root = project(tmp_path)
    before, _ = builder.build(root)
    (root / "schemas" / "diff-report.json").write_text('{"type": "object"}\n')
    (root / "schemas" / "validation-report.json").write_text('{"changed": true}\n')
    assert builder.build(root) == (before, "unchanged")


def test_the_archive_readme_is_the_data_readme(tmp_path):
    from energy_ties.datapackage.dictionary import dictionary

    root = project(tmp_path)
    entry, _ = builder.build(root)
    readme = entries(root / "releases" / entry["file"])["README.md"].decode()
    assert readme.startswith(f"# {DESCRIPTOR['title']}\n")
    assert DESCRIPTOR["description"] in readme and f"Version {VERSION}, released {entry['date']}" in readme
    assert "CC-BY-4.0" in readme and "## How to cite" in readme and f"version {VERSION})" in readme
    assert dictionary(root / "datapackage.json") in readme
    assert "energy-ties verify-evidence" in readme
    assert readme != (ROOT / "README.md").read_text()  # not the tool's README


def test_the_archive_changelog_stops_at_its_version(tmp_path):
    root = project(tmp_path)
    log = (root / "CHANGELOG.md").read_text()
    (root / "CHANGELOG.md").write_text(log.replace("## [Unreleased]\n", "## [Unreleased]\n\n- not released yet\n"))
    entry, _ = builder.build(root)
    text = entries(root / "releases" / entry["file"])["CHANGELOG.md"].decode()
    assert "Unreleased" not in text and "not released yet" not in text
    assert text.startswith(log.split("## [")[0].rstrip() + "\n\n## [1.0.0] - ")
    assert text.endswith("\n\n[1.0.0]: https://github.com/energy-ties/energy-ties/releases/tag/v1.0.0\n")


def test_cut_changelog_keeps_earlier_versions_and_their_links_only():
    log = ("# Changelog\n\nIntro.\n\n## [Unreleased]\n\n- u\n\n## [1.10.0] - 2027-03-01\n\n- ten\n\n"
           "## [1.2.0] - 2027-02-01\n\n- two\n\n## [1.0.0] - 2026-11-22\n\n- one\n\n"
           "[Unreleased]: https://x/compare/v1.10.0...HEAD\n[1.10.0]: https://x/v1.10.0\n"
           "[1.2.0]: https://x/v1.2.0\n[1.0.0]: https://x/v1.0.0\n")
    assert changelog.cut_changelog(log, "1.2.0") == (
        "# Changelog\n\nIntro.\n\n## [1.2.0] - 2027-02-01\n\n- two\n\n## [1.0.0] - 2026-11-22\n\n- one\n\n"
        "[1.2.0]: https://x/v1.2.0\n[1.0.0]: https://x/v1.0.0\n")
    assert changelog.release_date(log, "1.10.0") == "2027-03-01"
    with pytest.raises(ReleaseError, match=r"no section for version 1\.1\.0"):
        changelog.release_date(log, "1.1.0")
    with pytest.raises(ReleaseError, match="needs a date"):
        changelog.release_date("## [2.0.0]\n", "2.0.0")


def test_semantic_version_order_is_the_specs():
    # the example of semver.org, item 11
    ordered = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2",
               "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.2.0", "1.10.0", "2.0.0"]
    assert sorted(reversed(ordered), key=semver.version_key) == ordered
    assert not semver.is_version("1.0") and not semver.is_version("01.0.0") and not semver.is_version("../1.0.0")


# ---------------------------------------------------------------- the index

def test_index_lists_versions_in_order_with_dates_sizes_and_hashes(tmp_path):
    root = project(tmp_path)
    for version, date in [("1.0.0", None), ("1.10.0", "2027-03-01"), ("1.2.0", "2027-02-01"),
                          ("2.0.0-rc.1", "2027-04-01")]:
        if date:
            set_version(root, version, date)
        builder.build(root)
    index = json.loads((root / "releases" / "index.json").read_text())
    jsonschema.validate(index, INDEX_SCHEMA)
    assert [r["version"] for r in index["releases"]] == ["1.0.0", "1.2.0", "1.10.0", "2.0.0-rc.1"]
    assert index["latest"] == "2.0.0-rc.1" and index["name"] == "energy-ties"
    assert [r["date"] for r in index["releases"]] == ["2026-11-22", "2027-02-01", "2027-03-01", "2027-04-01"]
    for r in index["releases"]:
        path = root / "releases" / r["file"]
        assert r["file"] == f"energy-ties-{r['version']}.zip"
        assert r["size"] == path.stat().st_size and r["sha256"] == sha(path)
        assert json.loads(entries(path)["datapackage.json"])["version"] == r["version"]
    assert builder.check(root) == []


def test_a_version_without_a_changelog_section_is_refused(tmp_path):
    root = project(tmp_path)
    d = json.loads((root / "datapackage.json").read_text())
    d["version"] = "1.0.1"
    (root / "datapackage.json").write_text(json.dumps(d))
    r = cli("build-release", str(root))
    assert r.returncode == 1 and r.stderr.count("\n") == 1
    assert "no section for version 1.0.1" in r.stderr and "CHANGELOG.md" in r.stderr
    assert not (root / "releases").exists()


def test_released_versions_are_immutable_unless_forced(tmp_path):
    root = project(tmp_path)
    first, _ = builder.build(root)
    index_before = (root / "releases" / "index.json").read_bytes()
    archive_before = (root / "releases" / first["file"]).read_bytes()
    r = cli("build-release", str(root))  # the same files again: nothing changes
    assert r.returncode == 0 and r.stdout.startswith("unchanged: ")
    assert (root / "releases" / "index.json").read_bytes() == index_before

    with open(root / "data" / "sources.csv", "a") as fh:  # a data change without a new version
        fh.write("\n")
    r = cli("build-release", str(root))
    assert r.returncode == 1 and r.stderr.count("\n") == 1 and "immutable" in r.stderr and VERSION in r.stderr
    assert (root / "releases" / "index.json").read_bytes() == index_before
    assert (root / "releases" / first["file"]).read_bytes() == archive_before

    r = cli("build-release", "--force", str(root))
    assert r.returncode == 0 and r.stdout.startswith("replaced: ")
    index = json.loads((root / "releases" / "index.json").read_text())
    assert index["releases"][0]["sha256"] == sha(root / "releases" / first["file"]) != first["sha256"]


def test_index_schema_refuses_what_download_must_not_trust():
    good = json.loads((ROOT / "releases" / "index.json").read_text())
    jsonschema.validate(good, INDEX_SCHEMA)
    assert release_index.index_problems(good) == []
    for path, bad in [(("releases", 0, "sha256"), "ABC"), (("releases", 0, "file"), "../energy-ties-1.0.0.zip"),
                      (("releases", 0, "version"), "1.0"), (("releases", 0, "size"), -1), (("latest",), "latest")]:
        index = json.loads(json.dumps(good))
        target = index
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = bad
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(index, INDEX_SCHEMA)
        assert release_index.index_problems(index)
    twice = dict(good, releases=good["releases"] * 2)
    assert "listed twice" in " ".join(release_index.index_problems(twice))
    other = dict(good, releases=[dict(good["releases"][0], file="energy-ties-9.9.9.zip")])
    assert "expected 'energy-ties-1.0.0.zip'" in " ".join(release_index.index_problems(other))


# ---------------------------------------------------------------- --check (CI)

def test_the_repository_releases_are_consistent():
    r = cli("build-release", "--check")
    assert r.returncode == 0, r.stdout + r.stderr
    index = json.loads((ROOT / "releases" / "index.json").read_text())
    assert VERSION in [x["version"] for x in index["releases"]]


@pytest.mark.skipif(not hasattr(os, "fchmod"), reason="POSIX file modes")
@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002])
def test_atomic_writes_get_the_mode_a_plain_open_gives(tmp_path, umask):
    old = os.umask(umask)
    try:
        write_bytes(tmp_path / "atomic", b"x")
        (tmp_path / "plain").write_bytes(b"x")
    finally:
        os.umask(old)
    assert (tmp_path / "atomic").stat().st_mode == (tmp_path / "plain").stat().st_mode
    assert (tmp_path / "atomic").read_bytes() == b"x" and sorted(p.name for p in tmp_path.iterdir()) == ["atomic", "plain"]


def test_check_catches_a_tampered_archive(tmp_path):
    root = project(tmp_path, releases=True)
    path = root / "releases" / f"energy-ties-{VERSION}.zip"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 1
    path.write_bytes(bytes(data))
    r = cli("build-release", "--check", str(root))
    assert r.returncode == 1
    assert r.stdout.splitlines()[0].startswith(f"{path}: {len(data)} bytes with SHA-256 ")


def test_check_catches_a_missing_archive_and_changed_data(tmp_path):
    root = project(tmp_path, releases=True)
    (root / "releases" / f"energy-ties-{VERSION}.zip").unlink()
    with open(root / "data" / "quotes.csv", "a") as fh:
        fh.write("\n")
    r = cli("build-release", "--check", str(root))
    assert r.returncode == 1
    lines = r.stdout.splitlines()
    assert lines[0].startswith(f"version {VERSION}: the files rebuild to SHA-256 ")
    assert lines[1] == f"{root / 'releases' / f'energy-ties-{VERSION}.zip'}: missing (version {VERSION} is in the index)"
    assert lines[2] == "2 problem(s) with the releases in " + str(root / "releases")


# ---------------------------------------------------------------- check-release

def check_release_cli(tmp_path: Path, new_version: str, *, rows: str = "n\n1\n2\n", changelog: bool = True,
                      old_version: str = "1.0.0"):
    """check-release of a small package against an earlier one (version ``old_version``, one row)."""
    from conftest import write_package

    schema = {"fields": [{"name": "n", "type": "integer"}], "primaryKey": ["n"]}
    old = write_package(tmp_path / "old", {"t": (schema, "n\n1\n")}, version=old_version)
    described = dict(schema, fields=[{"name": "n", "type": "integer", "description": "a number"}])
    new = write_package(tmp_path / "new", {"t": (described, rows)}, version=new_version, title="T")
    if changelog:
        (new.parent / "CHANGELOG.md").write_text(f"# Changelog\n\n## [{new_version}] - 2027-01-01\n\n- more.\n")
    return cli("check-release", str(new), "--against", str(old))


def test_check_release_refuses_a_bump_smaller_than_the_changes_need(tmp_path):
    r = check_release_cli(tmp_path, "1.0.1")
    assert r.returncode == 1, r.stderr
    assert r.stdout.splitlines() == [
        "1.0.0 -> 1.0.1: patch bump; the changes need minor",
        "  patch  metadata-changed: package title added",
        "  patch  metadata-changed t.n: description changed",
        "  minor  rows-added t: 1 row",
        "refused: 1.0.0 -> 1.0.1 is a patch bump, but the changes need a minor bump (rows-added t)"]


def test_check_release_accepts_a_large_enough_bump_with_a_changelog_section(tmp_path):
    r = check_release_cli(tmp_path, "1.1.0")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[0] == "1.0.0 -> 1.1.0: minor bump; the changes need minor"
    assert r.stdout.splitlines()[-1] == "release ok"


def test_check_release_refuses_an_unchanged_version_and_a_missing_changelog(tmp_path):
    r = check_release_cli(tmp_path, "1.0.0")
    assert r.returncode == 1
    assert r.stdout.splitlines()[-1] == ("refused: the package changed since 1.0.0 but its version did not: the "
                                         "changes need a minor bump (rows-added t)")
    r = check_release_cli(tmp_path / "2", "2.0.0", changelog=False)
    assert r.returncode == 1
    assert r.stdout.splitlines()[-1] == (f"refused: {tmp_path / '2' / 'new' / 'CHANGELOG.md'}: "
                                         "no CHANGELOG.md beside the descriptor")


def test_check_release_refuses_a_version_that_is_not_semantic_in_one_line(tmp_path):
    r = check_release_cli(tmp_path, "1.1.0", old_version="1.0")
    assert r.returncode == 1 and r.stdout == "" and r.stderr.count("\n") == 1
    assert "versions must be semantic versions (MAJOR.MINOR.PATCH): '1.0', '1.1.0'" in r.stderr
    assert "internal error" not in r.stderr
