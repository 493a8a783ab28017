"""What a diff holds: typed change records, the reasons for the bump, and the per-resource results."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any

import pyarrow as pa

from . import render

#: The bumps, weakest first: the required bump is the strongest any change demands.
BUMPS = ("none", "patch", "minor", "major")


@dataclass
class Reason:
    """Why the diff demands a bump: the rule and the resource, field or key behind it."""

    bump: str
    rule: str
    resource: str | None = None
    field: str | None = None
    detail: str = ""

    @property
    def label(self) -> str:
        """The rule and the resource.field it applies to: ``rows-added t``, ``field-added t.n``."""
        where = ".".join(x for x in (self.resource, self.field) if x)
        return f"{self.rule} {where}" if where else self.rule

    def line(self) -> str:
        """One line of text: bump, label and detail."""
        return f"{self.bump:5}  {self.label}{': ' + self.detail if self.detail else ''}"

    def to_dict(self) -> dict:
        return {
            "bump": self.bump,
            "rule": self.rule,
            "resource": self.resource,
            "field": self.field,
            "detail": self.detail,
        }


@dataclass
class MetadataChange:
    """A descriptor property added, removed or changed; ``bump`` is set for a resource's properties."""

    property: str
    change: str  # added, removed, changed
    old: Any
    new: Any
    bump: str | None = None

    def to_dict(self) -> dict:
        d = {"property": self.property, "change": self.change, "old": self.old, "new": self.new}
        if self.bump is not None:
            d["bump"] = self.bump
        return d


@dataclass
class SchemaChange:
    """A change to a resource's Table Schema, with the bump it demands."""

    kind: str  # field-added, field-removed, field-renamed, type-changed, constraint-tightened, ...
    field: str | None
    bump: str
    detail: str
    old: Any = None
    new: Any = None

    def to_dict(self) -> dict:
        return {
            "kind": self.kind,
            "field": self.field,
            "old": self.old,
            "new": self.new,
            "bump": self.bump,
            "detail": self.detail,
        }


@dataclass
class RowChange:
    """A row present in both packages whose values differ: its key, and each changed cell as (old, new)."""

    key: dict[str, Any]
    cells: dict[str, tuple[Any, Any]] = dc_field(default_factory=dict)

    def to_dict(self) -> dict:
        return {
            "change": "modified",
            "key": self.key,
            "cells": {f: {"old": o, "new": n} for f, (o, n) in self.cells.items()},
        }


@dataclass
class ResourceDiff:
    """What changed in one resource."""

    name: str
    status: str  # added, removed, renamed, changed, unchanged
    old_name: str | None = None
    schema: list[SchemaChange] = dc_field(default_factory=list)
    metadata: list[MetadataChange] = dc_field(default_factory=list)
    key: list[str] = dc_field(default_factory=list)  # fields rows are matched on; [] = whole-row identity
    renamed_fields: dict[str, str] = dc_field(default_factory=dict)  # old name -> new name
    added: pa.Table | None = None  # full new rows
    removed: pa.Table | None = None  # full old rows
    modified: list[RowChange] = dc_field(default_factory=list)
    new_schema: dict | None = None

    @property
    def rows(self) -> dict[str, int]:
        return {
            "added": 0 if self.added is None else self.added.num_rows,
            "removed": 0 if self.removed is None else self.removed.num_rows,
            "modified": len(self.modified),
        }

    def changes(self) -> list[dict]:
        """Row changes as records of plain Python values (dates stay dates: see Diff.to_json)."""
        out = []
        for kind, table in (("added", self.added), ("removed", self.removed)):
            if table is not None:
                out += [{"change": kind, "key": key_of(row, self.key), "row": row} for row in table.to_pylist()]
        return out + [m.to_dict() for m in self.modified]

    def to_dict(self, jsonable: bool = True) -> dict:
        d: dict[str, Any] = {
            "status": self.status,
            "schema": [c.to_dict() for c in self.schema],
            "metadata": [m.to_dict() for m in self.metadata],
            "key": self.key,
            "rows": self.rows,
            "changes": self.changes(),
        }
        if self.old_name is not None:
            d["old_name"] = self.old_name
        if self.renamed_fields:
            d["renamed_fields"] = self.renamed_fields
        return render.jsonable(d) if jsonable else d


@dataclass
class Diff:
    """The differences between two packages and the bump the Data Package Version rules demand."""

    old_version: str | None
    new_version: str | None
    metadata: list[MetadataChange]
    resources: dict[str, ResourceDiff]
    reasons: list[Reason]

    @property
    def required_bump(self) -> str:
        return max((r.bump for r in self.reasons), key=BUMPS.index, default="none")

    @property
    def changed(self) -> bool:
        return bool(self.metadata) or any(r.status != "unchanged" for r in self.resources.values())

    def to_dict(self, jsonable: bool = True) -> dict:
        """The diff as plain data (what the diff JSON Schema describes); ``jsonable`` turns dates into text."""
        d = {
            "old_version": self.old_version,
            "new_version": self.new_version,
            "required_bump": self.required_bump,
            "reasons": [r.to_dict() for r in self.reasons],
            "metadata": [m.to_dict() for m in self.metadata],
            "resources": {name: r.to_dict(jsonable=False) for name, r in self.resources.items()},
        }
        return render.jsonable(d) if jsonable else d

    def to_json(self) -> str:
        """One JSON document (compact: a diff of a large release holds many rows)."""
        rows = {n: [t for t in (r.added, r.removed) if t is not None] for n, r in self.resources.items()}
        text = render.fast_json(self.to_dict(jsonable=False), rows)
        return text if text is not None else render.to_json(self.to_dict(jsonable=False))

    def to_text(self) -> str:
        """A summary: versions, bump, reasons, and rows added, removed and modified per resource."""
        return render.to_text(self)

    def to_markdown(self, date: str | None = None) -> str:
        """A CHANGELOG section (Keep a Changelog) describing the changes."""
        return render.to_markdown(self, date)


def key_of(row: dict, key: list[str]) -> dict:
    """The key fields of a row, by name."""
    return {k: row.get(k) for k in key}
