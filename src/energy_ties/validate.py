"""Validate a data package: descriptor, tables, keys across tables, row schemas, our own rules.

One core for the library (:func:`validate`) and the command line
(``energy-ties validate``). Each table is read once for its checks, in bounded
batches; the key columns needed for references are kept from that single pass
and compared at the end. When energy-ties' own rules apply, they read the
package's own (small) tables a second time, as text.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import jsonschema
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from . import rowschema, rules
from .descriptor import PROFILE_NAMES, V2, check_package, patched_profile, pointer, sorted_errors
from .package import Package, open_package, read_json
from .report import Collector, Error, Report, finish
from .tablecheck import check_foreign_key, check_table, order_cell_errors

#: Default cap on the number of errors reported (as frictionless).
LIMIT_ERRORS = 1000
PACKAGE_SCHEMA = "energy-ties-package.json"


def validate(path: str | os.PathLike | None = None, *, texts: str | os.PathLike | None = None,
             limit_errors: int = LIMIT_ERRORS, allow_remote: bool = False, profile: str = "auto",
             block_bytes: int | None = None) -> Report:
    """Validate the package at ``path`` (descriptor, folder or zip; the bundled one when None).

    ``texts`` is a folder of source texts: with it, every evidence span of an
    energy-ties package is checked against its SHA-256. ``profile`` is
    ``auto`` (our own rules apply to the energy-ties package), ``energy-ties``
    (apply them) or ``none``. Raises PackageReadError only when the package
    cannot be read at all; everything else is an error in the report.
    """
    if limit_errors < 1:
        raise ValueError("limit_errors must be at least 1")
    with open_package(path, allow_remote=allow_remote) as pkg:
        collector = Collector(limit_errors)
        checked = ["descriptor"]
        for e in check_package(pkg):
            collector.add(e)
        rows = _check_tables(pkg, collector, block_bytes)
        checked.append("tables")
        for e in check_row_schemas(pkg):
            collector.add(e)
        checked.append("row-schemas")
        if rules.applies(pkg, profile):
            for e in check_package_schema(pkg):
                collector.add(e)
            for e in rules.check(pkg, Path(texts) if texts is not None else None):
                collector.add(e)
            checked.append("energy-ties-rules")
            if texts is not None:
                checked.append("evidence-spans")
        errors, total = finish(collector, [r.name for r in pkg.resources])
        return Report(package=pkg.source_label, version=pkg.version, errors=errors, error_count=total,
                      rows=rows, limit_errors=limit_errors, checked=checked)


def _check_tables(pkg: Package, collector: Collector, block_bytes: int | None) -> dict[str, int]:
    wanted: dict[str, set[tuple[str, ...]]] = {r.name: set() for r in pkg.resources}
    for res in pkg.resources:
        for fk in res.schema.foreign_keys if res.schema else ():
            wanted[res.name].add(fk.fields)
            target = fk.resource or res.name
            if target in wanted:
                wanted[target].add(fk.reference_fields)
    results = {}
    for res in pkg.resources:
        if res.problems or res.schema is None:
            continue
        results[res.name] = check_table(res, collector, wanted[res.name], block_bytes)
    for res in pkg.resources:
        if res.name not in results:
            continue
        header_names = {f.name for f in res.schema.fields}
        for order, fk in enumerate(res.schema.foreign_keys, start=1):
            target = fk.resource or res.name
            child = results[res.name].keys.get(fk.fields)
            if child is None or target not in results or not results[res.name].readable:
                continue
            if not set(fk.fields) <= header_names:
                continue
            parent = results[target].keys.get(fk.reference_fields)
            check_foreign_key(child, parent, fk.fields, target, fk.reference_fields, res.name, collector, order)
    # each table's errors in frictionless's order; finish() sorts by resource first, keeping this order within one
    by_resource: dict[str | None, list[Error]] = {}
    for e in collector.errors:
        by_resource.setdefault(e.resource, []).append(e)
    for res in pkg.resources:
        mine = by_resource.get(res.name)
        if res.name in results and mine:
            read = set(results[res.name].numbers)
            checked_fks = [fk.fields for fk in res.schema.foreign_keys
                           if (fk.resource or res.name) in results and set(fk.fields) <= read]
            by_resource[res.name] = order_cell_errors(mine, results[res.name], checked_fks)
    collector.errors = [e for errors in by_resource.values() for e in errors]
    return {name: r.rows for name, r in results.items()}


def check_row_schemas(pkg: Package) -> list[Error]:
    """Committed row JSON Schemas (``.../rows/NAME.json`` beside ``.../tables/NAME.json``) must be current."""
    out = []
    for res, committed, expected in rowschema.row_schema_files(pkg):
        if not committed.is_file():
            if rules.applies(pkg, "auto"):
                out.append(Error("row-schema-mismatch", res.name, None, None,
                                 f"{committed.name}: the row JSON Schema of {res.name} is missing"))
            continue
        if committed.read_text(encoding="utf-8") != expected:
            out.append(Error("row-schema-mismatch", res.name, None, None,
                             f"schemas/rows/{committed.name} differs from what the Table Schema generates; "
                             "run `energy-ties schemas --write`"))
    return out


def package_schema_path(pkg: Package) -> Path:
    return pkg.root / "schemas" / PACKAGE_SCHEMA


def check_package_schema(pkg: Package) -> list[Error]:
    """Our own JSON Schema for datapackage.json (semver, licences, required resources...).

    The schema applies the official profile too (``allOf``); check_package reports
    those errors already, so they are left out here rather than counted twice.
    """
    path = package_schema_path(pkg)
    if not path.is_file():
        return [Error("package-error", None, None, None, f"schemas/{PACKAGE_SCHEMA} is missing")]
    schema = read_json(path)
    validator = package_validator(schema)
    official = {"$ref": V2 + "datapackage.json"}
    out = []
    for err in sorted_errors(validator, pkg.descriptor):
        where = err.schema_path
        if len(where) > 1 and where[0] == "allOf" and schema["allOf"][where[1]] == official:
            continue
        out.append(Error("package-error", None, None, None, f"{pointer(err.absolute_path)}: {err.message[:200]}"))
    return out


def package_validator(schema: dict) -> jsonschema.protocols.Validator:
    """A validator for our package schema, resolving the official profile it builds on offline."""
    registry = Registry().with_resources(
        (V2 + f"{name}.json", Resource.from_contents(patched_profile(name), default_specification=DRAFT7))
        for name in PROFILE_NAMES)
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, registry=registry, format_checker=cls.FORMAT_CHECKER)


def report_json(report: Report) -> str:
    return json.dumps(report.to_dict(), indent=2, ensure_ascii=False)
