"""Tables that are not CSV, read as rows of text cells for the table reader: inline ``data`` arrays, JSON
(an array of arrays, or of objects), JSON Lines / NDJSON, and spreadsheets (xlsx, xls, ods).

Every cell becomes the text the CSV reader would have given (``1``, ``true``, JSON for objects and arrays,
ISO 8601 for dates), so the same parser types it whatever held it. An array of objects has the keys of its
first object as its header (an inline one, its schema's field names), as frictionless reads them. JSON is
read whole (to at most MAX_JSON_BYTES, inflated), JSON Lines line by line; spreadsheets are read by
python-calamine, an optional extra (``energy-ties[spreadsheets]``), to at most MAX_JSON_BYTES.
"""

from __future__ import annotations

import datetime
import io
import itertools
import json
import math
import re
from collections.abc import Iterator
from typing import Any

from ..files import MAX_JSON_BYTES
from .batch import SourceError
from .compression import inner_suffix
from .source import TableSource, open_bytes

#: Formats read as tables without being declared ``type: table`` (a JSON file is one only when declared).
TABLE_FORMATS = {"csv", "tsv", "jsonl", "ndjson", "xlsx", "xlsm", "xls", "ods", "inline"}
SPREADSHEETS = {"xlsx", "xlsm", "xls", "xlsb", "ods"}
JSON_LINES = {"jsonl", "ndjson"}
#: The formats media types name (for inline strings, and files given a ``mediatype`` and no ``format``).
MEDIATYPES = {
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "application/json": "json",
    "application/jsonl": "jsonl",
    "application/x-ndjson": "ndjson",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.ms-excel": "xls",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
}
#: Longest JSON Lines record read.
MAX_LINE_BYTES = 16 << 20
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
EXTRA = 'pip install "energy-ties[spreadsheets]"'


def table_format(resource: TableSource) -> str:
    """The resource's format, lower-case: declared, else named by its media type, else its (first) file's
    suffix before any compression suffix; ``inline`` for an inline array; "" when nothing tells."""
    inline = resource.inline
    if inline is not None and not isinstance(inline, str):
        return "inline"
    fmt = (resource.format or "").lower()
    if fmt:
        return fmt
    mediatype = getattr(resource, "mediatype", "")
    if isinstance(mediatype, str) and mediatype.lower() in MEDIATYPES:
        return MEDIATYPES[mediatype.lower()]
    if not resource.paths:
        return ""
    return inner_suffix(resource.paths[0], resource.compression).lstrip(".")


# ---------------------------------------------------------------- cells


def cell_text(value: Any) -> str:
    """A JSON (or spreadsheet) value as the text a CSV file would hold for it."""
    if value is None:
        return ""
    if isinstance(value, str):
        if _LONE_SURROGATE.search(value):
            raise SourceError("encoding-error", "the data holds text that is not valid Unicode (a lone surrogate)")
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and math.isfinite(value) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))  # spreadsheets hold every number as a float: 1.0 is the integer 1
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, (datetime.date, datetime.time)):  # datetime is a date
        return value.isoformat()
    return json.dumps(value, ensure_ascii=False)


def _keyed(items: Iterator[Any], names: list[str] | None, first: dict) -> Iterator[list[str]]:
    """Rows of objects: a header (``names``, else the first object's keys), then each object's values."""
    header = list(names) if names is not None else list(first)
    yield header
    yield [cell_text(first.get(n)) for n in header]
    for item in items:
        if not isinstance(item, dict):
            raise SourceError("source-error", "the rows must all be arrays or all be objects")
        yield [cell_text(item.get(n)) for n in header]


def item_rows(items: Iterator[Any], names: list[str] | None = None) -> Iterator[list[str]]:
    """Rows of text cells from JSON items: all arrays (the first the header) or all objects (see _keyed)."""
    first = next(items, None)
    if first is None:
        return
    if isinstance(first, dict):
        yield from _keyed(items, names, first)
        return
    for row in itertools.chain([first], items):
        if not isinstance(row, list):
            raise SourceError("source-error", "the rows must all be arrays or all be objects")
        yield [cell_text(c) for c in row]


