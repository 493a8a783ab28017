"""The same tables as Arrow tables or polars DataFrames, typed by their Table Schemas.

Arrow: integer and year ``int64``, number ``float64``, boolean ``bool``, date
``date32``, strings ``string``, and a field with categories (or an enum) a
``dictionary<int32, string>`` whose dictionary is the declared values in order;
each field's description is in its Arrow field metadata, the resource's title
and description in the schema metadata. polars: the same, with categories as
``pl.Enum`` of the declared values. Both are read by the one typed reader
behind :func:`frames`, so they hold the same values as the pandas frames.
"""

from __future__ import annotations

import json
from typing import Any

import pyarrow as pa

from ..datapackage.model import Package, Resource
from ..errors import require_extra
from ..tabular.schema import Field
from ..tabular.typed import read_typed
from .frames import resource_attrs

BACKENDS = ("pandas", "arrow", "polars")


def _categories(f: Field) -> list[str] | None:
    if f.controlled is None or f.type != "string":
        return None
    return [str(v) for v in f.controlled]


def _arrow_column(column: pa.ChunkedArray, f: Field) -> tuple[pa.Array, pa.Field]:
    values = column.combine_chunks()
    meta = {"description": f.description or "", "type": f.type}
    categories = _categories(f)
    if categories is not None:
        dictionary = pa.array(categories, pa.string())
        indices = pa.compute.index_in(values, value_set=dictionary).cast(pa.int32())
        values = pa.DictionaryArray.from_arrays(indices, dictionary)
    return values, pa.field(f.name, values.type, nullable=not f.required, metadata=meta)


def arrow_table(resource: Resource) -> pa.Table:
    """One tabular resource as a typed Arrow table, with its data dictionary in the metadata."""
    table = read_typed(resource.readable())
    assert resource.schema is not None
    arrays, fields = zip(*(_arrow_column(table.column(f.name), f) for f in resource.schema.fields))
    attrs = resource_attrs(resource)
    meta = {"name": attrs["name"], "title": attrs["title"], "description": attrs["description"]}
    meta["schema"] = json.dumps(resource.schema.descriptor, ensure_ascii=False, sort_keys=True)
    return pa.Table.from_arrays(list(arrays), schema=pa.schema(list(fields), metadata=meta))


def polars_frame(resource: Resource) -> Any:
    """One tabular resource as a polars DataFrame; categories become ``pl.Enum`` of the declared values."""
    pl = require_extra("polars", "polars")
    table = arrow_table(resource)
    assert resource.schema is not None
    casts = {}
    for f in resource.schema.fields:
        categories = _categories(f)
        if categories is not None:
            casts[f.name] = pl.Enum(categories)
    frame = pl.from_arrow(table.cast(plain_schema(table.schema)))
    return frame.with_columns(*(pl.col(name).cast(dtype) for name, dtype in casts.items()))


def plain_schema(schema: pa.Schema) -> pa.Schema:
    """Dictionary columns as plain strings: polars casts strings to an Enum, keeping the declared order."""
    return pa.schema(
        [pa.field(f.name, pa.string() if pa.types.is_dictionary(f.type) else f.type, f.nullable) for f in schema]
    )


def tables(pkg: Package, resource: str | None, backend: str) -> Any:
    """Every table of an open package, or one, in the backend asked for."""
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {', '.join(BACKENDS)}, not {backend!r}")
    read = arrow_table if backend == "arrow" else polars_frame
    if resource is not None:
        return read(pkg.resource(resource))
    return {r.name: read(r) for r in pkg.resources if r.schema is not None}
