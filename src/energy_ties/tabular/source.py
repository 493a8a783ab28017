"""What the table reader needs to know of a table, whatever holds it (a data package resource, a file)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, Protocol

from ..files import open_regular
from .batch import SourceError
from .compression import open_inflated
from .jsonschemas import References
from .schema import Schema


class TableSource(Protocol):
    """A table to read: its files (or inline rows), how they are encoded, and the schema that types them."""

    @property
    def name(self) -> str: ...

    @property
    def paths(self) -> list[Path]: ...

    @property
    def schema(self) -> Schema | None: ...

    @property
    def dialect(self) -> dict: ...

    @property
    def inline(self) -> Any: ...

    @property
    def encoding(self) -> str: ...

    @property
    def format(self) -> str: ...

    @property
    def label(self) -> str:
        """How errors name the table: its file names, or its name."""
        ...

    @property
    def references(self) -> References:
        """Where the references of its ``jsonSchema`` constraints may lead (inside its package)."""
        ...

    @property
    def compression(self) -> str:
        """How its files are compressed: "" (not), "gz", "zip", "bz2" (see :mod:`.compression`)."""
        ...

    @property
    def inner_path(self) -> str | None:
        """The entry of a zip file that holds the table (None: its first file)."""
        ...


class ChainedFiles(io.RawIOBase):
    """Several files read as one byte stream (a resource whose ``path`` is a list)."""

    def __init__(self, paths: list[Path], compression: str = "", inner_path: str | None = None):
        self._paths = list(paths)
        self._fh: IO[bytes] | None = None
        self._compression = compression
        self._inner_path = inner_path

    def readable(self) -> bool:
        return True

    def readinto(self, buf) -> int:
        while True:
            if self._fh is None:
                if not self._paths:
                    return 0
                self._fh = open_file(self._paths.pop(0), self._compression, self._inner_path)
            n = self._fh.readinto(buf)  # type: ignore[attr-defined]
            if n:
                return n
            self._fh.close()
            self._fh = None

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
        super().close()


def is_utf8(encoding: str) -> bool:
    return encoding.lower().replace("_", "-") in ("utf-8", "utf8", "utf-8-sig")


def open_file(path: Path, compression: str = "", inner_path: str | None = None) -> IO[bytes]:
    """One data file's bytes, inflated when it is compressed; it must be a regular file (a FIFO or a device
    never blocks the read: see :mod:`energy_ties.files`)."""
    return open_inflated(path, compression, inner_path) if compression else open_regular(path)


def stored_bytes(resource: TableSource) -> int | None:
    """The bytes of a table's files as read (None: compressed, inline, or a file that cannot be stat'ed)."""
    if resource.compression or resource.inline is not None:
        return None
    try:
        return sum(p.stat().st_size for p in resource.paths)
    except OSError:
        return None


def open_bytes(resource: TableSource) -> IO[bytes]:
    """The table's bytes: inline text as UTF-8, or its files read in turn (see :func:`open_file`)."""
    if isinstance(resource.inline, str):
        return io.BytesIO(resource.inline.encode("utf-8", "surrogatepass"))
    if len(resource.paths) == 1:
        return open_file(resource.paths[0], resource.compression, resource.inner_path)
    return io.BufferedReader(ChainedFiles(resource.paths, resource.compression, resource.inner_path), 1 << 20)


def header_bounded(text: io.TextIOBase, budget: list[int], cap: int) -> Iterator[str]:
    """The lines of ``text``; while ``budget[1]`` header records are still to come, at most ``budget[0]``
    characters in all (a single line included), so that a header with no end is refused, not read whole."""
    while True:
        if budget[1] > 0:
            line = text.readline(budget[0] + 1)
            budget[0] -= len(line)
            if budget[0] < 0:
                raise SourceError("source-error", f"the header is larger than {cap} bytes", 1)
        else:
            line = text.readline()
        if not line:
            return
        yield line
