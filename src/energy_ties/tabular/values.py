"""Read one cell of CSV text, or one value of a descriptor, as the typed value its Table Schema type says.

One exact reader per type, following frictionless-py's readers, which the
validator must agree with: integers and numbers are stripped and read by
Python's ``int`` and ``Decimal``, dates by ``strptime``, and so on. A reader
returns None for a cell that is not a valid value of its type.
:func:`schema_value` reads the values a descriptor gives (constraints,
categories, enums) the same way, so "a Table Schema value as a typed value"
means one thing everywhere.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import re
import uuid as uuidlib
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from .geojson import is_geojson, is_topojson
from .schema import Field

_NON_BARE = re.compile(r"((^[^-\d]*)|(\D*$))")
Reader = Callable[[str], Any]


def _int_reader(f: Field) -> Callable[[str], Any]:
    bare = f.bare_number

    def read(cell: str):
        cell = cell.strip()
        if not bare:
            cell = _NON_BARE.sub("", cell)
        try:
            return int(cell)
        except Exception:
            return None

    return read


def number_options(f: Field) -> bool:
    """Whether the field sets groupChar, decimalChar or bareNumber: then every cell takes the exact reader."""
    return any(k in f.descriptor for k in ("groupChar", "decimalChar", "bareNumber"))


def _num_reader(f: Field) -> Callable[[str], Any]:
    process = number_options(f)
    group = f.group_char or ""
    dec = f.decimal_char or "."
    bare = f.bare_number

    def read(cell: str):
        cell = cell.strip()
        if process:
            if not bare:
                cell = _NON_BARE.sub("", cell)
            cell = cell.replace(group, "")
            if dec != "." and "." in cell:
                return None
            cell = cell.replace(dec, ".")
        try:
            return Decimal(cell)
        except Exception:
            return None

    return read


#: Significant digits of a decimal that float64 holds exactly enough to order it as Decimal does.
MAX_FAST_DIGITS = 15


def fits_float(value: Decimal) -> bool:
    """True when float64 holds the decimal exactly enough to order it like Decimal does."""
    if not value.is_finite():
        return value.is_infinite()
    t = value.normalize().as_tuple()
    return len(t.digits) <= MAX_FAST_DIGITS and -290 < value.adjusted() < 290


def _bool_reader(f: Field) -> Callable[[str], Any]:
    mapping = dict.fromkeys(f.true_values, True)
    mapping.update(dict.fromkeys(f.false_values, False))
    return mapping.get


def _temporal_reader(f: Field, default: Callable[[str], Any], post: Callable[[Any], Any]) -> Callable[[str], Any]:
    """A date, datetime or time reader: ``default`` reads the default format, ``post`` turns a datetime
    (from a strptime pattern or format ``any``) into the type's value, as frictionless does."""
    fmt = f.format

    def read(cell: str):
        try:
            if fmt == "default":
                return default(cell)
            if fmt == "any":
                from dateutil import parser

                return post(parser.parse(cell))
            return post(dt.datetime.strptime(cell, fmt))
        except Exception:
            return None

    return read


def _isoparse(text: str) -> Any:
    from dateutil import parser

    return parser.isoparse(text)


def iso_date(cell: str) -> dt.date:
    """``strptime(cell, "%Y-%m-%d").date()``, a tenth of its cost on the usual ``YYYY-MM-DD`` cells of ASCII
    digits; other shapes (``2024-1-5``, other scripts' digits) go to strptime itself."""
    digits = cell[:4] + cell[5:7] + cell[8:]
    if len(cell) == 10 and cell[4] == "-" == cell[7] and digits.isascii() and digits.isdigit():
        return dt.date(int(cell[:4]), int(cell[5:7]), int(cell[8:]))
    return dt.datetime.strptime(cell, "%Y-%m-%d").date()


def _date_reader(f: Field) -> Callable[[str], Any]:
    return _temporal_reader(f, iso_date, lambda v: v.date())


def _datetime_reader(f: Field) -> Callable[[str], Any]:
    # frictionless guards the default format against the shorter forms isoparse also takes
    return _temporal_reader(f, lambda c: _isoparse(c) if c[16] == ":" and len(c) >= 19 else None, lambda v: v)


def _time_reader(f: Field) -> Callable[[str], Any]:
    return _temporal_reader(
        f,
        lambda c: _isoparse(f"2000-01-01T{c}").timetz() if c[5] == ":" and len(c) >= 8 else None,
        lambda v: v.timetz(),
    )


