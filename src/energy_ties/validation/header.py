"""The header of a table against its schema: label errors, and which field reads each column.

Exactly as frictionless's Header does it, with the v2 ``fieldsMatch`` modes.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..tabular.schema import Field, Schema
from .report import Error


@dataclass
class Header:
    """How the data's columns pair with the schema's fields."""

    handlers: list[Field]  # one per data column (fabricated "any" fields for unmatched labels)
    numbers: list[int]  # their 1-based field numbers
    errors: list[Error]


def check_header(labels: list[str], schema: Schema, resource: str) -> Header:
    """Pair labels with fields and report label errors, exactly as frictionless's Header does."""
    fields = list(schema.fields)
    mode = schema.fields_match or "exact"
    by_name = mode != "exact"
    errors: list[Error] = []

    def err(type_, number, field_name, message, label=None):
        errors.append(Error(type_, resource, 1, field_name, message, field_number=number, cell=label))

    if not labels:  # an empty first line: read as no header at all, fields taken by position (frictionless)
        return Header(fields, list(range(1, len(fields) + 1)), errors)
    by_key: dict[str, Field] = {}
    for f in fields:
        by_key.setdefault(f.name, f)

    def matching(position: int, label: str) -> Field | None:
        if not by_name:
            return fields[position] if position < len(fields) else None
        return by_key.get(label)

    if by_name and len(set(labels)) != len(labels):
        err(
            "duplicate-label",
            None,
            None,
            f'matching fields by name ("fieldsMatch": "{mode}") requires unique labels in the header',
        )
    # extra labels
    if mode not in ("subset", "partial"):
        for number, label in enumerate(labels, start=1):
            if matching(number - 1, label) is None:
                err("extra-label", number, "", f'there is an extra label "{label}" in the header', label)
    if mode == "partial" and fields and not any(matching(i, lab) for i, lab in enumerate(labels)):
        err("unmatched-header", None, None, "no label of the header matches a field of the schema")
    # missing labels
    if by_name:
        present = set(labels)
        missing = [f for f in fields if f.name not in present]
    else:
        missing = fields[len(labels) :]
    if mode in ("superset", "partial"):
        missing = [f for f in missing if f.required or f.name in schema.primary_key]
    for offset, f in enumerate(missing):
        err("missing-label", len(labels) + 1 + offset, f.name, f'there is a missing label for field "{f.name}"')
    if not by_name:
        for number, (f, label) in enumerate(zip(fields, labels), start=1):
            if not label:
                err("blank-label", number, f.name, f'label of field "{f.name}" is blank')
                continue
            seen = [i for i, x in enumerate(labels[: number - 1], start=1) if x == label]
            if seen:
                err(
                    "duplicate-label",
                    number,
                    f.name,
                    f'label "{label}" is duplicated at position "{", ".join(map(str, seen))}"',
                    label,
                )
                continue
            if label != f.name:
                err(
                    "incorrect-label",
                    number,
                    f.name,
                    f'label "{label}" does not match the field name "{f.name}"',
                    label,
                )
    # handlers: the field each column is read as
    names_used: set[str] = set()
    handlers = []
    for i, label in enumerate(labels):
        found = matching(i, label)
        if found is not None:
            f = found
        else:
            name, k = label, 2
            while name in names_used or any(x.name == name for x in fields):
                name, k = f"{label}{k}", k + 1
            f = Field(name=name, type="any", missing_values=schema.missing_values)
        names_used.add(f.name)
        handlers.append(f)
    return Header(handlers, list(range(1, len(labels) + 1)), errors)
