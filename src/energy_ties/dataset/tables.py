"""The energy-ties package's tables as rows of text, for rules that look across records.

The tables are small; the rules read them a second time after the table
checks, as plain text, so that a rule sees exactly what the file holds. A
table that lacks a column the rules read (a renamed column) is not handed to
them: the missing column is reported instead.
"""

from __future__ import annotations

from typing import Any

from ..datapackage.findings import Error
from ..datapackage.model import Package
from ..tabular.csvreader import SourceError, TableReader

#: The columns the rules read by name in each table (others they read with a default).
COLUMNS = {
    "sources": ("id",),
    "entities": ("id", "name"),
    "entity_aliases": ("id", "alias", "entity"),
    "events": ("id",),
    "event_participants": ("id", "event", "entity", "role"),
    "claims": ("id",),
    "quotes": ("id", "text", "source"),
    "dates": ("id", "resource", "record", "source", "bound", "date", "precision", "basis", "anchor"),
    "evidence": ("id", "resource", "record", "source", "start", "end", "sha256"),
}


def read_rows(pkg: Package, name: str, errors: list[Error] | None = None) -> list[dict[str, Any]] | None:
    """The rows of a resource as text, or None when it cannot be read (its errors are reported elsewhere) or
    lacks a column the rules read (each such column appended to ``errors``, when given)."""
    try:
        res = pkg.resource(name)
    except Exception:  # no such resource: its absence is reported by the package schema
        return None
    if res.problems:
        return None
    reader = TableReader(res)
    rows: list[dict[str, Any]] = []
    try:
        for batch in reader.batches():
            labels = reader.labels or []
            cols = [c.to_pylist() for c in batch.columns]
            for i, r in enumerate(batch.rows):
                rows.append(
                    {"_row": int(r), **{labels[j]: (cols[j][i] or "") for j in range(min(len(labels), len(cols)))}}
                )
    except SourceError:
        return None
    missing = [c for c in COLUMNS.get(name, ()) if c not in (reader.labels or [])]
    if missing:
        for column in missing:
            message = f"{name} has no column {column!r}, which this package's rules read; its rules are not applied"
            if errors is not None:
                errors.append(Error("missing-column", name, 1, column, message))
        return None
    return rows
