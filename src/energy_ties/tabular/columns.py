"""Turn columns of CSV text into typed values, the way the Table Schema types say, vectorised.

The rules follow frictionless-py's readers, which the validator must agree
with: integers and numbers are stripped and read by Python's ``int`` and
``Decimal``, dates by ``strptime``, and so on. To be fast, each type has a
canonical form recognised by one vectorised regular expression (RE2, over a
whole Arrow column); only cells outside that form go through the exact
Python reader, one at a time. On real data nearly every cell is canonical.

A parsed column keeps three things: typed Arrow ``values`` (null where the
cell is missing, invalid, or not representable), boolean masks ``missing``
and ``invalid``, and ``exotic``: the Python value of each valid cell that the
Arrow type cannot hold exactly (an integer beyond 64 bits, a decimal with
more than 15 significant digits, NaN). Constraints are checked vectorised on
``values`` and in Python on ``exotic``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .schema import Field
from .values import MAX_FAST_DIGITS as _MAX_FAST_DIGITS
from .values import fits_float, number_options, reader

_INT_FAST = r"^-?[0-9]{1,18}$"
# plain decimals with a small exponent; with at most 15 digits (checked apart) float64 orders them as Decimal does
_NUM_FAST = r"^[+-]?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]{1,2})?$"
_DATE_FAST = r"^[1-9][0-9]{3}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])$"
_YEAR_FAST = r"^[0-9]{4}$"


@dataclass
class Parsed:
    """A column read against its field."""

    values: pa.Array | np.ndarray
    missing: np.ndarray
    invalid: np.ndarray
    exotic: dict[int, Any] = dc_field(default_factory=dict)

    @property
    def is_python(self) -> bool:
        return isinstance(self.values, np.ndarray)

    def python_value(self, i: int) -> Any:
        """The typed value of row ``i`` as frictionless would hold it (None when missing or invalid)."""
        if i in self.exotic:
            return self.exotic[i]
        if self.missing[i] or self.invalid[i]:
            return None
        if isinstance(self.values, np.ndarray):
            return self.values[i]
        return self.values[i].as_py()


def to_numpy_bool(arr: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """A boolean Arrow array as numpy, nulls counted as False.

    Its bits are unpacked with numpy: pyarrow's own ``to_numpy`` of a boolean array goes through its pandas
    shim, which imports pandas (half a second of start-up for validating a small package).
    """
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if arr.null_count:
        arr = pc.fill_null(arr, False)
    n = len(arr)
    if not n:
        return np.zeros(0, bool)
    data = arr.buffers()[1]
    bits = np.unpackbits(np.frombuffer(data, np.uint8), count=arr.offset + n, bitorder="little")
    return bits[arr.offset :].astype(bool)


def equals_any(raw: pa.Array, values: list) -> pa.Array:
    """Boolean array: the cell equals one of ``values`` (nulls where the cell is null).

    For the short lists schemas hold, a few vectorised comparisons beat a hash
    lookup per cell (``is_in``) several times over.
    """
    if pa.types.is_string(raw.type):  # text no cell can hold (a lone surrogate) equals no cell
        values = [v for v in values if not isinstance(v, str) or encodable(v)]
    if len(values) > 64:
        return pc.is_in(raw, value_set=pa.array(values, type=raw.type))
    hit = None
    for v in values:
        eq = pc.equal(raw, pa.scalar(v, raw.type))
        hit = eq if hit is None else pc.or_kleene(hit, eq)
    return hit if hit is not None else pa.array(np.zeros(len(raw), bool))


def encodable(text: str) -> bool:
    """Whether the text is valid Unicode: Arrow's strings are UTF-8, and a lone surrogate is not."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def missing_mask(raw: pa.Array, missing_values: tuple[str, ...]) -> np.ndarray:
    """True where the cell is absent (a short row) or equals one of the missing values exactly."""
    absent = to_numpy_bool(raw.is_null()) if raw.null_count else np.zeros(len(raw), bool)
    values = list(missing_values)
    if "" in values and pa.types.is_string(raw.type):  # the usual missing value: read off the offsets
        absent |= empty_cells(raw)
        values.remove("")
    if values:
        absent |= to_numpy_bool(equals_any(raw, values))
    return absent


