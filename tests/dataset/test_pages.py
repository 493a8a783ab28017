"""The energy-ties record pages: a page per entity, event and claim, each fact with its evidence, and the
sentence around a span taken from the text exactly."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

import energy_ties
from energy_ties.datapackage.opening import open_package
from energy_ties.dataset.pages import pages, sentence
from helpers import ROOT


@given(st.text("ab .?!\n", max_size=80), st.data())
def test_a_span_in_its_sentence_is_the_text_around_it(text, data):
    start = data.draw(st.integers(0, max(0, len(text) - 1)))
    end = data.draw(st.integers(start + 1, max(start + 1, len(text))))
    before, span, after = sentence(text, start, end)
    assert span == text[start:end]
    assert text[:start].endswith(before.lstrip("…")) and text[end:].startswith(after.rstrip("…"))
    assert "\n" not in before and "\n" not in after


def test_every_entity_event_and_claim_has_a_page_with_its_evidence():
    with open_package(ROOT / "datapackage.json") as pkg:
        made = pages(pkg)
    tables = energy_ties.load()
    evidence = tables["evidence"]
    expected = [("entity", i) for i in tables["entities"]["id"]] + [("event", i) for i in tables["events"]["id"]]
    assert [(p.kind, p.id) for p in made] == expected + [("claim", i) for i in tables["claims"]["id"]]
    for p in made:
        assert {s.id for s in p.evidence} == set(evidence[evidence["record"] == p.id]["id"]), p.id
        assert all(s.text is None for s in p.evidence)  # no texts given, none shown
