"""Classify the changes between two Table Schemas by the Data Package Version rules.

major: a field renamed, added, removed or reordered; a type or format
changed; a constraint made stricter; the primary key changed. minor: a
constraint loosened. patch: descriptive metadata changed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from ..tabular.schema import Field, Schema
from ..tabular.values import schema_value
from .model import Reason, SchemaChange

#: Field properties that change how text is read: a change is a format change.
READING = {"format", "trueValues", "falseValues", "bareNumber", "groupChar", "decimalChar", "delimiter", "itemType"}
Add = Callable[..., None]


def schema_changes(name: str, old: Schema, new: Schema, reasons: list[Reason]) -> list[SchemaChange]:
    """Every change from ``old`` to ``new``, classed; each adds its reason to ``reasons``."""
    changes: list[SchemaChange] = []

    def add(
        kind: str,
        field: str | None,
        bump: str,
        detail: str,
        old_value: Any = None,
        new_value: Any = None,
        rule: str | None = None,
    ) -> None:
        changes.append(SchemaChange(kind, field, bump, detail, old_value, new_value))
        if bump != "none":
            reasons.append(Reason(bump, rule or kind, name, field, detail))

    old_names, new_names = old.field_names, new.field_names
    old_set, new_set = old.names, new.names
    for f in old_names:
        if f not in new_set:
            add("field-removed", f, "major", "field removed")
    for f in new_names:
        if f not in old_set:
            add("field-added", f, "major", "field added" + (" (appended)" if f == new_names[-1] else ""))
    common_old = [f for f in old_names if f in new_set]
    common_new = [f for f in new_names if f in old_set]
    if common_old != common_new:
        add("fields-reordered", None, "major", "fields reordered", common_old, common_new)
    for fname in common_new:
        fo, fn = old.get(fname), new.get(fname)
        if fo is not None and fn is not None:
            _field_changes(fo, fn, add)
    _key_changes(old, new, add)
    if tuple(old.missing_values) != tuple(new.missing_values):
        _missing_change(None, old.missing_values, new.missing_values, add)
    if (old.fields_match or "exact") != (new.fields_match or "exact"):
        add("fields-match", None, "major", f"fieldsMatch {old.fields_match} -> {new.fields_match}")
    return changes


def _key_changes(old: Schema, new: Schema, add: Add) -> None:
    """The primary key changed (major); foreign and unique keys added (stricter) or removed (looser)."""
    if tuple(old.primary_key) != tuple(new.primary_key):
        add("primary-key", None, "major", "primary key changed", list(old.primary_key), list(new.primary_key))
    old_fk = {_fk_id(fk): fk for fk in old.foreign_keys}
    new_fk = {_fk_id(fk): fk for fk in new.foreign_keys}
    for k in old_fk.keys() - new_fk.keys():
        add(
            "foreign-key-removed",
            ",".join(old_fk[k].fields),
            "minor",
            f"foreign key {k} removed (looser)",
            rule="constraint-loosened",
        )
    for k in new_fk.keys() - old_fk.keys():
        add(
            "foreign-key-added",
            ",".join(new_fk[k].fields),
            "major",
            f"foreign key {k} added (stricter)",
            rule="constraint-tightened",
        )
    old_uk, new_uk = set(map(tuple, old.unique_keys)), set(map(tuple, new.unique_keys))
    for uk in old_uk - new_uk:
        add(
            "unique-key-removed",
            ",".join(uk),
            "minor",
            f"unique key ({', '.join(uk)}) removed (looser)",
            rule="constraint-loosened",
        )
    for uk in new_uk - old_uk:
        add(
            "unique-key-added",
            ",".join(uk),
            "major",
            f"unique key ({', '.join(uk)}) added (stricter)",
            rule="constraint-tightened",
        )


def _fk_id(fk) -> str:
    return f"({', '.join(fk.fields)}) -> {fk.resource or '(self)'}({', '.join(fk.reference_fields)})"


def _field_changes(fo: Field, fn: Field, add) -> None:
    name = fn.name
    if fo.type != fn.type:
        add("type-changed", name, "major", f"type {fo.type} -> {fn.type}", fo.type, fn.type)
        return
    for prop in sorted(READING):
        if fo.descriptor.get(prop) != fn.descriptor.get(prop):
            add(
                "format-changed",
                name,
                "major",
                f"{prop} {fo.descriptor.get(prop)!r} -> {fn.descriptor.get(prop)!r}",
                fo.descriptor.get(prop),
                fn.descriptor.get(prop),
            )
    for prop in ("title", "description", "example", "rdfType"):
        if fo.descriptor.get(prop) != fn.descriptor.get(prop):
            add(
                "field-metadata",
                name,
                "patch",
                f"{prop} changed",
                fo.descriptor.get(prop),
                fn.descriptor.get(prop),
                rule="metadata-changed",
            )
    oc, nc = fo.constraints, fn.constraints
    for c in sorted(set(oc) | set(nc)):
        verdict = _constraint(c, oc.get(c), nc.get(c), fn)
        if verdict is None:
            continue
        bump, word = ("major", "tightened") if verdict == "tighter" else ("minor", "loosened")
        add(
            f"constraint-{word}",
            name,
            bump,
            f"constraint {c} {oc.get(c)!r} -> {nc.get(c)!r} ({word})",
            oc.get(c),
            nc.get(c),
            rule=f"constraint-{word}",
        )
    if fo.categories != fn.categories:
        verdict = _set_change(fo.categories, fn.categories)
        bump, word = ("major", "tightened") if verdict == "tighter" else ("minor", "loosened")
        add(
            f"constraint-{word}",
            name,
            bump,
            f"categories {word}",
            list(fo.categories or []),
            list(fn.categories or []),
            rule=f"constraint-{word}",
        )
    elif fo.category_labels != fn.category_labels or fo.categories_ordered != fn.categories_ordered:
        add("field-metadata", name, "patch", "category labels or order changed", rule="metadata-changed")
    if fo.descriptor.get("missingValues") != fn.descriptor.get("missingValues") and tuple(fo.missing_values) != tuple(
        fn.missing_values
    ):
        _missing_change(name, fo.missing_values, fn.missing_values, add)


def _missing_change(field: str | None, old: tuple, new: tuple, add) -> None:
    o, n = set(old), set(new)
    if o == n:
        return
    if o < n:  # more spellings of "missing": nothing valid before becomes invalid
        add(
            "missing-values",
            field,
            "minor",
            f"missingValues widened {sorted(o)} -> {sorted(n)}",
            sorted(o),
            sorted(n),
            rule="constraint-loosened",
        )
    else:
        add(
            "missing-values",
            field,
            "major",
            f"missingValues {sorted(o)} -> {sorted(n)}",
            sorted(o),
            sorted(n),
            rule="constraint-tightened",
        )


def _set_change(old: Iterable | None, new: Iterable | None) -> str:
    """'tighter' unless the new set of allowed values contains the old one (None = anything)."""
    if new is None:
        return "looser"
    if old is None:
        return "tighter"
    return "looser" if set(new) >= set(old) else "tighter"


def _constraint(name: str, old: Any, new: Any, f: Field) -> str | None:
    """'tighter', 'looser', or None when the constraint did not change."""
    if old == new:
        return None
    if name in ("required", "unique"):
        return "tighter" if new and not old else ("looser" if old and not new else None)
    if name == "enum":
        return _set_change(old, new)
    if name in ("minimum", "exclusiveMinimum", "minLength", "maximum", "exclusiveMaximum", "maxLength"):
        if old is None:
            return "tighter"
        if new is None:
            return "looser"
        lo, hi = schema_value(old, f), schema_value(new, f)
        if name in ("minLength", "maxLength"):
            lo, hi = old, new
        try:
            raised = hi > lo
        except TypeError:
            return "tighter"
        lower_bound = name in ("minimum", "exclusiveMinimum", "minLength")
        return "tighter" if raised == lower_bound else "looser"
    if name == "pattern" and new is None:
        return "looser"
    return "tighter"  # a new or changed pattern, jsonSchema or anything else: assume stricter
