"""Where an error lies in the files: the file, and the physical line and column of its row and cell.

Rows are numbered as the reader numbers them (each CSV record counts one,
the header is row 1), but editors and GitHub count lines, and a quoted cell
holding a line break makes one record span several lines. So the files that
hold row errors are read once more, with Python's csv reader (which counts
the lines it consumes), and only as far as the last row asked for; the
column of a cell is found by scanning the text of that row alone.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..datapackage.findings import Error
from ..datapackage.model import Package, Resource
from ..errors import EnergyTiesError
from ..files import open_regular
from ..tabular.dialect import Dialect, declared_format
from ..tabular.sniff import compressed, part

#: Error types without a row that are about the data file's bytes (so they point at the file, not the descriptor).
_DATA_FILE_TYPES = {"hash-count", "byte-count", "source-error", "encoding-error", "format-error"}
#: Error types without a row that are about the Table Schema (a separate file, when the schema is given by path).
_SCHEMA_TYPES = {"schema-error", "field-error"}


@dataclass(frozen=True)
class Location:
    """A file as a person or a tool names it (relative to the current folder when inside it), and where in it."""

    file: str
    line: int | None = None
    column: int | None = None


def shown(path: Path) -> str:
    """``path`` relative to the current folder when it lies inside it (as GitHub wants: the workspace's paths)."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return path.as_posix()
    return Path(rel).as_posix() if not rel.startswith("..") else path.as_posix()


def locate(pkg: Package, errors: list[Error]) -> list[Location]:
    """The location of each error, in order: data file and line for row errors, else the file concerned."""
    in_archive = pkg._tmp is not None and pkg.root.is_relative_to(Path(pkg._tmp.name))
    if in_archive:  # a release .zip, unpacked to a temporary folder: only the archive can be named
        return [Location(pkg.source_label) for _ in errors]
    resources = {r.name: r for r in pkg.resources}
    wanted: dict[str, set[int]] = {}
    for e in errors:
        if e.resource in resources and e.row is not None:
            wanted.setdefault(e.resource, set()).add(e.row)
    found = {name: _scan(resources[name], rows) for name, rows in wanted.items()}
    descriptor = Location(shown(pkg.descriptor_path))
    located = []
    for e in errors:
        res = resources.get(e.resource or "")
        if res is None:
            located.append(descriptor)
        elif e.row is not None and e.row in found.get(res.name, {}):
            located.append(found[res.name][e.row].at(e.field_number))
        elif e.row is None and e.type in _SCHEMA_TYPES and res.schema_path is not None:
            located.append(Location(shown(res.schema_path)))
        elif res.paths and (e.row is not None or e.type in _DATA_FILE_TYPES):
            located.append(Location(shown(res.paths[0])))
        else:
            located.append(descriptor)
    return located


@dataclass(frozen=True)
class _Record:
    """One CSV record as it lies in its file: the file, the line it starts on, and its text."""

    path: Path
    line: int
    text: str
    dialect: Dialect

    def at(self, field_number: int | None) -> Location:
        if not field_number:
            return Location(shown(self.path), self.line)
        offset = cell_offset(self.text, field_number, self.dialect)
        if offset is None:  # a missing cell: point past the record's last character
            offset = len(self.text.rstrip("\r\n"))
        before = self.text[:offset].replace("\r\n", "\n").replace("\r", "\n")
        breaks = before.count("\n")
        column = len(before) - (before.rfind("\n") + 1) + 1
        return Location(shown(self.path), self.line + breaks, column)


def _scan(res: Resource, rows: set[int]) -> dict[int, _Record]:
    """The records numbered ``rows`` of a CSV resource, read no further than the last of them."""
    fmt, suffix = declared_format(res)
    if res.inline is not None or fmt not in ("", "csv", "tsv") or not res.paths or res.compression:
        return {}  # a compressed file has no lines to point at: its errors name the file
    dialect = Dialect.of(res)
    skip = max(dialect.header_rows, default=0)
    last, number = max(rows), 0
    found: dict[int, _Record] = {}
    try:
        for i, path in enumerate(res.paths):
            if compressed(part(path, res)) is not None:
                return found
            for n, (line, consumed) in enumerate(_records(path, res.encoding, dialect), 1):
                if i and n <= skip:  # a later part's own header rows are not numbered
                    continue
                number += 1
                if number in rows:
                    found[number] = _Record(path, line, "".join(consumed), dialect)
                if number >= last:
                    return found
    except (EnergyTiesError, OSError, csv.Error, UnicodeError, LookupError):
        pass  # what cannot be read again keeps the locations found so far; the others name the file
    return found


def _records(path: Path, encoding: str, dialect: Dialect) -> Iterator[tuple[int, list[str]]]:
    """(first line, its lines as read) of each record of the file, as Python's csv reader splits them; the
    list is reused for the next record, so it is joined only for the records asked for."""
    enc = "utf-8-sig" if encoding.lower().replace("_", "-") in ("utf-8", "utf8") else encoding
    if not codecs.lookup(enc)._is_text_encoding:
        return
    with open_regular(path) as fh:
        text = io.TextIOWrapper(fh, encoding=enc, errors="replace", newline="")
        consumed: list[str] = []

        def lines() -> Iterator[str]:
            for line in text:
                consumed.append(line)
                yield line

        reader = csv.reader(lines(), **dialect.python())
        start = 1
        for _ in reader:
            yield start, consumed
            start = reader.line_num + 1
            consumed.clear()


def cell_offset(text: str, field_number: int, dialect: Dialect) -> int | None:
    """Where cell ``field_number`` (1-based) starts in a record's text; None when the record has fewer cells."""
    if field_number == 1:
        return 0
    quote, escape, delimiter = dialect.quote_char, dialect.escape_char, dialect.delimiter
    cell, quoted, i = 1, False, 0
    while i < len(text):
        ch = text[i]
        if escape and ch == escape:
            i += 2
            continue
        if quote and ch == quote:
            quoted = not quoted  # a doubled quote inside a quoted cell toggles twice
        elif ch == delimiter and not quoted:
            cell += 1
            if cell == field_number:
                return i + 1
        elif ch in "\r\n" and not quoted:
            return None
        i += 1
    return None
