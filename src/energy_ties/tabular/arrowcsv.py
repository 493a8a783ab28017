"""What Arrow's CSV reader is told (the dialect as its options) and what its errors mean, for the reader."""

from __future__ import annotations

import re
from typing import Any

from .batch import SourceError
from .dialect import Dialect

_ROW_IN_MESSAGE = re.compile(r"Row #(\d+)")

#: Block bytes per column of a table whose reader was given no block size, up to WIDE_BLOCK_BYTES.
BLOCK_BYTES_PER_COLUMN = 16 << 10
WIDE_BLOCK_BYTES = 8 << 20


def block_for(width: int, base: int) -> int:
    """The block size for a table of ``width`` columns read without a given one: ``base``, or more for a wide
    table. Each batch costs some 30 us per column whatever its rows, so a block holds a few thousand rows.
    Measured on 20,000 rows of 1,000 integer columns (78 MB), medians of five alternating runs: 8 MiB blocks
    validate in 1.00 s of CPU and 305 MB, 4 MiB in 1.27 s and 268 MB, 16 MiB in 0.84 s but 390 MB (and a
    data limit of 500 MiB, where 4 and 8 MiB blocks validate under 400 MiB)."""
    return max(base, min(width * BLOCK_BYTES_PER_COLUMN, WIDE_BLOCK_BYTES))


def arrow_options(d: Dialect, names: list[str], block_bytes: int, on_invalid: Any) -> tuple:
    """Arrow's reading options for the dialect: every cell as text, ragged rows handed to ``on_invalid``."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

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
    return read_opts, parse_opts, convert_opts


class BlockTooSmall(Exception):
    """A record straddles more than one of Arrow's blocks."""


def source_error(exc: Exception) -> Exception:
    msg = str(exc)
    if "straddling" in msg or "block size" in msg:
        return BlockTooSmall()
    m = _ROW_IN_MESSAGE.search(msg)
    row = int(m.group(1)) if m else None
    if "UTF8" in msg or "UTF-8" in msg:
        return SourceError("encoding-error", "the data is not valid UTF-8", row)
    return SourceError("source-error", f"CSV cannot be parsed: {msg.splitlines()[0]}", row)
