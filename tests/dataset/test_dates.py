"""Dates: the 1.x date blocks, the rows of dates (2.0.0) and the rules that tie a date row to its source."""

from __future__ import annotations

import pytest

from energy_ties import validate
from energy_ties.dataset.dates import date_id, date_problem, date_row_problem
from helpers import copy_package
from helpers.tables import edit, error_types


@pytest.mark.parametrize(
    "date, precision, basis, relative, ok",
    [
        ("2024-01-20", "day", "stated", "", True),
        ("XXXX-04-03", "day", "stated", "", True),
        ("XXXX-02-29", "day", "stated", "", True),
        ("2023-02-29", "day", "stated", "", False),
        ("2013", "year", "stated", "", True),
        ("2013", "month", "stated", "", False),
        ("XXXX-03", "month", "inferred", "publication-year-minus-1", True),
        ("", "day", "inferred", "weekday-tuesday", True),
        ("", "day", "inferred", "", False),
        ("", "", "unknown", "", True),
        ("", "day", "unknown", "", False),
        ("", "", "stated", "", False),
        ("2024", "year", "unknown", "", False),
        ("2024", "year", "stated", "publication-day", False),
        ("XXXX", "year", "stated", "", False),
    ],
)
def test_date_blocks(date, precision, basis, relative, ok):
    """The 1.x layout's blocks, and sources.published in every layout."""
    assert (date_problem(date, precision, basis, relative) is None) is ok


@pytest.mark.parametrize(
    "date, precision, basis, anchor, ok",
    [
        ("2024-01-20", "day", "stated", "", True),
        ("XXXX-04-03", "day", "stated", "", True),
        ("XXXX-02-29", "day", "stated", "", True),
        ("2023-02-29", "day", "stated", "", False),
        ("2013", "year", "stated", "", True),
        ("2013", "month", "stated", "", False),
        ("XXXX", "year", "stated", "", False),
        ("", "day", "stated", "", False),  # stated needs a date
        ("2024", "year", "stated", "publication-day", False),  # stated has no anchor
        ("XXXX-03", "month", "inferred", "publication-year-minus-1", True),  # 'in March of last year'
        ("2023-03", "month", "inferred", "publication-year-minus-1", False),  # an inferred date has no year
        ("", "day", "inferred", "weekday-tuesday", True),
        ("", "week", "inferred", "publication-week-minus-1", True),
        ("XXXX-03", "week", "inferred", "publication-year-minus-1", False),  # week only with an empty date
        ("", "day", "inferred", "", False),  # inferred needs an anchor
        ("", "", "inferred", "publication-day", False),  # and a precision
        ("", "", "unknown", "", False),  # an unknown date is no row
    ],
)
def test_date_rows(date, precision, basis, anchor, ok):
    assert (date_row_problem(date, precision, basis, anchor) is None) is ok


def test_date_ids_name_the_record_the_bound_and_the_source():
    assert (
        date_id("event:spief-2024", "start", "source:russia-mexico-energy-forum")
        == "date:event.spief-2024.start.russia-mexico-energy-forum"
    )


PRESS = "date:event.videgaray-press-conference-jamaica-house.start.reuters-mexico-jamaica-energy"
FORUM = "date:event.first-russia-mexico-business-forum.start.russia-mexico-energy-forum"


def _in(rows, rid):
    return next(r for r in rows if r["id"] == rid)


@pytest.fixture
def copy(tmp_path):
    return copy_package(tmp_path / "pkg")


def test_the_package_keeps_both_dates_of_the_press_conference():
    report = validate()
    assert report.valid, [e.message for e in report.errors]


def test_date_evidence_from_another_source_is_caught(copy):
    """A date row is one source's version: its evidence is from that source."""

    def elsewhere(rows):
        e = next(r for r in rows if r["record"] == PRESS)
        e["source"] = "source:jamaica-energy-cooperation"
        e["id"] = f"evidence:{PRESS.replace(':', '.')}.jamaica-energy-cooperation.1"
        return rows

    edit(copy, "evidence", elsewhere)
    assert ("date-evidence", "dates") in error_types(copy)


