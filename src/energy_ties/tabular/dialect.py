"""The CSV dialect of a table: the descriptor's, with the defaults the Table Dialect spec gives."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from typing import Any

from .compression import inner_suffix
from .source import TableSource


def declared_format(resource: TableSource) -> tuple[str, str]:
    """The declared format and the first path's suffix (before a compression suffix), lower-case ("" where
    absent)."""
    fmt = (resource.format or "").lower()
    suffix = inner_suffix(resource.paths[0], resource.compression) if resource.paths else ""
    return fmt, suffix


@dataclass
class Dialect:
    delimiter: str = ","
    quote_char: str = '"'
    double_quote: bool = True
    escape_char: str | None = None
    skip_initial_space: bool = False
    header_rows: tuple[int, ...] = (1,)  # () when there is no header ("header": false or "headerRows": [])
    header_join: str = " "
    comment_char: str | None = None
    comment_rows: tuple[int, ...] = ()

    @classmethod
    def of(cls, resource: TableSource) -> Dialect:
        """The resource's dialect; a property of the wrong JSON type is taken at its default (the descriptor
        check reports it, and the validator reads no table whose dialect it refused)."""
        d = resource.dialect if isinstance(resource.dialect, dict) else {}
        fmt, suffix = declared_format(resource)
        rows = _rows(d.get("headerRows"), (1,)) if d.get("header", True) is not False else ()
        return cls(
            delimiter=_char(d.get("delimiter"), "\t" if fmt == "tsv" or suffix == ".tsv" else ","),
            quote_char=_char(d.get("quoteChar"), '"') if d.get("quoteChar") != "" else "",
            double_quote=_flag(d.get("doubleQuote"), True),
            escape_char=_char(d.get("escapeChar"), None),
            skip_initial_space=_flag(d.get("skipInitialSpace"), False),
            header_rows=rows,
            header_join=_text(d.get("headerJoin"), " "),
            comment_char=_text(d.get("commentChar"), None) or None,
            comment_rows=_rows(d.get("commentRows"), ()),
        )

    @property
    def arrow_ok(self) -> bool:
        """Whether Arrow's reader implements this dialect exactly."""
        return (
            not self.skip_initial_space
            and self.comment_char is None
            and not self.comment_rows
            and self.header_rows in ((1,), ())
            and _arrow_char(self.delimiter)
            and _arrow_char(self.quote_char or '"')
            and (self.escape_char is None or _arrow_char(self.escape_char))
        )

    def python(self) -> dict:
        return {
            "delimiter": self.delimiter,
            "quotechar": self.quote_char or None,
            "doublequote": self.double_quote,
            "escapechar": self.escape_char,
            "skipinitialspace": self.skip_initial_space,
            "strict": False,
            "quoting": csv.QUOTE_MINIMAL if self.quote_char else csv.QUOTE_NONE,
        }


def _text(value: Any, default: Any) -> Any:
    return value if isinstance(value, str) else default


def _char(value: Any, default: Any) -> Any:
    """One character (a longer or empty string is refused by the descriptor check: the default stands in)."""
    return value if isinstance(value, str) and len(value) == 1 else default


def _flag(value: Any, default: bool) -> bool:
    return value if isinstance(value, bool) else default


def _rows(value: Any, default: tuple[int, ...]) -> tuple[int, ...]:
    """Row numbers: a list of positive integers, else ``default``."""
    if isinstance(value, list) and all(isinstance(v, int) and not isinstance(v, bool) and v >= 1 for v in value):
        return tuple(value)
    return default


def _arrow_char(ch: str) -> bool:
    """Arrow's reader takes printable ASCII characters only (not NUL, not beyond ASCII)."""
    return len(ch) == 1 and 0 < ord(ch) < 128
