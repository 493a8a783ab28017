"""Check a small table row by row in Python: the same errors as the Arrow path, without loading Arrow.

For a package of a few small tables, importing pyarrow and numpy costs more than checking them does.
When every table of a package has at most ``SMALL_TABLE_BYTES`` (see the pipeline), each is read with
Python's csv module (the reader's Python path: the rows its batches would hold), and each cell is read
by the exact reader of its type (:func:`energy_ties.tabular.values.reader`) and checked by its field's
constraints (:meth:`~energy_ties.tabular.constraints.FieldCheck.value_breaks`): the rules the Arrow
path applies to every cell outside a type's canonical form, so to every cell here. Header, ragged-row
and blank-row errors are made by :mod:`.plan` for both paths; key columns are compared in Python where
that is provably Arrow's comparison, else by Arrow (see :mod:`energy_ties.tabular.pykeys`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..errors import PackageReadError
from ..tabular.constraints import FieldCheck
from ..tabular.csvreader import PY_BATCH_ROWS, SourceError, TableReader, TableSource
from ..tabular.formats import SPREADSHEETS, table_format
from ..tabular.pykeys import PyKeys
from ..tabular.schema import Field
from ..tabular.source import is_utf8, open_bytes, stored_bytes
from ..tabular.spill import KeyStore
from ..tabular.values import reader as cell_reader
from .plan import (
    add_cell_errors,
    blank_row,
    empty_lines_matter,
    finish_table,
    inferred,
    prepare,
    ragged_errors,
    type_note,
)
from .report import Collector, TableResult

#: Most bytes of tables (their files together, as stored) checked in Python rather than with Arrow: about
#: 20,000 rows of seven fields, which Python checks in about the time starting pyarrow and numpy takes
#: (measured with benchmarks/small_packages.py: 470 KB in 0.25 s against 0.45 s with Arrow, 2.4 MB in 0.93 s
#: against 0.43 s).
SMALL_TABLE_BYTES = 1 << 20
_TEXT_FORMATS = ("", "csv", "tsv", "txt")


def all_small(tables: Sequence[TableSource], limit: int = SMALL_TABLE_BYTES) -> bool:
    """Whether the tables are checked in Python: each is small, and together they hold at most ``limit`` bytes
    (Python's time grows with the bytes; Arrow's start-up is paid once, however many tables)."""
    left = limit
    for resource in tables:
        size = small_size(resource, left)
        if size is None:
            return False
        left -= size
    return True


def is_small(resource: TableSource, limit: int = SMALL_TABLE_BYTES) -> bool:
    """Whether the table alone is checked in Python (see :func:`small_size`)."""
    return small_size(resource, limit) is not None


def small_size(resource: TableSource, limit: int = SMALL_TABLE_BYTES) -> int | None:
    """The bytes of a table checked in Python (None when it is not): uncompressed, not a spreadsheet, at most
    ``limit`` bytes, and (text in UTF-8) valid UTF-8 throughout, so that the Arrow path would not report a bad
    byte. Rows given in the descriptor count as no bytes: they are read in Python on either path."""
    fmt = table_format(resource)
    if resource.compression or fmt in SPREADSHEETS or limit <= 0:
        return None
    if isinstance(resource.inline, str):
        return len(resource.inline) if len(resource.inline) <= limit else None
    if resource.inline is not None:
        return 0
    size = stored_bytes(resource)  # not compressed, not inline: None only when a file cannot be stat'ed
    if size is None or size > limit:
        return None
    try:
        if fmt in _TEXT_FORMATS and is_utf8(resource.encoding):
            with open_bytes(resource) as fh:
                fh.read(size + 1).decode("utf-8")
    except (OSError, PackageReadError, SourceError, UnicodeDecodeError):  # the usual path reports these
        return None
    return size


def check_small_table(
    resource: TableSource, collector: Collector, wanted_keys: set[tuple[str, ...]], store: KeyStore | None = None
) -> TableResult:
    """Check one small table as :func:`.table.check_table` does, in Python."""
    schema = resource.schema
    name = resource.name
    result = TableResult()
    reader = TableReader(resource, empty_lines_matter=empty_lines_matter(schema))

    def make_keys(k: tuple[str, ...], fields: tuple[Field | None, ...]) -> PyKeys:
        return PyKeys(k, fields, store)

    checks: list[FieldCheck] | None = None
    pending: list[tuple[int, list[str]]] = []

    def check(rows: list[tuple[int, list[str]]]) -> list[FieldCheck]:
        ready = checks
        if ready is None:
            ready = prepare(reader, schema or inferred(reader), name, collector, result, wanted_keys, make_keys)
        _check_rows(rows, ready, reader.data_width(), name, collector, result)
        return ready

    failure: SourceError | None = None
    try:
        arrow_batch = reader.arrow_reads()  # Arrow hands out a batch (so the checks are made) for a header alone
        for numbered in reader.records():
            pending.append(numbered)
            if len(pending) >= PY_BATCH_ROWS:
                checks, pending = check(pending), []
        if pending or (arrow_batch and checks is None and reader.labels):
            checks = check(pending)
    except SourceError as exc:
        failure = exc
    finish_table(reader, resource, checks is not None, failure, collector, result)
    return result


class _Column:
    """One field's cells in some rows, read: missing, typed value (None when missing or invalid), invalid."""

    def __init__(self, fc: FieldCheck, i: int, width: int, rows: list[tuple[int, list[str]]], regular: bool):
        read = cell_reader(fc.field)
        absent = set(fc.field.missing_values)
        if regular:  # every row has ``width`` cells
            self.cells: list[str | None] = [c[i] for _, c in rows]
        else:
            self.cells = [c[i] if i < width and i < len(c) else None for _, c in rows]
        self.missing = [c is None or c in absent for c in self.cells]
        self.values: list[Any] = [None if m or c is None else read(c) for c, m in zip(self.cells, self.missing)]
        self.invalid = [not m and v is None for m, v in zip(self.missing, self.values)]


