"""energy-ties' own rules: evidence, spans, aliases, quotes, and when they apply."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from energy_ties import validate
from helpers import TEXTS, copy_package, write_file
from helpers.tables import edit, error_types

needs_texts = pytest.mark.skipif(not TEXTS.is_dir(), reason="../shared/sources is not present")


@pytest.fixture
def copy(tmp_path):
    """A writable copy of the package."""
    return copy_package(tmp_path / "pkg")


@pytest.fixture(scope="module")
def shared_copy(tmp_path_factory):
    """One writable copy of the package for a whole property: each example restores what it edits."""
    return copy_package(tmp_path_factory.mktemp("rules") / "pkg")


@needs_texts
def test_the_package_is_valid_with_every_span_checked():
    report = validate(texts=TEXTS)
    assert report.valid, [e.message for e in report.errors]
    assert "evidence-spans" in report.checked


@needs_texts
@settings(max_examples=15)
@given(row=st.integers(min_value=0, max_value=300), shift=st.sampled_from([-1, 1]))
def test_moving_any_span_by_one_code_point_is_caught(shared_copy, row, shift):
    def move(rows):
        r = rows[row % len(rows)]
        r["start"], r["end"] = str(int(r["start"]) + shift), str(int(r["end"]) + shift)
        return rows

    evidence = shared_copy / "data" / "evidence.csv"
    original = evidence.read_bytes()
    try:
        edit(shared_copy, "evidence", move)
        assert ("evidence-hash", "evidence") in error_types(shared_copy, texts=TEXTS)
    finally:
        write_file(evidence, original)


def test_a_record_without_evidence_is_caught(copy):
    def drop(rows):
        target = rows[0]["record"]
        return [r for r in rows if r["record"] != target]

    edit(copy, "evidence", drop)
    assert any(t == "evidence-missing" for t, _ in error_types(copy))


def test_evidence_for_an_unknown_record_and_past_the_text_is_caught(copy):
    def corrupt(rows):
        rows[0]["record"] = "claim:no-such-claim"
        rows[1]["end"] = "999999"
        return rows

    edit(copy, "evidence", corrupt)
    types = {t for t, _ in error_types(copy)}
    assert {"evidence-reference", "evidence-span"} <= types


def test_an_alias_that_collides_is_caught(copy):
    def collide(rows):
        rows.append({**rows[0], "id": "alias:extra", "entity": "country:mexico", "alias": rows[0]["alias"].upper()})
        return rows

    edit(copy, "entity_aliases", collide)
    assert ("alias-collision", "entity_aliases") in error_types(copy)


def test_a_quote_that_is_not_verbatim_is_caught(copy):
    def alter(rows):
        rows[0]["text"] = rows[0]["text"].replace(" ", "  ", 1)
        return rows

    edit(copy, "quotes", alter)
    assert ("quote-text", "quotes") in error_types(copy)


def test_rules_apply_only_to_energy_ties_unless_asked(copy):
    edit(copy, "quotes", lambda rows: [{**rows[0], "text": "changed"}, *rows[1:]])
    assert ("quote-text", "quotes") not in error_types(copy, profile="none")
    assert ("quote-text", "quotes") in error_types(copy, profile="energy-ties")
