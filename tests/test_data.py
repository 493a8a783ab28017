"""What the curated data must say (and must not): a few facts checked as examples of the rules."""

from __future__ import annotations

import energy_ties

CONFIRMED_QIDS = {"country:mexico": "Q96", "country:jamaica": "Q766", "country:russia": "Q159",
                  "country:venezuela": "Q717", "country:united-states": "Q30", "country:canada": "Q16",
                  "country:saint-lucia": "Q760", "person:donald-trump": "Q22686"}


def test_only_confirmed_wikidata_ids():
    e = energy_ties.load("entities")
    given = dict(zip(e.loc[e["wikidata"].notna(), "id"], e.loc[e["wikidata"].notna(), "wikidata"]))
    assert given == CONFIRMED_QIDS


def test_one_entity_per_person_with_the_spellings_as_aliases():
    aliases = energy_ties.load("entity_aliases")
    js = set(aliases.loc[aliases["entity"] == "person:kamina-johnson-smith", "alias"])
    assert "Kamina Johnson-Smith" in js
    entities = energy_ties.load("entities")
    assert (entities["name"].str.contains("Johnson")).sum() == 1


def test_the_memorandum_is_one_contested_event_with_both_versions():
    events = energy_ties.load("events").set_index("id")
    mou = events.loc["event:mexico-jamaica-refining-mou-signing"]
    assert mou["status"] == "contested"
    claims = energy_ties.load("claims")
    versions = claims[(claims["event"] == mou.name) & (claims["predicate"] == "has-status")]
    assert sorted(versions["object_value"]) == ["occurred", "reported-as-planned"]
    evidence = energy_ties.load("evidence")
    sources = set(evidence.loc[evidence["record"].isin(versions["id"]), "source"])
    assert sources == {"source:jamaica-energy-cooperation", "source:reuters-mexico-jamaica-energy"}


def test_numbers_are_machine_readable():
    claims = energy_ties.load("claims").set_index("id")
    assert claims.loc["claim:jamaica-seeks-to-repurchase-petrojam-stake", "quantity"] == 49
    assert claims.loc["claim:forum-attendance-more-than-300", ["quantity", "unit", "quantity_qualifier"]].tolist() \
        == [300, "person", "more-than"]
    tariffs = claims[claims["predicate"] == "imposes-tariff-on"]
    assert set(tariffs["quantity"]) == {25} and len(tariffs) == 3


def test_no_year_is_invented():
    events = energy_ties.load("events").set_index("id")
    assert events.loc["event:first-russia-mexico-business-forum", "start"] == "XXXX-04-03"
    sources = energy_ties.load("sources")
    assert sources["published"].isna().all() and set(sources["published_basis"]) == {"unknown"}


def test_quotes_are_only_words_inside_quotation_marks():
    quotes = energy_ties.load("quotes")
    assert len(quotes) == 5
    assert set(quotes["source"]) == {"source:russia-mexico-energy-forum", "source:reuters-mexico-jamaica-energy"}


def test_labels_descriptions_and_notes_are_our_own_words():
    """No text field (bar quotations, names and aliases) repeats six words running from an article."""
    import re

    from conftest import TEXTS

    if not TEXTS.is_dir():
        import pytest

        pytest.skip("../shared/sources is not present")

    def words(s: str) -> list[str]:
        return re.findall(r"[\w'’-]+", s.lower())

    def quoted_titles(s: str) -> str:  # a quoted proper title (a panel's name) is a name, not prose
        return re.sub(r"'[^']+'", "", s)

    names = set(energy_ties.load("entities")["name"]) | set(energy_ties.load("entity_aliases")["alias"])
    names = sorted(names, key=len, reverse=True)

    def without_names(s: str) -> str:  # proper names are names, not the article's prose
        for n in names:
            s = re.sub(re.escape(n), " ", s, flags=re.IGNORECASE)
        return s

    run = 6
    seen = set()
    for path in TEXTS.iterdir():
        w = words(path.read_text(encoding="utf-8"))
        seen |= {tuple(w[i:i + run]) for i in range(len(w) - run + 1)}
    copied = []
    for name, frame in energy_ties.load().items():
        if name in ("quotes", "evidence", "entity_aliases"):
            continue
        for column in frame.columns:
            if column in ("id", "name", "headline") or not str(frame[column].dtype).startswith(("string", "str")):
                continue
            for rid, value in zip(frame["id"], frame[column]):
                if isinstance(value, str):
                    w = words(without_names(quoted_titles(value)))
                    if any(tuple(w[i:i + run]) in seen for i in range(len(w) - run + 1)):
                        copied.append((name, rid, column, value))
    assert copied == []