def _year_reader(f: Field) -> Callable[[str], Any]:
    def read(cell: str):
        if len(cell) != 4:
            return None
        try:
            value = int(cell)
        except Exception:
            return None
        return value if 0 <= value <= 9999 else None

    return read


def _yearmonth_reader(f: Field) -> Callable[[str], Any]:
    def read(cell: str):
        try:
            year_text, month_text = cell.split("-")
            year, month = int(year_text), int(month_text)
        except Exception:
            return None
        return (year, month) if 1 <= month <= 12 else None

    return read


def _duration_reader(f: Field) -> Callable[[str], Any]:
    import isodate  # ISO 8601 durations, as frictionless reads them

    def read(cell: str):
        try:
            return isodate.parse_duration(cell)
        except Exception:
            return None

    return read


def _geopoint_reader(f: Field) -> Callable[[str], Any]:
    fmt = f.format

    def read(cell: str):
        try:
            if fmt == "array":
                lon, lat = json.loads(cell)
            elif fmt == "object":
                obj = json.loads(cell)
                if len(obj) != 2:
                    return None
                lon, lat = obj["lon"], obj["lat"]
            else:
                lon, lat = cell.split(",")
                lon, lat = lon.strip(), lat.strip()
            lon, lat = Decimal(lon), Decimal(lat)
            if not (-180 <= lon <= 180 and -90 <= lat <= 90):
                return None
            return (lon, lat)
        except Exception:
            return None

    return read


def _json_reader(kind: type) -> Callable[[Field], Callable[[str], Any]]:
    def factory(f: Field):
        def read(cell: str):
            try:
                value = json.loads(cell)
            except Exception:
                return None
            return value if isinstance(value, kind) else None

        return read

    return factory


def _geojson_reader(f: Field) -> Callable[[str], Any]:
    test = is_topojson if f.format == "topojson" else is_geojson

    def read(cell: str):
        try:
            value = json.loads(cell)
        except Exception:
            return None
        return value if test(value) else None

    return read


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$")


def _string_reader(f: Field) -> Callable[[str], Any]:
    fmt = f.format
    if fmt == "email":
        return lambda cell: cell if _EMAIL.match(cell) else None
    if fmt == "uri":
        return lambda cell: cell if _URI.match(cell) else None
    if fmt == "uuid":

        def read_uuid(cell: str):
            try:
                uuidlib.UUID(cell)
            except (ValueError, AttributeError):
                return None
            return cell

        return read_uuid
    if fmt == "binary":

        def read_binary(cell: str):
            try:
                base64.b64decode(cell)
            except (binascii.Error, ValueError):
                return None
            return cell

        return read_binary
    return lambda cell: cell


def _list_reader(f: Field) -> Callable[[str], Any]:
    item = Field(name=f.name, type=f.item_type or "string")
    read_item = READERS.get(item.type, _string_reader)(item)
    delimiter = f.delimiter

    def read(cell: str):
        items = []
        for part in cell.split(delimiter):
            value = read_item(part)
            if value is None:
                return None
            items.append(value)
        return items

    return read


READERS: dict[str, Callable[[Field], Callable[[str], Any]]] = {
    "string": _string_reader,
    "integer": _int_reader,
    "number": _num_reader,
    "boolean": _bool_reader,
    "date": _date_reader,
    "datetime": _datetime_reader,
    "time": _time_reader,
    "year": _year_reader,
    "yearmonth": _yearmonth_reader,
    "duration": _duration_reader,
    "geopoint": _geopoint_reader,
    "geojson": _geojson_reader,
    "object": _json_reader(dict),
    "array": _json_reader(list),
    "list": _list_reader,
    "any": lambda f: lambda cell: cell,
}


def reader(f: Field) -> Callable[[str], Any]:
    """The exact per-cell reader of a field (None means: not a valid value of its type)."""
    return READERS.get(f.type, READERS["any"])(f)


def schema_value(value: Any, f: Field) -> Any:
    """A value a descriptor gives for field ``f`` (a constraint, category or enum value), typed as a cell
    of ``f`` reads (None when the type cannot read it): text goes through the cell reader, JSON numbers
    and booleans are taken as they are where the type holds them."""
    t = f.type
    if isinstance(value, str):
        return reader(f)(value)
    if t in ("integer", "year"):
        if isinstance(value, bool):
            return None
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        return None
    if t == "number":
        if isinstance(value, bool):
            return None
        if isinstance(value, int):
            return value
        if isinstance(value, float):
            return Decimal(str(value))
        return None
    if t == "boolean":
        return value if isinstance(value, bool) else None
    if t in ("any", "object", "array", "list"):
        return value
    return None
