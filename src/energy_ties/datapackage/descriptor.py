"""Check descriptors beyond their profiles: what a JSON Schema profile cannot say.

The checks frictionless makes on a schema before reading data: unique
resource and field names, keys that name existing fields, references to
resources that exist, constraints the field's type supports. The profile
errors themselves come from :mod:`energy_ties.datapackage.profiles`.
"""

from __future__ import annotations

from collections import Counter

from ..tabular.constraints import SUPPORTED
from ..tabular.schema import Schema
from .findings import Error
from .model import Package, Resource
from .profiles import profile_errors, profile_message


def _repeated(names: list[str]) -> list[str]:
    """The names used more than once, sorted."""
    return sorted(n for n, count in Counter(names).items() if count > 1)


def check_package(pkg: Package) -> list[Error]:
    """Profile and consistency errors of a package descriptor and its resources' schemas and dialects."""
    out: list[Error] = []
    d = pkg.descriptor
    for err in profile_errors("datapackage", d):
        path = list(err.absolute_path)
        if len(path) >= 2 and path[0] == "resources" and isinstance(path[1], int):
            res = d["resources"][path[1]]
            rname = res.get("name") if isinstance(res, dict) else None
            kind = {"schema": "schema-error", "dialect": "dialect-error"}.get(
                path[2] if len(path) > 2 else "", "resource-error"
            )
            out.append(Error(kind, rname if isinstance(rname, str) else None, None, None, profile_message(err)))
        else:
            out.append(Error("package-error", None, None, None, profile_message(err)))
    names = [r.name for r in pkg.resources]
    for dup in _repeated(names):
        out.append(Error("package-error", None, None, None, f"resource name {dup!r} is used more than once"))
    resource_names = set(names)
    for res in pkg.resources:
        for kind, message in res.problems:
            out.append(Error(kind, res.name, None, None, message))
        out.extend(check_schema(res, resource_names))
    return out


def check_schema(res: Resource, resource_names: set[str]) -> list[Error]:
    """Errors of one resource's Table Schema (and dialect, when given by path) beyond the package profile."""
    out: list[Error] = []
    if res.schema_path is not None and res.schema_descriptor is not None:
        for err in profile_errors("tableschema", res.schema_descriptor):
            out.append(Error("schema-error", res.name, None, None, profile_message(err)))
    if isinstance(res.descriptor.get("dialect"), str) and res.dialect:
        for err in profile_errors("tabledialect", res.dialect):
            out.append(Error("dialect-error", res.name, None, None, profile_message(err)))
    schema = res.schema
    if schema is None:
        return out
    names = schema.field_names
    for dup in _repeated(names):
        out.append(Error("schema-error", res.name, None, dup, f"field name {dup!r} is used more than once"))
    known = set(names)
    out += _field_errors(res, schema)
    for key in [schema.primary_key, *schema.unique_keys]:
        for k in key:
            if k not in known:
                out.append(Error("schema-error", res.name, None, k, f"key field {k!r} is not a field of the schema"))
    for fk in schema.foreign_keys:
        for k in fk.fields:
            if k not in known:
                out.append(
                    Error("schema-error", res.name, None, k, f"foreign key field {k!r} is not a field of the schema")
                )
        if fk.resource is not None and fk.resource not in resource_names:
            out.append(
                Error(
                    "schema-error",
                    res.name,
                    None,
                    ",".join(fk.fields),
                    f"foreign key on {', '.join(fk.fields)} references unknown resource {fk.resource!r}",
                )
            )
        if len(fk.fields) != len(fk.reference_fields):
            out.append(
                Error(
                    "schema-error",
                    res.name,
                    None,
                    ",".join(fk.fields),
                    "foreign key fields and reference fields differ in number",
                )
            )
    return out


def _field_errors(res: Resource, schema: Schema) -> list[Error]:
    """Unknown field types, and constraints a field's type does not support."""
    out: list[Error] = []
    for f in schema.fields:
        if f.type not in SUPPORTED:
            out.append(Error("field-error", res.name, None, f.name, f"field {f.name!r}: unknown type {f.type!r}"))
            continue
        allowed = {*SUPPORTED[f.type], "unique"}
        for c in f.constraints:
            if c not in allowed:
                out.append(
                    Error(
                        "field-error",
                        res.name,
                        None,
                        f.name,
                        f'field {f.name!r}: constraint "{c}" is not supported by type "{f.type}"',
                    )
                )
    return out
