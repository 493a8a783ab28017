"""The pictures: every event label is in the timeline, every party in the network, and they rebuild
byte for byte (the committed ones are current)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

import energy_ties
from energy_ties import views
from energy_ties.views.pictures import pictures
from helpers import ROOT
from helpers.story import write_story


def texts(svg: bytes) -> list[str]:
    return [t for el in ET.fromstring(svg).iter() for t in (el.text,) if t]


@pytest.fixture(scope="module")
def real():
    return energy_ties.load(path=ROOT / "datapackage.json")


def test_the_timeline_holds_every_event_label(real):
    shown = " ".join(texts(pictures(real)["timeline.svg"]))
    for label in real["events"]["label"]:
        assert label in shown, label


def test_the_network_names_every_party(real):
    shown = set(texts(pictures(real)["network.svg"]))
    net = views.network(real)
    assert set(net["name_a"]) | set(net["name_b"]) <= shown


def test_the_pictures_rebuild_byte_for_byte_and_are_current(real):
    first, second = pictures(real), pictures(dict(real))
    assert first == second
    for name, data in first.items():
        assert (ROOT / "pictures" / name).read_bytes() == data, f"pictures/{name}: run energy-ties pictures --write"


def test_a_hand_made_story_draws_each_event(tmp_path):
    t = energy_ties.load(path=write_story(tmp_path))
    drawn = pictures(t)
    assert all(label in " ".join(texts(drawn["timeline.svg"])) for label in t["events"]["label"])
    assert {"Pat", "Quinn"} <= set(texts(drawn["network.svg"]))
