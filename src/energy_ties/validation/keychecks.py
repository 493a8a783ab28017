"""The end-of-table key checks: unique fields, primary key, unique keys, and foreign keys across tables.

Keys are gathered as typed columns while the table is read (see
:class:`energy_ties.tabular.keys.KeyColumns`) and compared once, at the end.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from ..tabular.pykeys import PyKeys, missing_references
from ..tabular.schema import Schema

if TYPE_CHECKING:  # Arrow is imported where keys are compared with it: a small table's are compared in Python
    import pyarrow as pa

    from ..tabular.keys import KeyColumns
from .report import Collector, Error, TableResult


def finish_keys(result: TableResult, schema: Schema, name: str, collector: Collector) -> None:
    """The checks that need the whole table: unique fields, the primary key, the unique keys."""
    _unique_fields(result, name, collector)
    _primary_key(result, name, collector)
    _unique_keys(result, schema, name, collector)


def _unique_fields(result: TableResult, name: str, collector: Collector) -> None:
    """The unique constraint, field by field: nulls never collide."""
    for u in result.unique_fields:
        number = result.numbers[u]
        for row, first in _duplicates(result.keys[(u,)], ["k0"], every=True):
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
        keys = result.keys[pk]
        cols = [f"k{i}" for i in range(len(pk))]
        for row in _all_null_rows(keys, cols):
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
        for row, first in _duplicates(keys, cols, every=False):
            collector.add(
                Error(
                    "primary-key",
                    name,
                    row,
                    None,
                    f'Row at position "{row}" violates the primary key: the same as in the row at position {first}',
                )
            )


def _duplicates(keys: KeyColumns | PyKeys, cols: list[str], every: bool) -> Iterator[tuple[int, int]]:
    """(row, first row) of the repeated keys among the rows with every key cell valid (``every``), or with
    at least one; none at all when the keys are strictly increasing."""
    if isinstance(keys, PyKeys):
        if keys.kinds() is not None:
            return iter(keys.duplicates(every))
        keys = keys.arrow()
    import pyarrow.compute as pc

    from ..tabular import spill
    from ..tabular.keys import all_of, duplicates

    if keys.increasing:
        return iter(())
    if keys.spilled is not None:
        where = spill.none_null(cols) if every else f"NOT {spill.all_null(cols)}"
        return spill.duplicate_pairs(keys.spilled, cols, where)
    table = keys.table()
    kept = all_of(table, cols, pc.is_valid) if every else pc.invert(all_of(table, cols, pc.is_null))
    return iter(duplicates(table.filter(kept), cols))


def _all_null_rows(keys: KeyColumns | PyKeys, cols: list[str]) -> Iterator[int]:
    if isinstance(keys, PyKeys):
        if keys.kinds() is not None:
            return iter(keys.all_null_rows())
        keys = keys.arrow()
    import pyarrow.compute as pc

    from ..tabular import spill
    from ..tabular.keys import all_of

    if keys.increasing:
        return iter(())
    if keys.spilled is not None:
        return spill.rows_where(keys.spilled, spill.all_null(cols))
    table = keys.table()
    return iter(table.filter(all_of(table, cols, pc.is_null))["row"].to_pylist())


def _unique_keys(result: TableResult, schema: Schema, name: str, collector: Collector) -> None:
    """uniqueKeys (v2): rows with any null in the key are exempt."""
    for uk in schema.unique_keys:
        uk = tuple(uk)
        if uk not in result.keys:
            continue
        cols = [f"k{i}" for i in range(len(uk))]
        for row, first in _duplicates(result.keys[uk], cols, every=True):
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
    child: KeyColumns | PyKeys,
    parent: KeyColumns | PyKeys | None,
    fields: tuple[str, ...],
    ref_resource: str,
    ref_fields: tuple[str, ...],
    name: str,
    collector: Collector,
    order: int,
) -> None:
    """Report child rows whose (not all-null) key is absent from the parent's keys (nulls equal nulls)."""
    cols = [f"k{i}" for i in range(len(fields))]
    found: Iterable[tuple[int, list]] | None = None
    if isinstance(child, PyKeys) and (parent is None or isinstance(parent, PyKeys)):
        found = missing_references(child, parent)
    if found is None:
        found = _arrow_missing(
            child.arrow() if isinstance(child, PyKeys) else child,
            parent.arrow() if isinstance(parent, PyKeys) else parent,
            cols,
        )
    for row, values in found:
        shown = ", ".join(str(v) for v in values)
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


def _arrow_missing(child: KeyColumns, parent: KeyColumns | None, cols: list[str]) -> Iterator[tuple[int, list]]:
    """(row, key values) of the child rows (not all null) whose key the parent does not hold, by Arrow."""
    spilled = child.spilled is not None or (parent is not None and parent.spilled is not None)
    for missing in (_missing_spilled if spilled else _missing)(child, parent, cols):
        values = [missing[c].to_pylist() for c in cols]
        for i, row in enumerate(missing["row"].to_pylist()):
            yield row, [v[i] for v in values]


def _missing(child: KeyColumns, parent: KeyColumns | None, cols: list[str]) -> Iterator[pa.Table]:
    """The child rows (not all null) whose key the parent does not hold, in memory with Arrow."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from ..tabular.keys import NAN_TOKEN, all_of, comparable, null_safe

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
    yield missing.sort_by("row")


def _missing_spilled(child: KeyColumns, parent: KeyColumns | None, cols: list[str]) -> Iterator[pa.Table]:
    """The same rows, found by DuckDB; the casts between the two sides' types are Arrow's, as in memory."""
    import pyarrow as pa

    from ..tabular import spill
    from ..tabular.keys import NAN_TOKEN, comparable, null_safe

    ckeys = child.spill()
    store = ckeys.store
    not_null = f"NOT {spill.all_null(cols)}"
    if parent is None:
        yield from ckeys.batches(f'SELECT * FROM {{t}} WHERE {not_null} ORDER BY "row"')
        return
    pkeys = parent.spill()
    lempty, rempty = spill.empty(ckeys), spill.empty(pkeys).select(cols)
    left, right = comparable(lempty, rempty, cols, child.families, parent.families)
    if left is None or right is None:  # a key that can never match: every child row is missing, as it is
        yield from ckeys.batches(f'SELECT * FROM {{t}} WHERE {not_null} ORDER BY "row"')
        return
    made = []
    ctable, ptable = ckeys.table, pkeys.table
    if left.schema != lempty.schema:
        ctable = spill.convert(ckeys, lambda b: comparable(b, rempty, cols, child.families, parent.families)[0])
        made.append(ctable)
    if right.schema != rempty.schema:
        ptable = spill.convert(pkeys, lambda b: comparable(lempty, b, cols, child.families, parent.families)[1])
        made.append(ptable)
    where, params = not_null, []
    for c in cols:  # a NaN in the referenced table is not a value anyone can point at
        if pa.types.is_string(rempty.schema.field(c).type):
            where += f" AND NOT coalesce(starts_with({c}, ?), false)"
            params.append(NAN_TOKEN)
    try:
        for batch in spill.anti_join(store, ctable, ptable, cols, where, params):
            yield null_safe(batch, cols)[0]  # the values shown are the in-memory join's: nulls filled
    finally:
        for t in made:
            store.con.execute(f"DROP TABLE {t}")
