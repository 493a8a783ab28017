"""A release against the one before it, as the diff page shows it: made from the :class:`Diff` that
``energy_ties.diff`` and ``energy-ties diff`` return, so the page and the command line cannot disagree."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from ..diffing.model import Diff, MetadataChange, Reason, ResourceDiff, SchemaChange
from ..diffing.render import jsonable
from .tables import display


@dataclass
class Cell:
    """A changed cell: its field, and old and new values as text (``None``: the cell was empty)."""

    field: str
    old: str | None
    new: str | None


@dataclass
class Modified:
    key: str  # the key as JSON, sorted: what the page's data-key holds
    key_cells: list[str]
    cells: list[Cell | None]  # one per changed column; None where this row's cell did not change


@dataclass
class Rows:
    columns: list[str]
    rows: list[list[str]]


@dataclass
class ResourceChanges:
    name: str
    status: str
    old_name: str | None
    renamed_fields: dict[str, str]
    schema: list[SchemaChange]
    metadata: list[MetadataChange]
    key: list[str]
    counts: dict[str, int]
    added: Rows | None = None
    removed: Rows | None = None
    changed_columns: list[str] = field(default_factory=list)
    modified: list[Modified] = field(default_factory=list)


@dataclass
class DiffPage:
    old_version: str
    new_version: str
    required_bump: str
    reasons: list[Reason]
    metadata: list[MetadataChange]
    resources: list[ResourceChanges]
    unchanged: list[str]


def key_json(key: dict[str, Any]) -> str:
    """A row's key as the page's ``data-key`` holds it: JSON, keys sorted, dates as ISO text."""
    return json.dumps(jsonable(key), ensure_ascii=False, sort_keys=True)


def change_text(value: Any) -> str:
    """An old or new value of a schema or metadata change, as JSON text."""
    return json.dumps(jsonable(value), ensure_ascii=False, sort_keys=True)


def _rows(table: pa.Table | None) -> Rows | None:
    if table is None or table.num_rows == 0:
        return None
    columns = [[display(v) for v in table.column(i).to_pylist()] for i in range(table.num_columns)]
    return Rows(list(table.column_names), [list(r) for r in zip(*columns)])


def _resource(res: ResourceDiff) -> ResourceChanges:
    out = ResourceChanges(
        res.name,
        res.status,
        res.old_name,
        dict(res.renamed_fields),
        list(res.schema),
        list(res.metadata),
        list(res.key),
        res.rows,
        _rows(res.added),
        _rows(res.removed),
    )
    order = res.new_schema.get("fields", []) if isinstance(res.new_schema, dict) else []
    names = [f.get("name") for f in order if isinstance(f, dict)]
    changed = {f for m in res.modified for f in m.cells}
    out.changed_columns = [n for n in names if n in changed] + sorted(changed - set(names))
    for m in res.modified:
        cells = [
            Cell(
                f,
                None if m.cells[f][0] is None else display(m.cells[f][0]),
                None if m.cells[f][1] is None else display(m.cells[f][1]),
            )
            if f in m.cells
            else None
            for f in out.changed_columns
        ]
        out.modified.append(Modified(key_json(m.key), [display(m.key.get(k)) for k in res.key], cells))
    return out


def diff_page(d: Diff) -> DiffPage:
    changed = [_resource(r) for r in d.resources.values() if r.status != "unchanged"]
    unchanged = [name for name, r in d.resources.items() if r.status == "unchanged"]
    return DiffPage(
        d.old_version or "?",
        d.new_version or "?",
        d.required_bump,
        list(d.reasons),
        list(d.metadata),
        changed,
        unchanged,
    )
