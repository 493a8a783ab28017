"""What the curated data must say (and must not): a few facts checked as examples of the rules."""

from __future__ import annotations

import csv
import hashlib
import re

import pytest

import energy_ties
from helpers import ROOT, TEXTS

needs_texts = pytest.mark.skipif(not TEXTS.is_dir(), reason="../shared/sources (the article texts) is not present")

#: The Wikidata QIDs checked by hand, each for the one entity it identifies. An entity may go without its
#: QID, but no entity may carry a QID that is not confirmed here for it.
CONFIRMED_QIDS = {
    "country:mexico": "Q96",
    "country:jamaica": "Q766",
    "country:russia": "Q159",
    "country:venezuela": "Q717",
    "country:united-states": "Q30",
    "country:canada": "Q16",
    "country:saint-lucia": "Q760",
    "person:donald-trump": "Q22686",
}


def test_only_confirmed_wikidata_ids():
    e = energy_ties.load("entities")
    assert set(CONFIRMED_QIDS) <= set(e["id"]), "a confirmed QID names an entity the data does not have"
    given = [(rid, qid) for rid, qid in zip(e["id"], e["wikidata"]) if isinstance(qid, str)]
    unconfirmed = [(rid, qid) for rid, qid in given if rid not in CONFIRMED_QIDS]
    assert unconfirmed == [], "entities carrying a QID nobody confirmed"
    misplaced = [(rid, qid, CONFIRMED_QIDS[rid]) for rid, qid in given if CONFIRMED_QIDS[rid] != qid]
    assert misplaced == [], "entities carrying another QID than the one confirmed for them"
    qids = [qid for _, qid in given]
    assert len(qids) == len(set(qids)), "one QID on two entities"


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
    assert claims.loc["claim:forum-attendance-more-than-300", ["quantity", "unit", "quantity_qualifier"]].tolist() == [
        300,
        "person",
        "more-than",
    ]
    tariffs = claims[claims["predicate"] == "imposes-tariff-on"]
    assert set(tariffs["quantity"]) == {25} and len(tariffs) == 3


def test_no_year_is_invented():
    dates = energy_ties.load("dates").set_index("id")
    forum = "date:event.first-russia-mexico-business-forum.start.russia-mexico-energy-forum"
    assert dates.loc[forum, ["date", "precision", "basis"]].tolist() == ["XXXX-04-03", "day", "stated"]
    # an inferred date never carries a year: the anchor supplies it, and no anchor's year is known
    inferred = dates.loc[dates["basis"] == "inferred", "date"].dropna()
    assert len(inferred) > 0 and inferred.str.startswith("XXXX").all()
    sources = energy_ties.load("sources")
    assert sources["published"].isna().all() and set(sources["published_basis"]) == {"unknown"}


# ---------------------------------------------------------------- against the article texts


def source_texts() -> dict[str, str]:
    """{source id: its article text}, read from ../shared/sources by the file names sources.csv gives."""
    with open(ROOT / "data" / "sources.csv", encoding="utf-8") as fh:
        return {s["id"]: (TEXTS / s["text_file"]).read_text(encoding="utf-8") for s in csv.DictReader(fh)}


# right before the span, an opening quotation mark (not one that follows a word or punctuation: that one
# closes a quotation), then at most an editorial insertion in brackets; after the span, at most an
# editorial insertion, then the closing mark, not followed by a letter (an apostrophe is no quotation mark)
OPENED = re.compile(r"(?<![\w,.;:!?])([\"“‘'])\s*(?:\[[^\]]*\]\s*)?\Z")
CLOSED = re.compile(r"\A(?:\s*\[[^\]]*\])?\s*([\"”’'])(?!\w)")
PAIRS = {'"': '"', "“": "”", "‘": "’", "'": "'"}


@needs_texts
def test_quotes_are_only_words_inside_quotation_marks():
    """Every quote is a span of its source that stands between a pair of quotation marks."""
    texts = source_texts()
    evidence = energy_ties.load("evidence")
    problems = []
    for q in energy_ties.load("quotes").itertuples():
        text = texts[q.source]
        spans = evidence[(evidence["record"] == q.id) & (evidence["source"] == q.source)]
        verbatim = [(s, e) for s, e in zip(spans["start"], spans["end"]) if text[s:e] == q.text]
        if not verbatim:
            problems.append((q.id, "no evidence span of its source holds the quote's text"))
        for start, end in verbatim:
            opened, closed = OPENED.search(text[:start]), CLOSED.search(text[end:])
            if opened is None or closed is None:
                problems.append((q.id, f"not between quotation marks: {text[max(0, start - 3) : end + 3]!r}"))
            elif closed.group(1) != PAIRS[opened.group(1)]:
                problems.append((q.id, f"opened with {opened.group(1)} but closed with {closed.group(1)}"))
            elif opened.group(1) != "'" and PAIRS[opened.group(1)] in text[start:end]:
                # the span runs out of one quotation and into another ("a," she said, "b")
                problems.append((q.id, "the span holds the closing quotation mark"))
    assert problems == []


@needs_texts
def test_source_hashes_are_of_the_texts():
    with open(ROOT / "data" / "sources.csv", encoding="utf-8") as fh:
        for s in csv.DictReader(fh):
            raw = (TEXTS / s["text_file"]).read_bytes()
            assert hashlib.sha256(raw).hexdigest() == s["text_sha256"]
            assert len(raw.decode("utf-8")) == int(s["text_length"])


@needs_texts
def test_labels_descriptions_and_notes_are_our_own_words():
    """No text field (bar quotations, names and aliases) repeats six words running from an article."""

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
        seen |= {tuple(w[i : i + run]) for i in range(len(w) - run + 1)}
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
                    if any(tuple(w[i : i + run]) in seen for i in range(len(w) - run + 1)):
                        copied.append((name, rid, column, value))
    assert copied == []
