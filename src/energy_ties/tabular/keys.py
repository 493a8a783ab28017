"""Typed keys on Arrow: uniqueness and references, compared as Python compares values.

Used by the validator (unique fields, primary, unique and foreign keys) and
by the differ (matching rows of two releases). Nulls are made to compare
equal in groupings and joins (frictionless compares key tuples holding None
as equal), numbers compare across integer, number and boolean fields as
Python compares them (``1 == 1.0``, ``False == 0``), and values Arrow cannot
hold become canonical text that can only equal its own kind.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import columns
from .schema import Field
from .spill import KeyStore, SpilledKeys


class KeyColumns:
    """Typed key columns of some fields, gathered batch by batch with their row numbers.

    With a :class:`~energy_ties.tabular.spill.KeyStore`, the batches move to DuckDB on disk once the
    store's memory budget is exceeded (``spilled``). ``increasing`` stays True while every key is
    greater than the one before it (no nulls): then no two keys are equal and no check needs to compare.
    """

    def __init__(self, names: tuple[str, ...], families: tuple[str, ...] | None = None, store: KeyStore | None = None):
        self.names = names
        # "number" for integer, number, year and boolean fields (compared as Python compares numbers)
        self.families = families or tuple("other" for _ in names)
        self.parts: list[pa.Table] = []
        self.store = store
        self.spilled: SpilledKeys | None = None
        self.increasing = True
        self._last: pa.Table | None = None  # the last row added, for the test across batches

    def add(self, columns: dict[str, pa.Array], rows: np.ndarray) -> None:
        n = len(rows)
        data = {f"k{i}": columns.get(name, pa.nulls(n)) for i, name in enumerate(self.names)}
        data["row"] = pa.array(rows, pa.int64())
        part = pa.table(data)
        if self.increasing and n:
            self.increasing = increasing(part, self._last, len(self.names))
            self._last = part.slice(n - 1)
        if self.spilled is not None:
            self.spilled.append(part)
        else:
            self.parts.append(part)
            if self.store is not None and self.store.over(part.nbytes):
                self.spill()

    def spill(self) -> SpilledKeys:
        """Move the batches held in memory to the store's DuckDB table (made when first needed)."""
        assert self.store is not None
        if self.spilled is None:
            self.spilled = SpilledKeys(self.store, len(self.names))
        for part in self.parts or ([] if self.spilled.created else [self.table()]):
            self.spilled.append(part)
            self.store.held -= part.nbytes if self.parts else 0
        self.parts = []
        return self.spilled

    def table(self) -> pa.Table:
        """All batches as one table; a column whose batches differ in type is compared as text."""
        assert self.spilled is None, "spilled key columns are compared in DuckDB"
        if not self.parts:
            return pa.table(
                {**{f"k{i}": pa.array([], pa.null()) for i in range(len(self.names))}, "row": pa.array([], pa.int64())}
            )
        parts = self.parts
        for i in range(len(self.names)):
            col = f"k{i}"
            types = {p.schema.field(col).type for p in parts} - {pa.null()}
            if len(types) > 1:
                parts = [p.set_column(i, col, _as_text(p.column(col))) for p in parts]
            elif types:
                t = types.pop()
                parts = [
                    p.set_column(i, col, p.column(col).cast(t)) if p.schema.field(col).type != t else p for p in parts
                ]
        return pa.concat_tables(parts)


def increasing(part: pa.Table, last: pa.Table | None, width: int) -> bool:
    """Whether the keys of ``part``, after the key in ``last``, are strictly increasing (tuples compared
    field by field) and none is null: a sorted key column, whatever its type, tested in a few kernels."""
    cols = [f"k{i}" for i in range(width)]
    for c in cols:
        if part.column(c).null_count or pa.types.is_null(part.schema.field(c).type):
            return False
    if last is not None:
        if [last.schema.field(c).type for c in cols] != [part.schema.field(c).type for c in cols]:
            return False
        part = pa.concat_tables([last, part])
    if part.num_rows < 2:
        return True
    before, after = part.slice(0, part.num_rows - 1), part.slice(1)
    ok = None
    try:
        for c in reversed(cols):  # (a0, a1) < (b0, b1): a0 < b0, or a0 == b0 and a1 < b1
            less = pc.less(before.column(c), after.column(c))
            ok = less if ok is None else pc.or_(less, pc.and_(pc.equal(before.column(c), after.column(c)), ok))
        return bool(pc.all(ok).as_py())
    except (pa.ArrowNotImplementedError, pa.ArrowInvalid):  # a type without an order: compare the keys
        return False


def _as_text(col: pa.ChunkedArray) -> pa.Array:
    if pa.types.is_string(col.type):
        return col.combine_chunks()
    if pa.types.is_null(col.type):
        return pa.nulls(len(col), pa.string())
    return pc.cast(col, pa.string())


def key_values(parsed: columns.Parsed) -> pa.Array:
    """A column's typed values for key comparison, null where missing or invalid.

    Values Arrow cannot hold (Python-typed fields, integers beyond 64 bits,
    decimals beyond float64) make the column text in a canonical form; such
    values can never equal a value of the vectorised form, so nothing is lost.
    """
    if parsed.is_python:
        values = parsed.values
        if all(v is None or isinstance(v, str) for v in values):  # `any` fields read from text
            return pa.array(list(values), pa.string())
        return pa.array([None if v is None else _canonical(v) for v in values], pa.string())
    if parsed.exotic:
        text = pc.cast(parsed.values, pa.string()).to_pylist()
        for i, v in parsed.exotic.items():  # NaN is a value, but equal to nothing, not even another NaN
            text[i] = f"{NAN_TOKEN}{next(_NAN_IDS)}" if v != v else _canonical(v)
        return pa.array(text, pa.string())
    values = parsed.values
    assert isinstance(values, pa.Array)  # not parsed.is_python
    if pa.types.is_floating(values.type):  # -0.0 equals 0.0
        values = pc.if_else(pc.equal(values, 0.0), pa.scalar(0.0, values.type), values)
    return values


