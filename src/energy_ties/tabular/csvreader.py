"""Read a tabular resource as batches of text columns, numbered as frictionless numbers rows.

CSV is parsed by Arrow's streaming reader (bounded memory, one pass). Every
cell is kept as text; typing is the job of :mod:`energy_ties.tabular.columns`. Rows are
numbered the way frictionless numbers them: the header is row 1 and each CSV
record (not each line) counts one. Rows whose length differs from the header
are handed over separately with their cells, so that the validator can report
missing and extra cells; they still take part in every other check.

Dialects Arrow cannot read (initial-space skipping, comments, several header
rows) go through Python's csv module instead, batch by batch, with the same
output; so do the rows of inline ``data``, JSON, JSON Lines and spreadsheet
tables (see :mod:`energy_ties.tabular.formats`). Compressed files are read as
they inflate (:mod:`energy_ties.tabular.compression`).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported by the Arrow path only: the rows of a small table are read without them
    import numpy as np
    import pyarrow as pa

from ..errors import PackageReadError
from .arrowcsv import BlockTooSmall, arrow_options, block_for, source_error
from .batch import Batch, Ragged, SourceError, batch_from_rows, number_rows
from .dialect import Dialect
from .formats import JSON_LINES, SPREADSHEETS, inline_rows, json_lines_rows, json_rows, spreadsheet_rows, table_format
from .headroom import ensure_room_for_reader, reader_started
from .sniff import compressed, part
from .source import TableSource, header_bounded, is_utf8, open_bytes, stored_bytes

__all__ = ["Batch", "Ragged", "SourceError", "TableReader", "TableSource"]

#: Bytes per block handed to Arrow; also bounds memory per batch (4 MiB measured fastest on 1M rows).
BLOCK_BYTES = 4 << 20
#: Largest block tried when a single record does not fit in one.
MAX_BLOCK_BYTES = 1 << 30
#: Rows per batch on the Python path.
PY_BATCH_ROWS = 50_000
#: Most columns a table (its header, or its schema) may have: the work per batch grows with the columns
#: (300,000 took 3.6 GB), and this is four times the widest spreadsheet (16,384 columns) with room to spare.
MAX_COLUMNS = 65_536
#: Largest header record read (parsed whole before the first row): 65,536 labels of 200 bytes each fit.
MAX_HEADER_BYTES = 16 << 20
csv.field_size_limit(1 << 30)


# what surrogateescape turns undecodable bytes into
_SURROGATE = re.compile("[\udc80-\udcff]")


class TableReader:
    """Header and batches of one tabular resource; read it once with :meth:`batches`."""

    def __init__(self, resource: TableSource, *, block_bytes: int | None = None, empty_lines_matter: bool = False):
        self.resource = resource
        self.block_bytes = block_bytes  # None: BLOCK_BYTES, more for a wide table (block_for)
        # Arrow reads an empty line as a row of empty cells, Python's csv as a row with no cells at all;
        # the two differ only where "" is not a missing value, and then the Python path is taken
        self.empty_lines_matter = empty_lines_matter
        self.dialect = Dialect.of(resource)
        self.labels: list[str] | None = None
        self._placed: set[int] = set()  # ragged rows already handed out in a batch
        self._block = BLOCK_BYTES  # the block size of the last Arrow pass

    # -- public

    def batches(self) -> Iterator[Batch]:
        """Yield batches; sets ``labels`` first. Raises SourceError when the table cannot be read on."""
        try:
            rows = self._records(arrow=True)
            yield from self._arrow_batches() if rows is None else self._python_batches(rows)
        except PackageReadError as exc:  # a file refused by the path policy (not a regular file, a link out)
            raise SourceError("source-error", str(exc)) from None

    def arrow_reads(self) -> bool:
        """Whether :meth:`batches` reads the table with Arrow's reader (False also when it cannot be read)."""
        try:
            return self._records(arrow=True) is None
        except (SourceError, PackageReadError):
            return False

    def records(self) -> Iterator[tuple[int, list[str]]]:
        """The data rows as (row number, cells), read in Python whatever the format (the rows the batches
        hold, without Arrow); sets ``labels`` first. Raises SourceError as :meth:`batches` does."""
        try:
            rows = self._records(arrow=False)
            assert rows is not None
            yield from self._numbered(rows)
        except PackageReadError as exc:
            raise SourceError("source-error", str(exc)) from None

    def _records(self, arrow: bool) -> Iterator[list[str]] | None:
        """The table's records for the Python path; None when Arrow is to read them (if ``arrow`` allows)."""
        fmt = table_format(self.resource)
        if fmt == "inline":
            return inline_rows(self.resource)
        if fmt not in ("", "csv", "tsv", "txt", "json", *JSON_LINES, *SPREADSHEETS):
            raise SourceError("format-error", f"format {fmt!r} is not supported")
        if self._is_empty():
            raise SourceError("source-error", "the source is empty")
        if fmt in SPREADSHEETS:
            return spreadsheet_rows(self.resource, fmt)
        for source in self._parts():
            kind = compressed(source)
            if kind is not None:
                name = source.paths[0].name if source.paths else "the inline data"
                raise SourceError("encoding-error", f"{name} holds {kind}-compressed data, not text", 1)
        if fmt == "json":
            return json_rows(self.resource)
        if fmt in JSON_LINES:
            return json_lines_rows(self.resource)
        if (
            arrow
            and (len(self.resource.paths) == 1 or isinstance(self.resource.inline, str))
            and self.dialect.arrow_ok
            and is_utf8(self.resource.encoding)
            and not (self.empty_lines_matter and self._has_empty_line())
        ):
            return None
        return self._text_rows()

    # -- sources

    def _has_empty_line(self) -> bool:
        """Whether two line ends follow each other anywhere (an empty line, or a quoted blank line)."""
        tail = b""
        with open_bytes(self.resource) as fh:
            while chunk := fh.read(1 << 22):
                window = tail + chunk
                if b"\n\n" in window or b"\n\r" in window or b"\r\r" in window:
                    return True
                tail = window[-1:]
        return False

    def _parts(self) -> list[Any]:
        """The resource itself when it has one file (or inline text), else a stand-in for each file."""
        if len(self.resource.paths) < 2:
            return [self.resource]
        return [part(p, self.resource) for p in self.resource.paths]

    def _is_empty(self) -> bool:
        if isinstance(self.resource.inline, str):
            return not self.resource.inline
        return all(p.stat().st_size == 0 for p in self.resource.paths)

    def _text_rows(self) -> Iterator[list[str]]:
        enc = self.resource.encoding
        try:
            if not codecs.lookup(enc)._is_text_encoding:  # e.g. "zlib", "base64"
                raise LookupError(enc)
        except (LookupError, ValueError):
            raise SourceError("encoding-error", f"unknown encoding {enc!r}") from None
        # the first rows of each part after the first are that part's header (as frictionless reads them)
        skip = max(self.dialect.header_rows, default=0)
        sources = self._parts()
        row = 0
        for i, source in enumerate(sources):
            for cells in self._source_rows(source, row, enc):
                if i and skip:
                    skip -= 1
                    continue
                row += 1
                yield cells
            skip = max(self.dialect.header_rows, default=0)

    def _source_rows(self, source: Any, row: int, enc: str) -> Iterator[list[str]]:
        """The records of one file (or of all, chained); ``row`` the number of records before it."""
        utf8 = is_utf8(enc)
        # for UTF-8, bad bytes become surrogates so that the row holding them can be named
        encoding, errors = ("utf-8-sig", "surrogateescape") if utf8 else (enc, "strict")
        text = io.TextIOWrapper(open_bytes(source), encoding=encoding, newline="", errors=errors)
        budget = [MAX_HEADER_BYTES, max(self.dialect.header_rows, default=0) - row]  # header chars, records left
        try:
            for cells in csv.reader(header_bounded(text, budget, MAX_HEADER_BYTES), **self.dialect.python()):
                row += 1
                budget[1] -= 1
                if utf8 and _SURROGATE.search("".join(cells)):  # one search a row, not one a cell
                    raise SourceError("encoding-error", "the data is not valid UTF-8", row)
                yield cells
        except UnicodeDecodeError as exc:
            raise SourceError(
                "encoding-error", f"cannot decode as {self.resource.encoding}: {exc.reason}", row + 1
            ) from None
        except UnicodeError as exc:  # e.g. "UTF-16 stream does not start with BOM": frictionless's source-error
            raise SourceError("source-error", f"cannot decode as {self.resource.encoding}: {exc}") from None
        except csv.Error as exc:
            raise SourceError("source-error", f"CSV cannot be parsed: {exc}", row + 1) from None
        finally:
            text.close()

    # -- header

    def data_width(self) -> int:
        """Cells per row (once the header is read): see :meth:`_data_width`."""
        return self._data_width(self.labels or [])

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
        pending: list[tuple[int, list[str]]] = []
        for numbered in self._numbered(rows):
            pending.append(numbered)
            if len(pending) >= PY_BATCH_ROWS:
                yield batch_from_rows(pending, self.data_width())
                pending = []
        if pending:
            yield batch_from_rows(pending, self.data_width())

    def _numbered(self, rows: Iterator[list[str]]) -> Iterator[tuple[int, list[str]]]:
        """The header taken (``labels`` set), then each data row with its number, comment rows left out."""
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
        for r in head:
            check_width(r)
        # without a header the labels are empty, as frictionless has them: fields are taken by position
        self.labels = self._take_header(head) if d.header_rows else []
        for r in rows:
            number += 1
            if d.comment_rows and number in d.comment_rows:
                continue
            if d.comment_char and r and r[0].startswith(d.comment_char):
                continue
            yield number, r

    # -- Arrow path

    def _read_header_width(self) -> list[str]:
        """Parse the first record with Python's csv to learn the header (quoted newlines and all), reading at
        most MAX_HEADER_BYTES of the file."""
        with open_bytes(self.resource) as raw:
            prefix = raw.read(MAX_HEADER_BYTES + 1)
        # undecodable bytes are kept as surrogates: only those inside the header itself are an error here;
        # Arrow reports any later ones with their row
        text = io.TextIOWrapper(io.BytesIO(prefix), encoding="utf-8-sig", newline="", errors="surrogateescape")
        records = csv.reader(text, **self.dialect.python())
        try:
            first = next(records, [])
            complete = len(prefix) <= MAX_HEADER_BYTES or next(records, None) is not None
        except csv.Error as exc:
            raise SourceError("source-error", f"CSV cannot be parsed: {exc}", 1) from None
        if not complete:  # the first record runs past the bytes read
            raise SourceError("source-error", f"the header is larger than {MAX_HEADER_BYTES} bytes", 1)
        check_width(first)
        if any(_SURROGATE.search(label) for label in first):
            raise SourceError("encoding-error", "the header is not valid UTF-8", 1)
        return first

    def _arrow_batches(self) -> Iterator[Batch]:
        """Arrow's reader; a record larger than a block makes it start again with bigger blocks,
        handing out only the rows not yet handed out (so memory stays bounded by the largest record)."""
        import pyarrow as pa

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
            except BlockTooSmall:
                block = self._block  # the pass's, as the table's width chose it
                if block >= MAX_BLOCK_BYTES:
                    raise SourceError("source-error", f"a record is larger than {MAX_BLOCK_BYTES} bytes") from None
                block = min(block * 4, MAX_BLOCK_BYTES)

    def _arrow_pass(self, block_bytes: int | None) -> Iterator[Batch]:
        import numpy as np
        import pyarrow as pa
        import pyarrow.csv as pacsv

        d = self.dialect
        self.labels = self._read_header_width() if d.header_rows else []  # no header: see _python_batches
        width = max(self._data_width(self.labels), 1)
        self._block = block_bytes = block_bytes or block_for(width, BLOCK_BYTES)
        bad: list[tuple[int, str]] = []

        def on_invalid(row) -> str:
            bad.append((row.number, row.text))
            return "skip"

        read_opts, parse_opts, convert_opts = arrow_options(d, [f"c{i}" for i in range(width)], block_bytes, on_invalid)
        ensure_room_for_reader(block_bytes, stored_bytes(self.resource))  # before the file is opened: nothing to close
        raw = open_bytes(self.resource)
        try:
            try:
                reader = pacsv.open_csv(
                    raw, read_options=read_opts, parse_options=parse_opts, convert_options=convert_opts
                )
            except pa.ArrowInvalid as exc:
                raise source_error(exc) from None
            reader_started()
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
                    raise source_error(exc) from None
                if consumed < len(bad):
                    bad_numbers.extend(n for n, _ in bad[consumed:])
                    consumed = len(bad)
                n = rb.num_rows
                rows = number_rows(next_row, n, bad_numbers)
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
        import numpy as np
        import pyarrow as pa

        if not ragged:
            return Batch(columns, rows)
        width = len(columns)
        parsed = []
        for num, text in ragged:
            self._placed.add(num)
            cells = next(csv.reader(io.StringIO(text), **self.dialect.python()), [])
            parsed.append((num, cells))
        extra = batch_from_rows(parsed, width)
        merged_cols = [pa.concat_arrays([c, e]) for c, e in zip(columns, extra.columns)]
        merged_rows = np.concatenate([rows, extra.rows])
        order = np.argsort(merged_rows, kind="stable")
        take = pa.array(order)
        return Batch([c.take(take) for c in merged_cols], merged_rows[order], extra.ragged)


def check_width(labels: list[str]) -> None:
    """A SourceError for a header of more than MAX_COLUMNS columns."""
    if len(labels) > MAX_COLUMNS:
        raise SourceError("source-error", f"the header has {len(labels)} columns, more than {MAX_COLUMNS}", 1)
