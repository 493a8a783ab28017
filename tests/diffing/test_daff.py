"""Rows reported added, removed and modified agree with daff's on the same tables."""

from __future__ import annotations

from hypothesis import given, settings

from energy_ties import diff
from helpers.diffpkg import ITEMS, read_rows, tables, write


def daff_counts(a_rows: list[dict], b_rows: list[dict], names: list[str]) -> dict:
    import daff

    ta = daff.PythonTableView([names] + [[r[n] for n in names] for r in a_rows])
    tb = daff.PythonTableView([names] + [[r[n] for n in names] for r in b_rows])
    flags = daff.CompareFlags()
    flags.addPrimaryKey("id")
    out = daff.PythonTableView([])
    daff.TableDiff(daff.Coopy.compareTables(ta, tb, flags).align(), flags).hilite(out)
    marks = [row[0] for row in out.getData()[1:]]
    return {"added": marks.count("+++"), "removed": marks.count("---"), "modified": marks.count("->")}


@settings(max_examples=40)
@given(tables(), tables())
def test_rows_added_removed_and_modified_agree_with_daff(scratch, ta, tb):
    tmp = scratch
    a = write(tmp / "a", *ta)
    b = write(tmp / "b", *tb)
    names = [f["name"] for f in ITEMS["fields"]]
    rows_a = read_rows(a)["items"].to_pylist()
    rows_b = read_rows(b)["items"].to_pylist()
    assert diff(a, b).resources["items"].rows == daff_counts(rows_a, rows_b, names)
