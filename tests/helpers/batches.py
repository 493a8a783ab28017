"""Make the table reader cut a table into many small batches, to test what crosses their boundaries."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

from energy_ties.tabular import csvreader
from energy_ties.validation.pipeline import validate


@contextlib.contextmanager
def small_batches(block_bytes: int, py_batch_rows: int) -> Iterator[None]:
    """Arrow blocks of ``block_bytes`` bytes and Python batches of ``py_batch_rows`` rows, for every reader.

    The Arrow block size is TableReader's ``block_bytes`` default (bound when the class was defined, so
    patching csvreader.BLOCK_BYTES alone would not reach it); PY_BATCH_ROWS is read on each batch.
    Not a pytest fixture: hypothesis examples each enter and leave it.
    """
    defaults = dict(csvreader.TableReader.__init__.__kwdefaults__ or {})
    if "block_bytes" not in defaults:
        raise RuntimeError("TableReader() no longer takes block_bytes: update helpers/batches.py")
    with (
        mock.patch.object(csvreader, "BLOCK_BYTES", block_bytes),
        mock.patch.object(csvreader, "PY_BATCH_ROWS", py_batch_rows),
        mock.patch.object(csvreader.TableReader.__init__, "__kwdefaults__", defaults | {"block_bytes": block_bytes}),
    ):
        yield


def batch_sizes(resource) -> list[int]:
    """The number of rows in each batch the reader gives for ``resource`` (under the current settings)."""
    return [len(b) for b in csvreader.TableReader(resource).batches()]


# a NaN in a key column is held as "\x00nan:<a process-wide counter>", and a foreign-key message shows that
# token (see test_a_nan_key_is_named_as_such_in_messages): the counter differs from one validation to the next
NAN_TOKEN = re.compile(r"\x00nan:\d+")


def report(path: Path, **kw) -> tuple[dict, list[tuple]]:
    """The whole report (as to_dict gives it), and its errors as (type, resource, row, field, message)."""
    r = validate(path, profile="none", **kw)
    whole = r.to_dict()
    for e in whole["errors"]:
        e["message"] = NAN_TOKEN.sub("\x00nan:#", e["message"])
    return whole, [(e.type, e.resource, e.row, e.field, NAN_TOKEN.sub("\x00nan:#", e.message)) for e in r.errors]


def bom_in_a_tiny_block(generated, block: int) -> bool:
    # Arrow wants a byte order mark whole in its first block: blocks under 4 bytes read a BOM as bad UTF-8
    return generated[-1] == "bom" and block < 4


def has_quoted_crlf(generated) -> bool:
    # the crlf layout turns a cell's line break into a quoted CRLF, which pyarrow mangles when a block
    # boundary splits it (tests/tabular/test_csvreader.py): left out where Arrow reads small blocks
    _, _, rows, *_, layout = generated
    return layout == "crlf" and any("\n" in cell for row in rows for cell in row)
