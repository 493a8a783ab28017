"""Release archives are reproducible, hold exactly the data package, and the index keeps them honest."""

from __future__ import annotations

import hashlib
import json
import os
import re
import zipfile
from pathlib import Path
from urllib.parse import unquote

import jsonschema
import pytest

from energy_ties.datapackage import archive
from energy_ties.dataset.profile import PICTURES
from energy_ties.errors import UnsafePathError
from energy_ties.releases import builder
from energy_ties.releases.changelog import release_date
from energy_ties.validation import hooks
from helpers import ROOT, copy_package, zip_entries
from helpers.gitpkg import COUNTS_1_0, write_version

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
    expected |= {"schemas/energy-ties-package.json"} | set(PICTURES)
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


#: Markdown images: ![alt](link), the alt text's brackets escaped.
IMAGE = re.compile(r"!\[((?:[^\]\\]|\\.)*)\]\(([^)\s]+)\)")


def test_the_archive_readme_shows_each_picture_it_holds_with_its_sentence(tmp_path):
    root = project(tmp_path)
    entry, _ = builder.build(root)
    got = entries(root / "releases" / entry["file"])
    readme = got["README.md"].decode()
    links = [unquote(link) for _, link in IMAGE.findall(readme)]
    assert links == list(PICTURES) and {n for n in got if n.startswith("pictures/")} == set(PICTURES)
    for rel, sentence in PICTURES.items():
        assert got[rel] == (ROOT / rel).read_bytes() and f"\n\n{sentence}\n" in readme


def test_a_package_without_its_pictures_builds_without_them(tmp_path):
    """Pictures are files the package has: a profile naming one the package lacks adds nothing."""
    root = project(tmp_path)
    (root / "pictures" / "network.svg").unlink()
    entry, _ = builder.build(root)
    got = entries(root / "releases" / entry["file"])
    assert {n for n in got if n.startswith("pictures/")} == {"pictures/timeline.svg"}
    assert [link for _, link in IMAGE.findall(got["README.md"].decode())] == ["pictures/timeline.svg"]
    for path in (root / "pictures").iterdir():
        path.unlink()
    entry, _ = builder.build(root, force=True)
    got = entries(root / "releases" / entry["file"])
    assert not any(n.startswith("pictures/") for n in got) and "## Pictures" not in got["README.md"].decode()


class PictureProfile:
    """A profile of another package naming two pictures, one it has and one it lacks."""

    name = "bird-pictures"

    def applies(self, pkg):
        return pkg.descriptor.get("name") == "bird-counts"

    def check(self, pkg, texts):
        return hooks.ProfileResult()

    def files(self, pkg):
        return []

    def pictures(self, pkg):
        return {"plots/counts by site.svg": "Counts [n] per site.", "plots/missing.svg": "Never drawn."}


def test_any_package_s_profile_names_its_pictures(tmp_path, monkeypatch):
    hooks.registered()
    monkeypatch.setitem(hooks._registered, PictureProfile.name, PictureProfile())
    write_version(tmp_path, "1.0.0", COUNTS_1_0, {"1.0.0": ("2026-01-01", "first counts")})
    (tmp_path / "plots").mkdir()
    (tmp_path / "plots" / "counts by site.svg").write_text("<svg/>")
    entry, _ = builder.build(tmp_path)
    got = entries(tmp_path / "releases" / entry["file"])
    assert got["plots/counts by site.svg"] == b"<svg/>" and "plots/missing.svg" not in got
    readme = got["README.md"].decode()
    assert IMAGE.findall(readme) == [("Counts \\[n\\] per site.", "plots/counts%20by%20site.svg")]
    assert "\n\nCounts [n] per site.\n" in readme
    (tmp_path / "plots" / "counts by site.svg").unlink()
    (tmp_path / "plots" / "counts by site.svg").symlink_to(ROOT / "pictures" / "network.svg")
    with pytest.raises(UnsafePathError, match="profile picture 'plots/counts by site.svg'"):
        builder.build(tmp_path, force=True)  # a link leading out of the package is refused, never packed


def test_a_profile_without_pictures_names_none(tmp_path, monkeypatch):
    hooks.registered()
    monkeypatch.delattr(PictureProfile, "pictures")
    monkeypatch.setitem(hooks._registered, PictureProfile.name, PictureProfile())
    write_version(tmp_path, "1.0.0", COUNTS_1_0, {"1.0.0": ("2026-01-01", "first counts")})
    assert builder.pictures(tmp_path) == {}


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
