"""Read a table strictly into typed Arrow columns: the one reader behind load() and diff().

Each column is parsed by :mod:`energy_ties.tabular.columns` (the validator's parser),
so a table reads if and only if its cells are valid, and the first bad cell
raises one error naming file, row and field. Types without an Arrow form of
their own are held in a canonical text form (JSON for objects and arrays,
ISO 8601 for durations, ``YYYY-MM`` for year-months) so that equal values
compare equal.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import numpy as np
import pyarrow as pa

from ..errors import PackageReadError
from . import columns
from .columns import encodable
from .constraints import FieldCheck
from .csvreader import SourceError, TableReader, TableSource
from .schema import Field


def _text(value: Any, f: Field) -> str:
    if f.type in ("object", "array", "geojson"):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    if f.type == "yearmonth":
        return f"{value[0]:04d}-{value[1]:02d}"
    if f.type == "duration":
        import isodate

        return isodate.duration_isoformat(value)
    if f.type == "geopoint":
        return f"{value[0]},{value[1]}"
    return str(value)


def _controlled(f: Field) -> tuple[FieldCheck, str] | None:
    """The validator's check of the field's closed list of values (its categories, else its enum), if any."""
    if f.controlled is None:
        return None
    check = FieldCheck.build(f, 0, required=False)
    name = "categories" if f.categories is not None else "enum"
    return (check, name) if getattr(check, name) is not None else None


def arrow_column(
    raw: pa.Array,
    f: Field,
    label: str,
    rows: np.ndarray,
    strict: bool = True,
    controlled: tuple[FieldCheck, str] | None = None,
) -> pa.Array:
    """The typed column of a batch's text column; raises on the first value not of its type.

    ``strict`` also refuses a missing required value and a value outside the
    field's categories or enum (checked as the validator checks them, by
    ``controlled``: see _controlled); without it those rows are read as they
    are (diff compares releases whatever their validity, which is validate's
    business).
    """
    parsed = columns.parse(raw, f)
    if parsed.invalid.any():
        i = int(np.flatnonzero(parsed.invalid)[0])
        raise PackageReadError(f"{label}: row {rows[i]}, field {f.name!r}: value is not a valid {f.type} ({f.format})")
    if strict and f.required and parsed.missing.any():
        i = int(np.flatnonzero(parsed.missing)[0])
        raise PackageReadError(f"{label}: row {rows[i]}, field {f.name!r}: a value is required")
    if strict and controlled is not None:
        check, name = controlled
        bad = np.flatnonzero(check.breaks(name, raw, parsed, ~parsed.missing))
        if len(bad):
            i = int(bad[0])
            what = "categories" if name == "categories" else "values"
            raise PackageReadError(
                f"{label}: row {rows[i]}, field {f.name!r}: {parsed.python_value(i)!r} is not one of its {what}"
            )
    if not parsed.is_python:
        values = parsed.values
        if parsed.exotic:
            i = next(iter(parsed.exotic))
            if f.type in ("integer", "year"):
                raise PackageReadError(
                    f"{label}: row {rows[i]}, field {f.name!r}: integer {parsed.exotic[i]} does not fit in 64 bits"
                )
            assert isinstance(values, pa.Array)
            floats = values.to_pylist()  # NaN, or decimals beyond float64's exact digits
            for j, v in parsed.exotic.items():
                floats[j] = float(v)
            values = pa.array(floats, pa.float64())
        return values
    objects = parsed.values.tolist()  # None where missing (and no cell is invalid here)
    if f.type in ("list", "date", "datetime", "time", "any"):
        try:
            return pa.array(objects)
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError):
            pass
    return pa.array([None if v is None else _text(v, f) for v in objects], pa.string())


def read_typed(resource: TableSource, strict: bool = True) -> pa.Table:
    """One tabular resource as a typed Arrow table, in the schema's field order (see arrow_column)."""
    parts = list(typed_batches(resource, strict))
    if not parts:
        return empty_table(resource)
    if len(parts) == 1:
        return parts[0]
    return pa.concat_tables(parts, promote_options="permissive")


def empty_table(resource: TableSource) -> pa.Table:
    """The typed table of a resource without rows."""
    assert resource.schema is not None
    return pa.table({f.name: pa.array([], _empty_type(f)) for f in resource.schema.fields})


def typed_batches(resource: TableSource, strict: bool = True, block_bytes: int | None = None) -> Iterator[pa.Table]:
    """The typed table of a resource batch by batch (diff spills them to disk past its memory budget);
    ``block_bytes``, if given, is the size of the blocks Arrow's CSV reader parses at a time (see TableReader)."""
    if resource.schema is None:
        raise PackageReadError(f"resource {resource.name!r}: has no Table Schema, so it cannot be read as a table")
    label = resource.label
    schema = resource.schema
    for name in schema.field_names:
        if not encodable(name):  # Arrow's column names are UTF-8
            raise PackageReadError(f"{label}: field name {name!r} is not valid Unicode (a lone surrogate)")
    reader = TableReader(resource) if block_bytes is None else TableReader(resource, block_bytes=block_bytes)
    controls = [_controlled(f) for f in schema.fields]
    positions: list[int] | None = None  # of the fields in the data, known once the header is read
    try:
        for batch in reader.batches():
            if batch.ragged:
                r = batch.ragged[0]
                raise PackageReadError(
                    f"{label}: row {r.row}: has {len(r.cells)} cells, the header has {len(batch.columns)}"
                )
            if positions is None:
                positions = _positions(reader.labels or [], schema.field_names, label)
            columns = [
                arrow_column(batch.columns[pos], f, label, batch.rows, strict, control)
                for f, pos, control in zip(schema.fields, positions, controls)
            ]
            yield pa.table(columns, names=schema.field_names)
    except SourceError as exc:
        where = f", row {exc.row}" if exc.row else ""
        raise PackageReadError(f"{label}{where}: {exc}") from None
    if reader.labels is not None:
        _positions(reader.labels, schema.field_names, label)


def _empty_type(f: Field) -> pa.DataType:
    return {
        "integer": pa.int64(),
        "year": pa.int64(),
        "number": pa.float64(),
        "boolean": pa.bool_(),
        "date": pa.date32(),
    }.get(f.type, pa.string())


def _positions(labels: list[str], names: list[str], label: str) -> list[int]:
    """Where each schema field sits in the data: by name in the header, which must hold them all;
    by position when there is no header (as the validator pairs them)."""
    if not labels:
        return list(range(len(names)))
    index = {name: i for i, name in reversed(list(enumerate(labels)))}
    out = []
    for name in names:
        if name not in index:
            raise PackageReadError(f"{label}: row 1: the header has no column {name!r}")
        out.append(index[name])
    return out
