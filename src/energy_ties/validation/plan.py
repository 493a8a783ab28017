"""What checking a table takes once its header is read, and the errors its rows make, whichever path checks it.

Both paths share this: the Arrow path (:mod:`.table`, a table in batches of columns) and the Python path
(:mod:`.small`, a small table row by row). The header's errors, each column's prepared checks, the key
columns to gather, and the text of every cell, ragged-row and blank-row error are made here once, so the
two paths cannot word or number an error differently.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ..tabular.constraints import FieldCheck
from ..tabular.csvreader import SourceError, TableReader, TableSource
from ..tabular.schema import Field, Schema
from .header import Header, check_header
from .keychecks import finish_keys
from .report import Collector, Error, TableResult

#: Makes the gatherer of one key's columns: (field names, their fields or None when not in the data).
KeyMaker = Callable[[tuple[str, ...], tuple[Field | None, ...]], object]


def empty_lines_matter(schema: Schema | None) -> bool:
    """Whether an empty line is other than a blank row (see :class:`~energy_ties.tabular.csvreader.TableReader`)."""
    return schema is not None and (
        any("" not in f.missing_values for f in schema.fields) or "" not in schema.missing_values
    )


def inferred(reader: TableReader) -> Schema:
    """The schema frictionless infers for a table without one, less the guessed types: a field per label."""
    return Schema(fields=tuple(Field(name=label, type="any") for label in reader.labels or []))


def prepare(
    reader: TableReader,
    schema: Schema,
    name: str,
    collector: Collector,
    result: TableResult,
    wanted_keys: set[tuple[str, ...]],
    make_keys: KeyMaker,
) -> list[FieldCheck]:
    """Once the header is read: its errors, each column's checks, and the key columns to gather."""
    header = start(reader, schema, name, collector)
    pk = schema.primary_key
    refs = reader.resource.references
    checks = [FieldCheck.build(f, n, f.required or f.name in pk, refs) for f, n in zip(header.handlers, header.numbers)]
    for fc in checks:
        for problem in fc.problems:
            collector.add(Error("field-error", name, None, fc.field.name, problem))
    result.unique_fields = [f.name for f in header.handlers if f.unique]
    for f, n in zip(header.handlers, header.numbers):
        result.numbers.setdefault(f.name, n)  # a name given twice: its first column
    collect = set(wanted_keys) | {tuple(uk) for uk in schema.unique_keys}
    if pk and set(pk) <= set(result.numbers):
        result.primary_key = tuple(pk)
        collect.add(tuple(pk))
    for u in result.unique_fields:
        collect.add((u,))
    by_name: dict[str, Field] = {}
    for f in header.handlers:
        by_name.setdefault(f.name, f)
    for k in collect:
        result.keys[k] = make_keys(k, tuple(by_name.get(n) for n in k))  # type: ignore[assignment]
    return checks


def start(reader: TableReader, schema: Schema, name: str, collector: Collector) -> Header:
    header = check_header(reader.labels if reader.labels is not None else [], schema, name)
    for e in header.errors:
        collector.add(e)
    return header


def finish_table(
    reader: TableReader,
    resource: TableSource,
    prepared: bool,
    failure: SourceError | None,
    collector: Collector,
    result: TableResult,
) -> None:
    """The end of a table's check: a read that failed, an empty source, a header without rows, then keys."""
    name, schema = resource.name, resource.schema
    if failure is not None:
        collector.add(Error(failure.type, name, failure.row, None, f"{resource.label}: {failure}"))
        result.readable = False
    if result.readable and reader.labels == [] and result.rows == 0:  # an empty line and nothing after it
        collector.add(Error("source-error", name, None, None, f"{resource.label}: the source is empty"))
        result.readable = False
    elif not prepared and result.readable:
        start(reader, schema or inferred(reader), name, collector)  # no rows: the header's errors still count
    finish_keys(result, schema or Schema(fields=()), name, collector)


def add_cell_errors(
    collector: Collector,
    hits: Iterable[tuple[int, str | None]],
    count: int,
    resource: str,
    fc: FieldCheck,
    type_: str,
    order: int,
    note: str,
    constraint: str | None = None,
) -> None:
    """The ``count`` errors of one kind (a type, or one constraint, in one field), in row order: ``hits`` are
    (row, cell) of the first ones, as many as the collector has room for; the rest are only counted."""
    f, number = fc.field, fc.number
    kind = (resource, type_, f.name, constraint)
    what = "Type error" if type_ == "type-error" else "Constraint error"
    shown = 0
    for row, cell in hits:
        cell = "" if cell is None else cell
        shown += 1
        collector.add(
            Error(
                type_,
                resource,
                row,
                f.name,
                f'{what} in the cell "{_short(cell)}" in row "{row}" and field '
                f'"{f.name}" at position "{number}": {note}',
                field_number=number,
                cell=cell,
                constraint=constraint,
                order=order,
            ),
            kind,
        )
    if count > shown:
        collector.count_only(kind, count - shown)


def type_note(f: Field) -> str:
    return f'type is "{f.type}/{f.format}"'


def ragged_errors(row: int, cells: list[str], width: int, names: list[str], resource: str) -> list[Error]:
    """Extra and missing cells of a row whose length differs from the header (and which is not blank)."""
    out = [
        Error(
            "extra-cell",
            resource,
            row,
            "",
            f"there is an extra cell in field number {number}",
            field_number=number,
            cell=cells[number - 1],
        )
        for number in range(width + 1, len(cells) + 1)
    ]
    for number in range(len(cells) + 1, width + 1):
        fname = names[number - 1]
        out.append(
            Error(
                "missing-cell",
                resource,
                row,
                fname,
                f'there is a missing cell in field "{fname}"',
                field_number=number,
                cell="",
            )
        )
    return out


def blank_row(resource: str, row: int) -> Error:
    return Error("blank-row", resource, row, None, f"row {row} is completely blank")


def _short(text: str, limit: int = 80) -> str:
    text = text.replace("\n", "\\n").replace("\r", "\\r")
    return text if len(text) <= limit else text[: limit - 1] + "…"
