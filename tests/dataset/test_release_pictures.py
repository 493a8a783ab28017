"""The pictures in the releases: the current release (the index's latest) carries the two pictures, byte for
byte those in pictures/ and drawn from its own data, and its README shows each; 2.0.0, made before them,
rebuilds byte for byte from its own files with today's builder (a package without pictures builds as before).
"""

from __future__ import annotations

import json
import re
import zipfile
from urllib.parse import unquote

import pytest

import energy_ties
from energy_ties.datapackage.archive import reproducible_zip
from energy_ties.dataset.profile import PICTURES
from energy_ties.releases import builder
from helpers import ROOT, zip_entries

INDEX = json.loads((ROOT / "releases" / "index.json").read_text())
LATEST = next(r for r in INDEX["releases"] if r["version"] == INDEX["latest"])
ARCHIVE = ROOT / "releases" / LATEST["file"]


def test_the_current_release_is_the_latest_and_carries_the_pictures_of_the_repository():
    assert LATEST["version"] == json.loads((ROOT / "datapackage.json").read_text())["version"]
    got = zip_entries(ARCHIVE)
    assert {n for n in got if n.startswith("pictures/")} == set(PICTURES)
    for rel in PICTURES:
        assert got[rel] == (ROOT / rel).read_bytes(), f"{rel}: not the repository's picture"


def test_the_current_release_readme_links_every_picture_it_holds():
    got = zip_entries(ARCHIVE)
    readme = got["README.md"].decode()
    links = [unquote(link) for link in re.findall(r"!\[(?:[^\]\\]|\\.)*\]\(([^)\s]+)\)", readme)]
    assert links == list(PICTURES) and all(link in got for link in links)
    for sentence in PICTURES.values():
        assert f"\n\n{sentence}\n" in readme


def test_the_released_pictures_are_what_the_release_s_own_data_draws():
    pytest.importorskip("matplotlib", reason="the plot extra draws the pictures")
    from energy_ties.views.pictures import pictures

    got = zip_entries(ARCHIVE)
    drawn = pictures(energy_ties.load(path=ARCHIVE))
    assert {f"pictures/{name}": data for name, data in drawn.items()} == {rel: got[rel] for rel in PICTURES}


def test_a_release_made_before_its_pictures_rebuilds_byte_for_byte(tmp_path):
    """2.0.0's own files (its descriptor, data, schemas and changelog) make the same archive with today's
    builder: pictures enter a release only where the package has them."""
    entry = next(r for r in INDEX["releases"] if r["version"] == "2.0.0")
    with zipfile.ZipFile(ROOT / "releases" / entry["file"]) as zf:
        zf.extractall(tmp_path)
    assert not (tmp_path / "pictures").exists()
    _, date, entries = builder.release_files(tmp_path)
    assert date == entry["date"] and builder.sha256(reproducible_zip(entries)) == entry["sha256"]
