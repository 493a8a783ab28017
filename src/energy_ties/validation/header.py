"""The header of a table against its schema: label errors, and which field reads each column.

Exactly as frictionless's Header does it, with the v2 ``fieldsMatch`` modes.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from ..tabular.schema import Field, Schema
from .report import Error


@dataclass
class Header:
    """How the data's columns pair with the schema's fields."""

    handlers: list[Field]  # one per data column (fabricated "any" fields for unmatched labels)
    numbers: list[int]  # their 1-based field numbers
    errors: list[Error]


@dataclass
class _Pairing:
    """How labels find their fields: by position, or by name when ``fieldsMatch`` says so."""

    schema: Schema
    labels: list[str]
    resource: str
    errors: list[Error]
    by_key: dict[str, Field] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for f in self.schema.fields:
            self.by_key.setdefault(f.name, f)

    @property
    def mode(self) -> str:
        return self.schema.fields_match or "exact"

    @property
    def by_name(self) -> bool:
        return self.mode != "exact"

    def matching(self, position: int, label: str) -> Field | None:
        fields = self.schema.fields
        if not self.by_name:
            return fields[position] if position < len(fields) else None
        return self.by_key.get(label)

    def err(
        self, type_: str, number: int | None, field_name: str | None, message: str, label: str | None = None
    ) -> None:
        self.errors.append(Error(type_, self.resource, 1, field_name, message, field_number=number, cell=label))


def check_header(labels: list[str], schema: Schema, resource: str) -> Header:
    """Pair labels with fields and report label errors, exactly as frictionless's Header does."""
    fields = list(schema.fields)
    errors: list[Error] = []
    if not labels:  # an empty first line: read as no header at all, fields taken by position (frictionless)
        return Header(fields, list(range(1, len(fields) + 1)), errors)
    p = _Pairing(schema, labels, resource, errors)
    if p.by_name and len(set(labels)) != len(labels):
        p.err(
            "duplicate-label",
            None,
            None,
            f'matching fields by name ("fieldsMatch": "{p.mode}") requires unique labels in the header',
        )
    _extra_labels(p)
    _missing_labels(p)
    if not p.by_name:
        _wrong_labels(p)
    return Header(_handlers(p), list(range(1, len(labels) + 1)), errors)


def _extra_labels(p: _Pairing) -> None:
    if p.mode not in ("subset", "partial"):
        for number, label in enumerate(p.labels, start=1):
            if p.matching(number - 1, label) is None:
                p.err("extra-label", number, "", f'there is an extra label "{label}" in the header', label)
    if p.mode == "partial" and p.schema.fields and not any(p.matching(i, lab) for i, lab in enumerate(p.labels)):
        p.err("unmatched-header", None, None, "no label of the header matches a field of the schema")


def _missing_labels(p: _Pairing) -> None:
    fields = list(p.schema.fields)
    if p.by_name:
        present = set(p.labels)
        missing = [f for f in fields if f.name not in present]
    else:
        missing = fields[len(p.labels) :]
    if p.mode in ("superset", "partial"):
        missing = [f for f in missing if f.required or f.name in p.schema.primary_key]
    for offset, f in enumerate(missing):
        p.err("missing-label", len(p.labels) + 1 + offset, f.name, f'there is a missing label for field "{f.name}"')


#: Earlier positions a duplicate-label message lists: a header repeating one label 300,000 times would
#: otherwise make messages, and the time to write them, grow with the square of its width.
SHOWN_POSITIONS = 20


def _wrong_labels(p: _Pairing) -> None:
    """Blank, duplicate and incorrect labels, for fields taken by position."""
    labels = p.labels
    positions: dict[str, list[int]] = {}  # each label's positions so far (for duplicates), in one pass
    for number, label in enumerate(labels, start=1):
        positions.setdefault(label, []).append(number)
    for number, (f, label) in enumerate(zip(p.schema.fields, labels), start=1):
        if not label:
            p.err("blank-label", number, f.name, f'label of field "{f.name}" is blank')
            continue
        seen = positions[label]
        earlier = bisect.bisect_left(seen, number)
        if earlier:
            shown = seen[: min(earlier, SHOWN_POSITIONS)]
            where = ", ".join(map(str, shown)) + (", ..." if earlier > len(shown) else "")
            p.err("duplicate-label", number, f.name, f'label "{label}" is duplicated at position "{where}"', label)
        elif label != f.name:
            p.err("incorrect-label", number, f.name, f'label "{label}" does not match the field name "{f.name}"', label)


def _handlers(p: _Pairing) -> list[Field]:
    """The field each column is read as: its own, or an ``any`` field named after an unmatched label."""
    names_used: set[str] = set()
    schema_names = p.schema.names
    handlers = []
    for i, label in enumerate(p.labels):
        f = p.matching(i, label)
        if f is None:
            name, k = label, 2
            while name in names_used or name in schema_names:
                name, k = f"{label}{k}", k + 1
            f = Field(name=name, type="any", missing_values=p.schema.missing_values)
        names_used.add(f.name)
        handlers.append(f)
    return handlers
