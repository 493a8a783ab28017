"""The date blocks of events and claims: a date, its precision, its basis and its relative anchor agree."""

from __future__ import annotations

import pytest

from energy_ties.dataset.dates import date_problem


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
    assert (date_problem(date, precision, basis, relative) is None) is ok
