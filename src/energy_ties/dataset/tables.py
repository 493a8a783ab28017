"""The energy-ties package's tables as rows of text, for rules that look across records.

The tables are small; the rules read them a second time after the table
checks, as plain text, so that a rule sees exactly what the file holds.
"""

from __future__ import annotations

from typing import Any

from ..datapackage.model import Package
from ..tabular.csvreader import SourceError, TableReader


def read_rows(pkg: Package, name: str) -> list[dict[str, Any]] | None:
    """The rows of a resource as text, or None when it cannot be read (its errors are reported elsewhere)."""
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
    return rows
