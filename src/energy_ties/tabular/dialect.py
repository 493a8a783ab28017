"""The CSV dialect of a table: the descriptor's, with the defaults the Table Dialect spec gives."""

from __future__ import annotations

import csv
from dataclasses import dataclass

from .source import TableSource


def declared_format(resource: TableSource) -> tuple[str, str]:
    """The declared format and the first path's suffix, lower-case ("" where absent)."""
    fmt = (resource.format or "").lower()
    suffix = resource.paths[0].suffix.lower() if resource.paths else ""
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
        d = resource.dialect or {}
        fmt, suffix = declared_format(resource)
        delim = d.get("delimiter", "\t" if fmt == "tsv" or suffix == ".tsv" else ",")
        rows = d.get("headerRows", [1]) if d.get("header", True) else []
        return cls(
            delimiter=delim,
            quote_char=d.get("quoteChar", '"'),
            double_quote=d.get("doubleQuote", True),
            escape_char=d.get("escapeChar"),
            skip_initial_space=d.get("skipInitialSpace", False),
            header_rows=tuple(rows),
            header_join=d.get("headerJoin", " "),
            comment_char=d.get("commentChar"),
            comment_rows=tuple(d.get("commentRows", [])),
        )

    @property
    def arrow_ok(self) -> bool:
        """Whether Arrow's reader implements this dialect exactly."""
        return (
            not self.skip_initial_space
            and self.comment_char is None
            and not self.comment_rows
            and self.header_rows in ((1,), ())
            and len(self.delimiter) == 1
            and len(self.quote_char or '"') == 1
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