_NAN_IDS = itertools.count()

NAN_TOKEN = "\x00nan:"  # a key holding NaN: unique, so never equal to another, and never a referenced value


def _canonical(v: Any) -> str:
    if isinstance(v, int) and not isinstance(v, bool):
        return str(v)  # as Arrow writes an int64: a huge integer stays comparable with the others
    if isinstance(v, Decimal):
        return "d:" + str(v.normalize())
    if isinstance(v, (dict, list)):
        return "j:" + json.dumps(v, sort_keys=True, default=str)
    return f"{type(v).__name__}:{v}"


def null_safe(table: pa.Table, cols: list[str]) -> tuple[pa.Table, list[str]]:
    """Add an is-null flag per key column and fill the nulls, so that nulls compare equal in joins."""
    keys = []
    for c in cols:
        col = table.column(c)
        if pa.types.is_null(col.type):
            col = pa.chunked_array([pa.nulls(len(col), pa.string())]) if len(col) else pa.chunked_array([], pa.string())
            table = table.set_column(table.schema.get_field_index(c), c, col)
        flag = f"{c}\x00null"
        table = table.append_column(flag, pc.is_null(col))
        table = table.set_column(table.schema.get_field_index(c), c, pc.fill_null(col, _filler(col.type)))
        keys += [c, flag]
    return table, keys


def _filler(t: pa.DataType) -> pa.Scalar:
    """Any valid value of type ``t``: it stands in for null beside the is-null flag."""
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        return pa.scalar("", t)
    if pa.types.is_boolean(t):
        return pa.scalar(False)
    if pa.types.is_date32(t):
        return pa.scalar(0, pa.int32()).cast(t)
    return pa.scalar(0, pa.int64()).cast(t)


def duplicates(table: pa.Table, cols: list[str]) -> list[tuple[int, int]]:
    """(row, first row) for each row whose key equals that of an earlier row (nulls equal nulls)."""
    if table.num_rows < 2:
        return []
    table, keys = null_safe(table, cols)
    groups = table.group_by(keys, use_threads=False).aggregate([("row", "min"), ("row", "count")])
    groups = groups.filter(pc.greater(groups["row_count"], 1))
    if not groups.num_rows:
        return []
    joined = table.select(keys + ["row"]).join(
        groups.select(keys + ["row_min"]), keys=keys, join_type="inner", use_threads=False
    )
    later = joined.filter(pc.not_equal(joined["row"], joined["row_min"]))
    pairs = zip(later["row"].to_pylist(), later["row_min"].to_pylist())
    return sorted(pairs)


def all_of(table: pa.Table, cols: list[str], test: Callable) -> pa.ChunkedArray | pa.Array:
    out = None
    for c in cols:
        t = test(table[c])
        out = t if out is None else pc.and_(out, t)
    return out if out is not None else pa.array(np.ones(table.num_rows, bool))


def _number_text(col: pa.ChunkedArray) -> pa.ChunkedArray:
    """Numbers as the text ``str`` gives Python ints (booleans as 0 and 1, as Python compares them)."""
    if pa.types.is_boolean(col.type):
        col = pc.cast(col, pa.int64())
    return pc.cast(col, pa.string())


def key_family(f: Field | None) -> str:
    return "number" if f is not None and f.type in ("integer", "number", "year", "boolean") else "other"


def _family(t: pa.DataType) -> str:
    if pa.types.is_integer(t) or pa.types.is_floating(t) or pa.types.is_boolean(t):
        return "number"  # Python compares them as numbers: False == 0, 1 == 1.0
    return str(t)


def comparable(
    left: pa.Table, right: pa.Table, cols: list[str], lfam: tuple[str, ...] = (), rfam: tuple[str, ...] = ()
) -> tuple[pa.Table | None, pa.Table | None]:
    """Give both sides' key columns one type; None when a column can never match (1 is not "1")."""
    for i, c in enumerate(cols):
        lt, rt = left.schema.field(c).type, right.schema.field(c).type
        numeric = lfam[i : i + 1] == rfam[i : i + 1] == ("number",)
        if numeric and pa.types.is_string(lt) != pa.types.is_string(rt):
            # one side holds numbers beyond 64 bits as text: compare both sides as canonical text
            if not pa.types.is_string(lt):
                left = left.set_column(left.schema.get_field_index(c), c, _number_text(left[c]))
            if not pa.types.is_string(rt):
                right = right.set_column(right.schema.get_field_index(c), c, _number_text(right[c]))
    for c in cols:
        lt, rt = left.schema.field(c).type, right.schema.field(c).type
        if lt == rt or pa.types.is_null(lt) or pa.types.is_null(rt):
            if pa.types.is_null(lt) and not pa.types.is_null(rt):
                left = left.set_column(left.schema.get_field_index(c), c, pa.nulls(left.num_rows, rt))
            elif pa.types.is_null(rt) and not pa.types.is_null(lt):
                right = right.set_column(right.schema.get_field_index(c), c, pa.nulls(right.num_rows, lt))
            continue
        if _family(lt) == _family(rt) == "number":
            left = left.set_column(left.schema.get_field_index(c), c, pc.cast(left[c], pa.float64()))
            right = right.set_column(right.schema.get_field_index(c), c, pc.cast(right[c], pa.float64()))
            continue
        return None, None
    return left, right