def _check_rows(
    rows: list[tuple[int, list[str]]],
    checks: list[FieldCheck],
    width: int,
    name: str,
    collector: Collector,
    result: TableResult,
) -> None:
    """The checks of :func:`.table._check_batch`, cell by cell, in the same order."""
    result.rows += len(rows)
    regular = all(len(c) == width for _, c in rows)
    cols = [_Column(fc, i, width, rows, regular and i < width) for i, fc in enumerate(checks)]
    blank = list(map(all, zip(*(col.missing for col in cols)))) if cols else [True] * len(rows)
    for fc, col in zip(checks, cols):
        hits = [r for r, bad in enumerate(col.invalid) if bad and not blank[r]] if any(col.invalid) else []
        _add(collector, rows, col, hits, name, fc, "type-error", 0, type_note(fc.field))
        found = []
        for cname in fc.checked():
            if cname == "required":
                hits = [r for r, m in enumerate(col.missing) if m and not blank[r]] if any(col.missing) else []
            else:
                breaks = fc.value_breaks(cname)
                valid = (r for r, v in enumerate(col.values) if v is not None and not blank[r])
                hits = [] if breaks is None else [r for r in valid if breaks(col.values[r])]
            if hits:
                found.append((cname, hits))
        for order, (cname, hits) in enumerate(found, start=1):
            _add(collector, rows, col, hits, name, fc, "constraint-error", order, fc.note(cname), cname)
    names = [fc.field.name for fc in checks]
    for (row, cells), is_blank in zip(rows, blank):
        if len(cells) != width and not is_blank:
            for e in ragged_errors(row, cells, len(checks), names, name):
                collector.add(e)
    for (row, _), is_blank in zip(rows, blank):
        if is_blank:
            collector.add(blank_row(name, row))
    first: dict[str, _Column] = {}
    for fc, col in zip(checks, cols):
        first.setdefault(fc.field.name, col)
    for key, keys in result.keys.items():
        assert isinstance(keys, PyKeys)
        held = [[None] * len(rows) if c is None else c.values for c in map(first.get, key)]
        keys.extend([row for row, _ in rows], zip(*held))


def _add(
    collector: Collector,
    rows: list[tuple[int, list[str]]],
    col: _Column,
    hits: list[int],
    name: str,
    fc: FieldCheck,
    type_: str,
    order: int,
    note: str,
    constraint: str | None = None,
) -> None:
    if hits:
        room = collector.room((name, type_, fc.field.name, constraint))
        shown = [(rows[r][0], col.cells[r]) for r in hits[:room]]
        add_cell_errors(collector, shown, len(hits), name, fc, type_, order, note, constraint)
