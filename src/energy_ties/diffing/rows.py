"""Match the rows of two versions of a table and find what changed in them.

Rows are matched on the primary key (on whole-row identity where a resource
has none) with one keyed join, or, for the usual case of one key column
whose values are unique (sorted keys prove it at once), by a merge of two
sorted integer columns or one hash lookup of any other type; values are
compared as typed values, so ``1.0`` and ``1`` in a number field are equal
and nulls equal nulls.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import DiffError
from ..tabular.keys import increasing, null_safe
from ..tabular.schema import Schema
from . import spilled
from .model import ResourceDiff, RowChange
from .spilled import SpilledRows, spilled_pair

#: Widest text key (bytes) the sorted-key shortcut copies into fixed-width numpy strings.
MAX_SORTED_TEXT = 64
#: Matched rows compared at a time (their values are copied side by side for the comparison).
COMPARE_ROWS = 1 << 18


def row_key(old: Schema, new: Schema) -> list[str]:
    """Match rows on the primary key; if it changed, on the old one where the new data still holds it."""
    held = set(old.field_names) & set(new.field_names)  # a key naming no field (an invalid schema) matches nothing
    if old.primary_key and tuple(old.primary_key) == tuple(new.primary_key) and set(new.primary_key) <= held:
        return list(new.primary_key)
    if old.primary_key and set(old.primary_key) <= held:
        return list(old.primary_key)
    return []


def _check_unique(table: pa.Table, key: list[str], side: str, name: str) -> None:
    if not key or table.num_rows < 2:
        return
    if len(key) == 1 and pc.count_distinct(table.column(key[0]), mode="all").as_py() == table.num_rows:
        return  # the common case, cheaply: as many distinct keys (null counted once) as rows
    safe, cols = null_safe(table.select(key), key)
    counts = safe.group_by(cols, use_threads=False).aggregate([([], "count_all")])
    dup = counts.filter(pc.greater(counts["count_all"], 1))
    if dup.num_rows:
        sample = {k: dup.column(k)[0].as_py() for k in key}
        raise DiffError(
            f"{name}: {dup.num_rows} duplicate primary key value(s) in the {side} package, e.g. {sample}; "
            "rows cannot be matched"
        )


def join(a: pa.Table, b: pa.Table, key: list[str], how: str) -> pa.Table:
    """Join old and new rows on ``key`` (nulls equal); non-key columns are suffixed NUL+old / NUL+new."""
    for k in key:
        if k not in a.column_names or k not in b.column_names:
            raise DiffError(f"key column {k!r} is missing on one side")
        if a.schema.field(k).type != b.schema.field(k).type:
            raise DiffError(
                f"key column {k!r} has type {a.schema.field(k).type} in the old package and "
                f"{b.schema.field(k).type} in the new one: incompatible schemas"
            )
    ra = a.rename_columns([c if c in key else c + "\x00old" for c in a.column_names])
    rb = b.rename_columns([c if c in key else c + "\x00new" for c in b.column_names])
    sa, keys = null_safe(ra, key)
    sb, _ = null_safe(rb, key)
    joined = sa.join(sb, keys=keys, join_type=how, use_threads=False, coalesce_keys=True)
    return joined.drop_columns([k for k in keys if k not in key])


def same_value(u: object, v: object) -> bool:
    """Python equality, except that NaN equals NaN: a value is the same as itself."""
    return u == v or (isinstance(u, float) and isinstance(v, float) and u != u and v != v)


def equal_columns(x: pa.ChunkedArray, y: pa.ChunkedArray, tolerance: float) -> np.ndarray:
    """Elementwise typed equality (nulls equal nulls, NaN equals NaN; numbers within ``tolerance``)."""
    if pa.types.is_null(x.type) and pa.types.is_null(y.type):  # a field of empty cells on both sides
        return np.ones(len(x), bool)
    if x.type != y.type or pa.types.is_nested(x.type):  # Arrow has no equality kernel for lists (list fields)
        xs, ys = x.to_pylist(), y.to_pylist()
        return np.array([same_value(u, v) for u, v in zip(xs, ys)], bool)
    both_null = pc.and_(pc.is_null(x), pc.is_null(y))
    if tolerance and (pa.types.is_floating(x.type) or pa.types.is_integer(x.type)):
        eq = pc.less_equal(pc.abs(pc.subtract(pc.cast(x, pa.float64()), pc.cast(y, pa.float64()))), tolerance)
    else:
        eq = pc.equal(x, y)
    if pa.types.is_floating(x.type):  # NaN is not equal to itself in IEEE arithmetic; a NaN cell is unchanged
        eq = pc.or_(pc.fill_null(eq, False), pc.fill_null(pc.and_(pc.is_nan(x), pc.is_nan(y)), False))
    eq = pc.or_(both_null, pc.fill_null(eq, False))
    if isinstance(eq, pa.ChunkedArray):
        eq = eq.combine_chunks()
    return eq.to_numpy(zero_copy_only=False)


def match_rows(
    rd: ResourceDiff,
    a: pa.Table | SpilledRows,
    b: pa.Table | SpilledRows,
    key: list[str],
    renames: dict[str, str],
    tolerance: float,
    fields: list[str],
) -> None:
    """Rows removed, added and modified, matched on ``key``; ``fields`` are the new schema's, in order."""
    if isinstance(a, SpilledRows) or isinstance(b, SpilledRows):
        _match_spilled(rd, *spilled_pair(a, b), key, renames, tolerance, fields)
        return
    if not key:
        _rows_by_identity(rd, a, b, renames)
        return
    aligned = _align_sorted(a, b, key) or _align_unique(a, b, key)
    if aligned is None:
        _check_unique(a, key, "old", rd.name)
        _check_unique(b, key, "new", rd.name)
        aligned = _align(a, b, key)
    removed_idx, added_idx, po, pn = aligned
    rd.removed = a.take(removed_idx) if len(removed_idx) else a.slice(0, 0)
    rd.added = b.take(added_idx) if len(added_idx) else b.slice(0, 0)

    def compare(start: int) -> list[RowChange]:  # a slice at a time: matched rows are never all copied
        at = slice(start, start + COMPARE_ROWS)
        return _modified(rows_at(a, po[at]), rows_at(b, pn[at]), key, renames, tolerance, fields)

    starts = range(0, len(po), COMPARE_ROWS)
    with ThreadPoolExecutor(max_workers=2 if len(starts) > 1 else 1) as pool:  # Arrow's kernels let go of the GIL
        for changes in pool.map(compare, starts):  # in order; at most two slices are copied at a time
            rd.modified += changes


