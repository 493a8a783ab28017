"""Every input kind reads as the same table: load(), validate and diff agree with the plain CSV of the same rows.

The reader is one (the table reader, over :mod:`energy_ties.tabular.formats` and
:mod:`energy_ties.tabular.compression`), so a table written as gzip, zip, JSON, JSON Lines, a spreadsheet,
inline data or with a YAML descriptor must load to the frame its CSV loads to, validate as it does (the same
errors, at the same rows and fields) and diff against it with no row changed.
"""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import energy_ties
from energy_ties.errors import PackageReadError
from helpers.inputs import KINDS, write_as

SCHEMA = {
    "fields": [
        {"name": "id", "type": "integer"},
        {"name": "name", "type": "string"},
        {"name": "amount", "type": "number"},
    ],
    "primaryKey": ["id"],
}
HEADER = ["id", "name", "amount"]
ROWS = [[1, "a, b", 1.5], [2, 'say "x"', None], [3, "é", 2.25]]

pytest.importorskip("openpyxl")
pytest.importorskip("ezodf")
pytest.importorskip("python_calamine")


def _report(path):
    report = energy_ties.validate(path)
    return report.valid, [(e.type, e.row, e.field) for e in report.errors]


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_loads_validates_and_diffs_as_its_csv(kind, tmp_path):
    csv_path = write_as("csv", tmp_path / "csv", HEADER, ROWS, SCHEMA)
    path = write_as(kind, tmp_path / "other", HEADER, ROWS, SCHEMA)
    pd.testing.assert_frame_equal(energy_ties.load("t", path=path), energy_ties.load("t", path=csv_path))
    assert _report(path) == (True, [])
    d = energy_ties.diff(csv_path, path)
    assert d.resources["t"].rows == {"added": 0, "removed": 0, "modified": 0}


@pytest.mark.parametrize("kind", KINDS)
def test_a_bad_cell_is_named_alike_in_each_kind(kind, tmp_path):
    bad = [*ROWS, [4, "d", "lots"]]
    csv_path = write_as("csv", tmp_path / "csv", HEADER, bad, SCHEMA)
    path = write_as(kind, tmp_path / "other", HEADER, bad, SCHEMA)
    assert _report(path) == _report(csv_path) == (False, [("type-error", 5, "amount")])
    with pytest.raises(PackageReadError, match=r"row 5, field 'amount'"):
        energy_ties.load("t", path=path)


def test_a_modified_row_is_found_across_kinds(tmp_path):
    old = write_as("csv.gz", tmp_path / "old", HEADER, ROWS, SCHEMA)
    new = write_as("jsonl", tmp_path / "new", HEADER, [*ROWS[:2], [3, "é", 9.0]], SCHEMA)
    d = energy_ties.diff(old, new)
    assert d.resources["t"].rows == {"added": 0, "removed": 0, "modified": 1}


_ROWS = st.lists(
    st.tuples(
        st.text(alphabet='abcXYZ é,"\n', min_size=1, max_size=6).filter(lambda s: s.strip() == s),
        st.one_of(st.none(), st.integers(-(10**6), 10**6).map(lambda i: i / 100)),
    ),
    min_size=1,  # an empty JSON array has no header to read (frictionless: "cannot extract JSON tabular data")
    max_size=8,
)


@settings(max_examples=40, deadline=None)
@given(rows=_ROWS, kind=st.sampled_from([k for k in KINDS if k not in ("xlsx", "ods")]))
def test_any_table_loads_alike_in_any_kind(tmp_path_factory, rows, kind):
    table = [[i, name, amount] for i, (name, amount) in enumerate(rows, start=1)]
    folder = tmp_path_factory.mktemp("kinds")
    csv_path = write_as("csv", folder / "csv", HEADER, table, SCHEMA)
    path = write_as(kind, folder / "other", HEADER, table, SCHEMA)
    pd.testing.assert_frame_equal(energy_ties.load("t", path=path), energy_ties.load("t", path=csv_path))


def test_without_the_spreadsheets_extra_a_spreadsheet_is_one_error_naming_it(tmp_path, monkeypatch):
    path = write_as("xlsx", tmp_path, HEADER, ROWS, SCHEMA)
    monkeypatch.setitem(__import__("sys").modules, "python_calamine", None)  # import now raises ImportError
    errors = energy_ties.validate(path).errors
    assert [e.type for e in errors] == ["format-error"]
    assert 'pip install "energy-ties[spreadsheets]"' in errors[0].message
    with pytest.raises(PackageReadError, match=r"energy-ties\[spreadsheets\]"):
        energy_ties.load("t", path=path)


def test_a_spreadsheet_that_inflates_like_a_bomb_is_refused_before_it_is_parsed(tmp_path):
    import io
    import zipfile

    from energy_ties.files import RATIO_FLOOR

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/worksheets/sheet1.xml", b" " * (RATIO_FLOOR + 1))
    path = write_as("csv", tmp_path, HEADER, ROWS, SCHEMA)
    (tmp_path / "t.xlsx").write_bytes(buf.getvalue())
    path.write_text(path.read_text().replace('"t.csv"', '"t.xlsx"'))
    assert [e.type for e in energy_ties.validate(path).errors] == ["compression-error"]
