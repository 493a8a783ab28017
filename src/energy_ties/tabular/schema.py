"""A read-only model of a Table Schema (v1 or v2), with the defaults the spec gives.

The loader, the validator, the differ and the JSON Schema generator all read
schemas through this one model, so a property such as field-level
``missingValues`` or labelled ``categories`` means the same thing everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

DEFAULT_TRUE = ("true", "True", "TRUE", "1")
DEFAULT_FALSE = ("false", "False", "FALSE", "0")


def _values(entries: Any) -> list[Any]:
    """Plain values of a v2 list that may hold strings or ``{value, label}`` objects (nothing but a list counts)."""
    out = []
    for entry in entries if isinstance(entries, list) else []:
        out.append(entry.get("value") if isinstance(entry, dict) else entry)
    return out


def _texts(entries: Any, default: tuple[str, ...]) -> tuple[str, ...]:
    """A list of strings (missing values, true and false values), or ``default`` when it is anything else."""
    values = _values(entries)
    if not isinstance(entries, list) or not all(isinstance(v, str) for v in values):
        return default
    return tuple(values)


def _labels(entries: Any) -> dict[Any, str]:
    return {
        e.get("value"): e["label"]
        for e in (entries if isinstance(entries, list) else [])
        if isinstance(e, dict) and isinstance(e.get("label"), str) and _hashable(e.get("value"))
    }


def _hashable(value: Any) -> bool:
    return not isinstance(value, (dict, list))


def _names(value: Any) -> tuple[str, ...]:
    """Field names of a key: one name or a list of names (anything else, or a non-string name, gives none)."""
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    return ()


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


#: The JSON types each constraint must have to be used; a constraint of another type is left out of the model
#: (the descriptor check reports it, and nothing reads it).
_CONSTRAINT_TYPES = {
    "required": lambda v: isinstance(v, bool),
    "unique": lambda v: isinstance(v, bool),
    "minLength": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "maxLength": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "pattern": lambda v: isinstance(v, str),
    "enum": lambda v: isinstance(v, list) and all(_hashable(x) for x in v),
    "jsonSchema": lambda v: isinstance(v, dict),
    **dict.fromkeys(
        ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"), lambda v: isinstance(v, str) or _number(v)
    ),
}


def _constraints(value: Any) -> dict:
    if not isinstance(value, dict):
        return {}
    return {k: v for k, v in value.items() if k in _CONSTRAINT_TYPES and _CONSTRAINT_TYPES[k](v)}


def _format(value: Any) -> str:
    """The field's format; Table Schema v2: 'If `format` property start with `fmt:` prefix, an implementation
    `MUST` remove the prefix'."""
    if not isinstance(value, str) or not value:
        return "default"
    return value[4:] if value.startswith("fmt:") else value


