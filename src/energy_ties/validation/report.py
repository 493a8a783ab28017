"""Validation errors and the report that carries them.

Error types and row numbers follow frictionless (``type-error``,
``constraint-error``, ``primary-key``...; the header is row 1), so that a
report can be compared with frictionless's line by line. Errors are kept in
the order frictionless emits them: by row, then cell errors in field order,
extra and missing cells, then row-level checks.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import orjson

from ..datapackage.findings import PHASE, Error

if TYPE_CHECKING:
    from ..tabular.keys import KeyColumns
    from ..tabular.pykeys import PyKeys

__all__ = ["PHASE", "Collector", "Error", "Report", "TableResult", "finish"]


@dataclass
class Collector:
    """Keeps at most ``limit`` errors of each kind (they arrive in row order) while counting them all."""

    limit: int
    errors: list[Error] = field(default_factory=list)
    counts: dict[tuple, int] = field(default_factory=dict)
    total: int = 0
    types: dict[str, int] = field(default_factory=dict)  # every error counted by type, reported or not

    def room(self, kind: tuple) -> int:
        return max(0, self.limit - self.counts.get(kind, 0))

    def add(self, error: Error, kind: tuple | None = None) -> None:
        kind = kind or (error.resource, error.type, error.field)
        if "\n" in error.message or "\r" in error.message:  # messages are one line, whatever they quote
            error = replace(error, message=" ".join(error.message.split()))
        self.total += 1
        self.types[error.type] = self.types.get(error.type, 0) + 1
        n = self.counts.get(kind, 0)
        self.counts[kind] = n + 1
        if n < self.limit:
            self.errors.append(error)

    def count_only(self, kind: tuple, n: int) -> None:
        """Count ``n`` errors of ``kind`` that were not materialised (beyond the limit)."""
        self.total += n
        self.counts[kind] = self.counts.get(kind, 0) + n
        self.types[kind[1]] = self.types.get(kind[1], 0) + n  # a kind is (resource, type, ...)


@dataclass
class Report:
    """The result of :func:`energy_ties.validate`."""

    package: str
    version: str | None
    errors: list[Error]
    error_count: int
    rows: dict[str, int]
    limit_errors: int
    checked: list[str] = field(default_factory=list)
    types: dict[str, int] = field(default_factory=dict)  # errors found by type (all, not only those listed)

    @property
    def valid(self) -> bool:
        return self.error_count == 0

    @property
    def truncated(self) -> bool:
        return self.error_count > len(self.errors)

    def to_dict(self) -> dict[str, Any]:
        return {
            "valid": self.valid,
            "package": self.package,
            "version": self.version,
            "stats": {
                "errors": self.error_count,
                "reported": len(self.errors),
                "truncated": self.truncated,
                "rows": self.rows,
                "types": self.types,
            },
            "checked": self.checked,
            "errors": [e.to_dict() for e in self.errors],
        }

    def to_json(self) -> str:
        """The report as one JSON document (``energy_ties/schemas/validation-report.json``), indented by two:
        the text ``json.dumps(self.to_dict(), indent=2, ensure_ascii=False)`` gives, made fast.

        orjson writes it (Python's indenting encoder is pure Python: 100,000 errors took longer to write
        than to find); text orjson refuses (a lone surrogate) takes :func:`_indented`.
        """
        d = self.to_dict()
        try:
            return orjson.dumps(d, option=orjson.OPT_INDENT_2).decode("utf-8")
        except TypeError:
            return _indented(d)

    def __bool__(self) -> bool:
        return self.valid


def _indented(d: dict[str, Any]) -> str:
    """``json.dumps(d, indent=2, ensure_ascii=False)`` for a report: the errors (flat objects) are written by
    the C encoder in one call, its separators carrying the indentation."""
    errors = d["errors"]
    head = json.dumps({**d, "errors": []}, indent=2, ensure_ascii=False)
    if not errors:
        return head
    # a line break in a value is escaped, so "},<break>{" is only ever the separator between two errors
    sep = ",\n      "
    body = json.dumps(errors, ensure_ascii=False, separators=(sep, ": "))[2:-2]
    body = body.replace("}" + sep + "{", "\n    },\n    {\n      ")
    return head[: -len("[]\n}")] + "[\n    {\n      " + body + "\n    }\n  ]\n}"


def finish(collector: Collector, resources: list[str]) -> tuple[list[Error], int]:
    """Errors in frictionless's order (package first, then resource by resource), cut to the collector's limit."""
    order: dict[str | None, int] = {None: -1}
    for i, name in enumerate(resources):
        order.setdefault(name, i)
    ordered = sorted(collector.errors, key=lambda e: e.sort_key(order))
    return ordered[: collector.limit], collector.total


@dataclass
class TableResult:
    rows: int = 0
    keys: dict[tuple[str, ...], KeyColumns | PyKeys] = field(default_factory=dict)
    readable: bool = True
    numbers: dict[str, int] = field(default_factory=dict)  # field name -> position in the data
    unique_fields: list[str] = field(default_factory=list)
    primary_key: tuple[str, ...] = ()  # when every key field is in the data
