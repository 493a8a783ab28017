"""The released data: each correction of 2.0.0 (issue 14) read from the release archives, false of 1.0.0 and
true of 2.0.0; the diff between them is the one the CHANGELOG lists; every span of both verifies.

The archives in releases/ are read, not the working tree: these are facts about what was published.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Callable

import pandas as pd
import pytest

import energy_ties
from helpers import ROOT, TEXTS, files, zip_entries
from helpers.cli import run

needs_texts = pytest.mark.skipif(not TEXTS.is_dir(), reason="../shared/sources (the article texts) is not present")

OLD, NEW = ROOT / "releases" / "energy-ties-1.0.0.zip", ROOT / "releases" / "energy-ties-2.0.0.zip"
#: The SHA-256 each release was published with: it is never rebuilt.
PUBLISHED = {
    "1.0.0": "cd7af1962b66fe50f168e31436b114f32220281da92c3d071faa10975a468f30",
    "2.0.0": "e99fbe21d0ac7246edda887952fd8c46e99fa02ac23a2978ae047fdeb1aa52ba",
}
J, R = "source:jamaica-energy-cooperation", "source:reuters-mexico-jamaica-energy"


@functools.cache
def tables(archive) -> dict[str, pd.DataFrame]:
    return energy_ties.load(path=archive)


@functools.cache
def schema(archive, name: str) -> dict:
    entries = zip_entries(archive)
    return json.loads(entries[f"schemas/tables/{name}.json"]) if f"schemas/tables/{name}.json" in entries else {}


def sources_of(t, resource: str, record: str) -> set[str]:
    ev = t["evidence"]
    return set(ev.loc[(ev["resource"] == resource) & (ev["record"] == record), "source"])


def row(t, resource: str, rid: str) -> pd.Series | None:
    frame = t[resource].set_index("id")
    return frame.loc[rid] if rid in frame.index else None


# ---------------------------------------------------------------- one predicate per correction


def decrees_not_tied_to_cars_by_sheinbaum(t, archive) -> bool:
    """1: nothing has Sheinbaum say the May 16 decrees concern cars; the tie was ours."""
    c = t["claims"]
    about = c[(c["event"] == "event:mexico-decrees-may-16") & (c["asserted_by"] == "person:claudia-sheinbaum")]
    return not about["object_value"].str.contains("car", na=False).any()


def sanctions_stated_only_where_stated(t, archive) -> bool:
    """2: only the first article states the US sanctions; Reuters' mention is its own item, status unspecified."""
    event = "event:us-sanctions-on-venezuela"
    target = "participation:us-sanctions-on-venezuela.venezuela.target"
    if sources_of(t, "events", event) != {J} or sources_of(t, "event_participants", target) != {J}:
        return False
    ev = t["evidence"]
    reuters_span = ev[(ev["source"] == R) & (ev["start"] == 538) & (ev["end"] == 572)]
    events = t["events"].set_index("id")
    holders = {
        row(t, "event_participants", p)["event"] for p in reuters_span["record"] if p.startswith("participation:")
    }
    return len(holders) == 1 and events.loc[holders.pop(), "status"] == "unspecified"


def dates_per_source(t, archive) -> bool:
    """3: each source's date of the press conference is its own row, with evidence from that source only."""
    if "dates" not in t:
        return False
    press = "event:videgaray-press-conference-jamaica-house"
    d = t["dates"][t["dates"]["record"] == press]
    versions = dict(zip(d["source"], d["anchor"]))
    own = all(sources_of(t, "dates", rid) == {src} for rid, src in zip(t["dates"]["id"], t["dates"]["source"]))
    return versions == {J: "publication-day", R: "weekday-tuesday"} and own


def announced_states_are_subjects(t, archive) -> bool:
    """4: Canada and Mexico are what Tillerson's announcement is about, not participants in it."""
    p = t["event_participants"]
    roles = p[p["event"] == "event:tillerson-announcement-on-venezuela-sanctions"].set_index("entity")["role"]
    return all(roles.get(k) == "subject" for k in ("country:canada", "country:mexico"))


