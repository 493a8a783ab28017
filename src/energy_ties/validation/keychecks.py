"""The end-of-table key checks: unique fields, primary key, unique keys, and foreign keys across tables.

Keys are gathered as typed columns while the table is read (see
:class:`energy_ties.tabular.keys.KeyColumns`) and compared once, at the end.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from ..tabular.keys import NAN_TOKEN, KeyColumns, all_of, comparable, duplicates, null_safe
from ..tabular.schema import Schema
from .report import Collector, Error, TableResult


def finish_keys(result: TableResult, schema: Schema, name: str, collector: Collector) -> None:
    """The checks that need the whole table: unique fields, the primary key, the unique keys."""
    _unique_fields(result, name, collector)
    _primary_key(result, name, collector)
    _unique_keys(result, schema, name, collector)


def _unique_fields(result: TableResult, name: str, collector: Collector) -> None:
    """The unique constraint, field by field: nulls never collide."""
    for u in result.unique_fields:
        table = result.keys[(u,)].table()
        table = table.filter(pc.is_valid(table["k0"]))
        number = result.numbers[u]
        for row, first in duplicates(table, ["k0"]):
            collector.add(
                Error(
                    "unique-error",
                    name,
                    row,
                    u,
                    f'Row at position "{row}" has unique constraint violation in field '
                    f'"{u}" at position "{number}": the same as in the row at position {first}',
                    field_number=number,
                    constraint="unique",
                )
            )


def _primary_key(result: TableResult, name: str, collector: Collector) -> None:
    """All-null keys are errors, and (as in frictionless) nulls compare equal."""
    pk = result.primary_key  # set only when every key field is in the data (as frictionless checks)
    if pk and pk in result.keys:
        table = result.keys[pk].table()
        cols = [f"k{i}" for i in range(len(pk))]
        allnull = all_of(table, cols, pc.is_null)
        for row in table.filter(allnull)["row"].to_pylist():
            collector.add(
                Error(
                    "primary-key",
                    name,
                    row,
                    None,
                    f'Row at position "{row}" violates the primary key: '
                    'cells composing the primary keys are all "None"',
                )
            )
        for row, first in duplicates(table.filter(pc.invert(allnull)), cols):
            collector.add(
                Error(
                    "primary-key",
                    name,
                    row,
                    None,
                    f'Row at position "{row}" violates the primary key: the same as in the row at position {first}',
                )
            )


def _unique_keys(result: TableResult, schema: Schema, name: str, collector: Collector) -> None:
    """uniqueKeys (v2): rows with any null in the key are exempt."""
    for uk in schema.unique_keys:
        uk = tuple(uk)
        if uk not in result.keys:
            continue
        table = result.keys[uk].table()
        cols = [f"k{i}" for i in range(len(uk))]
        for row, first in duplicates(table.filter(all_of(table, cols, pc.is_valid)), cols):
            collector.add(
                Error(
                    "unique-error",
                    name,
                    row,
                    ",".join(uk),
                    f'Row at position "{row}" violates the unique key ({", ".join(uk)}): '
                    f"the same as in the row at position {first}",
                    constraint="uniqueKeys",
                    order=1,
                )
            )


def check_foreign_key(
    child: KeyColumns,
    parent: KeyColumns | None,
    fields: tuple[str, ...],
    ref_resource: str,
    ref_fields: tuple[str, ...],
    name: str,
    collector: Collector,
    order: int,
) -> None:
    """Report child rows whose (not all-null) key is absent from the parent's keys (nulls equal nulls)."""
    cols = [f"k{i}" for i in range(len(fields))]
    ctable = child.table()
    ctable = ctable.filter(pc.invert(all_of(ctable, cols, pc.is_null)))
    if not ctable.num_rows:
        return
    missing = ctable
    if parent is not None:
        ptable = parent.table()
        ptable = ptable.filter(pc.invert(all_of(ptable, cols, pc.is_null))).select(cols)
        for c in cols:  # a NaN in the referenced table is not a value anyone can point at
            if pa.types.is_string(ptable.schema.field(c).type):
                ptable = ptable.filter(pc.invert(pc.fill_null(pc.starts_with(ptable[c], NAN_TOKEN), False)))
        left, right = comparable(ctable, ptable, cols, child.families, parent.families)
        if left is not None:
            left, keys = null_safe(left, cols)
            right, _ = null_safe(right, cols)
            right = right.group_by(keys, use_threads=False).aggregate([])
            missing = left.join(right, keys=keys, join_type="left anti", use_threads=False)
    missing = missing.sort_by("row")
    rows = missing["row"].to_pylist()
    values = [missing[c].to_pylist() for c in cols]
    for i, row in enumerate(rows):
        shown = ", ".join(str(v[i]) for v in values)
        collector.add(
            Error(
                "foreign-key",
                name,
                row,
                ",".join(fields),
                f'Row at position "{row}" violates the foreign key: for "{", ".join(fields)}": '
                f'values "{shown}" not found in the lookup table "{ref_resource}" as '
                f'"{", ".join(ref_fields)}"',
                order=order,
            )
        )
