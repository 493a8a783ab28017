"""A diff is also a patch: rebuild the new package's rows from the old package's and the diff."""

from __future__ import annotations

import pyarrow as pa

from ..tabular.schema import Schema
from .model import Diff, ResourceDiff


def apply_diff(tables: dict[str, pa.Table], d: Diff) -> dict[str, pa.Table]:
    """The new package's rows, rebuilt from the old package's rows (as :func:`read_rows` gives them) and the diff.

    Rows common to both keep their old order, with their changed values; rows
    the new package added follow, in the new package's order. Returns typed
    Arrow tables keyed by resource name.
    """
    out: dict[str, pa.Table] = {}
    for name, rd in d.resources.items():
        if rd.status == "removed":
            continue
        if rd.status == "added":
            out[name] = rd.added if rd.added is not None else pa.table({})
            continue
        if rd.status == "renamed":
            out[name] = tables[rd.old_name or name]
            continue
        out[name] = _apply_resource(tables[name], rd)
    return out


def _apply_resource(table: pa.Table, rd: ResourceDiff) -> pa.Table:
    new_schema = Schema.from_descriptor(rd.new_schema) if rd.new_schema else None
    target = rd.added.schema if rd.added is not None else None
    table = table.rename_columns([rd.renamed_fields.get(c, c) for c in table.column_names])
    names = new_schema.field_names if new_schema else table.column_names
    key = rd.key
    if not key:  # whole-row identity: drop the removed occurrences, append the added ones
        rows = table.to_pylist()
        for r in rd.removed.to_pylist() if rd.removed is not None else []:
            r = {rd.renamed_fields.get(k, k): v for k, v in r.items()}
            rows.remove(r)
        rows += rd.added.to_pylist() if rd.added is not None else []
        return pa.Table.from_pylist([{n: r.get(n) for n in names} for r in rows], schema=target)
    removed = {tuple(r[k] for k in key) for r in rd.removed.select(key).to_pylist()} if rd.removed else set()
    changes = {tuple(m.key[k] for k in key): m.cells for m in rd.modified}
    rows = []
    for r in table.to_pylist():
        k = tuple(r.get(c) for c in key)
        if k in removed:
            continue
        row = {n: r.get(n) for n in names}
        for f, (_, new) in changes.get(k, {}).items():
            row[f] = new
        rows.append(row)
    rows += rd.added.to_pylist() if rd.added is not None else []
    if target is not None:
        return pa.Table.from_pylist(rows, schema=target)
    return pa.Table.from_pylist(rows)