def only_a_direct_mention_is_denied(t, archive) -> bool:
    """5: 'without directly mentioning': the qualifier is in the denied value."""
    c = row(t, "claims", "claim:press-conference-no-direct-mention-of-weakening-venezuela")
    return c is not None and c["modality"] == "denied" and "direct" in c["object_value"]


def titles_each_with_their_source(t, archive) -> bool:
    """6a: Videgaray's two titles are two claims, each with the source that prints it."""
    c = t["claims"]
    offices = c[(c["subject"] == "person:luis-videgaray") & (c["predicate"] == "holds-office")]
    got = {v: sources_of(t, "claims", rid) for rid, v in zip(offices["id"], offices["object_value"])}
    return got == {"Foreign Secretary": {J}, "Foreign Minister": {R}}


def buyback_points_at_the_response(t, archive) -> bool:
    """6b: an in-response-to claim's event is the response (Jamaica's bid), not the measure answered."""
    c = row(t, "claims", "claim:jamaica-petrojam-buyback-in-response-to-us-sanctions")
    event = row(t, "events", c["event"]) if c is not None else None
    return event is not None and event["kind"] == "bid"


def vague_is_not_a_hedged_view(t, archive) -> bool:
    """6c: the article says Videgaray remained vague; it gives him no view, hedged or not."""
    c = row(t, "claims", "claim:videgaray-vague-on-replacing-petrocaribe")
    return c is not None and pd.isna(c["asserted_by"]) and c["predicate"] != "considers"


def sanctions_not_repeated_as_a_claim(t, archive) -> bool:
    """6d: the sanctions are an event with imposer and target; no claim repeats them."""
    c = t["claims"]
    return not ((c["predicate"] == "imposes-sanctions-on") & (c["object_entity"] == "country:venezuela")).any()


def inferred_dates_follow_the_stated_rule(t, archive) -> bool:
    """6e: an inferred date keeps the parts its source states (XXXX-03), and the released dictionary says so."""
    basis = next((f for f in schema(archive, "dates").get("fields", []) if f["name"] == "basis"), None)
    if "dates" not in t or basis is None:
        return False
    label = next(c["label"] for c in basis["categories"] if c["value"] == "inferred")
    d = t["dates"].set_index("id")
    shipment = d.loc["date:event.last-venezuelan-oil-shipment-to-jamaica.start.jamaica-energy-cooperation"]
    return "March of last year" in label and (shipment["date"], shipment["basis"]) == ("XXXX-03", "inferred")


def one_modality_rule(t, archive) -> bool:
    """6f: modality is stance, by one rule the dictionary states; attribution is asserted_by alone."""
    modality = next(f for f in schema(archive, "claims")["fields"] if f["name"] == "modality")
    c = t["claims"]
    intentions = c["predicate"].isin(["aims-to", "plans-to-increase-production", "seeks-cooperation-with"])
    return (
        "reported" not in set(c["modality"])
        and "Take the first that applies" in modality["description"]
        and not (intentions & (c["modality"] == "asserted")).any()
    )


def places_reach_a_country(t, archive) -> bool:
    """Issue 13, item 5: every event's place reaches a country through located-in claims, in the data."""
    e, c = t["entities"].set_index("id"), t["claims"]
    links = dict(
        zip(c.loc[c["predicate"] == "located-in", "subject"], c.loc[c["predicate"] == "located-in", "object_entity"])
    )

    def country(place: str, hops: int = 0) -> bool:
        return e.loc[place, "kind"] == "country" or (place in links and hops < 5 and country(links[place], hops + 1))

    return all(country(p) for p in t["events"]["location"].dropna())


CORRECTIONS: list[Callable] = [
    decrees_not_tied_to_cars_by_sheinbaum,
    sanctions_stated_only_where_stated,
    dates_per_source,
    announced_states_are_subjects,
    only_a_direct_mention_is_denied,
    titles_each_with_their_source,
    buyback_points_at_the_response,
    vague_is_not_a_hedged_view,
    sanctions_not_repeated_as_a_claim,
    inferred_dates_follow_the_stated_rule,
    one_modality_rule,
    places_reach_a_country,
]


