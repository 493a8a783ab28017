"""Make the table reader cut a table into many small batches, to test what crosses their boundaries."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from unittest import mock

from energy_ties.tabular import csvreader


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
