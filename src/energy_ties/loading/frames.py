"""Load a data package's tables into pandas, with dtypes taken from each Table Schema.

integer and year become nullable ``Int64``, number ``Float64``, boolean
``boolean``, date an Arrow ``date32``, string an Arrow-backed string, and a
field with ``categories`` or an ``enum`` a pandas Categorical whose categories
are the declared values in their declared order (string categories are Arrow
strings, so that a missing value shows as ``<NA>`` in every text column, never
``NaN``). Each frame carries its resource's name, title, description and field
descriptions in ``DataFrame.attrs``. Reading goes through
:mod:`energy_ties.tabular.typed`, the validator's reader and cell parser, so a table
loads if and only if its cells are valid; a bad cell raises one error naming
file, row and field.
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
import pyarrow as pa

from ..datapackage.model import Package, Resource
from ..tabular.schema import Field
from ..tabular.typed import read_typed
from ..tabular.values import schema_value


def pandas_dtype(f: Field) -> Any:
    """The pandas dtype a field loads as."""
    controlled = f.controlled
    if controlled is not None and f.type in ("string", "integer", "number", "year"):
        values = [v for v in (_category_value(v, f) for v in controlled) if v is not None]
        if f.type == "string":  # typed categories: a missing value then shows as <NA>, as in string columns
            return pd.CategoricalDtype(pd.Index(values, dtype=pd.StringDtype("pyarrow")), f.categories_ordered)
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
    """A declared category as the value it loads as (numbers as floats, as Float64 columns hold them)."""
    if f.type in ("integer", "year", "number"):
        typed = schema_value(value, f)
        if typed is None:  # not a value of the type: the validator reports it, and no cell can hold it
            return None
        return float(typed) if f.type == "number" else int(typed)
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
    table = read_typed(resource.readable())
    schema = resource.schema
    assert schema is not None  # read_typed refuses a resource without one
    frame = pd.DataFrame({f.name: _to_pandas(table.column(f.name), f) for f in schema.fields})
    frame.attrs.update(resource_attrs(resource))
    return frame


def resource_attrs(resource: Resource) -> dict[str, Any]:
    """What a notebook user reads from ``frame.attrs``: the resource's name, title and description, and each
    field's description (the data dictionary travels with the frame)."""
    d = resource.descriptor
    fields = resource.schema.fields if resource.schema is not None else ()
    return {
        "name": resource.name,
        "title": d.get("title") or resource.name,
        "description": d.get("description") or "",
        "fields": {f.name: f.description or f.title or "" for f in fields},
        "categories": {f.name: {str(k): v for k, v in f.category_labels.items()} for f in fields if f.category_labels},
    }


def frames(pkg: Package, resource: str | None = None) -> dict[str, pd.DataFrame] | pd.DataFrame:
    """Every table of an open package as ``{name: DataFrame}``, or one table when ``resource`` names it."""
    if resource is not None:
        return read_table(pkg.resource(resource))
    return {r.name: read_table(r) for r in pkg.resources if r.schema is not None}
