"""The official Data Package v2 JSON Schema profiles, as validation applies them.

The profiles ship with the library (``energy_ties/schemas/datapackage-2.0/``),
so a package validates offline. They omit the ``list`` field type that the
Table Schema v2 text defines; validation adds it (see ``LIST_FIELD``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from importlib import resources as importlib_resources
from typing import Any

import jsonschema

V2 = "https://datapackage.org/profiles/2.0/"
PROFILE_NAMES = ("datapackage", "dataresource", "tableschema", "tabledialect")


@cache
def profile(name: str) -> dict:
    """One of the bundled official Data Package v2 profiles."""
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


@cache
def patched_profile(name: str) -> dict:
    """A bundled profile as validation applies it: with the v2 `list` field type added."""
    return _with_list_type(profile(name))


@cache
def _validator(name: str) -> jsonschema.protocols.Validator:
    schema = patched_profile(name)
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def pointer(path: Any) -> str:
    """The JSON pointer of an error's place in the instance (``/`` for the whole)."""
    return "/" + "/".join(str(p) for p in path) if path else "/"


def profile_message(err: jsonschema.ValidationError) -> str:
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
