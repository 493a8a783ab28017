"""Check one table against its Table Schema, batch by batch, vectorised.

The semantics are frictionless-py's where it implements a rule (header
checks, types, constraints, unique, primary and foreign keys, blank rows,
missing and extra cells) and the Table Schema v2 text where it does not
(``categories``, ``uniqueKeys``, ``jsonSchema``, primary keys implying
``required``). Each batch of rows is checked column by column with Arrow
compute; only cells outside the canonical form of their type, and fields
whose type has no vectorised form, are checked one by one in Python. Keys
for uniqueness and references are collected as typed columns and compared
once, at the end, with Arrow.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from ..tabular import columns
from ..tabular.constraints import FieldCheck
from ..tabular.csvreader import Batch, SourceError, TableReader, TableSource
from ..tabular.keys import KeyColumns, key_family, key_values
from ..tabular.prefetch import prefetched
from ..tabular.schema import Field, Schema
from ..tabular.spill import KeyStore
from .header import Header, check_header
from .keychecks import finish_keys
from .report import Collector, Error, TableResult

# ---------------------------------------------------------------- the table


def check_table(
    resource: TableSource,
    collector: Collector,
    wanted_keys: set[tuple[str, ...]],
    block_bytes: int | None = None,
    store: KeyStore | None = None,
) -> TableResult:
    """Check one table; gather the key columns in ``wanted_keys`` (for references checked later).

    A table without a schema is checked as frictionless checks it: against a schema of ``any`` fields named
    by its header (label, cell-count, blank-row and encoding errors; no value has a wrong type).
    """
    schema = resource.schema
    name = resource.name
    result = TableResult()
    empty_lines_matter = schema is not None and (
        any("" not in f.missing_values for f in schema.fields) or "" not in schema.missing_values
    )
    reader = TableReader(
        resource, empty_lines_matter=empty_lines_matter, **({"block_bytes": block_bytes} if block_bytes else {})
    )
    checks: list[FieldCheck] | None = None
    try:
        for batch in prefetched(reader.batches()):
            if checks is None:
                schema = schema or _inferred(reader)
                checks = _prepare(reader, schema, name, collector, result, wanted_keys, store)
            _check_batch(batch, checks, name, collector, result)
    except SourceError as exc:
        collector.add(Error(exc.type, name, exc.row, None, f"{resource.label}: {exc}"))
        result.readable = False
    if result.readable and reader.labels == [] and result.rows == 0:  # an empty line and nothing after it
        collector.add(Error("source-error", name, None, None, f"{resource.label}: the source is empty"))
        result.readable = False
    elif checks is None and result.readable:
        schema = schema or _inferred(reader)
        _start(reader, schema, name, collector)  # no rows: the header's errors still count
    finish_keys(result, schema or Schema(fields=()), name, collector)
    return result


def _inferred(reader: TableReader) -> Schema:
    """The schema frictionless infers for a table without one, less the guessed types: a field per label."""
    return Schema(fields=tuple(Field(name=label, type="any") for label in reader.labels or []))


def _prepare(
    reader: TableReader,
    schema: Schema,
    name: str,
    collector: Collector,
    result: TableResult,
    wanted_keys: set[tuple[str, ...]],
    store: KeyStore | None,
) -> list[FieldCheck]:
    """Once the header is read: its errors, each column's checks, and the key columns to gather."""
    header = _start(reader, schema, name, collector)
    pk = schema.primary_key
    refs = reader.resource.references
    checks = [FieldCheck.build(f, n, f.required or f.name in pk, refs) for f, n in zip(header.handlers, header.numbers)]
    for fc in checks:
        for problem in fc.problems:
            collector.add(Error("field-error", name, None, fc.field.name, problem))
    result.unique_fields = [f.name for f in header.handlers if f.unique]
    for f, n in zip(header.handlers, header.numbers):
        result.numbers.setdefault(f.name, n)  # a name given twice: its first column
    collect = set(wanted_keys) | {tuple(uk) for uk in schema.unique_keys}
    if pk and set(pk) <= set(result.numbers):
        result.primary_key = tuple(pk)
        collect.add(tuple(pk))
    for u in result.unique_fields:
        collect.add((u,))
    by_name: dict[str, Field] = {}
    for f in header.handlers:
        by_name.setdefault(f.name, f)
    for k in collect:
        result.keys[k] = KeyColumns(k, tuple(key_family(by_name.get(n)) for n in k), store)
    return checks


