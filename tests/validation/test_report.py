"""The report's JSON text is the indented ``json.dumps`` of its dict, however its errors read."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from energy_ties.datapackage.findings import Error
from energy_ties.validation.report import Report

text = st.text(st.characters(codec=None), max_size=12)  # any code point: quotes, backslashes, surrogates
errors = st.builds(
    Error,
    type=text,
    resource=st.none() | text,
    row=st.none() | st.integers(0, 10**12),
    field=st.none() | text,
    message=text,
    field_number=st.none() | st.integers(0, 99),
    cell=st.none() | text,
    constraint=st.none() | text,
)


@given(st.lists(errors, max_size=5), st.none() | text)
def test_to_json_is_the_indented_dump_of_to_dict(found, version):
    report = Report("package", version, found, len(found) + 1, {"t": 3}, 10, ["descriptor"])
    assert report.to_json() == json.dumps(report.to_dict(), indent=2, ensure_ascii=False)


@given(st.lists(errors, max_size=5))
def test_the_fallback_writer_gives_the_same_text(found):
    from energy_ties.validation.report import _indented

    report = Report("package", None, found, len(found), {}, 10)
    assert _indented(report.to_dict()) == json.dumps(report.to_dict(), indent=2, ensure_ascii=False)
