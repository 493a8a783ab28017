"""Errors in frictionless's order, so that reports compare line by line."""

from __future__ import annotations

from dataclasses import replace

from .report import Error, TableResult


def order_cell_errors(errors: list[Error], result: TableResult, fk_fields: list[tuple[str, ...]]) -> list[Error]:
    """Give each cell error its place in frictionless's processing order within its row.

    frictionless reads the cells of unique fields first (for the uniqueness
    check), then the primary key's, then each foreign key's, and the rest in
    field order once a row-level error (or the end of the checks) makes it read
    the whole row. ``rank`` reproduces that, so reports compare line by line.
    """
    early: list[str] = []
    stops: dict[tuple, int] = {}
    for u in result.unique_fields:
        early.append(u)
        stops[("unique-error", u)] = len(early)
    for p in result.primary_key:
        if p not in early:
            early.append(p)
    if result.primary_key:
        stops[("primary-key", None)] = len(early)
    for fields in fk_fields:
        for f in fields:
            if f not in early:
                early.append(f)
        stops.setdefault(("foreign-key", ",".join(fields)), len(early))
    if not early:
        return errors
    cut: dict[int, int] = {}
    for e in errors:
        key = (e.type, e.field if e.type != "primary-key" else None)
        if key in stops and e.row is not None:
            cut[e.row] = min(cut.get(e.row, len(early)), stops[key])
    out = []
    width = len(result.numbers) + 1
    for e in errors:
        if e.type in ("type-error", "constraint-error") and e.row is not None:
            read_early = early[: cut.get(e.row, len(early))]
            if e.field in read_early:
                e = replace(e, rank=read_early.index(e.field) - width)
        out.append(e)
    return out
