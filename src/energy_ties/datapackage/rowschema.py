"""Generate the JSON Schema (draft 2020-12) of one row from a Table Schema.

A row is a JSON object holding every field by name, each value typed as the
Table Schema reads it (integers as JSON integers, booleans as JSON booleans,
dates as ISO strings, missing values as null). The Table Schema stays the one
source of truth: the committed row schemas in ``schemas/rows/`` are this
function's output, and CI fails when they drift.
"""

from __future__ import annotations

import json
from typing import Any

from ..tabular.schema import Field, Schema
from ..tabular.values import reader, schema_value

DRAFT = "https://json-schema.org/draft/2020-12/schema"

_DATE = r"^[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])$"
_YEARMONTH = r"^-?[0-9]+-(?:0?[1-9]|1[0-2])$"
_TIME = r"^[0-9]{2}:[0-9]{2}:[0-9]{2}"


def _anchored(pattern: str) -> str:
    """Table Schema patterns match the whole value; JSON Schema patterns search, so anchor them."""
    return f"^(?:{pattern})$"


def _typed(value: Any, f: Field) -> Any:
    """A constraint or category value as the JSON value of a row (None if the type cannot read it)."""
    if f.type in ("integer", "year") and isinstance(value, int) and not isinstance(value, bool):
        return value
    if f.type == "number" and isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and f.type in ("integer", "year", "number", "boolean"):
        read = schema_value(value, f)
        return None if read is None else _json_value(read, f.type)
    return value


#: JSON Schemas of the types whose form does not depend on the field's constraints.
_FIXED: dict[str, dict[str, Any]] = {
    "boolean": {"type": "boolean"},
    "date": {"type": "string", "format": "date", "pattern": _DATE},
    "datetime": {"type": "string", "format": "date-time"},
    "time": {"type": "string", "format": "time", "pattern": _TIME},
    "yearmonth": {"type": "string", "pattern": _YEARMONTH},
    "duration": {"type": "string", "format": "duration"},
    "object": {"type": "object"},
    "geojson": {"type": "object"},
    "array": {"type": "array"},
}


def _string_schema(f: Field) -> dict[str, Any]:
    c = f.constraints
    s: dict[str, Any] = {"type": "string"}
    fmt = {"email": "email", "uri": "uri", "uuid": "uuid"}.get(f.format)
    if fmt:
        s["format"] = fmt
    if f.format == "binary":
        s["contentEncoding"] = "base64"
    if "pattern" in c:
        s["pattern"] = _anchored(c["pattern"])
    for key in ("minLength", "maxLength"):
        if key in c:
            s[key] = c[key]
    return s


def _number_schema(f: Field) -> dict[str, Any]:
    s: dict[str, Any] = {"type": "number" if f.type == "number" else "integer"}
    if f.type == "year":
        s.update(minimum=0, maximum=9999)
    for key in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        if key in f.constraints:
            bound = _typed(f.constraints[key], f)
            if bound is not None:
                s[key] = bound
    return s


def _list_schema(f: Field) -> dict[str, Any]:
    items = _base(Field(name=f.name, type=f.item_type or "string"))
    if items.get("type") == "string" and len(f.delimiter) == 1:
        items["pattern"] = _anchored(f"[^{_class_escape(f.delimiter)}]*")
    s: dict[str, Any] = {"type": "array", "minItems": 1, "items": items}
    if "minLength" in f.constraints:
        s["minItems"] = max(1, f.constraints["minLength"])
    if "maxLength" in f.constraints:
        s["maxItems"] = f.constraints["maxLength"]
    return s


def _geopoint_schema(f: Field) -> dict[str, Any]:
    return {"type": {"default": "string", "array": "array"}.get(f.format, "object")}


def _type_schema(f: Field) -> dict[str, Any]:
    """The JSON Schema of a value of the field's type, with the constraints JSON Schema can say."""
    builders: dict[str, Any] = {
        "string": _string_schema,
        "integer": _number_schema,
        "number": _number_schema,
        "year": _number_schema,
        "list": _list_schema,
        "geopoint": _geopoint_schema,
    }
    if f.type in builders:
        return builders[f.type](f)
    return dict(_FIXED.get(f.type, {}))  # any: no constraint at all


def _base(f: Field) -> dict:
    t, c = f.type, f.constraints
    s = _type_schema(f)
    if t in ("object", "array") and isinstance(c.get("jsonSchema"), dict):
        s = {"allOf": [s, c["jsonSchema"]]}
    controlled = f.controlled
    if controlled is not None and t not in ("list", "object", "array"):
        values = [_typed(v, f) for v in controlled]
        s["enum"] = [v for v in values if v is not None]
    # a value that reads as one of the missing values would come back as null
    excluded = []
    read_cell = reader(f)
    for token in f.missing_values:
        read = token if t == "string" else read_cell(token)
        if read is not None:
            excluded.append(_json_value(read, t))
    excluded = [v for v in excluded if v is not None]
    if excluded:
        s["not"] = {"enum": excluded}
    return s


def _json_value(value: Any, t: str) -> Any:
    if t == "number":
        return int(value) if value == value.to_integral_value() else float(value)
    if t == "date":
        return value.isoformat()
    if t in ("string", "integer", "year", "boolean", "object", "array", "any", "geojson"):
        return value
    return None


def _class_escape(ch: str) -> str:
    return "\\" + ch if ch in "\\]^-[" else ch


def field_schema(f: Field) -> dict:
    """The JSON Schema of one field's value in a row."""
    s = _base(f)
    meta = {k: v for k, v in (("title", f.title), ("description", f.description)) if v}
    if f.required:
        return {**meta, **s}
    if s.get("enum") is not None:
        s = {**s, "enum": s["enum"] + [None]}
    return {**meta, "anyOf": [{"type": "null"}, s]}


def row_schema(table_schema: dict, name: str) -> dict:
    """The JSON Schema of one row of resource ``name`` described by ``table_schema``."""
    schema = Schema.from_descriptor(table_schema)
    return {
        "$schema": DRAFT,
        "title": f"One row of the {name} resource",
        "description": f"Generated by energy_ties.rowschema from the Table Schema of {name}; do not edit.",
        "type": "object",
        "properties": {f.name: field_schema(f) for f in schema.fields},
        "required": schema.field_names,
        "additionalProperties": False,
    }


def dumps(schema: dict) -> str:
    """The canonical text of a generated schema, as committed."""
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def row_schema_files(pkg: Any) -> list[tuple[Any, Any, str]]:
    """(resource, row schema path, its expected text) of an open package's resources.

    Only a Table Schema file in a ``tables/`` folder inside the package has a
    committed row schema: ``rows/NAME.json`` beside that folder. Anything else
    is left out; the row schema path is given as it lies in the package, and is
    read and written through :mod:`energy_ties.files` with the package as root,
    so a ``rows`` folder that links outside is refused, never followed.
    """
    out = []
    root = pkg.root.resolve()
    for res in pkg.resources:
        path = res.schema_path
        if path is None or res.schema_descriptor is None:
            continue
        tables = path.parent
        if tables.name != "tables" or root not in tables.parents:
            continue
        out.append((res, tables.parent / "rows" / path.name, dumps(row_schema(res.schema_descriptor, res.name))))
    return out
