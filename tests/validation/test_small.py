"""A small table checked in Python gets the very report the Arrow path gives.

``validate(small_bytes=N)`` checks tables of at most N bytes in Python (energy_ties.validation.small) and
the others with Arrow: N = 0 forces the Arrow path, a huge N the Python one. For generated faulty
packages (typed fields with constraints, cells outside their type and in odd valid forms, blank, short,
long and duplicate rows, duplicate primary keys, references to a second table, header faults, CRLF and
byte order marks: helpers/faulty.py) the two reports are equal, error for error and in order.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from energy_ties.datapackage.opening import open_package
from energy_ties.validation.small import SMALL_TABLE_BYTES, all_small, is_small
from helpers import write_package
from helpers.batches import report
from helpers.faulty import case, write

#: dialects Arrow's reader does not read (the Arrow path then reads rows in Python too) and the default
DIALECTS = [None, {"skipInitialSpace": True}, {"commentChar": "#"}]
ARROW, PYTHON = 0, 1 << 30


@settings(max_examples=120)
@given(generated=case(), dialect=st.sampled_from(DIALECTS))
def test_a_small_table_gets_the_report_of_the_arrow_path(scratch, generated, dialect):
    path = write(scratch, *generated, dialect=dialect)
    arrow = report(path, small_bytes=ARROW)
    python = report(path, small_bytes=PYTHON)
    assert python[1] == arrow[1]
    assert python[0] == arrow[0]


def test_the_default_threshold_takes_the_python_path_for_small_tables(tmp_path):
    path = write(tmp_path, {"fields": [{"name": "a", "type": "integer"}]}, ["a"], [["1"], ["x"]], {"fields": []}, [])
    assert SMALL_TABLE_BYTES >= 64 << 10
    assert report(path) == report(path, small_bytes=PYTHON) == report(path, small_bytes=ARROW)


def test_the_threshold_counts_the_tables_together(tmp_path):
    """Python's time grows with the bytes of all the tables, Arrow's start-up is paid once: two tables that
    each fit but together do not take the Arrow path."""
    rows = "a\n" + "".join(f"{i}\n" for i in range(1000))
    schema = {"fields": [{"name": "a", "type": "integer"}]}
    path = write_package(tmp_path, {"t": (schema, rows), "u": (schema, rows)})
    size = len(rows.encode())
    with open_package(path) as pkg:
        tables = [r for r in pkg.resources if r.is_table]
        assert all(is_small(r, size) for r in tables)
        assert all_small(tables, 2 * size) and not all_small(tables, 2 * size - 1)
