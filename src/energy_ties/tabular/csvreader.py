"""Read a tabular resource as batches of text columns, numbered as frictionless numbers rows.

CSV is parsed by Arrow's streaming reader (bounded memory, one pass). Every
cell is kept as text; typing is the job of :mod:`energy_ties.tabular.columns`. Rows are
numbered the way frictionless numbers them: the header is row 1 and each CSV
record (not each line) counts one. Rows whose length differs from the header
are handed over separately with their cells, so that the validator can report
missing and extra cells; they still take part in every other check.

Dialects Arrow cannot read (initial-space skipping, comments, several header
rows) and inline ``data`` go through Python's csv module instead, batch by
batch, with the same output.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from .dialect import Dialect, declared_format
from .source import TableSource

#: Bytes per block handed to Arrow; also bounds memory per batch (4 MiB measured fastest on 1M rows).
BLOCK_BYTES = 4 << 20
#: Largest block tried when a single record does not fit in one.
MAX_BLOCK_BYTES = 1 << 30
#: Rows per batch on the Python path.
PY_BATCH_ROWS = 50_000
csv.field_size_limit(1 << 30)


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


class ChainedFiles(io.RawIOBase):
    """Several files read as one byte stream (a resource whose ``path`` is a list)."""

    def __init__(self, paths: list[Path]):
        self._paths = list(paths)
        self._fh: io.BufferedReader | None = None

    def readable(self) -> bool:
        return True

    def readinto(self, buf) -> int:
        while True:
            if self._fh is None:
                if not self._paths:
                    return 0
                self._fh = open(self._paths.pop(0), "rb")
            n = self._fh.readinto(buf)
            if n:
                return n
            self._fh.close()
            self._fh = None

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
        super().close()


def _is_utf8(encoding: str) -> bool:
    return encoding.lower().replace("_", "-") in ("utf-8", "utf8", "utf-8-sig")


def _open_bytes(resource: TableSource):
    if len(resource.paths) == 1:
        return open(resource.paths[0], "rb")
    return io.BufferedReader(ChainedFiles(resource.paths), buffer_size=1 << 20)


_ROW_IN_MESSAGE = re.compile(r"Row #(\d+)")
# what surrogateescape turns undecodable bytes into
_SURROGATE = re.compile("[\udc80-\udcff]")


class TableReader:
    """Header and batches of one tabular resource; read it once with :meth:`batches`."""

    def __init__(self, resource: TableSource, *, block_bytes: int = BLOCK_BYTES, empty_lines_matter: bool = False):
        self.resource = resource
        self.block_bytes = block_bytes
        # Arrow reads an empty line as a row of empty cells, Python's csv as a row with no cells at all;
        # the two differ only where "" is not a missing value, and then the Python path is taken
        self.empty_lines_matter = empty_lines_matter
        self.dialect = Dialect.of(resource)
        self.labels: list[str] | None = None
        self._placed: set[int] = set()  # ragged rows already handed out in a batch

    # -- public

    def batches(self) -> Iterator[Batch]:
        """Yield batches; sets ``labels`` first. Raises SourceError when the table cannot be read on."""
        if self.resource.inline is not None:
            yield from self._python_batches(self._inline_rows())
            return
        fmt, suffix = declared_format(self.resource)
        if fmt not in ("", "csv", "tsv") or (not fmt and suffix not in (".csv", ".tsv", ".txt", "")):
            raise SourceError("format-error", f"format {fmt or suffix!r} is not supported (CSV and TSV are)")
        if self._is_empty():
            raise SourceError("source-error", "the source is empty")
        if (
            self.dialect.arrow_ok
            and _is_utf8(self.resource.encoding)
            and not (self.empty_lines_matter and self._has_empty_line())
        ):
            yield from self._arrow_batches()
        else:
            yield from self._python_batches(self._text_rows())

    # -- sources

    def _has_empty_line(self) -> bool:
        """Whether two line ends follow each other anywhere (an empty line, or a quoted blank line)."""
        tail = b""
        with _open_bytes(self.resource) as fh:
            while chunk := fh.read(1 << 22):
                window = tail + chunk
                if b"\n\n" in window or b"\n\r" in window or b"\r\r" in window:
                    return True
                tail = window[-1:]
        return False

    def _is_empty(self) -> bool:
        return all(p.stat().st_size == 0 for p in self.resource.paths)

    def _text_rows(self) -> Iterator[list[str]]:
        enc = self.resource.encoding
        try:
            codecs.lookup(enc)
        except LookupError:
            raise SourceError("encoding-error", f"unknown encoding {enc!r}") from None
        utf8 = _is_utf8(enc)
        raw = _open_bytes(self.resource)
        # for UTF-8, bad bytes become surrogates so that the row holding them can be named
        text = io.TextIOWrapper(
            raw, encoding="utf-8-sig" if utf8 else enc, newline="", errors="surrogateescape" if utf8 else "strict"
        )
        row = 0
        try:
            for cells in csv.reader(text, **self.dialect.python()):
                row += 1
                if utf8 and any(_SURROGATE.search(c) for c in cells):
                    raise SourceError("encoding-error", "the data is not valid UTF-8", row)
                yield cells
        except UnicodeDecodeError as exc:
            raise SourceError(
                "encoding-error", f"cannot decode as {self.resource.encoding}: {exc.reason}", row + 1
            ) from None
        except csv.Error as exc:
            raise SourceError("source-error", f"CSV cannot be parsed: {exc}", row + 1) from None
        finally:
            text.close()

    def _inline_rows(self) -> Iterator[list[str]]:
        data = self.resource.inline
        if not isinstance(data, list):
            raise SourceError("source-error", "inline data must be an array")
        if data and all(isinstance(r, dict) for r in data):
            names = self.resource.schema.field_names if self.resource.schema else list(data[0])
            yield list(names)
            for r in data:
                yield [_inline_cell(r.get(n)) for n in names]
            return
        for r in data:
            if not isinstance(r, list):
                raise SourceError("source-error", "inline data rows must all be arrays or all be objects")
            yield [_inline_cell(c) for c in r]

    # -- header

    def _data_width(self, labels: list[str]) -> int:
        """Cells per row: the header's; no header, or an empty header line, leaves the schema's fields to decide."""
        if not labels and self.resource.schema is not None:
            return len(self.resource.schema.fields)
        return len(labels)

    def _take_header(self, rows: list[list[str]]) -> list[str]:
        d = self.dialect
        header_rows = [rows[i - 1] for i in d.header_rows if i - 1 < len(rows)]
        width = max((len(r) for r in header_rows), default=0)
        labels = []
        for i in range(width):
            parts = [r[i] for r in header_rows if i < len(r) and r[i] != ""]
            labels.append(d.header_join.join(parts))
        return labels

    # -- Python path

    def _python_batches(self, rows: Iterator[list[str]]) -> Iterator[Batch]:
        d = self.dialect
        rows = iter(rows)
        head: list[list[str]] = []
        number = 0
        for _ in range(max(d.header_rows, default=0)):
            r = next(rows, None)
            if r is None:
                break
            number += 1
            head.append(r)
        if d.header_rows and not head:
            raise SourceError("source-error", "the source is empty")
        # without a header the labels are empty, as frictionless has them: fields are taken by position
        self.labels = self._take_header(head) if d.header_rows else []
        width = self._data_width(self.labels)
        pending: list[tuple[int, list[str]]] = []
        for r in rows:
            number += 1
            if d.comment_rows and number in d.comment_rows:
                continue
            if d.comment_char and r and r[0].startswith(d.comment_char):
                continue
            pending.append((number, r))
            if len(pending) >= PY_BATCH_ROWS:
                yield _batch_from_rows(pending, width)
                pending = []
        if pending:
            yield _batch_from_rows(pending, width)

    # -- Arrow path

    def _read_header_width(self) -> list[str]:
        """Parse the first record with Python's csv to learn the header (quoted newlines and all)."""
        with _open_bytes(self.resource) as raw:
            # undecodable bytes are kept as surrogates: only those inside the header itself are an error here;
            # Arrow reports any later ones with their row
            text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="", errors="surrogateescape")
            try:
                first = next(csv.reader(text, **self.dialect.python()), [])
            except csv.Error as exc:
                raise SourceError("source-error", f"CSV cannot be parsed: {exc}", 1) from None
            finally:
                text.detach()
        if any(_SURROGATE.search(label) for label in first):
            raise SourceError("encoding-error", "the header is not valid UTF-8", 1)
        return first

    def _arrow_batches(self) -> Iterator[Batch]:
        """Arrow's reader; a record larger than a block makes it start again with bigger blocks,
        handing out only the rows not yet handed out (so memory stays bounded by the largest record)."""
        block = self.block_bytes
        done = 0  # the last row number already yielded
        while True:
            try:
                for batch in self._arrow_pass(block):
                    keep = batch.rows > done
                    if not keep.all():
                        batch = Batch(
                            [c.filter(pa.array(keep)) for c in batch.columns],
                            batch.rows[keep],
                            [r for r in batch.ragged if r.row > done],
                        )
                    if len(batch) or batch.ragged:
                        done = int(batch.rows.max()) if len(batch) else done
                        yield batch
                return
            except _BlockTooSmall:
                if block >= MAX_BLOCK_BYTES:
                    raise SourceError("source-error", f"a record is larger than {MAX_BLOCK_BYTES} bytes") from None
                block = min(block * 4, MAX_BLOCK_BYTES)

    def _arrow_pass(self, block_bytes: int) -> Iterator[Batch]:
        d = self.dialect
        self.labels = self._read_header_width() if d.header_rows else []  # no header: see _python_batches
        width = max(self._data_width(self.labels), 1)
        names = [f"c{i}" for i in range(width)]
        bad: list[tuple[int, str]] = []

        def on_invalid(row) -> str:
            bad.append((row.number, row.text))
            return "skip"

        read_opts = pacsv.ReadOptions(use_threads=False, block_size=block_bytes, column_names=names)
        parse_opts = pacsv.ParseOptions(
            delimiter=d.delimiter,
            quote_char=d.quote_char or False,
            double_quote=d.double_quote,
            escape_char=d.escape_char or False,
            newlines_in_values=True,
            ignore_empty_lines=False,
            invalid_row_handler=on_invalid,
        )
        convert_opts = pacsv.ConvertOptions(
            column_types={n: pa.string() for n in names}, strings_can_be_null=False, quoted_strings_can_be_null=False
        )
        raw = _open_bytes(self.resource)
        try:
            try:
                reader = pacsv.open_csv(
                    raw, read_options=read_opts, parse_options=parse_opts, convert_options=convert_opts
                )
            except pa.ArrowInvalid as exc:
                raise _source_error(exc) from None
            next_row = 1  # record number of the next row Arrow hands us
            header_pending = bool(d.header_rows)
            consumed = 0  # how many entries of ``bad`` are already placed
            bad_numbers: list[int] = []
            while True:
                try:
                    rb = reader.read_next_batch()
                except StopIteration:
                    break
                except pa.ArrowInvalid as exc:
                    raise _source_error(exc) from None
                if consumed < len(bad):
                    bad_numbers.extend(n for n, _ in bad[consumed:])
                    consumed = len(bad)
                n = rb.num_rows
                rows = _number_rows(next_row, n, bad_numbers)
                if n:
                    next_row = int(rows[-1]) + 1
                columns = [rb.column(i) for i in range(width)]
                if header_pending and n:
                    columns = [c.slice(1) for c in columns]
                    rows = rows[1:]
                    header_pending = False
                ragged_here = [
                    (num, text) for num, text in bad if rows.size and num <= rows[-1] and num not in self._placed
                ]
                yield self._with_ragged(columns, rows, ragged_here)
            leftover = [(num, text) for num, text in bad if num not in self._placed]
            if leftover:
                yield self._with_ragged(
                    [pa.array([], pa.string()) for _ in range(width)], np.array([], np.int64), leftover
                )
        finally:
            raw.close()

    def _with_ragged(self, columns: list[pa.Array], rows: np.ndarray, ragged: list[tuple[int, str]]) -> Batch:
        """Append the ragged rows (parsed again with Python's csv) to a batch, in row order."""
        if not ragged:
            return Batch(columns, rows)
        width = len(columns)
        parsed = []
        for num, text in ragged:
            self._placed.add(num)
            cells = next(csv.reader(io.StringIO(text), **self.dialect.python()), [])
            parsed.append((num, cells))
        extra = _batch_from_rows(parsed, width)
        merged_cols = [pa.concat_arrays([c, e]) for c, e in zip(columns, extra.columns)]
        merged_rows = np.concatenate([rows, extra.rows])
        order = np.argsort(merged_rows, kind="stable")
        take = pa.array(order)
        return Batch([c.take(take) for c in merged_cols], merged_rows[order], extra.ragged)


