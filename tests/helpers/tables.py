"""Edit the rows of a copied package's CSV resources, and read which rules its validation breaks."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

from energy_ties import validate

from . import write_file


def edit(folder: Path, resource: str, change: Callable[[list[dict]], list[dict]]) -> None:
    """Rewrite one CSV resource through ``change(rows) -> rows`` (rows as dicts)."""
    path = folder / "data" / f"{resource}.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        fields, rows = reader.fieldnames, list(reader)
    rows = change(rows)
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=fields or [], lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    write_file(path, buf.getvalue())


def error_types(folder: Path, **kw) -> set[tuple[str, str | None]]:
    """{(error type, resource)} of validating the package in ``folder``."""
    return {(e.type, e.resource) for e in validate(folder, **kw).errors}
