"""Parquet and xlsx writers, and :func:`export`, which picks the writer for a format.

Parquet: OUT is a folder with one ``NAME.parquet`` per resource, typed as
``load(backend="arrow")`` types it (categories as dictionaries); the file's
key-value metadata holds the resource's title, description and whole Table
Schema (its keys included), each field's metadata its description. xlsx: one
workbook, a sheet per resource (header row frozen, typed cells: numbers,
booleans, dates) and a ``dictionary`` sheet listing every field with its type,
keys and description.
"""

from __future__ import annotations

import io
from pathlib import Path

from ..datapackage.model import Package
from ..errors import require_extra
from ..files import write_bytes
from ..loading.backends import arrow_table
from ..loading.dictionary import dictionary_frame
from ..loading.frames import read_table
from .sql import write_duckdb, write_sqlite

FORMATS = ("sqlite", "duckdb", "parquet", "xlsx")


def write_parquet(pkg: Package, out: Path) -> list[Path]:
    """One Parquet file per resource in the folder ``out``."""
    import pyarrow.parquet as pq

    written = []
    for res in pkg.resources:
        if res.schema is None:
            continue
        buffer = io.BytesIO()
        pq.write_table(arrow_table(res), buffer)
        target = out / f"{res.name}.parquet"
        write_bytes(target, buffer.getvalue())
        written.append(target)
    return written


def _cell(value: object) -> object:
    import pandas as pd

    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    return value.item() if hasattr(value, "item") and not isinstance(value, (str, bytes)) else value


def write_xlsx(pkg: Package, out: Path) -> None:
    """A workbook: a sheet per resource, and a ``dictionary`` sheet describing every field."""
    xlsxwriter = require_extra("xlsxwriter", "xlsx")
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "default_date_format": "yyyy-mm-dd"})
    bold = book.add_format({"bold": True})
    book.set_properties(
        {"title": pkg.descriptor.get("title") or "", "comments": pkg.descriptor.get("description") or ""}
    )
    dictionary: list[list[object]] = []
    for res in pkg.resources:
        if res.schema is None:
            continue
        frame = read_table(res)
        sheet = book.add_worksheet(res.name[:31])
        sheet.write_row(0, 0, list(frame.columns), bold)
        for i, row in enumerate(frame.astype(object).itertuples(index=False, name=None), start=1):
            for j, value in enumerate(row):
                cell = _cell(value)
                if cell is not None:
                    sheet.write(i, j, cell if not isinstance(cell, (list, dict)) else str(cell))
        sheet.freeze_panes(1, 0)
        d = dictionary_frame(res)
        dictionary.extend([res.name, *(_cell(v) for v in r)] for r in d.astype(object).itertuples(index=False))
    sheet = book.add_worksheet("dictionary")
    sheet.write_row(0, 0, ["resource", *dictionary_frame(pkg.resources[0]).columns], bold)
    for i, r in enumerate(dictionary, start=1):
        sheet.write_row(i, 0, ["" if v is None else v for v in r])
    book.close()
    write_bytes(out, buffer.getvalue())


def export(pkg: Package, fmt: str, out: Path, metadata: Path | None = None) -> list[Path]:
    """Write every resource of ``pkg`` as ``fmt`` to ``out``; the files written."""
    if fmt == "sqlite":
        write_sqlite(pkg, out, metadata)
        return [out] + ([metadata] if metadata is not None else [])
    if fmt == "duckdb":
        write_duckdb(pkg, out)
        return [out]
    if fmt == "parquet":
        return write_parquet(pkg, out)
    if fmt == "xlsx":
        write_xlsx(pkg, out)
        return [out]
    raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
