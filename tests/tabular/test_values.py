"""The fast readers of cells agree with the reference readers they stand in for."""

from __future__ import annotations

import datetime as dt

from hypothesis import example, given
from hypothesis import strategies as st

from energy_ties.tabular.values import iso_date


def outcome(read, cell: str):
    """The value read, or the kind of error that refused the cell."""
    try:
        return read(cell)
    except (ValueError, TypeError) as exc:
        return type(exc)


def strptime_date(cell: str) -> dt.date:
    return dt.datetime.strptime(cell, "%Y-%m-%d").date()


dates = st.dates().map(dt.date.isoformat)
near_dates = st.builds(
    lambda y, m, d, sep: f"{y}{sep}{m}{sep}{d}",
    st.text("0123456789٣", min_size=1, max_size=5),
    st.text("0123456789", min_size=1, max_size=3),
    st.text("0123456789 ", min_size=1, max_size=3),
    st.sampled_from(["-", "/", "--", ""]),
)


@given(st.one_of(dates, near_dates, st.text(max_size=12)))
@example("2024-02-30")
@example("٢٠٢٤-٠١-٠٥")
@example("2024-1-05")
@example("0000-01-01")
def test_iso_date_is_strptime(cell: str) -> None:
    """Every cell reads as strptime with the default date format reads it, or is refused as strptime refuses it."""
    assert outcome(iso_date, cell) == outcome(strptime_date, cell)
