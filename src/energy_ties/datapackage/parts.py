"""Check each part of a descriptor before anything reads it: the package, a resource, its schema, its fields,
its dialect.

Each part is checked against its own part of the profiles (see
:func:`energy_ties.datapackage.profiles.part_validator`) and then for what a
profile cannot say (a key naming no field, a constraint its type does not
support, a delimiter of more than one character). A problem is named by the
object that holds the bad property, as frictionless names it:
``package-error``, ``resource-error``, ``schema-error``, ``field-error``,
``dialect-error``; one problem, one error. The opener records them on the
resource and treats the part as unusable: the validator reads no table whose
descriptor it refused, and the loader refuses it.
"""

from __future__ import annotations

import re
from typing import Any

from ..tabular.constraints import SUPPORTED
from ..tabular.schema import Schema
from .profiles import best_match, clip, field_types, part_errors, pointer

Problem = tuple[str, str]  # (error type, message)

#: Data Package 1.0 profiles: names of packages and resources ("Lower case characters with `.`, `_`, `-` and
#: `/` are allowed") and Open Definition license identifiers. Otherwise the 1.0 profiles are laxer than 2.0.
V1_NAME = re.compile(r"^([-a-z0-9._/])+$")
V1_LICENSE = re.compile(r"^([-a-zA-Z0-9._])+$")
#: Resource properties whose problems keep the data from being read (the others describe it).
DATA_PROPERTIES = {"path", "data", "url", "type", "format", "mediatype", "encoding", "schema", "dialect", "profile"}
#: Resource properties compared with the file itself (a problem there skips only that comparison).
INTEGRITY_PROPERTIES = {"bytes", "hash"}
_STANDARD = re.compile(r"^https?://(?:specs\.frictionlessdata\.io|datapackage\.org)/profiles/(\d+)(?:\.\d+)?/")


def profile_version(descriptor: dict) -> str:
    """``"1"`` or ``"2"``: the Data Package version a descriptor's ``$schema`` names. Data Package v2: "The
    default value is `https://datapackage.org/profiles/1.0/datapackage.json`"; so no ``$schema`` is 1.0."""
    declared = descriptor.get("$schema")
    if not isinstance(declared, str):
        return "1"
    m = _STANDARD.match(declared)
    return m.group(1) if m and m.group(1) in ("1", "2") else "custom"


def _where(base: str, path: Any) -> str:
    """``base`` (the part's place: ``/resources/0/schema``, or a schema file's name) and the path inside."""
    inner = pointer(path)
    if inner == "/":
        return base or "/"
    return f"{base}{inner}" if base.startswith("/") or not base else f"{base}: {inner}"


def _profile(
    kind: str, instance: Any, error_type: str, base: str, harmless: list[Problem] | None = None
) -> list[Problem]:
    """The part's profile errors; those no reader minds (an item given twice) go to ``harmless`` when given."""
    out: list[Problem] = []
    for err in part_errors(kind, instance):
        best = best_match(err)
        problem = (error_type, f"{_where(base, best.absolute_path)}: {clip(best.message)}")
        (harmless if harmless is not None and best.validator == "uniqueItems" else out).append(problem)
    return out


# ---------------------------------------------------------------- the package


def package_problems(d: dict) -> list[Problem]:
    """The package's own properties (each resource is checked on its own, in resource_problems)."""
    out = _profile("package", d, "package-error", "")
    version = profile_version(d)
    if version == "custom":
        out.append(
            (
                "package-error",
                f"/$schema: the profile {_short(d['$schema'])} is not one this validator holds (Data Package 1.0 "
                "and 2.0), so the descriptor cannot be validated against it",
            )
        )
    if version == "1":
        name = d.get("name")
        if isinstance(name, str) and not V1_NAME.match(name):
            out.append(("package-error", f"/name: {name!r} does not match {V1_NAME.pattern!r} (Data Package 1.0)"))
        licenses = d.get("licenses")
        for i, lic in enumerate(licenses if isinstance(licenses, list) else []):
            ident = lic.get("name") if isinstance(lic, dict) else None
            if isinstance(ident, str) and not V1_LICENSE.match(ident):
                out.append(
                    ("package-error", f"/licenses/{i}/name: {ident!r} does not match {V1_LICENSE.pattern!r} (1.0)")
                )
    return out


# ---------------------------------------------------------------- a resource


def upgraded(rd: dict) -> dict:
    """A resource descriptor with its v0 and v1 forms read as v2 says: ``url`` (v0) as ``path``."""
    if "path" not in rd and "url" in rd:
        rd = {**{k: v for k, v in rd.items() if k != "url"}, "path": rd["url"]}
    return rd