def inline_rows(resource: TableSource) -> Iterator[list[str]]:
    """An inline ``data`` array (its objects' header is the schema's field names, when it has a schema)."""
    data = resource.inline
    if not isinstance(data, list):
        raise SourceError("source-error", "inline data must be an array")
    names = resource.schema.field_names if resource.schema is not None else None
    yield from item_rows(iter(data), list(names) if names is not None else None)


# ---------------------------------------------------------------- JSON files


def _read_whole(resource: TableSource, what: str) -> bytes:
    with open_bytes(resource) as fh:
        data = fh.read(MAX_JSON_BYTES + 1)
    if len(data) > MAX_JSON_BYTES:
        raise SourceError("source-error", f"{what} larger than {MAX_JSON_BYTES} bytes are not read")
    return data


def _decoded(raw: bytes, row: int | None = None) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SourceError("encoding-error", "the data is not valid UTF-8", row) from None


def json_rows(resource: TableSource) -> Iterator[list[str]]:
    """A JSON table: an array, or the array the dialect's ``property`` (a dotted path) names in an object."""
    text = _decoded(_read_whole(resource, "JSON tables"))
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SourceError("source-error", f"not valid JSON (line {exc.lineno}, column {exc.colno})") from None
    except RecursionError:
        raise SourceError("source-error", "JSON nested too deeply to be read") from None
    prop = resource.dialect.get("property") if isinstance(resource.dialect, dict) else None
    for key in prop.split(".") if isinstance(prop, str) and prop else []:
        data = data.get(key) if isinstance(data, dict) else None
    if not isinstance(data, list):
        where = f" at {prop!r}" if isinstance(prop, str) and prop else ""
        raise SourceError("source-error", f"cannot extract JSON tabular data: no array{where}")
    yield from item_rows(iter(data))


def json_lines_rows(resource: TableSource) -> Iterator[list[str]]:
    """A JSON Lines (NDJSON) table: one array or object per line; empty lines are skipped."""

    def items() -> Iterator[Any]:
        with open_bytes(resource) as fh:
            number = 0
            while line := fh.readline(MAX_LINE_BYTES + 1):
                number += 1
                if len(line) > MAX_LINE_BYTES:
                    raise SourceError("source-error", f"line {number} is longer than {MAX_LINE_BYTES} bytes")
                text = _decoded(line, number)
                if not text.strip():
                    continue
                try:
                    yield json.loads(text)
                except (json.JSONDecodeError, RecursionError):
                    raise SourceError("source-error", f"line {number} is not valid JSON", number) from None

    yield from item_rows(items())


# ---------------------------------------------------------------- spreadsheets


def spreadsheet_rows(resource: TableSource, fmt: str) -> Iterator[list[str]]:
    """The rows of one sheet: the dialect's ``sheetName``, else its ``sheetNumber`` (from 1), else the first."""
    try:
        from python_calamine import CalamineWorkbook
    except ImportError:
        raise SourceError("format-error", f"reading {fmt} files needs the spreadsheets extra: {EXTRA}") from None
    from .compression import check_zip_bounds

    raw = _read_whole(resource, "spreadsheets")
    if fmt != "xls":  # xlsx and ods are zip archives: inflate them within the archive bounds first
        check_zip_bounds(raw, resource.label)
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(raw))
        dialect = resource.dialect if isinstance(resource.dialect, dict) else {}
        name, number = dialect.get("sheetName"), dialect.get("sheetNumber")
        if isinstance(name, str):
            sheet = book.get_sheet_by_name(name)
        else:
            sheet = book.get_sheet_by_index(number - 1 if isinstance(number, int) and number >= 1 else 0)
        rows = sheet.to_python(skip_empty_area=False)
    except Exception as exc:  # calamine's errors (a sheet not there, a corrupt file) have no common base
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise SourceError("format-error", f"the {fmt} file cannot be read: {message}") from None
    for row in rows:
        yield [cell_text(c) for c in row]
