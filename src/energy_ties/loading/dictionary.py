"""A resource's data dictionary as a DataFrame: one row per field, read from its Table Schema.

The README's dictionary (:mod:`energy_ties.datapackage.dictionary`) is Markdown for
readers; this is the same information for a notebook, where it can be filtered
and joined.
"""

from __future__ import annotations

import json

import pandas as pd

from ..datapackage.model import Resource
from ..tabular.schema import Field

#: The dictionary's columns, each with what it holds.
COLUMNS = {
    "field": "the field's name",
    "type": "its Table Schema type",
    "format": "its Table Schema format",
    "required": "whether a value is required (a primary key field always is)",
    "primary_key": "whether it is part of the primary key",
    "unique": "whether its values are unique on their own",
    "references": "the resource and field its foreign key points at, as resource.field",
    "constraints": "its other constraints, as JSON",
    "categories": "its declared values, in order, joined by '; '",
    "description": "what it holds",
}


def _references(res: Resource, f: Field) -> str | None:
    assert res.schema is not None
    for fk in res.schema.foreign_keys:
        if f.name in fk.fields:
            i = fk.fields.index(f.name)
            return f"{fk.resource or res.name}.{fk.reference_fields[i]}"
    return None


def dictionary_frame(res: Resource) -> pd.DataFrame:
    """One row per field of ``res``: name, type, keys, constraints, categories and description."""
    schema = res.schema
    if schema is None:
        raise ValueError(f"resource {res.name!r} has no Table Schema")
    rows = []
    for f in schema.fields:
        other = {k: v for k, v in f.constraints.items() if k not in ("required", "unique", "enum")}
        rows.append(
            {
                "field": f.name,
                "type": f.type,
                "format": f.format,
                "required": f.required or f.name in schema.primary_key,
                "primary_key": f.name in schema.primary_key,
                "unique": f.unique,
                "references": _references(res, f),
                "constraints": json.dumps(other, ensure_ascii=False, sort_keys=True) if other else None,
                "categories": None if f.controlled is None else "; ".join(str(v) for v in f.controlled),
                "description": f.description or f.title,
            }
        )
    dtypes = {
        c: "boolean" if c in ("required", "primary_key", "unique") else pd.StringDtype("pyarrow") for c in COLUMNS
    }
    frame = pd.DataFrame(rows, columns=list(COLUMNS)).astype(dtypes)
    frame.attrs.update({"name": res.name, "title": f"Data dictionary of {res.name}", "fields": dict(COLUMNS)})
    return frame
