"""The views: right answers on a hand-made package, and properties on the real one (either layout)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import energy_ties
from energy_ties import views
from energy_ties.views.when import position
from helpers.story import write_story

A, B = "source:a", "source:b"


@pytest.fixture(scope="module", params=["2.0.0", "1.0.0"])
def story(request, tmp_path_factory):
    path = write_story(tmp_path_factory.mktemp("story"), layout=request.param)
    return request.param, energy_ties.load(path=path)


def test_events_resolve_places_countries_participants_and_dates(story):
    layout, t = story
    ev = views.events(t).set_index("event")
    assert list(ev.index) == ["event:meet", "event:sign", "event:old"]
    meet = ev.loc["event:meet"]
    assert (meet.place_name, meet.country, meet.country_name) == ("Square", "country:x", "X-land")  # two links
    assert meet.participants == "host: Quinn; visitor: Pat"
    assert meet.participant_ids == "host: person:q; visitor: person:p"
    assert meet.countries == "X-land; Y-land" and meet.sources == f"{A}; {B}"
    assert (meet.start, meet.start_precision, meet.start_basis, meet.sort_key) == (
        "XXXX-05-02",
        "day",
        "stated",
        "1|05-02",
    )
    assert meet.date_versions == (2 if layout == "2.0.0" else 1)
    assert (meet.start_source if layout == "2.0.0" else pd.isna(meet.start_source)) == (
        A if layout == "2.0.0" else True
    )
    assert pd.isna(meet.earliest) and not meet.year_known and not meet.relative
    old = ev.loc["event:old"]
    assert (old.earliest, old.latest, old.country) == (dt.date(2013, 1, 1), dt.date(2013, 12, 31), "country:x")
    sign = ev.loc["event:sign"]
    assert sign.contested and sign.part_of_label == "Pat meets Quinn" and sign.date_versions == 0
    assert sign.participants == "signatory: Pat, Quinn; publisher: Org"


def test_events_involving_countries_is_one_call(story):
    _, t = story
    assert list(views.events(t, involving=["X-land", "country:y"])["event"]) == ["event:meet", "event:sign"]
    assert list(views.events(t, involving=["Y-land"])["event"]) == ["event:meet", "event:sign"]


def test_claims_name_every_entity_and_keep_the_ids(story):
    _, t = story
    cl = views.claims(t).set_index("claim")
    tariff = cl.loc["claim:tariff"]
    assert (tariff.subject_name, tariff.object, tariff.quantity, tariff.unit) == ("X-land", "steel", 25.0, "percent")
    assert tariff.predicate_label == "means imposes-tariff-on" and tariff.start == "XXXX-03-12"
    assert tariff.sources == B
    planned = cl.loc["claim:sign-planned"]
    assert (planned.asserted_by_name, planned.event_label, planned.modality) == (
        "Pat",
        "Signing of a memorandum",
        "planned",
    )
    assert cl.loc["claim:sq-in-c"].object == "Capital"
    assert str(cl["quantity"].dtype) == "Float64" and isinstance(cl["predicate"].dtype, pd.CategoricalDtype)


def test_timeline_orders_known_years_then_month_days_then_undated(story):
    _, t = story
    tl = views.timeline(t)
    assert list(tl["record"]) == ["event:old", "claim:tariff", "event:meet", "event:sign"]
    assert list(tl["undated"]) == [False, False, False, True]
    assert list(tl["contested"]) == [False, False, True, True] if "dates" in t else [False, False, False, True]
    assert tl.loc[1, "label"] == "X-land imposes-tariff-on (steel)"


def test_network_pairs_parties_but_not_publishers(story):
    _, t = story
    net = views.network(t)
    assert net[["entity_a", "entity_b", "events"]].values.tolist() == [["person:p", "person:q", 2]]
    assert (
        net.loc[0, "event_ids"] == "event:meet; event:sign"
        and net.loc[0, "roles"] == "visitor/host; signatory/signatory"
    )


def test_disagreements_list_each_version_with_its_source(story):
    layout, t = story
    d = views.disagreements(t)
    rows = d[["aspect", "about", "version", "source"]].values.tolist()
    expected = [
        ["status", "event:sign", "occurred", A],
        ["status", "event:sign", "planned", B],
        ["holds-office", "person:p", "Minister", A],
        ["holds-office", "person:p", "Secretary", B],
    ]
    if layout == "2.0.0":
        expected += [
            ["start", "event:meet", "XXXX-05-02 (day, stated)", A],
            ["start", "event:meet", "(day, inferred) anchor publication-day-minus-1", B],
        ]
    assert sorted(rows) == sorted(expected)


def test_quotes_name_speaker_and_event(story):
    _, t = story
    q = views.quotes(t)
    assert q[["quote", "speaker_name", "event_label", "source"]].values.tolist() == [
        ["quote:pat", "Pat", "Pat meets Quinn", A]
    ]


@pytest.mark.parametrize("name", list(views.VIEWS))
def test_every_view_is_documented_and_typed(name):
    frame = views.VIEWS[name]()
    assert list(frame.attrs["fields"]) == list(frame.columns) and all(frame.attrs["fields"].values())
    for column in frame.columns:  # text is Arrow strings or categories: missing shows as <NA>, never NaN
        assert frame[column].dtype != object, column
    assert "NaN" not in frame.to_string()


def test_on_the_real_package_every_event_appears_once_and_the_timeline_is_sorted():
    t = energy_ties.load()
    ev = views.events(t)
    assert sorted(ev["event"]) == sorted(t["events"]["id"]) and ev["event"].is_unique
    tl = views.timeline(t)
    assert list(tl["sort_key"]) == sorted(tl["sort_key"])
    assert set(tl[tl["item"] == "event"]["record"]) == set(t["events"]["id"])


def test_on_the_real_package_every_rows_sources_evidence_it():
    t = energy_ties.load()
    evidence = t["evidence"]
    supported = set(zip(evidence["record"].astype(str), evidence["source"].astype(str)))
    for frame, key in ((views.events(t), "event"), (views.claims(t), "claim"), (views.timeline(t), "record")):
        for record, sources in zip(frame[key], frame["sources"]):
            assert sources is not pd.NA and all((record, s) in supported for s in sources.split("; ")), record
    for row in views.disagreements(t).itertuples():
        assert (row.record, row.source) in supported or row.aspect in ("start", "end")


def test_on_the_real_package_the_mexico_jamaica_question_takes_one_call():
    rows = views.events(involving=["Mexico", "Jamaica"])
    assert len(rows) >= 3 and rows["countries"].str.contains("Jamaica").all()
    assert "event:videgaray-visit-to-jamaica" in set(rows["event"])


_dates = st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31))


@given(_dates, _dates, st.sampled_from(["day", "month", "year"]))
def test_known_years_sort_as_their_earliest_days(a, b, precision):
    def edtf(d):
        return {"day": d.isoformat(), "month": d.isoformat()[:7], "year": d.isoformat()[:4]}[precision]

    pa, pb = position(edtf(a), precision, None), position(edtf(b), precision, None)
    assert pa["earliest"] <= a <= pa["latest"]
    assert (pa["sort_key"] < pb["sort_key"]) == ((pa["earliest"], pa["latest"]) < (pb["earliest"], pb["latest"]))


@given(st.sampled_from(["2013", "2024-01", "XXXX-04-03", "XXXX-03", None]), st.sampled_from([None, "publication-day"]))
def test_tiers_put_known_years_first_and_relative_dates_after_dates_without_a_year(date, anchor):
    p = position(date, "day", anchor)
    tier = p["sort_key"][0]
    if date is None and anchor is None:
        assert tier == "3"
    elif anchor is not None:
        assert tier == "2" and p["relative"]
    else:
        assert tier == ("0" if date[0] != "X" else "1") and p["year_known"] == (tier == "0")
