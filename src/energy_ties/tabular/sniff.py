"""What a table's files hold before they are read as text: compressed data is not a CSV file.

A gzip or zip file named ``.csv`` is not text, whatever its name says (Data
Resource v2, Tabular: "If the `path` property is used for providing data than
it `MUST` contain Tabular Data"); reading it as text would either fail on its
bytes or, in a single-byte encoding, read garbage as valid cells. Such files
are refused before reading. A file declared compressed (``t.csv.gz``, or a ``compression`` property) is
inflated first, and what it holds must then be text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .source import open_bytes

#: Leading bytes of compressed formats, and their names.
MAGIC = {b"\x1f\x8b": "gzip", b"PK\x03\x04": "zip", b"PK\x05\x06": "zip", b"BZh": "bzip2", b"\xfd7zXZ\x00": "xz"}


class _Part:
    """One file of a resource, as open_bytes wants it."""

    inline = None

    def __init__(self, path: Path, compression: str, inner_path: str | None):
        self.paths = [path]
        self.compression = compression
        self.inner_path = inner_path


def compressed(source: Any) -> str | None:
    """The compression format whose signature the source's bytes (inflated, if it declares a compression)
    start with, if any."""
    with open_bytes(source) as fh:
        head = fh.read(6)
    return next((name for magic, name in MAGIC.items() if head.startswith(magic)), None)


def part(path: Path, source: Any) -> _Part:
    """A one-file stand-in for a resource ``source``, for reading its parts one by one."""
    return _Part(path, source.compression, source.inner_path)
