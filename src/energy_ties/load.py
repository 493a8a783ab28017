"""Load a data package's tables into pandas, with dtypes taken from each Table Schema.

integer and year become nullable ``Int64``, number ``Float64``, boolean
``boolean``, date an Arrow ``date32``, string an Arrow-backed string, and a
field with ``categories`` or an ``enum`` a pandas Categorical whose categories
are the declared values in their declared order. Reading goes through
:mod:`energy_ties.typed`, the validator's reader and cell parser, so a table
loads if and only if its cells are valid; a bad cell raises one error naming
file, row and field.
"""

from __future__ import annotations

import json
import os
from typing import Any

import pandas as pd
import pyarrow as pa

from .package import Resource, open_package
from .tableschema import Field
from .typed import read_typed


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


def _to_pandas(column: pa.ChunkedArray, f: Field) -> pd.Series:
    dtype = pandas_dtype(f)
    if isinstance(dtype, pd.CategoricalDtype):  # read_typed has refused values outside the categories or enum
        return pd.Series(pd.Categorical(column.to_pylist(), dtype=dtype))
    if f.type in ("object", "array", "geojson"):  # held as canonical JSON text in Arrow
        return pd.Series([None if v is None else json.loads(v) for v in column.to_pylist()], dtype=object)
    if dtype is object:
        return pd.Series(column.to_pylist(), dtype=object)
    series = column.to_pandas(types_mapper=pd.ArrowDtype)
    return series if isinstance(dtype, pd.ArrowDtype) else series.astype(dtype)


def read_table(resource: Resource) -> pd.DataFrame:
    """One tabular resource as a DataFrame; raises PackageReadError on any unreadable or invalid row."""
    table = read_typed(resource)
    schema = resource.schema
    return pd.DataFrame({f.name: _to_pandas(table.column(f.name), f) for f in schema.fields})


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
