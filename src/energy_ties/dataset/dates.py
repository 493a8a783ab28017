"""Dates: an EDTF date agrees with its precision and basis, and an inferred date names its anchor.

Since 2.0.0 the dates of events and claims are rows of ``dates``, one per record, source and bound, each
that source's version with evidence from that source alone. A source's own publication date stays a
column of ``sources`` (one version by definition). A package of the 1.x layout (no ``dates`` resource)
keeps its date blocks in ``events`` and ``claims`` and is checked as it was.
"""

from __future__ import annotations

import calendar
import re
from collections import defaultdict
from collections.abc import Iterable

from ..datapackage.findings import Error

#: (resource, date field) pairs of the 1.x layout, each with _precision, _basis and _relative companions.
LEGACY_BLOCKS = (("events", "start"), ("events", "end"), ("claims", "start"), ("claims", "end"))
#: The date block every layout keeps: a source's own publication date.
SOURCE_BLOCK = ("sources", "published")
#: The resources a date row may date, by the prefix of their ids.
DATED = {"events": "event:", "claims": "claim:"}
_EDTF = re.compile(r"^(?P<y>[0-9]{4}|XXXX)(?:-(?P<m>[0-9]{2})(?:-(?P<d>[0-9]{2}))?)?$")
_PRECISION_PARTS = {"year": 1, "month": 2, "day": 3}
_DATE_FIELD = re.compile(r"^(?:start|end)(?:_precision|_basis|_relative)?$")


def date_errors(t: dict) -> Iterable[Error]:
    """The date blocks of ``sources`` (and of ``events`` and ``claims`` in the 1.x layout), and in the 2.x
    layout the rows of ``dates``, and that ``events`` and ``claims`` no longer hold dates of their own."""
    blocks = (SOURCE_BLOCK,) if t.get("dates") is not None else (*LEGACY_BLOCKS, SOURCE_BLOCK)
    for name, prefix in blocks:
        for r in t.get(name) or []:
            problem = date_problem(
                r.get(prefix, ""),
                r.get(f"{prefix}_precision", ""),
                r.get(f"{prefix}_basis", ""),
                r.get(f"{prefix}_relative", ""),
            )
            if problem:
                yield Error("date-precision", name, r["_row"], prefix, f"{r['id']}: {prefix}: {problem}")
    if t.get("dates") is not None:
        yield from _second_home(t)
        yield from date_row_errors(t)


def date_problem(date: str, precision: str, basis: str, relative: str) -> str | None:
    """Why a date block is inconsistent, or None."""
    if relative and basis != "inferred":
        return f"a relative anchor ({relative}) needs basis 'inferred', not {basis!r}"
    if not date:
        if basis == "stated":
            return "basis 'stated' needs a date"
        if basis == "unknown" and precision:
            return "an unknown date has no precision"
        if basis == "inferred" and not (relative and precision):
            return "an inferred date without a date needs a relative anchor and a precision"
        return None
    m = _EDTF.match(date)
    if not m:
        return f"{date!r} is not an EDTF date of this package's form"
    if basis == "unknown":
        return "a date is given, so its basis cannot be 'unknown'"
    return _calendar_problem(date, m, precision)


def _calendar_problem(date: str, m: re.Match, precision: str) -> str | None:
    """Why a well-formed EDTF ``date`` disagrees with its precision or the calendar, or None."""
    parts = 1 + (m.group("m") is not None) + (m.group("d") is not None)
    if _PRECISION_PARTS.get(precision) != parts:
        return f"{date!r} is known to the {['year', 'month', 'day'][parts - 1]}, not to the {precision or '(empty)'}"
    if m.group("y") == "XXXX" and parts == 1:
        return "a date of unknown year and precision 'year' says nothing; leave it empty"
    month = int(m.group("m")) if m.group("m") else None
    if month is not None and not 1 <= month <= 12:
        return f"{date!r} has no month {month}"
    if m.group("d") and month is not None:
        year = 2000 if m.group("y") == "XXXX" else int(m.group("y"))  # a leap year admits 29 February
        if not 1 <= int(m.group("d")) <= calendar.monthrange(year, month)[1]:
            return f"{date!r} is not a day of the calendar"
    return None