def empty_cells(raw: pa.Array) -> np.ndarray:
    """True where a string cell holds no characters (or is null), from the offsets alone: no kernel, no copy."""
    buf = raw.buffers()[1]
    if buf is None or buf.size < (raw.offset + len(raw) + 1) * 4:  # no offsets (an empty or all-null array)
        return to_numpy_bool(pc.fill_null(pc.equal(pc.binary_length(raw), 0), True))
    offsets = np.frombuffer(buf, np.int32, len(raw) + 1, raw.offset * 4)
    return offsets[1:] == offsets[:-1]


def _match(raw: pa.Array, pattern: str) -> np.ndarray:
    return to_numpy_bool(pc.match_substring_regex(raw, pattern))


# ---------------------------------------------------------------- column parsing


def _read_exact(
    raw: pa.Array,
    todo: np.ndarray,
    f: Field,
    into: np.ndarray | None = None,
    fits: Callable[[Any], bool] = lambda v: True,
) -> tuple[np.ndarray, dict[int, Any]]:
    """Run the exact reader over the cells flagged in ``todo``, storing each valid value in ``into`` (when
    given; numpy converts Decimal to float, date to datetime64); values ``fits`` refuses are kept apart.

    Returns the mask of invalid cells and the values kept apart (``exotic``).
    """
    invalid = np.zeros(len(raw), bool)
    exotic: dict[int, Any] = {}
    idx = np.flatnonzero(todo)
    if not len(idx):
        return invalid, exotic
    read = reader(f)
    for i, cell in zip(idx.tolist(), raw.take(pa.array(idx)).to_pylist()):
        v = read(cell)
        if v is None:
            invalid[i] = True
        elif not fits(v):
            exotic[i] = v
        elif into is not None:
            into[i] = v
    return invalid, exotic


def cells_longer_than(raw: pa.Array, limit: int) -> np.ndarray:
    length = pc.utf8_length(raw)
    return to_numpy_bool(pc.greater(pc.fill_null(length, 0), limit))


def _cast_all(raw: pa.Array, missing: np.ndarray, to: pa.DataType) -> pa.Array | None:
    """Cast every present cell at once, or None when any cell is not in Arrow's strict form.

    Arrow's integer and date parsers accept a subset of what Python's ``int``
    and ``strptime`` accept, with the same values, so success means every cell
    is valid; on failure the caller sorts canonical cells from the rest.
    """
    present = _null_where(raw, missing) if missing.any() else raw
    if pa.types.is_integer(to) and _holds_x(raw):
        return None  # Arrow reads "0x10" as hexadecimal (and "0xFFFFFFFFFFFFFFFF" as -1); Python's int does not
    try:
        values = pc.cast(present, to)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    if pa.types.is_date32(to) and values.null_count < len(values):
        low = pc.min(pc.cast(values, pa.int32())).as_py()
        if low is not None and low < -719162:  # before 0001-01-01, which Python's dates cannot hold
            return None
    return values


def _null_where(raw: pa.Array, mask: np.ndarray) -> pa.Array:
    """``raw`` with nulls where ``mask`` is True (``raw`` itself, not a copy, where it is never True)."""
    if not mask.any():
        return raw
    return pc.if_else(pa.array(mask), pa.nulls(len(raw), raw.type), raw)


def _holds_x(raw: pa.Array) -> bool:
    """Whether any cell holds an x or X (Arrow reads "0x10" as hexadecimal), from the bytes at once."""
    bufs = raw.buffers()
    if not pa.types.is_string(raw.type) or bufs[1] is None or bufs[2] is None or len(raw) == 0:
        return bool(pc.any(pc.match_substring(raw, "x", ignore_case=True)).as_py())
    offsets = np.frombuffer(bufs[1], np.int32, len(raw) + 1, raw.offset * 4)
    data = np.frombuffer(bufs[2], np.uint8)[offsets[0] : offsets[-1]]
    return bool(((data | 0x20) == ord("x")).any())


