"""Check descriptors: the Data Package v2 profiles, then what a profile cannot say.

The official v2 JSON Schema profiles ship with the library (``profiles/``),
so a package validates offline. They omit the ``list`` field type that the
Table Schema v2 text defines; validation adds it (see ``LIST_FIELD``). Beyond the profiles, the checks here are the
ones frictionless makes on a schema before reading data: unique resource and
field names, keys that name existing fields, references to resources that
exist, constraints the field's type supports.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources as importlib_resources
from typing import Any, Iterator

import jsonschema

from .package import Package, Resource
from .report import Error
from .tablecheck import SUPPORTED

V2 = "https://datapackage.org/profiles/2.0/"
PROFILE_NAMES = ("datapackage", "dataresource", "tableschema", "tabledialect")


@lru_cache(maxsize=None)
def profile(name: str) -> dict:
    """One of the bundled official Data Package v2 profiles."""
    path = importlib_resources.files("energy_ties") / "profiles" / "datapackage-2.0" / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8"))


#: The `list` field type of the Table Schema v2 text, which the published v2 profiles leave out.
LIST_FIELD = {
    "type": "object",
    "required": ["name", "type"],
    "properties": {
        "name": {"type": "string"},
        "type": {"enum": ["list"]},
        "format": {"enum": ["default"]},
        "delimiter": {"type": "string"},
        "itemType": {"enum": ["string", "integer", "boolean", "number", "datetime", "date", "time"]},
        "constraints": {"type": "object", "properties": {
            "required": {"type": "boolean"}, "unique": {"type": "boolean"},
            "minLength": {"type": "integer"}, "maxLength": {"type": "integer"}}},
    },
}


def _with_list_type(schema: dict) -> dict:
    """A copy of a profile whose field alternatives also admit the v2 `list` type."""
    schema = json.loads(json.dumps(schema))

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            fields = node.get("fields")
            if isinstance(fields, dict) and isinstance(fields.get("items", {}).get("oneOf"), list):
                fields["items"]["oneOf"].append(LIST_FIELD)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema.get("properties", schema))
    return schema


@lru_cache(maxsize=None)
def patched_profile(name: str) -> dict:
    """A bundled profile as validation applies it: with the v2 `list` field type added."""
    return _with_list_type(profile(name))


@lru_cache(maxsize=None)
def _validator(name: str) -> jsonschema.protocols.Validator:
    schema = patched_profile(name)
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def pointer(path: Any) -> str:
    """The JSON pointer of an error's place in the instance (``/`` for the whole)."""
    return "/" + "/".join(str(p) for p in path) if path else "/"


def _message(err: jsonschema.ValidationError) -> str:
    best = jsonschema.exceptions.best_match([err]) if err.context else err
    text = best.message
    if len(text) > 200:
        text = text[:199] + "…"
    return f"{pointer(best.absolute_path)}: {text}"


def sorted_errors(validator: jsonschema.protocols.Validator, instance: Any) -> list[jsonschema.ValidationError]:
    """A validator's errors on ``instance``, in the order of their place in it."""
    return sorted(validator.iter_errors(instance), key=lambda e: list(map(str, e.absolute_path)))


def profile_errors(name: str, instance: Any) -> Iterator[jsonschema.ValidationError]:
    yield from sorted_errors(_validator(name), instance)


def _repeated(names: list[str]) -> list[str]:
    """The names used more than once, sorted."""
    return sorted({n for n in names if names.count(n) > 1})


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
                path[2] if len(path) > 2 else "", "resource-error")
            out.append(Error(kind, rname if isinstance(rname, str) else None, None, None, _message(err)))
        else:
            out.append(Error("package-error", None, None, None, _message(err)))
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
            out.append(Error("schema-error", res.name, None, None, _message(err)))
    if isinstance(res.descriptor.get("dialect"), str) and res.dialect:
        for err in profile_errors("tabledialect", res.dialect):
            out.append(Error("dialect-error", res.name, None, None, _message(err)))
    schema = res.schema
    if schema is None:
        return out
    names = schema.field_names
    for dup in _repeated(names):
        out.append(Error("schema-error", res.name, None, dup, f"field name {dup!r} is used more than once"))
    known = set(names)
    for f in schema.fields:
        if f.type not in SUPPORTED:
            out.append(Error("field-error", res.name, None, f.name, f"field {f.name!r}: unknown type {f.type!r}"))
            continue
        allowed = {*SUPPORTED[f.type], "unique"}
        for c in f.constraints:
            if c not in allowed:
                out.append(Error("field-error", res.name, None, f.name,
                                 f'field {f.name!r}: constraint "{c}" is not supported by type "{f.type}"'))
    for key in [schema.primary_key, *schema.unique_keys]:
        for k in key:
            if k not in known:
                out.append(Error("schema-error", res.name, None, k, f"key field {k!r} is not a field of the schema"))
    for fk in schema.foreign_keys:
        for k in fk.fields:
            if k not in known:
                out.append(Error("schema-error", res.name, None, k,
                                 f"foreign key field {k!r} is not a field of the schema"))
        if fk.resource is not None and fk.resource not in resource_names:
            out.append(Error("schema-error", res.name, None, ",".join(fk.fields),
                             f"foreign key on {', '.join(fk.fields)} references unknown resource {fk.resource!r}"))
        if len(fk.fields) != len(fk.reference_fields):
            out.append(Error("schema-error", res.name, None, ",".join(fk.fields),
                             "foreign key fields and reference fields differ in number"))
    return out