def date_row_problem(date: str, precision: str, basis: str, anchor: str) -> str | None:
    """Why one row of ``dates`` is inconsistent, or None.

    There is no ``unknown``: a date a source does not give is no row. An inferred date keeps the parts the
    source states (``XXXX-03`` for 'in March of last year'), so its year is always ``XXXX``: the anchor
    supplies it.
    """
    if basis == "stated":
        if anchor:
            return f"a stated date has no anchor ({anchor})"
        if not date:
            return "a stated date needs a date"
    elif basis == "inferred":
        if not anchor:
            return "an inferred date needs an anchor"
    else:
        return f"basis {basis!r}: only 'stated' or 'inferred' (a date the source does not give is no row)"
    if not precision:
        return "a date needs a precision"
    if not date:
        return None
    m = _EDTF.match(date)
    if not m:
        return f"{date!r} is not an EDTF date of this package's form"
    if precision == "week":
        return "precision 'week' only goes with an empty date"
    if basis == "inferred" and m.group("y") != "XXXX":
        return "an inferred date keeps only the parts the source states: its year is XXXX (the anchor supplies it)"
    return _calendar_problem(date, m, precision)


def date_id(record: str, bound: str, source: str) -> str:
    """The id a date row must have: ``date:`` + the record's id with ':' as '.', the bound, the source's slug."""
    return f"date:{record.replace(':', '.')}.{bound}.{source.split(':', 1)[-1]}"


def _second_home(t: dict) -> Iterable[Error]:
    """With a ``dates`` resource, ``events`` and ``claims`` carry no date fields: one home for dates."""
    for name in DATED:
        rows = t.get(name) or []
        for column in [c for c in (rows[0] if rows else {}) if _DATE_FIELD.match(c)]:
            yield Error(
                "date-fields", name, 1, column, f"{name}.{column}: dates are rows of dates, not fields of {name}"
            )


def date_row_errors(t: dict) -> Iterable[Error]:
    """Every date row is consistent, names an existing record, has the id it must, and is backed by evidence
    from its own source (with its basis) for a record that source reports; one source's bounds are in order."""
    known = {name: {r["id"] for r in t.get(name) or []} for name in DATED}
    evidence: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for e in t.get("evidence") or []:
        evidence[(e["resource"], e["record"])].append(e)
    bounds: dict[tuple[str, str], dict[str, dict]] = defaultdict(dict)
    for d in t["dates"]:
        row, rid, res, rec, src = d["_row"], d["id"], d["resource"], d["record"], d["source"]
        problem = date_row_problem(d["date"], d["precision"], d["basis"], d["anchor"])
        if problem:
            yield Error("date-precision", "dates", row, "date", f"{rid}: {problem}")
        if res in DATED and not (rec.startswith(DATED[res]) and rec in known[res]):
            yield Error("date-reference", "dates", row, "record", f"{rid}: {res} has no record {rec!r}")
        expected = date_id(rec, d["bound"], src)
        if rid != expected:
            yield Error("id-pattern", "dates", row, "id", f"{rid}: expected {expected}")
        own = evidence[("dates", rid)]
        if not own:
            continue  # the evidence rule reports a row without evidence
        for e in own:
            if e["source"] != src:
                yield Error("date-evidence", "dates", row, "source", f"{rid}: evidence {e['id']} is from {e['source']}")
            if e.get("basis") != d["basis"]:
                yield Error("date-evidence", "dates", row, "basis", f"{rid}: evidence {e['id']} is {e.get('basis')}")
        if src not in {e["source"] for e in evidence[(res, rec)]}:
            yield Error("date-evidence", "dates", row, "source", f"{rid}: {src} dates {rec} but does not report it")
        bounds[(rec, src)][d["bound"]] = d
    yield from _order_errors(bounds)


def _order_errors(bounds: dict[tuple[str, str], dict[str, dict]]) -> Iterable[Error]:
    """Where one source gives both bounds with a known year, start is not after end (never across sources)."""
    for pair in bounds.values():
        start, end = pair.get("start"), pair.get("end")
        if start is None or end is None:
            continue
        a, b = _EDTF.match(start["date"]), _EDTF.match(end["date"])
        if a and b and "XXXX" not in (a.group("y"), b.group("y")):
            n = min(len(start["date"]), len(end["date"]))
            if start["date"][:n] > end["date"][:n]:
                yield Error(
                    "date-order", "dates", end["_row"], "date", f"{end['id']}: ends before {start['id']} starts"
                )
