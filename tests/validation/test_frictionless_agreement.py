"""energy-ties validate finds exactly the errors frictionless finds, where frictionless has the rule.

Hypothesis generates Table Schemas (types, constraints, primary and foreign
keys, missing values) and tables full of trouble: cells outside their type,
in odd but valid forms (" 5", "1_000", "NaN", "2024-1-5"), at and past their
bounds; blank, short, long and duplicate rows; wrong, missing, extra and
duplicate header labels. Both validators read the same files; their reports,
as ordered lists of (row, field number, error type), must be equal.

The generator and its known differences from frictionless are described in helpers/faulty.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
from hypothesis import given, settings

from energy_ties import validate
from helpers import ROOT
from helpers.faulty import case, write


def theirs(path: Path) -> list[tuple]:
    from frictionless import validate as fvalidate

    report = fvalidate(str(path))
    out = []
    for e in report.errors:
        out.append(("package", None, None, e.type))
    for task in report.tasks:
        for e in task.errors:
            row = getattr(e, "row_number", None)
            if row is None and getattr(e, "row_numbers", None):
                row = e.row_numbers[0]
            number = getattr(e, "field_number", None)
            if e.type in ("primary-key", "foreign-key", "blank-row"):
                number = None
            out.append((task.name, row, number, e.type))
    return out


REPORT_SCHEMA = json.loads((ROOT / "src" / "energy_ties" / "schemas" / "validation-report.json").read_text())
# checked against its metaschema once, here: jsonschema.validate() would check it again on every example
jsonschema.validators.validator_for(REPORT_SCHEMA).check_schema(REPORT_SCHEMA)
REPORT_VALIDATOR = jsonschema.validators.validator_for(REPORT_SCHEMA)(REPORT_SCHEMA)


def ours(path: Path) -> list[tuple]:
    report = validate(path, profile="none")
    REPORT_VALIDATOR.validate(report.to_dict())  # every report is what the schema says
    out = []
    for e in report.errors:
        number = None if e.type in ("primary-key", "foreign-key", "blank-row") else e.field_number
        out.append((e.resource or "package", e.row, number, e.type))
    return out


@settings(max_examples=300)
@given(case())
def test_same_errors_as_frictionless(scratch, generated):
    path = write(scratch, *generated)
    expected = theirs(path)
    got = ours(path)
    assert got == expected, (json.dumps(generated[0]), generated[1], generated[2])
