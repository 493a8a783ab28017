"""The review's rules: modality is stance, roles say how an entity takes part, a title or a status is one
source's version, and every event's place reaches one country. Each rule holds on the package, and each
catches the fault it is for in a copy of it."""

from __future__ import annotations

import pytest

from energy_ties.dataset.claims import countries
from helpers import TEXTS, copy_package
from helpers.tables import edit, error_types

needs_texts = pytest.mark.skipif(not TEXTS.is_dir(), reason="../shared/sources is not present")


@pytest.fixture
def copy(tmp_path):
    return copy_package(tmp_path / "pkg")


def change(rid, **values):
    """An edit that sets ``values`` in the row ``rid``."""

    def apply(rows):
        for r in rows:
            if r["id"] == rid:
                r.update(values)
        return rows

    return apply


@pytest.mark.parametrize(
    "rid, values",
    [
        # an intention predicate coded as fact
        ("claim:refining-mou-aims-at-refining-productivity", {"modality": "asserted"}),
        # a status still to come coded as fact, and a past one as a plan
        ("claim:refining-mou-to-be-signed", {"modality": "asserted"}),
        ("claim:refining-mou-signed", {"modality": "planned"}),
    ],
)
def test_the_modality_rule_is_applied(copy, rid, values):
    edit(copy, "claims", change(rid, **values))
    assert ("claim-modality", "claims") in error_types(copy)


def test_subject_only_in_what_is_about_something_and_reports_have_no_targets(copy):
    edit(
        copy,
        "event_participants",
        change("participation:wsj-report-on-trump-tariffs.donald-trump.subject", role="target"),
    )
    assert ("participant-role", "event_participants") in error_types(copy)


def test_a_status_supported_by_two_sources_is_caught(copy):
    def second_source(rows):
        e = next(r for r in rows if r["record"] == "claim:refining-mou-to-be-signed")
        rows.append({**e, "id": e["id"].replace(".1", ".2"), "source": "source:jamaica-energy-cooperation"})
        return rows

    edit(copy, "evidence", second_source)
    assert ("status-sources", "claims") in error_types(copy)


@needs_texts
def test_a_title_its_span_does_not_print_is_caught(copy):
    """1.0.0's defect: Reuters' 'Foreign Minister' span supported the title 'Foreign Secretary'."""
    edit(copy, "claims", change("claim:luis-videgaray-foreign-minister-of-mexico", object_value="Foreign Secretary"))
    assert ("office-title", "claims") not in error_types(copy)  # the spans are checked only with the texts
    assert ("office-title", "claims") in error_types(copy, texts=TEXTS)


def test_a_place_without_a_country_and_a_wrong_link_are_caught(copy):
    edit(copy, "claims", lambda rows: [r for r in rows if r["id"] != "claim:mexico-city-located-in-mexico"])
    assert ("place-country", "events") in error_types(copy)


def test_located_in_links_places_to_places(copy):
    edit(copy, "claims", change("claim:kingston-located-in-jamaica", subject="country:jamaica"))
    assert ("place-link", "claims") in error_types(copy)


def test_countries_follows_the_chain_and_sees_cycles():
    kinds = {"place:zocalo": "place", "city:mexico-city": "city", "country:mexico": "country", "place:a": "place"}
    links = {"place:zocalo": {"city:mexico-city"}, "city:mexico-city": {"country:mexico"}}
    assert countries("place:zocalo", links, kinds) == ({"country:mexico"}, False)
    assert countries("place:a", links, kinds) == (set(), False)
    links["city:mexico-city"].add("place:zocalo")
    assert countries("place:zocalo", links, kinds) == ({"country:mexico"}, True)
