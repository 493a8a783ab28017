"""Load a data package's tables into pandas, with dtypes taken from each Table Schema.

integer and year become nullable ``Int64``, number ``Float64``, boolean
``boolean``, date an Arrow ``date32``, string an Arrow-backed string, and a
field with ``categories`` or an ``enum`` a pandas Categorical whose categories
are the declared values in their declared order. Reading goes through the same
text reader and cell parser as the validator, so a table loads if and only if
its cells are valid; a bad cell raises one error naming file, row and field.
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from . import cells
from .errors import PackageReadError
from .package import Resource, open_package
from .table import SourceError, TableReader
from .tableschema import Field


def pandas_dtype(f: Field) -> Any:
    """The pandas dtype a field loads as."""
    controlled = f.controlled
    if controlled is not None and f.type in ("string", "integer", "number", "year"):
        values = [_category_value(v, f) for v in controlled]
        return pd.CategoricalDtype(categories=values, ordered=f.categories_ordered)
    return {
        "string": pd.StringDtype("pyarrow"),
        "integer": "Int64",
        "year": "Int64",
        "number": "Float64",
        "boolean": "boolean",
        "date": pd.ArrowDtype(pa.date32()),
    }.get(f.type, object)


def _category_value(value: Any, f: Field) -> Any:
    if f.type in ("integer", "year"):
        return int(value)
    if f.type == "number":
        return float(value)
    return value


def _column(parsed: cells.Parsed, f: Field, label: str, rows: np.ndarray) -> pd.Series:
    if parsed.invalid.any():
        i = int(np.flatnonzero(parsed.invalid)[0])
        raise PackageReadError(
            f"{label}: row {rows[i]}, field {f.name!r}: value is not a valid {f.type} ({f.format})")
    if parsed.exotic:
        i = next(iter(parsed.exotic))
        if f.type in ("integer", "year"):
            raise PackageReadError(
                f"{label}: row {rows[i]}, field {f.name!r}: integer {parsed.exotic[i]} does not fit in 64 bits")
    dtype = pandas_dtype(f)
    values = parsed.values
    if isinstance(values, np.ndarray):  # Python-typed fields
        obj = values.copy()
        obj[parsed.missing] = None
        return pd.Series(obj, dtype=object)
    series = values.to_pandas(types_mapper=pd.ArrowDtype)
    if f.type == "number" and parsed.exotic:  # NaN, or decimals beyond float64's exact digits
        for i, v in parsed.exotic.items():
            series.iloc[i] = float(v)
    if isinstance(dtype, pd.CategoricalDtype):
        plain = series.astype(object).where(~parsed.missing, None)
        unknown = set(plain.dropna()) - set(dtype.categories)
        if unknown:
            bad = sorted(map(str, unknown))[0]
            i = int(np.flatnonzero(plain.astype(str) == bad)[0])
            raise PackageReadError(f"{label}: row {rows[i]}, field {f.name!r}: {bad!r} is not one of its categories")
        return pd.Series(pd.Categorical(plain, dtype=dtype))
    if isinstance(dtype, pd.ArrowDtype):
        return series
    return series.astype(dtype)


def read_table(resource: Resource) -> pd.DataFrame:
    """One tabular resource as a DataFrame; raises PackageReadError on any unreadable or invalid row."""
    if resource.problems:
        raise PackageReadError(resource.problems[0][1])
    if resource.schema is None:
        raise PackageReadError(f"resource {resource.name!r}: has no Table Schema, so it cannot be loaded as a table")
    label = resource.label
    schema = resource.schema
    reader = TableReader(resource)
    parts: list[pd.DataFrame] = []
    try:
        for batch in reader.batches():
            if batch.ragged:
                r = batch.ragged[0]
                raise PackageReadError(
                    f"{label}: row {r.row}: has {len(r.cells)} cells, the header has {len(batch.columns)}")
            positions = _positions(reader.labels or [], schema.field_names, label)
            data = {}
            for f, pos in zip(schema.fields, positions):
                parsed = cells.parse(batch.columns[pos], f)
                if f.required and parsed.missing.any():
                    i = int(np.flatnonzero(parsed.missing)[0])
                    raise PackageReadError(f"{label}: row {batch.rows[i]}, field {f.name!r}: a value is required")
                data[f.name] = _column(parsed, f, label, batch.rows)
            parts.append(pd.DataFrame(data))
    except SourceError as exc:
        where = f", row {exc.row}" if exc.row else ""
        raise PackageReadError(f"{label}{where}: {exc}") from None
    if reader.labels is not None:
        _positions(reader.labels, schema.field_names, label)
    if not parts:
        empty = {f.name: pd.Series([], dtype=pandas_dtype(f)) for f in schema.fields}
        return pd.DataFrame(empty)
    frame = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    return frame


def _positions(labels: list[str], names: list[str], label: str) -> list[int]:
    """Where each schema field sits in the header (by name; the header must hold them all)."""
    index = {name: i for i, name in reversed(list(enumerate(labels)))}
    out = []
    for name in names:
        if name not in index:
            raise PackageReadError(f"{label}: row 1: the header has no column {name!r}")
        out.append(index[name])
    return out


def load(resource: str | None = None, *, path: str | os.PathLike | None = None,
         version: str | None = None) -> dict[str, pd.DataFrame] | pd.DataFrame:
    """Every table of the package as ``{name: DataFrame}``, or one table when ``resource`` names it.

    ``path`` loads another package (descriptor, folder or zip); ``version`` loads
    a published release, downloading and verifying it first. With neither, the
    package bundled with the library is loaded, offline.
    """
    if version is not None:
        if path is not None:
            raise ValueError("give either path or version, not both")
        from .download import download

        path = download(version)
    with open_package(path) as pkg:
        if resource is not None:
            return read_table(pkg.resource(resource))
        return {r.name: read_table(r) for r in pkg.resources if r.schema is not None}
