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
    """Plain values of a v2 list that may hold strings or ``{value, label}`` objects."""
    out = []
    for entry in entries or []:
        out.append(entry.get("value") if isinstance(entry, dict) else entry)
    return out


def _labels(entries: Any) -> dict[Any, str]:
    return {
        e.get("value"): e["label"] for e in entries or [] if isinstance(e, dict) and isinstance(e.get("label"), str)
    }


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
        ftype = d.get("type", "any")
        kw: dict[str, Any] = {
            "name": d.get("name", ""),
            "type": ftype if isinstance(ftype, str) else "any",
            "format": d.get("format", "default") or "default",
            "constraints": dict(d.get("constraints") or {}),
            "missing_values": tuple(_values(d["missingValues"])) if "missingValues" in d else schema_missing,
            "title": d.get("title"),
            "description": d.get("description"),
            "descriptor": d,
        }
        if "categories" in d:
            kw["categories"] = tuple(_values(d["categories"]))
            kw["category_labels"] = _labels(d["categories"])
            kw["categories_ordered"] = bool(d.get("categoriesOrdered", False))
        if "trueValues" in d:
            kw["true_values"] = tuple(d["trueValues"])
        if "falseValues" in d:
            kw["false_values"] = tuple(d["falseValues"])
        for key, attr in (
            ("bareNumber", "bare_number"),
            ("groupChar", "group_char"),
            ("decimalChar", "decimal_char"),
            ("delimiter", "delimiter"),
            ("itemType", "item_type"),
        ):
            if key in d:
                kw[attr] = d[key]
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
    def from_descriptor(cls, d: dict) -> Schema:
        missing = tuple(_values(d.get("missingValues", [""])))
        fields = tuple(Field.from_descriptor(f, missing) for f in d.get("fields", []) if isinstance(f, dict))
        pk = d.get("primaryKey") or ()
        pk = (pk,) if isinstance(pk, str) else tuple(pk)
        uks = tuple(((k,) if isinstance(k, str) else tuple(k)) for k in d.get("uniqueKeys") or ())
        fks = []
        for fk in d.get("foreignKeys") or ():
            if not isinstance(fk, dict):
                continue
            ref = fk.get("reference") or {}
            own = fk.get("fields")
            refs = ref.get("fields")
            fks.append(
                ForeignKey(
                    fields=(own,) if isinstance(own, str) else tuple(own or ()),
                    resource=ref.get("resource") or None,
                    reference_fields=(refs,) if isinstance(refs, str) else tuple(refs or ()),
                )
            )
        return cls(
            fields=fields,
            primary_key=pk,
            unique_keys=uks,
            foreign_keys=tuple(fks),
            missing_values=missing,
            fields_match=d.get("fieldsMatch", "exact"),
            descriptor=d,
        )