def parse(raw: pa.Array, f: Field) -> Parsed:
    """Read a column of CSV text (nulls for absent cells) as field ``f``."""
    if pa.types.is_large_string(raw.type):
        raw = raw.cast(pa.string())
    missing = missing_mask(raw, f.missing_values)
    if f.type == "string" and f.format == "default":
        return Parsed(_null_where(raw, missing), missing, np.zeros(len(raw), bool))
    if f.type == "date" and f.format == "default":
        return _parse_date(raw, f, missing)
    parser = _PARSERS.get(f.type)
    if parser is not None:
        return parser(raw, f, missing)
    present = ~missing
    if f.type == "string":  # formats other than default
        invalid, _ = _read_exact(raw, present, f)
        return Parsed(_null_where(raw, missing | invalid), missing, invalid)
    # everything else: exact Python reader for each present cell, values held as Python objects
    values = np.empty(len(raw), dtype=object)
    invalid, _ = _read_exact(raw, present, f, values)
    return Parsed(values, missing, invalid)


def _parse_boolean(raw: pa.Array, f: Field, missing: np.ndarray) -> Parsed:
    present = ~missing
    # one hash lookup of every cell among the spellings (true ones first: a spelling in both lists is true)
    trues = [v for v in f.true_values if encodable(v)]
    spellings = list(dict.fromkeys(trues + [v for v in f.false_values if encodable(v)]))
    if spellings:
        at = pc.fill_null(pc.index_in(raw, value_set=pa.array(spellings, raw.type)), len(spellings))
        at = at.to_numpy(zero_copy_only=False)
    else:
        at = np.full(len(raw), len(spellings))
    t = at < len(dict.fromkeys(trues))
    fl = ~t & (at < len(spellings))
    invalid = present & ~t & ~fl
    values = pa.array(t, pa.bool_(), mask=missing | invalid)
    return Parsed(values, missing, invalid)


def _parse_integer(raw: pa.Array, f: Field, missing: np.ndarray) -> Parsed:
    """integer and year: Arrow's cast where every cell is canonical, else the fast form plus exact reads."""
    n = len(raw)
    present = ~missing
    if f.type == "integer" and f.bare_number:
        whole = _cast_all(raw, missing, pa.int64())  # the common case: every present cell is canonical
        if whole is not None:
            return Parsed(whole, missing, np.zeros(n, bool))
    fast = present & _match(raw, _INT_FAST if f.type == "integer" else _YEAR_FAST)
    ints = np.zeros(n, np.int64)
    if fast.any():
        ints[fast] = pc.cast(raw.filter(pa.array(fast)), pa.int64()).to_numpy()
    invalid, exotic = _read_exact(raw, present & ~fast, f, ints, lambda v: -(2**63) <= v < 2**63)
    ok = present & ~invalid
    ok[list(exotic)] = False
    if f.type == "year":
        ok &= ~(ints > 9999)  # canonical four digits are always within range
    return Parsed(pa.array(ints, pa.int64(), mask=~ok), missing, invalid, exotic)


def _parse_number(raw: pa.Array, f: Field, missing: np.ndarray) -> Parsed:
    n = len(raw)
    present = ~missing
    options = number_options(f)
    whole = None if options else _cast_all(raw, missing, pa.float64())
    values = None
    if whole is not None:
        values = whole.to_numpy(zero_copy_only=False)
        fast = present & ~_needs_exact(raw, values, present)
        if not (present & ~fast).any():
            return Parsed(whole, missing, np.zeros(n, bool))
    elif options:
        fast = np.zeros(n, bool)
    else:
        fast = present & _match(raw, _NUM_FAST) & (_mantissa_digits(raw) <= _MAX_FAST_DIGITS)
    floats = np.zeros(n, np.float64)
    if values is not None:
        floats[fast] = values[fast]
    elif fast.any():
        floats[fast] = pc.cast(raw.filter(pa.array(fast)), pa.float64()).to_numpy()
    invalid, exotic = _read_exact(raw, present & ~fast, f, floats, fits_float)
    ok = present & ~invalid
    ok[list(exotic)] = False
    return Parsed(pa.array(floats, pa.float64(), mask=~ok), missing, invalid, exotic)


