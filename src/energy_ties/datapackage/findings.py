"""A finding of validation: what is wrong, where (resource, row, field), in one line.

Error types and row numbers follow frictionless (``type-error``,
``constraint-error``, ``primary-key``...; the header is row 1), so that a
report can be compared with frictionless's line by line; ``sort_key`` puts
errors in the order frictionless emits them: by row, then cell errors in
field order, extra and missing cells, then row-level checks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

#: Position of each error type among the errors of one row.
PHASE = {
    "package-error": 0,
    "resource-error": 0,
    "schema-error": 0,
    "dialect-error": 0,
    "field-error": 0,
    "scheme-error": 0,
    "format-error": 0,
    "encoding-error": 0,
    "source-error": 0,
    "blank-header": 1,
    "extra-label": 1,
    "missing-label": 1,
    "blank-label": 2,
    "duplicate-label": 2,
    "incorrect-label": 2,
    "unmatched-header": 1,
    "type-error": 3,
    "constraint-error": 3,
    "extra-cell": 4,
    "missing-cell": 5,
    "blank-row": 6,
    "unique-error": 7,
    "primary-key": 8,
    "foreign-key": 9,
    "hash-count": 11,
    "byte-count": 12,
}
#: Error types frictionless reports once the whole table is read, after every row's errors.
AT_END = {"hash-count", "byte-count"}


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
        return (
            resource_order.get(self.resource, len(resource_order)),
            float("inf") if self.type in AT_END else (self.row or 0),
            PHASE.get(self.type, 10),
            place,
            self.order,
        )

    def to_dict(self) -> dict[str, Any]:
        """The error as the report holds it (without the sorting aids ``order`` and ``rank``); built by hand,
        since ``dataclasses.asdict`` deep-copies every field and costs more than finding the error."""
        return {
            "type": self.type,
            "resource": self.resource,
            "row": self.row,
            "field": self.field,
            "message": self.message,
            "field_number": self.field_number,
            "cell": self.cell,
            "constraint": self.constraint,
        }
