"""Validation errors and the report that carries them.

Error types and row numbers follow frictionless (``type-error``,
``constraint-error``, ``primary-key``...; the header is row 1), so that a
report can be compared with frictionless's line by line. Errors are kept in
the order frictionless emits them: by row, then cell errors in field order,
extra and missing cells, then row-level checks.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any

#: Position of each error type among the errors of one row.
PHASE = {
    "package-error": 0, "resource-error": 0, "schema-error": 0, "dialect-error": 0, "field-error": 0,
    "scheme-error": 0, "format-error": 0, "encoding-error": 0, "source-error": 0,
    "blank-header": 1, "extra-label": 1, "missing-label": 1, "blank-label": 2, "duplicate-label": 2,
    "incorrect-label": 2, "unmatched-header": 1,
    "type-error": 3, "constraint-error": 3, "extra-cell": 4, "missing-cell": 5, "blank-row": 6,
    "unique-error": 7, "primary-key": 8, "foreign-key": 9,
}


@dataclass(frozen=True)
class Error:
    """One problem: what, where (resource, row, field) and a one-line message."""

    type: str
    resource: str | None
    row: int | None
    field: str | None
    message: str
    field_number: int | None = None
    cell: str | None = None
    constraint: str | None = None  # for constraint and key errors: which rule (e.g. "categories", "uniqueKeys")
    order: int = 0  # tie-breaker inside a row (e.g. which constraint)
    rank: int | None = None  # place of the cell in frictionless's processing order, when not its position

    def sort_key(self, resource_order: dict[str | None, int]) -> tuple:
        place = self.rank if self.rank is not None else (self.field_number or 0)
        return (resource_order.get(self.resource, len(resource_order)), self.row or 0,
                PHASE.get(self.type, 10), place, self.order)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("order")
        d.pop("rank")
        return d


@dataclass
class Collector:
    """Keeps at most ``limit`` errors of each kind (they arrive in row order) while counting them all."""

    limit: int
    errors: list[Error] = field(default_factory=list)
    counts: dict[tuple, int] = field(default_factory=dict)
    total: int = 0

    def room(self, kind: tuple) -> int:
        return max(0, self.limit - self.counts.get(kind, 0))

    def add(self, error: Error, kind: tuple | None = None) -> None:
        kind = kind or (error.resource, error.type, error.field)
        if "\n" in error.message or "\r" in error.message:  # messages are one line, whatever they quote
            error = replace(error, message=" ".join(error.message.split()))
        self.total += 1
        n = self.counts.get(kind, 0)
        self.counts[kind] = n + 1
        if n < self.limit:
            self.errors.append(error)

    def count_only(self, kind: tuple, n: int) -> None:
        """Count ``n`` errors of ``kind`` that were not materialised (beyond the limit)."""
        self.total += n
        self.counts[kind] = self.counts.get(kind, 0) + n


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
            "stats": {"errors": self.error_count, "reported": len(self.errors),
                      "truncated": self.truncated, "rows": self.rows},
            "checked": self.checked,
            "errors": [e.to_dict() for e in self.errors],
        }

    def __bool__(self) -> bool:
        return self.valid


def finish(collector: Collector, resources: list[str]) -> tuple[list[Error], int]:
    """Errors in frictionless's order (package first, then resource by resource), cut to the collector's limit."""
    order: dict[str | None, int] = {None: -1}
    for i, name in enumerate(resources):
        order.setdefault(name, i)
    ordered = sorted(collector.errors, key=lambda e: e.sort_key(order))
    return ordered[:collector.limit], collector.total
