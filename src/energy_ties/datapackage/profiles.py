"""The official Data Package v2 JSON Schema profiles, as validation applies them.

The profiles ship with the library (``energy_ties/schemas/datapackage-2.0/``),
so a package validates offline. Validation applies them with three patches,
each where the published profile says less or other than the v2 text:

- the ``list`` field type, which the profiles leave out (see ``LIST_FIELD``);
- ``fieldsMatch``, which the profile types as an array (with a misspelt
  ``item``), where the text says: "``fieldsMatch`` ... `MUST` be a string";
- a resource's ``dialect``, which the profile types as an object only, where
  the text says: "``dialect`` ... `MUST` be an object or URL-or-Path".

Each part of a package is checked against its own part of the profiles (see
:func:`part_validator`), so that an error names the object that holds the bad
property, as frictionless names it: the package, a resource, its schema, one
of its fields, its dialect.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from importlib import resources as importlib_resources
from typing import TYPE_CHECKING, Any

from .quickcheck import FORMATS, accepts

if TYPE_CHECKING:
    import jsonschema

# jsonschema is imported where a validator is made, not here: a valid part is accepted by the compiled
# profiles of .quickcheck, and a small valid package is then validated without importing jsonschema at all.

V2 = "https://datapackage.org/profiles/2.0/"
PROFILE_NAMES = ("datapackage", "dataresource", "tableschema", "tabledialect")

#: The formats the profiles use that validation checks, as frictionless checks them ("uri" is not checked).
CHECKED_FORMATS = ("date-time", "email")


@cache
def profile(name: str) -> dict:
    """One of the bundled official Data Package v2 profiles, as published."""
    path = importlib_resources.files("energy_ties") / "schemas" / "datapackage-2.0" / f"{name}.json"
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
        "constraints": {
            "type": "object",
            "properties": {
                "required": {"type": "boolean"},
                "unique": {"type": "boolean"},
                "minLength": {"type": "integer"},
                "maxLength": {"type": "integer"},
            },
        },
    },
}

#: Table Schema v2: "The `fieldsMatch` property ... `MUST` be a string" (the profile says array).
FIELDS_MATCH = {"type": "string", "enum": ["exact", "equal", "subset", "superset", "partial"], "default": "exact"}


def _patched(node: Any) -> None:
    """Apply the patches in place, wherever a profile holds the patched properties."""
    if isinstance(node, dict):
        fields = node.get("fields")
        if isinstance(fields, dict) and isinstance(fields.get("items", {}).get("oneOf"), list):
            fields["items"]["oneOf"].append(LIST_FIELD)
            if isinstance(node.get("fieldsMatch"), dict):
                node["fieldsMatch"] = dict(FIELDS_MATCH)
        dialect = node.get("dialect")
        if isinstance(dialect, dict) and dialect.get("type") == "object" and "schema" in node:
            dialect["type"] = ["string", "object"]  # Data Resource v2: "an object or URL-or-Path"
        for value in node.values():
            _patched(value)
    elif isinstance(node, list):
        for value in node:
            _patched(value)


@cache
def patched_profile(name: str) -> dict:
    """A bundled profile as validation applies it: with the patches of the module's text."""
    schema = json.loads(json.dumps(profile(name)))
    _patched(schema.get("properties", schema))
    return schema


def _format_checker() -> jsonschema.FormatChecker:
    """Only the formats of CHECKED_FORMATS, each with its own check (jsonschema skips what it cannot check)."""
    import jsonschema

    checker = jsonschema.FormatChecker(formats=())
    for name in CHECKED_FORMATS:  # the checks the compiled profiles make too
        checker.checks(name)(FORMATS[name])
    return checker


@cache
def _field_alternatives() -> dict[str | None, dict]:
    """The field profile of each type (``None``: a field without ``type``, read as ``any``)."""
    fields = patched_profile("tableschema")["properties"]["fields"]["items"]["oneOf"]
    out: dict[str | None, dict] = {}
    for alt in fields:
        for t in alt["properties"]["type"].get("enum", []):
            out[t] = alt
    out[None] = {**out["any"], "required": ["name"]}
    return out


def part_schema(kind: str) -> dict:
    """The profile of one part, with the parts inside it reduced to their JSON types (checked on their own)."""
    if kind == "package":
        schema = json.loads(json.dumps(patched_profile("datapackage")))
        schema["properties"]["resources"]["items"] = {"type": "object"}
        return schema
    if kind == "resource":
        schema = json.loads(json.dumps(patched_profile("dataresource")))
        schema.pop("oneOf", None)  # name, and one of path and data: checked apart, with plain messages
        schema["properties"]["schema"] = {"type": ["string", "object"]}
        schema["properties"]["dialect"] = {"type": ["string", "object"]}
        return schema
    if kind == "schema":
        schema = json.loads(json.dumps(patched_profile("tableschema")))
        schema["properties"]["fields"]["items"] = {"type": "object"}
        return schema
    if kind == "dialect":
        return patched_profile("tabledialect")
    if kind.startswith("field:"):
        return _field_alternatives()[kind[6:] or None]
    raise ValueError(f"no profile for {kind!r}")


def part_kinds() -> tuple[str, ...]:
    """Every part :func:`part_schema` knows, fields by type (``field:`` a field without one)."""
    return ("package", "resource", "schema", "dialect", *(f"field:{t}" for t in sorted(field_types())), "field:")


@cache
def field_types() -> frozenset[str]:
    """The field types the profiles (with the v2 `list`) know."""
    return frozenset(t for t in _field_alternatives() if t is not None)


@cache
def part_validator(kind: str) -> jsonschema.protocols.Validator:
    """A validator of one part: ``package``, ``resource``, ``schema``, ``dialect`` or ``field:TYPE``
    (``field:`` for a field without type)."""
    import jsonschema

    schema = part_schema(kind)
    cls = jsonschema.validators.validator_for(patched_profile("datapackage"))
    return cls(schema, format_checker=_format_checker())


@cache
def _validator(name: str) -> jsonschema.protocols.Validator:
    import jsonschema

    schema = patched_profile(name)
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, format_checker=_format_checker())


def pointer(path: Any) -> str:
    """The JSON pointer of an error's place in the instance (``/`` for the whole)."""
    return "/" + "/".join(str(p) for p in path) if path else "/"


def clip(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def best_match(err: jsonschema.ValidationError) -> jsonschema.ValidationError:
    """The most telling of an error and the errors of its alternatives (``oneOf``, ``anyOf``)."""
    from jsonschema.exceptions import best_match as best

    return best([err]) if err.context else err


def profile_message(err: jsonschema.ValidationError) -> str:
    """``/where: what``, the place as a JSON pointer."""
    best = best_match(err)
    return f"{pointer(best.absolute_path)}: {clip(best.message)}"


def sorted_errors(validator: jsonschema.protocols.Validator, instance: Any) -> list[jsonschema.ValidationError]:
    """A validator's errors on ``instance``, in the order of their place in it."""
    return sorted(validator.iter_errors(instance), key=lambda e: list(map(str, e.absolute_path)))


def profile_errors(name: str, instance: Any) -> Iterator[jsonschema.ValidationError]:
    """Errors of ``instance`` against a whole (patched) profile: datapackage, dataresource, tableschema..."""
    yield from sorted_errors(_validator(name), instance)


def part_errors(kind: str, instance: Any) -> list[jsonschema.ValidationError]:
    """Errors of one part against its own profile (see part_validator); a part the compiled profile accepts
    has none, and jsonschema is asked only about the others."""
    if accepts(kind, instance):
        return []
    return sorted_errors(part_validator(kind), instance)