@pytest.mark.parametrize("fixed", CORRECTIONS, ids=lambda f: f.__name__)
def test_each_correction_is_false_of_1_0_0_and_true_of_2_0_0(fixed):
    assert not fixed(tables(OLD), OLD), "the defect is not in 1.0.0: the test does not test the correction"
    assert fixed(tables(NEW), NEW)


# ---------------------------------------------------------------- the release as a whole


@pytest.mark.parametrize("version", sorted(PUBLISHED))
def test_a_published_release_is_never_rebuilt(version):
    archive = ROOT / "releases" / f"energy-ties-{version}.zip"
    assert hashlib.sha256(archive.read_bytes()).hexdigest() == PUBLISHED[version]
    index = json.loads((ROOT / "releases" / "index.json").read_text())
    assert next(r for r in index["releases"] if r["version"] == version)["sha256"] == PUBLISHED[version]


def released_section(version: str) -> str:
    """The section of ``version`` in the CHANGELOG the 2.0.0 archive carries."""
    text = zip_entries(NEW)["CHANGELOG.md"].decode()
    return text.split(f"\n## [{version}] - ", 1)[1].split("\n## [", 1)[0]


def changelog_rows(version: str) -> dict[str, dict[str, int]]:
    """{resource: {added, removed, modified}} from the rows table of ``version``'s released section."""
    section = released_section(version)
    found = re.findall(r"^\| `(\w+)`(?: \(new\))? \| (\d+) \| (\d+) \| (\d+) \| \d+ \|$", section, re.M)
    return {name: {"added": int(a), "removed": int(r), "modified": int(m)} for name, a, r, m in found}


def test_the_diff_from_1_0_0_is_what_the_changelog_lists():
    d = energy_ties.diff(OLD, NEW)
    assert d.required_bump == "major" and (d.old_version, d.new_version) == ("1.0.0", "2.0.0")
    assert changelog_rows("2.0.0") == {name: r.rows for name, r in d.resources.items()}
    # the section's lists are the diff's own markdown, line for line
    from energy_ties.diffing.render import to_markdown

    section = released_section("2.0.0")
    bullets = [line for line in to_markdown(d).splitlines() if line.startswith(("- ", "### "))]
    assert [line for line in bullets if line not in section.splitlines()] == []


def test_the_row_counts_of_2_0_0():
    counts = {name: len(frame) for name, frame in tables(NEW).items()}
    assert counts == {
        "sources": 3,
        "entities": 35,
        "entity_aliases": 33,
        "events": 27,
        "event_participants": 48,
        "claims": 113,
        "dates": 22,
        "quotes": 5,
        "evidence": 347,
    }


@needs_texts
@pytest.mark.parametrize("archive", [OLD, NEW], ids=["1.0.0", "2.0.0"])
def test_every_span_of_both_releases_verifies(archive):
    r = run("verify-evidence", archive, "--texts", TEXTS)
    assert r.returncode == 0, r.stdout + r.stderr
    n = len(tables(archive)["evidence"])
    assert r.stdout.strip() == f"all {n} evidence spans match their texts (3 of 3 sources found)"


@needs_texts
def test_2_0_0_is_valid_with_its_rules_and_1_0_0_breaks_them_where_the_review_found_defects():
    assert energy_ties.validate(NEW, texts=TEXTS).valid
    old = {e.type for e in energy_ties.validate(OLD, texts=TEXTS).errors}
    assert old == {"claim-modality", "office-title", "participant-role", "place-country"}


def test_load_version_1_0_0_still_gives_the_old_data_byte_for_byte(server, cache, monkeypatch):
    monkeypatch.setenv("ENERGY_TIES_BASE_URL", server.url)
    monkeypatch.setenv("ENERGY_TIES_CACHE", str(cache))
    old = energy_ties.load(version="1.0.0")
    assert "dates" not in old and len(old["claims"]) == 110 and "start" in old["events"]
    for name, frame in tables(OLD).items():
        assert old[name].equals(frame), name
    from energy_ties.releases.cache import MARKER  # the cache's own record of what it unpacked

    folder = energy_ties.download("1.0.0")
    assert {k: v for k, v in files(folder).items() if k != MARKER} == zip_entries(OLD)
