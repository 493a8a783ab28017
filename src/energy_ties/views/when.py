"""When: each record's date as one row, and where it falls on a timeline, without guessing a year.

A record may be dated by several sources (one ``dates`` row each). The view
shows one version per bound: a stated one before an inferred one, then the
most precise, then the first source by id; how many versions there are is
kept beside it, and :func:`energy_ties.views.disagreements` shows them all.

The sort key orders, in four tiers: dates whose year is known (by their
earliest day); dates with month and day but no year, in calendar order (the
year is not given, so they follow the dated ones); dates placed relative to
their source's publication (by their rough offset from it in days, so that
'last year' comes before 'last month' and 'yesterday' before 'today'); and
undated records last. Different sources' publications are not known to
coincide: the flag ``relative`` says a date is only placed by its anchor.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

import pandas as pd

from .base import DATE, STRING, dates

#: Rough position of each anchor, in days from its source's publication: only for ordering.
ANCHOR_DAYS = {
    "publication-recent-years": -1095,
    "publication-year-minus-1": -365,
    "publication-month-minus-1": -30,
    "publication-week-minus-1": -7,
    "weekday-tuesday": -3,
    "weekday-friday": -3,
    "before-publication": -2,
    "publication-day-minus-1": -1,
    "publication-day": 0,
    "after-publication": 1,
}
_PRECISE = {"day": 0, "week": 1, "month": 2, "year": 3}
#: The columns each bound contributes, with what they hold.
BOUND_FIELDS = {
    "": "the date as the source gives it, in EDTF (XXXX: no year given); empty when only an anchor is known",
    "_precision": "how precisely it is known (day, week, month, year)",
    "_basis": "stated, or inferred (the source implies it)",
    "_anchor": "for an inferred date, what it is relative to, in its source's own time (its publication)",
    "_source": "the source whose version this is",
}


def _nonempty(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def position(date: str | None, precision: str | None, anchor: str | None) -> dict[str, Any]:
    """Where one date version falls: earliest and latest day where its year is known, and its sort key."""
    date, anchor = _nonempty(date), _nonempty(anchor)
    if date is None and anchor is None:
        return {"earliest": None, "latest": None, "year_known": False, "relative": False, "sort_key": "3|"}
    parts = date.split("-") if date else []
    if parts and parts[0] != "XXXX" and anchor is None:
        year = int(parts[0])
        month = int(parts[1]) if len(parts) > 1 else None
        day = int(parts[2]) if len(parts) > 2 else None
        first = dt.date(year, month or 1, day or 1)
        last_month = month or 12
        last = dt.date(year, last_month, day or calendar.monthrange(year, last_month)[1])
        return {
            "earliest": first,
            "latest": last,
            "year_known": True,
            "relative": False,
            "sort_key": f"0|{first}|{last}",
        }
    month_day = "-".join(parts[1:3]).ljust(5, "0") if len(parts) > 1 else "00-00"
    if anchor is None:
        return {"earliest": None, "latest": None, "year_known": False, "relative": False, "sort_key": f"1|{month_day}"}
    offset = ANCHOR_DAYS.get(anchor, 0)
    if len(parts) > 1:  # a month (and day) within the anchor's year: placed inside it
        day_of_year = dt.date(2000, int(parts[1]), int(parts[2]) if len(parts) > 2 else 1).timetuple().tm_yday
        offset += day_of_year - 183
    return {
        "earliest": None,
        "latest": None,
        "year_known": False,
        "relative": True,
        "sort_key": f"2|{offset + 100000:06d}",
    }


def chosen_dates(t: Any, resource: str) -> pd.DataFrame:
    """One row per record of ``resource``: each bound's chosen version, the number of versions, and the
    record's place on the timeline (by its start, else its end)."""
    d = dates(t)
    d = d[d["resource"] == resource].copy()
    d["_rank"] = [
        (b != "stated", _PRECISE.get(p, 9) if isinstance(p, str) else 9, s if isinstance(s, str) else "")
        for b, p, s in zip(d["basis"], d["precision"], d["source"])
    ]
    d = d.sort_values(["record", "bound"]).sort_values("_rank", kind="stable")
    rows: dict[str, dict[str, Any]] = {}
    for record, group in d.groupby("record", sort=False):
        row: dict[str, Any] = {"date_versions": len(group)}
        for bound in ("start", "end"):
            version = group[group["bound"] == bound]
            first = version.iloc[0] if len(version) else None
            for suffix, column in (("", "date"), ("_precision", "precision"), ("_basis", "basis")):
                row[bound + suffix] = None if first is None else first[column]
            row[bound + "_anchor"] = None if first is None else first["anchor"]
            row[bound + "_source"] = None if first is None else first["source"]
        bound = "start" if row["start_basis"] is not None else "end"
        row.update(position(row[bound], row[f"{bound}_precision"], row[f"{bound}_anchor"]))
        rows[str(record)] = row
    return pd.DataFrame.from_dict(rows, orient="index")


def date_columns(ids: pd.Series, chosen: pd.DataFrame) -> dict[str, pd.Series]:
    """The date columns of a view whose rows are ``ids``, filled from :func:`chosen_dates` (undated: NA)."""
    out: dict[str, pd.Series] = {}
    for bound in ("start", "end"):
        for suffix in BOUND_FIELDS:
            out[bound + suffix] = _pick(ids, chosen, bound + suffix, STRING)
    out["date_versions"] = _pick(ids, chosen, "date_versions", "Int64").fillna(0)
    out["earliest"] = _pick(ids, chosen, "earliest", DATE)
    out["latest"] = _pick(ids, chosen, "latest", DATE)
    out["year_known"] = _pick(ids, chosen, "year_known", "boolean").fillna(False)
    out["relative"] = _pick(ids, chosen, "relative", "boolean").fillna(False)
    out["sort_key"] = _pick(ids, chosen, "sort_key", STRING).fillna("3|")
    return out


def _pick(ids: pd.Series, chosen: pd.DataFrame, column: str, dtype: Any) -> pd.Series:
    values = [chosen.at[i, column] if i in chosen.index else None for i in ids]
    return pd.Series([None if v is None or v is pd.NA else v for v in values], index=ids.index, dtype=object).astype(
        dtype
    )


DATE_FIELDS: dict[str, tuple[Any, str]] = {
    **{
        bound + suffix: (STRING, f"{bound}: {doc}")
        for bound in ("start", "end")
        for suffix, doc in BOUND_FIELDS.items()
    },
    "date_versions": ("Int64", "how many source versions of its dates there are (see disagreements())"),
    "earliest": (DATE, "the earliest day the date can be, where its year is known"),
    "latest": (DATE, "the latest day the date can be, where its year is known"),
    "year_known": ("boolean", "whether the year is known"),
    "relative": ("boolean", "whether the date is placed only relative to its source's publication"),
    "sort_key": (
        STRING,
        "orders the timeline: known years, then month-and-day without a year, then relative, then undated",
    ),
}
