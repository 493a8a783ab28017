"""The row JSON Schemas and the Table Schemas they are generated from accept and reject the same rows.

Properties, for every resource of the package:
- a row drawn from the Table Schema is accepted by the JSON Schema, by our validator and by frictionless;
- a row drawn from the JSON Schema (hypothesis-jsonschema) is accepted by our validator and frictionless;
- a row broken in one way (wrong type, value outside the categories, broken pattern, missing required
  value, number below its minimum) is rejected by the JSON Schema and by our validator.
"""

from __future__ import annotations

import copy
import functools
import json
import re
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from energy_ties import validate
from energy_ties.tabular.schema import Schema
from helpers import ROOT, csv_text, write_package
from helpers.strategies import rows as table_rows
from helpers.strategies import to_cell

RESOURCES = [p.stem for p in sorted((ROOT / "schemas" / "tables").glob("*.json"))]


def table_schema(name: str) -> dict:
    d = json.loads((ROOT / "schemas" / "tables" / f"{name}.json").read_text())
    d.pop("foreignKeys", None)  # references are checked across tables, not row by row
    return d


@functools.cache
def parsed_schema(name: str) -> Schema:
    return Schema.from_descriptor(table_schema(name))


@functools.cache
def row_lists(name: str, max_size: int) -> st.SearchStrategy:
    """Valid rows of the Table Schema (built once per resource: hypothesis then keeps what it learns of it)."""
    return table_rows(parsed_schema(name), max_size=max_size)


@functools.cache
def json_validator(name: str):
    """The committed row schema's validator, the schema checked against its metaschema (once per resource)."""
    schema = json.loads((ROOT / "schemas" / "rows" / f"{name}.json").read_text())
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


@functools.cache
def json_rows(name: str) -> st.SearchStrategy:
    """Rows drawn from the committed row schema (built once per resource: building it is the slow part)."""
    return from_schema(json.loads((ROOT / "schemas" / "rows" / f"{name}.json").read_text()))


def as_csv(name: str, rows: list[dict]) -> str:
    schema = parsed_schema(name)
    return csv_text(schema.field_names, [[to_cell(r[f.name], f) for f in schema.fields] for r in rows])


def written(folder: Path, name: str, rows: list[dict]) -> Path:
    """A package of the one resource ``name`` holding ``rows``, written (again) in ``folder``."""
    return write_package(folder / "pkg", {name: (table_schema(name), as_csv(name, rows))})


def ours(path: Path):
    return validate(path, profile="none")


def frictionless_errors(path: Path) -> list:
    from frictionless import validate as fvalidate

    report = fvalidate(str(path))
    return [e.type for t in report.tasks for e in t.errors] + [e.type for e in report.errors]


@pytest.mark.parametrize("name", RESOURCES)
@settings(max_examples=10)
@given(data=st.data())
def test_rows_from_the_table_schema_are_accepted_by_all(scratch, name, data):
    rows = data.draw(row_lists(name, 4))
    v = json_validator(name)
    for r in rows:
        assert not list(v.iter_errors(r)), r
    path = written(scratch, name, rows)
    report = ours(path)
    assert report.valid, [e.message for e in report.errors]
    assert frictionless_errors(path) == []


@pytest.mark.parametrize("name", RESOURCES)
@settings(max_examples=10)
@given(data=st.data())
def test_rows_from_the_json_schema_are_accepted_by_the_table_schema(scratch, name, data):
    row = data.draw(json_rows(name))
    path = written(scratch, name, [row])
    report = ours(path)
    assert report.valid, (row, [e.message for e in report.errors])
    assert frictionless_errors(path) == []


def _mutations(schema: Schema):
    """(field, kind) pairs that can break a row of this schema."""
    out = []
    for f in schema.fields:
        if f.required or f.name in schema.primary_key:
            out.append((f.name, "missing"))
        if f.type in ("integer", "number"):
            out.append((f.name, "wrong-type"))
        if f.categories is not None:
            out.append((f.name, "out-of-categories"))
        if "pattern" in f.constraints:
            out.append((f.name, "broken-pattern"))
        if "minimum" in f.constraints:
            out.append((f.name, "below-minimum"))
    return out


def _break(row: dict, field, kind: str, pattern_breaker: str) -> dict:
    row = copy.deepcopy(row)
    if kind == "missing":
        row[field.name] = None
    elif kind == "wrong-type":
        row[field.name] = "twelve"
    elif kind == "out-of-categories":
        row[field.name] = "not-a-category"
    elif kind == "broken-pattern":
        row[field.name] = pattern_breaker
    elif kind == "below-minimum":
        row[field.name] = field.constraints["minimum"] - 1
    return row


@pytest.mark.parametrize("name", RESOURCES)
@settings(max_examples=12)
@given(data=st.data())
def test_broken_rows_are_rejected_by_both(scratch, name, data):
    schema = parsed_schema(name)
    row = data.draw(row_lists(name, 1))[0]
    field_name, kind = data.draw(st.sampled_from(_mutations(schema)))
    field = schema.get(field_name)
    breaker = ""
    if kind == "broken-pattern":
        pat = re.compile(field.constraints["pattern"])
        breaker = data.draw(
            st.text(min_size=1, max_size=12).filter(
                lambda s: pat.fullmatch(s) is None and s not in field.missing_values
            )
        )
    bad = _break(row, field, kind, breaker)
    assert list(json_validator(name).iter_errors(bad)), (kind, bad)
    report = ours(written(scratch, name, [bad]))
    assert not report.valid
    named = {e.field for e in report.errors if e.type != "primary-key"}  # an empty key is also a row error
    assert named == {field_name}, [e.message for e in report.errors]