def rows_at(table: pa.Table, at: pa.Array) -> pa.Table:
    """``table.take(at)``, cheaper where the rows are in increasing order (as matched rows of sorted keys
    are): a slice without a copy where they follow one another, else a filter of the span they cover."""
    idx = at.to_numpy()
    if len(idx) < 2 or not bool(np.all(idx[1:] > idx[:-1])):
        return table.take(at)
    lo, hi = int(idx[0]), int(idx[-1]) + 1
    span = table.slice(lo, hi - lo)
    if hi - lo == len(idx):
        return span
    keep = np.zeros(hi - lo, bool)
    keep[idx - lo] = True
    return span.filter(pa.array(keep))


def _match_spilled(
    rd: ResourceDiff,
    a: SpilledRows,
    b: SpilledRows,
    key: list[str],
    renames: dict[str, str],
    tolerance: float,
    fields: list[str],
) -> None:
    """match_rows with the rows in DuckDB: it finds the rows removed, added and perhaps modified; the
    records are made from those rows by the in-memory path's code."""
    if not key:
        found = spilled.by_identity(a, b, renames)
        if found is None:  # other fields or types on each side: every row is a change, or a cast is needed
            _rows_by_identity(rd, a.to_table(), b.to_table(), renames)
        else:
            rd.removed, rd.added = found
        return
    spilled.check_unique(a, key, "old", rd.name)
    spilled.check_unique(b, key, "new", rd.name)
    pairs = spilled.key_pairs(a, b, key)
    rd.removed = spilled.unmatched(a, b, spilled.on(pairs))
    rd.added = spilled.unmatched(b, a, spilled.on([(j, i) for i, j in pairs]))
    where = spilled.maybe_changed(a, b, key, renames, fields)
    for olds, news in spilled.matched_pairs(a, b, spilled.on(pairs), where):
        rd.modified += _modified(olds, news, key, renames, tolerance, fields)