def _needs_exact(raw: pa.Array, values: np.ndarray, present: np.ndarray) -> np.ndarray:
    """Cells Arrow read as floats but Decimal may read otherwise: over 15 characters (maybe over 15
    digits), nan and inf words, overflow, and underflow to zero ("1e-400")."""
    odd = _bytes_longer_than(raw, _MAX_FAST_DIGITS) | ~np.isfinite(values)
    zero = np.flatnonzero(present & (values == 0))
    if len(zero):  # rare: such cells take the exact way
        texts = raw.take(pa.array(zero)).to_pylist()
        odd[zero[[("e" in t or "E" in t) for t in texts]]] = True
    return odd


def _bytes_longer_than(raw: pa.Array, limit: int) -> np.ndarray:
    """True where a cell holds over ``limit`` bytes, from the offsets: as many characters for the cells Arrow
    read as numbers (ASCII only), with no kernel."""
    buf = raw.buffers()[1] if pa.types.is_string(raw.type) else None
    if buf is None or buf.size < (raw.offset + len(raw) + 1) * 4:
        return to_numpy_bool(pc.greater(pc.fill_null(pc.binary_length(raw), 0), limit))
    offsets = np.frombuffer(buf, np.int32, len(raw) + 1, raw.offset * 4)
    return (offsets[1:] - offsets[:-1]) > limit


def _mantissa_digits(raw: pa.Array) -> np.ndarray:
    """Digits in each cell's mantissa: its length less a sign and a point (literal searches)."""
    length = pc.utf8_length(raw)
    exp_at = pc.find_substring(raw, "e", ignore_case=True)
    mantissa = pc.if_else(pc.greater_equal(exp_at, 0), exp_at, length)
    extra = pc.add(pc.cast(pc.starts_with(raw, "-"), pa.int32()), pc.cast(pc.starts_with(raw, "+"), pa.int32()))
    extra = pc.add(extra, pc.cast(pc.match_substring(raw, "."), pa.int32()))
    return pc.fill_null(pc.subtract(pc.cast(mantissa, pa.int32()), extra), 99).to_numpy()


def _parse_date(raw: pa.Array, f: Field, missing: np.ndarray) -> Parsed:
    n = len(raw)
    present = ~missing
    whole = _cast_all(raw, missing, pa.date32())
    if whole is not None:
        return Parsed(whole, missing, np.zeros(n, bool))
    fast = present & _match(raw, _DATE_FAST)
    days = np.zeros(n, "datetime64[D]")
    if fast.any():
        sub = raw.filter(pa.array(fast))
        y = pc.cast(pc.utf8_slice_codeunits(sub, 0, 4), pa.int32()).to_numpy()
        m = pc.cast(pc.utf8_slice_codeunits(sub, 5, 7), pa.int32()).to_numpy()
        d = pc.cast(pc.utf8_slice_codeunits(sub, 8, 10), pa.int32()).to_numpy()
        leap = (y % 4 == 0) & ((y % 100 != 0) | (y % 400 == 0))
        dim = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])[m] + (leap & (m == 2))
        good = d <= dim
        fast[np.flatnonzero(fast)[~good]] = False  # e.g. 2023-02-29: let the exact reader reject it
        sub_ok = sub.filter(pa.array(good))
        days[fast] = pc.cast(pc.cast(sub_ok, pa.timestamp("s")), pa.date32()).to_numpy(zero_copy_only=False)
    invalid, _ = _read_exact(raw, present & ~fast, f, days)
    return Parsed(pa.array(days, pa.date32(), mask=~(present & ~invalid)), missing, invalid)


_PARSERS: dict[str, Callable[[pa.Array, Field, np.ndarray], Parsed]] = {
    "boolean": _parse_boolean,
    "integer": _parse_integer,
    "year": _parse_integer,
    "number": _parse_number,
}
