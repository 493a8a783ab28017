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
from ..tabular.schema import Field
from ..tabular.spill import KeyStore
from .plan import (
    add_cell_errors,
    blank_row,
    empty_lines_matter,
    finish_table,
    inferred,
    prepare,
    ragged_errors,
    type_note,
)
from .report import Collector, TableResult

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
    reader = TableReader(
        resource, empty_lines_matter=empty_lines_matter(schema), **({"block_bytes": block_bytes} if block_bytes else {})
    )
    checks: list[FieldCheck] | None = None

    def make_keys(k: tuple[str, ...], fields: tuple[Field | None, ...]) -> KeyColumns:
        return KeyColumns(k, tuple(key_family(f) for f in fields), store)

    failure: SourceError | None = None
    try:
        for batch in prefetched(reader.batches()):
            if checks is None:
                schema = schema or inferred(reader)
                checks = prepare(reader, schema, name, collector, result, wanted_keys, make_keys)
            _check_batch(batch, checks, name, collector, result)
    except SourceError as exc:
        failure = exc
    finish_table(reader, resource, checks is not None, failure, collector, result)
    return result


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
        _emit(collector, p.invalid & active, rows, raw, name, fc, "type-error", 0, type_note(fc.field))
        for order, (cname, mask, note) in enumerate(fc.violations(raw, p, active), start=1):
            _emit(collector, mask, rows, raw, name, fc, "constraint-error", order, note, cname)
    _ragged_rows(batch, blank, len(checks), [fc.field.name for fc in checks], name, collector)
    if blank.any():
        for r in rows[blank]:
            collector.add(blank_row(name, int(r)))
    # key columns for the end-of-table checks
    for key, kc in result.keys.items():
        assert isinstance(kc, KeyColumns)
        kc.add({k: key_values(first[k]) for k in key if k in first}, rows)


def _ragged_rows(
    batch: Batch, blank: np.ndarray, width: int, names: list[str], name: str, collector: Collector
) -> None:
    """Extra and missing cells of the rows whose length differs from the header (unless blank)."""
    rows = batch.rows
    for rg in batch.ragged:
        if blank[int(np.searchsorted(rows, rg.row))]:  # rows are in ascending order
            continue
        for e in ragged_errors(rg.row, rg.cells, width, names, name):
            collector.add(e)


def _emit(
    collector: Collector,
    mask: np.ndarray,
    rows: np.ndarray,
    raw: pa.Array,
    resource: str,
    fc: FieldCheck,
    type_: str,
    order: int,
    note: str,
    constraint: str | None = None,
) -> None:
    count = int(mask.sum())
    if not count:
        return
    room = collector.room((resource, type_, fc.field.name, constraint))
    shown = np.flatnonzero(mask)[:room]
    values = raw.take(pa.array(shown)).to_pylist() if len(shown) else []
    hits = zip((int(rows[i]) for i in shown), values)
    add_cell_errors(collector, hits, count, resource, fc, type_, order, note, constraint)