def _modified(
    olds: pa.Table, news: pa.Table, key: list[str], renames: dict[str, str], tolerance: float, fields: list[str]
) -> list[RowChange]:
    """The matched rows (old and new, aligned) whose values differ, with each changed cell."""
    back = {v: k for k, v in renames.items()}
    old_columns = set(olds.column_names)  # built once: column_names is a new list at every call
    keys = set(key)
    changed_any = np.zeros(olds.num_rows, bool)
    per_field: list[tuple[str | None, str, np.ndarray]] = []
    for fname in fields:
        if fname in keys:
            continue
        oname = back.get(fname, fname)
        if oname not in old_columns:  # an added field: any value is a change from "absent"
            diff_mask = np.asarray(pc.is_valid(news[fname]).to_numpy(zero_copy_only=False), bool)
        else:
            diff_mask = ~equal_columns(olds[oname], news[fname], tolerance)
        if diff_mask.any():
            per_field.append((oname if oname in old_columns else None, fname, diff_mask))
            changed_any |= diff_mask
    rows_at = np.flatnonzero(changed_any)
    if not len(rows_at):
        return []
    take = pa.array(rows_at)
    key_values = {k: news[k].take(take).to_pylist() for k in key}
    modified = [RowChange({k: key_values[k][i] for k in key}) for i in range(len(rows_at))]
    position = {int(r): i for i, r in enumerate(rows_at)}
    for old_name, fname, mask in per_field:
        at = np.flatnonzero(mask)
        new_vals = news[fname].take(pa.array(at)).to_pylist()
        old_vals = olds[old_name].take(pa.array(at)).to_pylist() if old_name else [None] * len(at)
        for row, o, n in zip(at, old_vals, new_vals):
            modified[position[int(row)]].cells[fname] = (o, n)
    return modified


def _align(a: pa.Table, b: pa.Table, key: list[str]) -> tuple:
    """(removed old rows, added new rows, matched old rows, matched new rows), as row indices, by a keyed join."""
    ia = a.append_column("\x00i", pa.array(np.arange(a.num_rows), pa.int64()))
    ib = b.append_column("\x00i", pa.array(np.arange(b.num_rows), pa.int64()))
    j = join(ia.select(key + ["\x00i"]), ib.select(key + ["\x00i"]), key, "full outer")
    io, inew = j["\x00i\x00old"], j["\x00i\x00new"]
    only_old, only_new = pc.is_null(inew), pc.is_null(io)
    removed = pc.filter(io, only_old)
    removed = pc.take(removed, pc.sort_indices(removed))
    added = pc.filter(inew, only_new)
    added = pc.take(added, pc.sort_indices(added))
    both = pc.and_(pc.invert(only_old), pc.invert(only_new))
    po = pc.filter(io, both)
    order = pc.sort_indices(po)  # matched rows in the old table's order
    return removed, added, pc.take(po, order), pc.take(pc.filter(inew, both), order)


def _align_sorted(a: pa.Table, b: pa.Table, key: list[str]) -> tuple | None:
    """The same as _align, fast, for the usual case: one integer or text key, strictly increasing on both
    sides (sorted, hence unique)."""
    if len(key) != 1:
        return None
    ka, kb = a.column(key[0]), b.column(key[0])
    if ka.type != kb.type or ka.null_count or kb.null_count:
        return None
    if pa.types.is_integer(ka.type):
        xa, xb = ka.to_numpy(), kb.to_numpy()
    elif pa.types.is_string(ka.type):
        width = max(_widest(ka), _widest(kb))
        if width > MAX_SORTED_TEXT:
            return None
        xa, xb = _fixed_width(ka, width), _fixed_width(kb, width)
        if xa is None or xb is None:
            return None
    else:
        return None
    if (len(xa) > 1 and not np.all(xa[1:] > xa[:-1])) or (len(xb) > 1 and not np.all(xb[1:] > xb[:-1])):
        return None  # unsorted, or duplicate keys: the general path reports duplicates
    if len(xb):  # each old key's place among the new keys, by binary search (no sort of both sides)
        at = np.minimum(np.searchsorted(xb, xa), len(xb) - 1)
        found = xb[at] == xa
    else:
        at, found = np.zeros(len(xa), np.int64), np.zeros(len(xa), bool)
    pn = at[found]
    fresh = np.ones(len(xb), bool)
    fresh[pn] = False
    return (
        pa.array(np.flatnonzero(~found), pa.int64()),
        pa.array(np.flatnonzero(fresh), pa.int64()),
        pa.array(np.flatnonzero(found), pa.int64()),
        pa.array(pn, pa.int64()),
    )


def _widest(col: pa.ChunkedArray) -> int:
    return int(pc.max(pc.binary_length(col)).as_py() or 0) if len(col) else 0