def _start(reader: TableReader, schema: Schema, name: str, collector: Collector) -> Header:
    header = check_header(reader.labels if reader.labels is not None else [], schema, name)
    for e in header.errors:
        collector.add(e)
    return header


def _check_batch(batch: Batch, checks: list[FieldCheck], name: str, collector: Collector, result: TableResult) -> None:
    n = len(batch)
    if not n:
        return
    result.rows += n
    rows = batch.rows
    width = len(batch.columns)
    raws = [batch.columns[i] if i < width else pa.nulls(n, pa.string()) for i in range(len(checks))]
    parsed = [columns.parse(raw, fc.field) for fc, raw in zip(checks, raws)]
    first: dict[str, columns.Parsed] = {}  # by field name: the first column of that name (for keys)
    for fc, p in zip(checks, parsed):
        first.setdefault(fc.field.name, p)
    # blank rows: every field empty, none with a type error
    blank = np.ones(n, bool)
    for p in parsed:
        blank &= p.missing & ~p.invalid
    active = ~blank
    # cell errors
    for fc, raw, p in zip(checks, raws, parsed):
        f = fc.field
        _emit(
            collector,
            p.invalid & active,
            rows,
            raw,
            name,
            f,
            fc.number,
            "type-error",
            0,
            f'type is "{f.type}/{f.format}"',
        )
        for order, (cname, mask, note) in enumerate(fc.violations(raw, p, active), start=1):
            _emit(collector, mask, rows, raw, name, f, fc.number, "constraint-error", order, note, cname)
    _ragged_rows(batch, blank, len(checks), [fc.field.name for fc in checks], name, collector)
    if blank.any():
        for r in rows[blank]:
            collector.add(Error("blank-row", name, int(r), None, f"row {int(r)} is completely blank"))
    # key columns for the end-of-table checks
    for key, kc in result.keys.items():
        kc.add({k: key_values(first[k]) for k in key if k in first}, rows)


def _ragged_rows(
    batch: Batch, blank: np.ndarray, width: int, names: list[str], name: str, collector: Collector
) -> None:
    """Extra and missing cells of the rows whose length differs from the header (unless blank)."""
    rows = batch.rows
    for rg in batch.ragged:
        if blank[int(np.searchsorted(rows, rg.row))]:  # rows are in ascending order
            continue
        for number in range(width + 1, len(rg.cells) + 1):
            collector.add(
                Error(
                    "extra-cell",
                    name,
                    rg.row,
                    "",
                    f"there is an extra cell in field number {number}",
                    field_number=number,
                    cell=rg.cells[number - 1],
                )
            )
        for number in range(len(rg.cells) + 1, width + 1):
            fname = names[number - 1]
            collector.add(
                Error(
                    "missing-cell",
                    name,
                    rg.row,
                    fname,
                    f'there is a missing cell in field "{fname}"',
                    field_number=number,
                    cell="",
                )
            )


def _emit(
    collector: Collector,
    mask: np.ndarray,
    rows: np.ndarray,
    raw: pa.Array,
    resource: str,
    f: Field,
    number: int,
    type_: str,
    order: int,
    note: str,
    constraint: str | None = None,
) -> None:
    count = int(mask.sum())
    if not count:
        return
    kind = (resource, type_, f.name, constraint)
    room = collector.room(kind)
    idx = np.flatnonzero(mask)
    shown = idx[:room]
    if len(shown):
        values = raw.take(pa.array(shown)).to_pylist()
        for i, cell in zip(shown, values):
            cell = "" if cell is None else cell
            what = "Type error" if type_ == "type-error" else "Constraint error"
            collector.add(
                Error(
                    type_,
                    resource,
                    int(rows[i]),
                    f.name,
                    f'{what} in the cell "{_short(cell)}" in row "{int(rows[i])}" and field '
                    f'"{f.name}" at position "{number}": {note}',
                    field_number=number,
                    cell=cell,
                    constraint=constraint,
                    order=order,
                ),
                kind,
            )
    if count > len(shown):
        collector.count_only(kind, count - len(shown))


def _short(text: str, limit: int = 80) -> str:
    text = text.replace("\n", "\\n").replace("\r", "\\r")
    return text if len(text) <= limit else text[: limit - 1] + "…"