def _number_rows(start: int, n: int, bad: list[int]) -> np.ndarray:
    """Record numbers of the next ``n`` rows Arrow kept, given the numbers of rows it skipped."""
    if not n:
        return np.array([], np.int64)
    skipped = np.array(sorted(b for b in bad if b >= start), np.int64)
    out = np.arange(start, start + n + len(skipped), dtype=np.int64)
    if len(skipped):
        out = out[~np.isin(out, skipped)]
    return out[:n]


def _batch_from_rows(rows: list[tuple[int, list[str]]], width: int) -> Batch:
    cols: list[list[str | None]] = [[] for _ in range(width)]
    ragged = []
    for num, cells in rows:
        if len(cells) != width:
            ragged.append(Ragged(num, list(cells)))
        for i in range(width):
            cols[i].append(cells[i] if i < len(cells) else None)
    return Batch([pa.array(c, pa.string()) for c in cols], np.array([n for n, _ in rows], np.int64), ragged)


def _inline_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    return json.dumps(value)


class _BlockTooSmall(Exception):
    """A record straddles more than one of Arrow's blocks."""


def _source_error(exc: Exception) -> Exception:
    msg = str(exc)
    if "straddling" in msg or "block size" in msg:
        return _BlockTooSmall()
    m = _ROW_IN_MESSAGE.search(msg)
    row = int(m.group(1)) if m else None
    if "UTF8" in msg or "UTF-8" in msg:
        return SourceError("encoding-error", "the data is not valid UTF-8", row)
    return SourceError("source-error", f"CSV cannot be parsed: {msg.splitlines()[0]}", row)