def _fixed_width(col: pa.ChunkedArray, width: int) -> np.ndarray | None:
    """Text values as numpy byte strings of ``width`` bytes, NUL-padded: their order and equality are those of
    the UTF-8 bytes (Arrow's), as long as no value holds a NUL (numpy drops trailing NULs): None if one does,
    or if padding by characters left values of other widths (text beyond ASCII)."""
    width = max(width, 1)
    n = len(col)
    uniform = bool(n) and pc.min(pc.binary_length(col)).as_py() == width
    padded = (col if uniform else pc.utf8_rpad(col, width=width, padding="\x00")).combine_chunks()
    bufs = padded.buffers()
    start = int(np.frombuffer(bufs[1], np.int32, 1, padded.offset * 4)[0]) if n else 0
    end = int(np.frombuffer(bufs[1], np.int32, 1, (padded.offset + n) * 4)[0]) if n else 0
    if end - start != width * n:
        return None
    data = np.frombuffer(bufs[2], np.uint8, end - start, start) if n else np.zeros(0, np.uint8)
    if not data.all() and (uniform or _holds_nul(col)):  # a NUL byte: in a value, or only padding
        return None
    return data.view(f"S{width}")


def _holds_nul(col: pa.ChunkedArray) -> bool:
    return bool(pc.any(pc.match_substring(col, "\x00")).as_py())


def _align_unique(a: pa.Table, b: pa.Table, key: list[str]) -> tuple | None:
    """The same as _align without a join, for one key column of any type but floating point (where -0.0 and
    NaN make equality subtle) with no nulls and no repeated value on either side: each old key's place among
    the new keys by one hash lookup. A strictly increasing column (sorted keys) proves itself unique at once."""
    if len(key) != 1:
        return None
    ka, kb = a.column(key[0]), b.column(key[0])
    if ka.type != kb.type or pa.types.is_floating(ka.type) or pa.types.is_nested(ka.type):
        return None
    if ka.null_count or kb.null_count or not (_unique(ka) and _unique(kb)):
        return None
    try:
        where = pc.index_in(ka, value_set=kb)
    except (pa.ArrowNotImplementedError, pa.ArrowInvalid):
        return None
    found = where.is_valid().to_numpy(zero_copy_only=False)
    pn = where.drop_null().to_numpy(zero_copy_only=False)
    fresh = np.ones(len(kb), bool)
    fresh[pn] = False
    return (
        pa.array(np.flatnonzero(~found), pa.int64()),
        pa.array(np.flatnonzero(fresh), pa.int64()),
        pa.array(np.flatnonzero(found), pa.int64()),
        pa.array(pn, pa.int64()),
    )


def _unique(col: pa.ChunkedArray) -> bool:
    if increasing(pa.table({"k0": col}), None, 1):
        return True
    return bool(pc.count_distinct(col, mode="all").as_py() == len(col))


def _rows_by_identity(rd: ResourceDiff, a: pa.Table, b: pa.Table, renames: dict[str, str]) -> None:
    """Without a primary key, rows are the same only if every value is: compare the two multisets of rows."""
    a = a.rename_columns([renames.get(c, c) for c in a.column_names])
    old_names = set(a.column_names)  # once: column_names is a new list at every call
    common = [c for c in b.column_names if c in old_names]
    if common != b.column_names or len(common) != len(a.column_names):
        # different fields: every row differs
        rd.removed, rd.added = a, b
        return
    try:
        a = a.select(common).cast(b.schema)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        rd.removed, rd.added = a, b
        return
    # occurrences of each distinct row on each side; the surplus on one side is added or removed
    seen: dict[tuple, list[int]] = {}
    for i, row in enumerate(zip(*(a.column(c).to_pylist() for c in common))):
        seen.setdefault(_hashable(row), []).append(i)
    removed, added = [], []
    for i, row in enumerate(zip(*(b.column(c).to_pylist() for c in common))):
        olds = seen.get(_hashable(row))
        if olds:
            olds.pop(0)
        else:
            added.append(i)
    for olds in seen.values():
        removed += olds
    rd.removed = a.take(pa.array(sorted(removed), pa.int64()))
    rd.added = b.take(pa.array(sorted(added), pa.int64()))


class _NaN:
    """Stands for NaN in a row's identity: every NaN is the same value (``float('nan') != float('nan')``)."""


_NAN = _NaN()


def _hashable(row: tuple) -> tuple:
    return tuple(tuple(v) if isinstance(v, list) else _NAN if isinstance(v, float) and v != v else v for v in row)
