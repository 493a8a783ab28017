"""Dates: an EDTF date agrees with its precision and basis, and an inferred date names its anchor."""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable

from ..datapackage.findings import Error

#: (resource, date field) pairs holding an EDTF date with _precision, _basis and _relative companions.
DATE_BLOCKS = (("events", "start"), ("events", "end"), ("claims", "start"), ("claims", "end"), ("sources", "published"))
_EDTF = re.compile(r"^(?P<y>[0-9]{4}|XXXX)(?:-(?P<m>[0-9]{2})(?:-(?P<d>[0-9]{2}))?)?$")
_PRECISION_PARTS = {"year": 1, "month": 2, "day": 3}


def date_errors(t: dict) -> Iterable[Error]:
    for name, prefix in DATE_BLOCKS:
        for r in t.get(name) or []:
            problem = date_problem(
                r.get(prefix, ""),
                r.get(f"{prefix}_precision", ""),
                r.get(f"{prefix}_basis", ""),
                r.get(f"{prefix}_relative", ""),
            )
            if problem:
                yield Error("date-precision", name, r["_row"], prefix, f"{r['id']}: {prefix}: {problem}")


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
