"""Validate a data package: descriptor, tables, keys across tables, row schemas, then the dataset's own rules.

One core for the library and the command line (``energy-ties validate``).
Each table is read once for its checks, in bounded batches; the key columns
needed for references are kept from that single pass and compared at the
end. The dataset's own rules come from the profiles registered with
:mod:`energy_ties.validation.hooks`; nothing here knows any dataset.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..datapackage.descriptor import check_package
from ..datapackage.findings import Error
from ..datapackage.model import Package
from ..datapackage.opening import open_package
from ..datapackage.rowschema import row_schema_files
from ..errors import PackageReadError
from ..files import MAX_JSON_BYTES, read_text
from ..tabular.spill import KEY_MEMORY, KeyStore
from .hooks import chosen
from .integrity import check_integrity
from .keychecks import check_foreign_key
from .ordering import order_cell_errors
from .report import Collector, Report, TableResult, finish
from .small import SMALL_TABLE_BYTES, all_small, check_small_table

#: Default cap on the number of errors reported (as frictionless).
LIMIT_ERRORS = 1000


def validate(
    path: str | os.PathLike | None = None,
    *,
    texts: str | os.PathLike | None = None,
    limit_errors: int = LIMIT_ERRORS,
    allow_remote: bool = False,
    profile: str = "auto",
    block_bytes: int | None = None,
    key_memory: int = KEY_MEMORY,
    small_bytes: int = SMALL_TABLE_BYTES,
) -> Report:
    """Validate the package at ``path`` (descriptor, folder or zip; the bundled one when None).

    ``profile`` chooses the dataset rules: ``auto`` (each registered profile
    that recognises the package), ``none``, or a profile's name. ``texts`` is a
    folder of source texts handed to them (the energy-ties profile checks
    every evidence span against it). Raises PackageReadError only when the
    package cannot be read at all; everything else is an error in the report. Key columns beyond
    ``key_memory`` bytes (all tables together) are compared in DuckDB on disk, with the same results. Tables of
    at most ``small_bytes`` together are checked in Python, without Arrow (see :mod:`.small`), with the same
    results.
    """
    if limit_errors < 1:
        raise ValueError("limit_errors must be at least 1")
    with open_package(path, allow_remote=allow_remote) as pkg, KeyStore(key_memory) as store:
        collector = Collector(limit_errors)
        checked = ["descriptor"]
        for e in check_package(pkg):
            collector.add(e)
        rows = _check_tables(pkg, collector, block_bytes, store, small_bytes)
        checked.append("tables")
        for e in check_row_schemas(pkg):
            collector.add(e)
        checked.append("row-schemas")
        for rules in chosen(pkg, profile):
            result = rules.check(pkg, Path(texts) if texts is not None else None)
            for e in result.errors:
                collector.add(e)
            checked += result.checked
        errors, total = finish(collector, [r.name for r in pkg.resources])
        return Report(
            package=pkg.source_label,
            version=pkg.version,
            errors=errors,
            error_count=total,
            rows=rows,
            limit_errors=limit_errors,
            checked=checked,
            types=dict(sorted(collector.types.items(), key=lambda kv: (-kv[1], kv[0]))),
        )


def _wanted_keys(pkg: Package) -> dict[str, set[tuple[str, ...]]]:
    """For each resource, the key columns that foreign keys need from it (as child or as parent)."""
    wanted: dict[str, set[tuple[str, ...]]] = {r.name: set() for r in pkg.resources}
    for res in pkg.resources:
        for fk in res.schema.foreign_keys if res.schema else ():
            wanted[res.name].add(fk.fields)
            target = fk.resource or res.name
            if target in wanted:
                wanted[target].add(fk.reference_fields)
    return wanted


def _check_tables(
    pkg: Package, collector: Collector, block_bytes: int | None, store: KeyStore, small_bytes: int
) -> dict[str, int]:
    wanted = _wanted_keys(pkg)
    results: dict[str, TableResult] = {}
    tables = [res for res in pkg.resources if not res.problems and res.is_table]
    # the Python path saves importing Arrow; once Arrow is needed, it is quicker for every table
    python = all_small(tables, small_bytes)
    for res in pkg.resources:
        if not res.problems and res.is_table:
            if python:
                results[res.name] = check_small_table(res, collector, wanted[res.name], store)
            else:
                from .table import check_table  # Arrow: imported when a table is large

                results[res.name] = check_table(res, collector, wanted[res.name], block_bytes, store)
        check_integrity(res, collector)
    _check_references(pkg, results, collector)
    _order_errors(pkg, results, collector)
    return {name: r.rows for name, r in results.items()}


def _check_references(pkg: Package, results: dict[str, TableResult], collector: Collector) -> None:
    for res in pkg.resources:
        if res.name not in results or res.schema is None:
            continue
        header_names = set(res.schema.field_names)
        for order, fk in enumerate(res.schema.foreign_keys, start=1):
            target = fk.resource or res.name
            child = results[res.name].keys.get(fk.fields)
            if child is None or target not in results or not results[res.name].readable:
                continue
            if not set(fk.fields) <= header_names or len(fk.fields) != len(fk.reference_fields):
                continue
            parent = results[target].keys.get(fk.reference_fields)
            check_foreign_key(child, parent, fk.fields, target, fk.reference_fields, res.name, collector, order)


def _order_errors(pkg: Package, results: dict[str, TableResult], collector: Collector) -> None:
    """Each table's errors in frictionless's order; finish() sorts by resource first, keeping this order within one."""
    by_resource: dict[str | None, list[Error]] = {}
    for e in collector.errors:
        by_resource.setdefault(e.resource, []).append(e)
    for res in pkg.resources:
        mine = by_resource.get(res.name)
        if res.name in results and mine and res.schema is not None:
            read = set(results[res.name].numbers)
            checked_fks = [
                fk.fields
                for fk in res.schema.foreign_keys
                if (fk.resource or res.name) in results and set(fk.fields) <= read
            ]
            by_resource[res.name] = order_cell_errors(mine, results[res.name], checked_fks)
    collector.errors = [e for errors in by_resource.values() for e in errors]


def check_row_schemas(pkg: Package) -> list[Error]:
    """Committed row JSON Schemas (``.../rows/NAME.json`` beside ``.../tables/NAME.json``) must be current."""
    out = []
    for res, committed, expected in row_schema_files(pkg):
        if not os.path.lexists(committed):
            continue
        try:
            text = read_text(committed, root=pkg.root, limit=MAX_JSON_BYTES, what=f"schemas/rows/{committed.name}")
        except PackageReadError as exc:
            out.append(Error("schema-error", res.name, None, None, str(exc)))
            continue
        if text != expected:
            out.append(
                Error(
                    "row-schema-mismatch",
                    res.name,
                    None,
                    None,
                    f"schemas/rows/{committed.name} differs from what the Table Schema generates; "
                    "run `energy-ties schemas --write`",
                )
            )
    return out
