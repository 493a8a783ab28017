"""Release archives are reproducible, hold exactly the data package, and the index keeps them honest."""

from __future__ import annotations

import hashlib
import json
import os
import re
import zipfile
from pathlib import Path

import jsonschema

from energy_ties.datapackage import archive
from energy_ties.releases import builder
from energy_ties.releases.changelog import release_date
from helpers import ROOT, copy_package, zip_entries

DESCRIPTOR = json.loads((ROOT / "datapackage.json").read_text())
VERSION = DESCRIPTOR["version"]


def project(folder: Path, *, releases: bool = False) -> Path:
    """A copy of the repository's data package and changelog (and, if asked, of its releases) in ``folder``."""
    return copy_package(folder, extra=("CHANGELOG.md", "releases") if releases else ("CHANGELOG.md",))


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


INDEX_SCHEMA = json.loads((ROOT / "src" / "energy_ties" / "schemas" / "release-index.json").read_text())


def entries(path: Path) -> dict[str, bytes]:
    return zip_entries(path)


def set_version(root: Path, version: str, date: str) -> None:
    """Give the package in ``root`` a new version, with a changelog section for it."""
    d = json.loads((root / "datapackage.json").read_text())
    d["version"] = version
    (root / "datapackage.json").write_text(json.dumps(d, indent=2))
    log = (root / "CHANGELOG.md").read_text()
    (root / "CHANGELOG.md").write_text(
        log.replace(
            "## [Unreleased]\n",
            f"## [Unreleased]\n\n## [{version}] - {date}\n\n### Fixed\n\n- something in {version}.\n",
            1,
        )
    )


# ---------------------------------------------------------------- reproducibility

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


# ---------------------------------------------------------------- what an archive holds

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
    assert text.startswith(log.split("## [")[0].rstrip() + f"\n\n## [{VERSION}] - ")
    # each version links to its archive, which exists in releases/ (the repository has no tags)
    links = [line for line in text.splitlines() if re.match(r"^\[[^\]]+\]: ", line)]
    base = "https://github.com/energy-ties/energy-ties/blob/main/releases/"
    versions = [line[1:].split("]")[0] for line in links]
    assert links == [f"[{v}]: {base}energy-ties-{v}.zip" for v in versions] and VERSION in versions
    assert all((ROOT / "releases" / f"energy-ties-{v}.zip").is_file() for v in versions)


def test_the_data_changelog_holds_no_library_changes(tmp_path):
    """The library is released apart: its changelog is not packed, and the data's lists no library section."""
    root = project(tmp_path)
    (root / "CHANGELOG-library.md").write_text((ROOT / "CHANGELOG-library.md").read_text())
    entry, _ = builder.build(root)
    got = entries(root / "releases" / entry["file"])
    assert "CHANGELOG-library.md" not in got
    assert "### Library" not in got["CHANGELOG.md"].decode()
    assert "### Library" not in (ROOT / "CHANGELOG.md").read_text()


# ---------------------------------------------------------------- the index

# ---------------------------------------------------------------- the index


def test_index_lists_versions_in_order_with_dates_sizes_and_hashes(tmp_path):
    root = project(tmp_path)
    major = int(VERSION.split(".")[0])
    later = [(f"{major}.10.0", "2027-03-01"), (f"{major}.2.0", "2027-02-01"), (f"{major + 1}.0.0-rc.1", "2027-04-01")]
    for version, date in [(VERSION, None), *later]:
        if date:
            set_version(root, version, date)
        builder.build(root)
    index = json.loads((root / "releases" / "index.json").read_text())
    jsonschema.validate(index, INDEX_SCHEMA)
    current = release_date((ROOT / "CHANGELOG.md").read_text(), VERSION)
    expected = [VERSION, f"{major}.2.0", f"{major}.10.0", f"{major + 1}.0.0-rc.1"]
    assert [r["version"] for r in index["releases"]] == expected
    assert index["latest"] == f"{major + 1}.0.0-rc.1" and index["name"] == "energy-ties"
    assert [r["date"] for r in index["releases"]] == [current, "2027-02-01", "2027-03-01", "2027-04-01"]
    for r in index["releases"]:
        path = root / "releases" / r["file"]
        assert r["file"] == f"energy-ties-{r['version']}.zip"
        assert r["size"] == path.stat().st_size and r["sha256"] == sha(path)
        assert json.loads(entries(path)["datapackage.json"])["version"] == r["version"]
    assert builder.check(root) == []
