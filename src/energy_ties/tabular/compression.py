"""Compressed data files (``t.csv.gz``, ``t.csv.zip``, or any file with a ``compression`` property), read as
they inflate, within the bounds of the archive reader.

The compression is the resource's ``compression`` property (frictionless's: ``gz``, ``zip``, ``bz2``), else the
file's last suffix; the format is then read from the suffix before it (``t.csv.gz`` is CSV). A zip holds one
table: the entry the resource's ``innerpath`` names, else its first file, as frictionless takes it. Inflating
stops, as a ``compression-error``, beyond MAX_RATIO times the compressed size (past RATIO_FLOOR) or beyond
MAX_UNPACKED_BYTES, counting the bytes produced, whatever the file's headers claim; a corrupt or encrypted
file is a ``compression-error`` too. ``bytes`` and ``hash`` remain those of the file as stored.
"""

from __future__ import annotations

import bz2
import gzip
import io
import zipfile
import zlib
from pathlib import Path
from typing import IO, Any

from ..files import MAX_RATIO, MAX_UNPACKED_BYTES, RATIO_FLOOR, open_regular
from .batch import SourceError

#: The compressions read, by the names the ``compression`` property and file suffixes give them.
NAMES = {"gz": "gz", "gzip": "gz", "zip": "zip", "bz2": "bz2", "bzip2": "bz2"}
#: What inflating may raise on a corrupt, truncated or encrypted file.
_ERRORS = (OSError, EOFError, zlib.error, zipfile.BadZipFile, RuntimeError, NotImplementedError, ValueError)


def of_suffix(path: Path) -> str:
    """The compression a file's last suffix names ("" for none)."""
    return NAMES.get(path.suffix.lower().lstrip("."), "")


def declared(value: Any) -> str:
    """The compression a ``compression`` property names: a known name, "" for none, or the value itself (which
    :func:`open_inflated` then refuses)."""
    if not isinstance(value, str) or value.lower() in ("", "no"):
        return ""
    return NAMES.get(value.lower(), value)


def inner_suffix(path: Path, compression: str) -> str:
    """The suffix that tells the format of what a compressed file holds: ``.csv`` for ``t.csv.gz``."""
    if compression and of_suffix(path) == compression:
        return Path(path.stem).suffix.lower()
    return path.suffix.lower()


class _Bounded(io.RawIOBase):
    """The inflated bytes of ``inner``, refused past the bounds, its failures turned into compression-errors."""

    def __init__(self, inner: IO[bytes], closers: list[Any], stored: int, name: str):
        self._inner = inner
        self._closers = closers
        self._limit = min(MAX_UNPACKED_BYTES, max(RATIO_FLOOR, MAX_RATIO * max(stored, 1)))
        self._produced = 0
        self._name = name

    def readable(self) -> bool:
        return True

    def readinto(self, buf: Any) -> int:
        try:
            n = self._inner.readinto(buf)  # type: ignore[attr-defined]
        except _ERRORS as exc:
            raise SourceError("compression-error", f"{self._name} cannot be decompressed ({exc})") from None
        self._produced += n or 0
        if self._produced > self._limit:
            raise SourceError(
                "compression-error",
                f"{self._name} inflates to more than {self._limit} bytes ({MAX_RATIO} times its size, or "
                f"{MAX_UNPACKED_BYTES}); refusing a likely decompression bomb",
            )
        return n or 0

    def close(self) -> None:
        for c in reversed(self._closers):
            c.close()
        super().close()


def _zip_entry(fh: IO[bytes], inner_path: str | None, name: str) -> tuple[zipfile.ZipFile, zipfile.ZipInfo]:
    try:
        zf = zipfile.ZipFile(fh)
    except _ERRORS as exc:
        raise SourceError("compression-error", f"{name} is not a readable zip archive ({exc})") from None
    files = [i for i in zf.infolist() if not i.is_dir()]
    chosen = [i for i in files if i.filename == inner_path] if inner_path else files[:1]
    if not chosen:
        zf.close()
        what = f"no entry {inner_path!r}" if inner_path else "no file"
        raise SourceError("compression-error", f"{name}: the zip archive holds {what}")
    return zf, chosen[0]


def open_inflated(path: Path, compression: str, inner_path: str | None = None) -> IO[bytes]:
    """A reader of the bytes ``path`` holds once inflated (``compression`` as :func:`declared` gives it)."""
    if compression not in NAMES.values():
        raise SourceError("compression-error", f"{path.name}: compression {compression!r} is not supported")
    fh = open_regular(path)
    stored = path.stat().st_size
    try:
        if compression == "gz":
            stream: Any = gzip.GzipFile(fileobj=fh, mode="rb")
            closers: list[Any] = [fh, stream]
        elif compression == "bz2":
            stream = bz2.BZ2File(fh, mode="rb")
            closers = [fh, stream]
        else:
            zf, info = _zip_entry(fh, inner_path, path.name)
            try:
                stream = zf.open(info)
            except _ERRORS as exc:
                zf.close()
                raise SourceError("compression-error", f"{path.name}: entry {info.filename!r} ({exc})") from None
            closers = [fh, zf, stream]
            stored = max(min(info.compress_size, stored), 1)  # a header cannot claim more than the file holds
    except BaseException:
        fh.close()
        raise
    return io.BufferedReader(_Bounded(stream, closers, stored, path.name), buffer_size=1 << 20)


def check_zip_bounds(data: bytes, name: str) -> None:
    """Inflate every entry of the zip archive ``data`` (a spreadsheet) within the bounds, keeping nothing, so
    that a bomb is refused before a reader that does not bound itself opens it."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except _ERRORS as exc:
        raise SourceError("format-error", f"{name} is not a readable zip archive ({exc})") from None
    total = 0
    with zf:
        for info in zf.infolist():
            if info.is_dir():
                continue
            try:
                entry = zf.open(info)
            except _ERRORS as exc:
                raise SourceError("compression-error", f"{name}: entry {info.filename!r} ({exc})") from None
            stored = max(min(info.compress_size, len(data)), 1)
            with _Bounded(entry, [entry], stored, f"{name}: entry {info.filename!r}") as fh:
                while chunk := fh.read(1 << 20):
                    total += len(chunk)
                    if total > MAX_UNPACKED_BYTES:
                        raise SourceError("compression-error", f"{name} inflates to more than {MAX_UNPACKED_BYTES}")
