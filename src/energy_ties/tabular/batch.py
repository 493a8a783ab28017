"""Batches of text columns, numbered as frictionless numbers rows, and the error that stops a read."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where a batch is made: reading rows in Python needs neither
    import numpy as np
    import pyarrow as pa


@dataclass
class Ragged:
    """A data row whose cell count differs from the header's."""

    row: int
    cells: list[str]


@dataclass
class Batch:
    """Consecutive data rows: one text column per header column, plus row numbers.

    Absent cells (short rows) are nulls. ``ragged`` lists the rows of this
    batch whose length differs from the header, with all their cells.
    """

    columns: list[pa.Array]
    rows: np.ndarray
    ragged: list[Ragged] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.rows)


class SourceError(Exception):
    """The table cannot be read from here on; ``type`` is the frictionless error type."""

    def __init__(self, type: str, message: str, row: int | None = None):
        super().__init__(message)
        self.type = type
        self.row = row


def number_rows(start: int, n: int, bad: list[int]) -> np.ndarray:
    """Record numbers of the next ``n`` rows Arrow kept, given the numbers of rows it skipped."""
    import numpy as np

    if not n:
        return np.array([], np.int64)
    skipped = np.array(sorted(b for b in bad if b >= start), np.int64)
    out = np.arange(start, start + n + len(skipped), dtype=np.int64)
    if len(skipped):
        out = out[~np.isin(out, skipped)]
    return out[:n]


def batch_from_rows(rows: list[tuple[int, list[str]]], width: int) -> Batch:
    import numpy as np
    import pyarrow as pa

    cols: list[list[str | None]] = [[] for _ in range(width)]
    ragged = []
    for num, cells in rows:
        if len(cells) != width:
            ragged.append(Ragged(num, list(cells)))
        for i in range(width):
            cols[i].append(cells[i] if i < len(cells) else None)
    return Batch([pa.array(c, pa.string()) for c in cols], np.array([n for n, _ in rows], np.int64), ragged)