def resource_problems(rd: dict, index: int, version: str) -> list[Problem]:
    """Problems of a resource's own properties (its schema and dialect are checked on their own)."""
    base = f"/resources/{index}"
    out = []
    for kind, message in _profile("resource", rd, "resource-error", base):
        out.append((kind, message))
    if "name" not in rd:
        out.append(("resource-error", f"{base}: 'name' is a required property"))
    elif version == "1" and isinstance(rd["name"], str) and not V1_NAME.match(rd["name"]):
        out.append(("resource-error", f"{base}/name: {rd['name']!r} does not match {V1_NAME.pattern!r} (1.0)"))
    if "path" in rd and "data" in rd:
        out.append(("resource-error", f'{base}: "path" and "data" must not both be given'))
    elif "path" not in rd and "data" not in rd:
        out.append(("resource-error", f'{base}: one of the properties "path" or "data" is required'))
    data = rd.get("data")
    if isinstance(data, str) and not isinstance(rd.get("format"), str) and not isinstance(rd.get("mediatype"), str):
        # Data Resource v2: "JSON string: in this case the format or mediatype properties MUST be provided."
        out.append(("resource-error", f"{base}/data: inline data as a string needs a format or a mediatype"))
    if isinstance(data, str) and (rd.get("type") == "table" or rd.get("profile") == "tabular-data-resource"):
        # Data Resource v2, Tabular: "If the `data` property is used for providing data for a Tabular Data
        # Resource than it `MUST` be an `array` where each item ..." (CSV text is read when it is not so declared)
        out.append(("resource-error", f"{base}/data: the inline data of a table resource must be an array"))
    if isinstance(data, (int, float, bool)) or (data is None and "data" in rd):
        out.append(("resource-error", f"{base}/data: {_short(data)} is not of type 'array', 'object', 'string'"))
    return out


def property_of(message: str, index: int) -> str:
    """The resource property a problem message of resource_problems is about ("" for the resource itself)."""
    rest = message.partition(": ")[0].removeprefix(f"/resources/{index}")
    return rest.split("/")[1] if rest.startswith("/") else ""


# ---------------------------------------------------------------- a schema and its fields


def schema_problems(schema: dict, base: str, built: Schema | None = None) -> tuple[list[Problem], list[Problem]]:
    """Problems of a Table Schema: of the schema's properties (schema-error), of each field (field-error), and
    what the profile cannot say. Two lists: those that keep a reader from using the schema, and those that
    change nothing a reader does (keys naming no field or given twice, constraints the type does not support:
    they are not applied). ``built``: the schema already made from the descriptor, if it was."""
    unused: list[Problem] = []
    out = _profile("schema", schema, "schema-error", base, unused)
    fields = schema.get("fields")
    for i, fd in enumerate(fields if isinstance(fields, list) else []):
        if isinstance(fd, dict):
            where = f"{base}/fields/{i}" if base.startswith("/") else f"{base}: /fields/{i}"
            out += field_problems(fd, where)
            unused += _unsupported(fd, where)
    if not out:
        unused += _consistency(built or Schema.from_descriptor(schema))
    return out, unused


def field_problems(fd: dict, base: str) -> list[Problem]:
    """One field: its type's profile, then what the profile cannot say."""
    ftype = fd.get("type")
    if "type" in fd and (not isinstance(ftype, str) or ftype not in field_types()):
        return [("field-error", f'{base}/type: field type "{_short(ftype, 40)}" is not supported')]
    out = _profile(f"field:{ftype or ''}", fd, "field-error", base)
    if out:
        return out
    if ftype == "list" and fd.get("delimiter") == "":
        out.append(("field-error", f"{base}/delimiter: a list delimiter must not be empty"))
    categories = fd.get("categories")
    if isinstance(categories, list):
        values = [c.get("value") if isinstance(c, dict) else c for c in categories]
        seen = [repr(v) for v in values]
        if len(set(seen)) != len(seen):
            # Table Schema v2: "an array of unique values or ... of objects, each with a unique value property"
            out.append(("field-error", f"{base}/categories: the categories must be unique"))
    return out


def _unsupported(fd: dict, base: str) -> list[Problem]:
    """Constraints the field's type does not support (frictionless's field-error; they are not applied)."""
    given = fd.get("type")
    ftype = given if isinstance(given, str) else "any"
    constraints = fd.get("constraints")
    allowed = {*SUPPORTED.get(ftype, SUPPORTED["any"]), "unique"}
    return [
        ("field-error", f'{base}/constraints: constraint "{name}" is not supported by type "{ftype}"')
        for name in (constraints if isinstance(constraints, dict) else {})
        if name not in allowed and ftype in SUPPORTED
    ]


def _consistency(schema: Schema) -> list[Problem]:
    """Keys that name fields the schema does not have, and foreign keys of unequal lengths (schema-error)."""
    out: list[Problem] = []
    known = set(schema.field_names)
    for key in (schema.primary_key, *schema.unique_keys):
        for k in key:
            if k not in known:
                out.append(("schema-error", f"key field {k!r} is not a field of the schema"))
    for fk in schema.foreign_keys:
        for k in fk.fields:
            if k not in known:
                out.append(("schema-error", f"foreign key field {k!r} is not a field of the schema"))
        if len(fk.fields) != len(fk.reference_fields):
            out.append(
                (
                    "schema-error",
                    f"foreign key fields {list(fk.fields)} and reference fields {list(fk.reference_fields)} "
                    "differ in number",
                )
            )
    return out


# ---------------------------------------------------------------- a dialect


def dialect_problems(dialect: dict, base: str) -> list[Problem]:
    """Problems of a Table Dialect: its profile (dialect-error), then the characters a CSV reader needs one
    of (a ``source-error``, as frictionless reports Python's csv refusing them)."""
    out = _profile("dialect", dialect, "dialect-error", base)
    if out:
        return out
    for key, python in (("delimiter", "delimiter"), ("quoteChar", "quotechar"), ("escapeChar", "escapechar")):
        value = dialect.get(key)
        if isinstance(value, str) and len(value) != 1 and not (key != "delimiter" and value == ""):
            out.append(("source-error", f'{_where(base, [key])}: "{python}" must be a 1-character string'))
    return out


def _short(value: Any, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