@dataclass(frozen=True)
class Field:
    """One field of a Table Schema, with defaults filled in."""

    name: str
    type: str = "any"
    format: str = "default"
    constraints: dict = field(default_factory=dict)
    missing_values: tuple[str, ...] = ("",)
    categories: tuple | None = None
    category_labels: dict = field(default_factory=dict)
    categories_ordered: bool = False
    true_values: tuple[str, ...] = DEFAULT_TRUE
    false_values: tuple[str, ...] = DEFAULT_FALSE
    bare_number: bool = True
    group_char: str | None = None
    decimal_char: str | None = None
    delimiter: str = ","
    item_type: str = "string"
    title: str | None = None
    description: str | None = None
    descriptor: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def required(self) -> bool:
        return bool(self.constraints.get("required", False))

    @property
    def unique(self) -> bool:
        return bool(self.constraints.get("unique", False))

    @property
    def controlled(self) -> tuple | None:
        """The closed list of allowed values (categories or enum), if any."""
        if self.categories is not None:
            return self.categories
        enum = self.constraints.get("enum")
        return tuple(enum) if isinstance(enum, list) else None

    @classmethod
    def from_descriptor(cls, d: dict, schema_missing: tuple[str, ...]) -> Field:
        """The field a descriptor describes; a property of the wrong JSON type is taken at its default (the
        descriptor check reports it), so that nothing downstream meets a value of a type it does not expect."""
        ftype, name = d.get("type", "any"), d.get("name", "")
        kw: dict[str, Any] = {
            "name": name if isinstance(name, str) else "",
            "type": ftype if isinstance(ftype, str) else "any",
            "format": _format(d.get("format")),
            "constraints": _constraints(d.get("constraints")),
            "missing_values": _texts(d.get("missingValues"), schema_missing)
            if "missingValues" in d
            else schema_missing,
            "title": d.get("title") if isinstance(d.get("title"), str) else None,
            "description": d.get("description") if isinstance(d.get("description"), str) else None,
            "descriptor": d,
        }
        categories = d.get("categories")
        if isinstance(categories, list):
            values = _values(categories)
            if all(_hashable(v) for v in values):
                kw["categories"] = tuple(values)
                kw["category_labels"] = _labels(categories)
                kw["categories_ordered"] = d.get("categoriesOrdered") is True
        kw["true_values"] = _texts(d.get("trueValues"), DEFAULT_TRUE)
        kw["false_values"] = _texts(d.get("falseValues"), DEFAULT_FALSE)
        if isinstance(d.get("bareNumber"), bool):
            kw["bare_number"] = d["bareNumber"]
        for key, attr in (("groupChar", "group_char"), ("decimalChar", "decimal_char")):
            if isinstance(d.get(key), str):
                kw[attr] = d[key]
        if isinstance(d.get("delimiter"), str) and d["delimiter"]:
            kw["delimiter"] = d["delimiter"]
        if isinstance(d.get("itemType"), str):
            kw["item_type"] = d["itemType"]
        return cls(**kw)


@dataclass(frozen=True)
class ForeignKey:
    fields: tuple[str, ...]
    resource: str | None  # None (or "" in v1) means the resource itself
    reference_fields: tuple[str, ...]


@dataclass(frozen=True)
class Schema:
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...] = ()
    unique_keys: tuple[tuple[str, ...], ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = ()
    missing_values: tuple[str, ...] = ("",)
    fields_match: str = "exact"
    descriptor: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    @cached_property
    def names(self) -> frozenset[str]:
        """The field names, as a set: membership in constant time, whatever the number of fields."""
        return frozenset(f.name for f in self.fields)

    @cached_property
    def _by_name(self) -> dict[str, Field]:
        out: dict[str, Field] = {}
        for f in self.fields:
            out.setdefault(f.name, f)  # a name given twice: its first field, as a scan would find
        return out

    def get(self, name: str) -> Field | None:
        return self._by_name.get(name)

    @classmethod
    def from_descriptor(cls, d: Any) -> Schema:
        """The schema a descriptor describes, whatever it holds: parts of the wrong JSON type are left out or
        taken at their defaults (the descriptor check reports them)."""
        if not isinstance(d, dict):
            d = {}
        missing = _texts(d.get("missingValues", [""]), ("",))
        raw_fields = d.get("fields")
        fields = tuple(
            Field.from_descriptor(f, missing)
            for f in (raw_fields if isinstance(raw_fields, list) else [])
            if isinstance(f, dict)
        )
        uks = d.get("uniqueKeys")
        fks = []
        for fk in d.get("foreignKeys") if isinstance(d.get("foreignKeys"), list) else ():
            ref = fk.get("reference") if isinstance(fk, dict) else None
            if not isinstance(ref, dict):
                continue
            resource = ref.get("resource")
            fks.append(
                ForeignKey(
                    fields=_names(fk.get("fields")),
                    resource=resource if isinstance(resource, str) and resource else None,
                    reference_fields=_names(ref.get("fields")),
                )
            )
        match = d.get("fieldsMatch")
        return cls(
            fields=fields,
            primary_key=_names(d.get("primaryKey")),
            unique_keys=tuple(k for k in (_names(k) for k in (uks if isinstance(uks, list) else ())) if k),
            foreign_keys=tuple(fks),
            missing_values=missing,
            fields_match=match if isinstance(match, str) else "exact",
            descriptor=d,
        )
