"""Key columns of a small table held as Python values, compared in Python where that is provably Arrow's result.

The Python path of validation (:mod:`energy_ties.validation.small`) reads each cell with the exact reader
and gathers key columns as tuples of typed values. Python's equality of those values is the Arrow path's
(:mod:`.keys`) for text, integers and years, booleans and default-format dates: Arrow holds them as
string, int64 (an integer beyond 64 bits as its decimal text, equal exactly when the integers are),
bool and date32, compares them as equal exactly when Python does, and nulls equal nulls in both. For
every other case (numbers, which Arrow compares as float64; Python-typed fields, compared as canonical
text; a foreign key between columns of different kinds, where Arrow's casts decide; a key field not in
the data) :meth:`PyKeys.arrow` hands the same values to :class:`~.keys.KeyColumns`, as the Arrow path
would have built them, and Arrow compares them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from .schema import Field
from .values import fits_float

if TYPE_CHECKING:
    from .columns import Parsed
    from .keys import KeyColumns
    from .spill import KeyStore

#: Arrow's stand-in for a null beside its is-null flag (keys._filler), shown in foreign-key messages.
_FILL: dict[str, Any] = {"string": "", "int": 0, "bool": False, "date": dt.date(1970, 1, 1)}
_KIND = {"string": "string", "any": "string", "integer": "int", "year": "int", "boolean": "bool"}
#: keys.NAN_TOKEN (a NaN in a referenced column is never pointed at); repeated to keep Arrow unimported.
NAN_TOKEN = "\x00nan:"


class PyKeys:
    """The key of each row (a tuple of typed values, None where missing or invalid), with its row number."""

    def __init__(self, names: tuple[str, ...], fields: tuple[Field | None, ...], store: KeyStore | None = None):
        self.names = names
        self.fields = fields
        self.store = store
        self.rows: list[int] = []
        self.values: list[tuple] = []
        self._arrow: KeyColumns | None = None

    def extend(self, rows: list[int], keys: Iterable[tuple]) -> None:
        """The keys of some rows (``keys`` in the order of ``rows``)."""
        self.rows.extend(rows)
        self.values.extend(keys)

    def kinds(self) -> tuple[str, ...] | None:
        """How Arrow holds each column ("string", "int", "bool", "date"); None when one is not compared here."""
        out = []
        for i, f in enumerate(self.fields):
            kind = None if f is None else _KIND.get(f.type)
            if f is not None and f.type == "date" and f.format == "default":
                kind = "date"
            if kind is None:
                return None
            if kind == "int" and any(k[i] is not None and not -(2**63) <= k[i] < 2**63 for k in self.values):
                kind = "string"  # Arrow holds the column as text: equal exactly when the integers are
            out.append(kind)
        return tuple(out)

    def duplicates(self, every: bool) -> list[tuple[int, int]]:
        """(row, first row) of each repeated key, among the keys with every value (``every``) or with one."""
        seen: dict[tuple, int] = {}
        out = []
        for row, key in zip(self.rows, self.values):
            if (every and None in key) or (not every and all(v is None for v in key)):
                continue
            first = seen.setdefault(key, row)
            if first != row:
                out.append((row, first))
        return out

    def all_null_rows(self) -> list[int]:
        return [row for row, key in zip(self.rows, self.values) if all(v is None for v in key)]

    def arrow(self) -> KeyColumns:
        """The same keys as the Arrow path gathers them (made once)."""
        if self._arrow is None:
            from .keys import KeyColumns, key_family, key_values

            keys = KeyColumns(self.names, tuple(key_family(f) for f in self.fields), self.store)
            columns = {
                name: key_values(_parsed(f, [key[i] for key in self.values]))
                for i, (name, f) in enumerate(zip(self.names, self.fields))
                if f is not None
            }
            import numpy as np

            keys.add(columns, np.array(self.rows, np.int64))
            self._arrow = keys
        return self._arrow


def missing_references(child: PyKeys, parent: PyKeys | None) -> list[tuple[int, list]] | None:
    """(row, values shown) of the child keys (not all null) the parent does not hold, as the Arrow path
    finds and shows them; None when the two are not compared here (see the module's text)."""
    kinds = child.kinds()
    if kinds is None or (parent is not None and parent.kinds() != kinds):
        return None
    keyed = [(row, key) for row, key in zip(child.rows, child.values) if any(v is not None for v in key)]
    if parent is None:  # nothing to look in: every key is missing, shown as it is
        return [(row, list(key)) for row, key in keyed]
    texts = [i for i, k in enumerate(kinds) if k == "string"]
    held = {
        key
        for key in parent.values
        if any(v is not None for v in key)
        and not any(isinstance(key[i], str) and key[i].startswith(NAN_TOKEN) for i in texts)
    }
    return [
        (row, [_FILL[kinds[i]] if v is None else v for i, v in enumerate(key)]) for row, key in keyed if key not in held
    ]


def _parsed(f: Field, values: list) -> Parsed:
    """A column of typed values as :func:`~.columns.parse` holds it (invalid cells are None, as missing)."""
    import numpy as np
    import pyarrow as pa

    from .columns import Parsed

    n = len(values)
    none = np.array([v is None for v in values], bool)
    zeros = np.zeros(n, bool)
    t = f.type
    if t in ("string", "boolean") or (t == "date" and f.format == "default"):
        kind = {"string": pa.string(), "boolean": pa.bool_(), "date": pa.date32()}[t]
        return Parsed(pa.array(values, kind), none, zeros)
    if t in ("integer", "year", "number"):
        if t == "number":
            exotic = {i: v for i, v in enumerate(values) if v is not None and not fits_float(v)}
            typed = pa.array(
                [None if v is None or i in exotic else float(v) for i, v in enumerate(values)], pa.float64()
            )
        else:
            exotic = {i: v for i, v in enumerate(values) if v is not None and not -(2**63) <= v < 2**63}
            typed = pa.array([None if i in exotic else v for i, v in enumerate(values)], pa.int64())
        return Parsed(typed, none, zeros, exotic)
    held = np.empty(n, dtype=object)
    for i, v in enumerate(values):
        held[i] = v
    return Parsed(held, none, zeros)