def test_date_evidence_of_another_basis_is_caught(copy):
    def restate(rows):
        next(r for r in rows if r["record"] == PRESS)["basis"] = "stated"
        return rows

    edit(copy, "evidence", restate)
    assert ("date-evidence", "dates") in error_types(copy)


def test_a_date_for_a_record_its_source_does_not_report_is_caught(copy):
    """Reuters does not report the forum: it cannot date it, even with a span of its own."""

    def move(rows):
        r = _in(rows, FORUM)
        r["source"] = "source:reuters-mexico-jamaica-energy"
        r["id"] = "date:event.first-russia-mexico-business-forum.start.reuters-mexico-jamaica-energy"
        return rows

    def follow(rows):
        e = next(r for r in rows if r["record"] == FORUM)
        new = "date:event.first-russia-mexico-business-forum.start.reuters-mexico-jamaica-energy"
        e.update(record=new, source="source:reuters-mexico-jamaica-energy")
        e["id"] = f"evidence:{new.replace(':', '.')}.reuters-mexico-jamaica-energy.1"
        return rows

    edit(copy, "dates", move)
    edit(copy, "evidence", follow)
    messages = [e.message for e in validate(copy).errors if e.type == "date-evidence"]
    assert any("does not report it" in m for m in messages), messages


def test_a_date_of_an_unknown_record_and_a_wrong_id_are_caught(copy):
    def corrupt(rows):
        _in(rows, FORUM)["record"] = "event:no-such-event"
        return rows

    edit(copy, "dates", corrupt)
    types = error_types(copy)
    assert {("date-reference", "dates"), ("id-pattern", "dates")} <= types


def test_an_inconsistent_date_row_and_a_row_without_evidence_are_caught(copy):
    edit(copy, "dates", lambda rows: [{**r, "anchor": "publication-day"} if r["id"] == FORUM else r for r in rows])
    edit(copy, "evidence", lambda rows: [r for r in rows if r["record"] != PRESS])
    types = error_types(copy)
    assert ("date-precision", "dates") in types and ("evidence-missing", "dates") in types


def test_an_end_before_the_start_of_one_source_is_caught(copy):
    def ends_early(rows):
        start = _in(rows, "date:event.mexico-2013-constitutional-oil-reform.start.reuters-mexico-jamaica-energy")
        rows.append({**start, "id": start["id"].replace(".start.", ".end."), "bound": "end", "date": "2012"})
        return rows

    def evidence(rows):
        e = next(r for r in rows if r["record"].startswith("date:event.mexico-2013-constitutional-oil-reform.start"))
        record = e["record"].replace(".start.", ".end.")
        rows.append(
            {**e, "record": record, "id": f"evidence:{record.replace(':', '.')}.reuters-mexico-jamaica-energy.1"}
        )
        return rows

    edit(copy, "dates", ends_early)
    edit(copy, "evidence", evidence)
    assert ("date-order", "dates") in error_types(copy)


def test_events_and_claims_hold_no_dates_beside_the_dates_resource():
    from energy_ties.dataset.dates import date_errors

    events = [{"_row": 2, "id": "event:x", "start": "2024", "start_precision": "year", "start_basis": "stated"}]
    t = {"sources": [], "events": events, "claims": [], "dates": [], "evidence": []}
    assert {(e.type, e.field) for e in date_errors(t)} == {
        ("date-fields", "start"),
        ("date-fields", "start_precision"),
        ("date-fields", "start_basis"),
    }
    # a 1.x package (no dates resource) keeps its date blocks, and they are checked as before
    t["dates"] = None
    assert list(date_errors(t)) == []
    events[0]["start_precision"] = "month"
    assert [e.type for e in date_errors(t)] == ["date-precision"]
