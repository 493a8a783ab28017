"""Rows past a memory budget, kept in DuckDB on disk: both releases' rows matched there by primary key.

As validation does with key columns (:mod:`energy_ties.tabular.spill`), a table's typed batches move to a
DuckDB table once the rows held in memory exceed the budget; DuckDB's joins and sorts spill to its
scratch folder under ``memory_limit`` where Arrow's join holds both sides. DuckDB only finds which rows
were removed, added or may have changed (a value IS DISTINCT FROM the old one: never fewer rows than
differ); the changed rows come back as Arrow tables, cast to the types read, and the change records are
made from them by the in-memory path's own code, so both paths give the same diff.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pyarrow as pa

from ..errors import DiffError
from ..tabular.headroom import data_limit, free_memory
from ..tabular.keys import null_safe
from ..tabular.spill import FETCH_ROWS, KeyStore, batches, convert, query
from ..tabular.typed import TableSource, empty_table, typed_batches

#: Bytes of typed rows held in memory, both releases together, before a table's rows go to DuckDB: the
#: least budget, and the one under a 1 GiB data limit (see row_budget).
ROW_MEMORY = 256 << 20
#: DuckDB's memory limit for diff: rows are wider than key columns, and the changed rows read back and
#: their records must fit beside it under a 1 GiB data limit.
DUCKDB_MEMORY = "128MB"


def row_budget() -> int:
    """The row budget for this process: a quarter of its data or address-space limit, if it has one, else
    an eighth of the free memory, and never less than ROW_MEMORY without a limit. Rows in memory take about
    four times their bytes at the peak of a diff (both tables, the matched rows compared, the records), and
    in memory diff runs several times faster than in DuckDB on disk: spill where memory is short, not
    where it is plentiful."""
    limit = data_limit()
    budget = max(ROW_MEMORY, free_memory() // 8)
    return budget if limit is None else min(budget, limit // 4)


class SpilledRows:
    """A table's typed rows in one DuckDB table: columns ``c0..cN`` (the fields, by position) and ``r``
    (the row's place in the table); ``schema`` is the Arrow schema the in-memory path would have read."""

    def __init__(self, store: KeyStore, schema: pa.Schema | None = None, table: str | None = None):
        self.store = store
        self.schema = schema
        self.table = table or store.name()
        self.num_rows = 0
        self.created = table is not None
        self.con: Any = None  # a cursor of its own, to append: the two releases are read in two threads

    @property
    def names(self) -> list[str]:
        return self.schema.names if self.schema is not None else []

    def extend(self, parts: Iterator[pa.Table]) -> None:
        """Add batches, streamed to DuckDB in one statement (one per batch cost 2.5 times as much), and
        another after each batch whose types make the rows already stored change type (see _conform). An
        error reading a batch ends the statement and is raised after it, unchanged."""
        while (first := next(parts, None)) is not None:
            first = self._conform(first)  # retypes stored rows, if need be, while no statement runs
            held: dict[str, Any] = {}
            schema = self._numbered(first.slice(0, 0)).schema
            self._insert(pa.RecordBatchReader.from_batches(schema, self._stream(first, parts, held)))
            if "error" in held:
                raise held["error"]
            if "next" in held:
                parts = itertools.chain([held["next"]], parts)

    def _stream(self, first: pa.Table, parts: Iterator[pa.Table], held: dict) -> Iterator[pa.RecordBatch]:
        """The batches of one statement: ``first`` and those after it up to one that retypes stored rows,
        kept in ``held`` (as is an error, raised as it is once DuckDB has its rows: DuckDB would wrap it)."""
        yield from self._numbered(first).to_batches()
        try:
            for part in parts:
                if self._retypes(part):
                    held["next"] = part
                    return
                yield from self._numbered(self._conform(part)).to_batches()
        except Exception as exc:
            held["error"] = exc

    def _numbered(self, part: pa.Table) -> pa.Table:
        """A batch as stored: columns c0..cN and each row's place ``r`` (counted as batches are numbered)."""
        n = part.num_rows
        cols = [*part.columns, pa.array(np.arange(self.num_rows, self.num_rows + n), pa.int64())]
        self.num_rows += n
        return pa.table(cols, names=[f"c{i}" for i in range(part.num_columns)] + ["r"])

    def _insert(self, data: pa.RecordBatchReader) -> None:
        if self.con is None:
            self.con = self.store.con.cursor()
        self.con.register("energy_ties_part", data)
        try:
            verb = f"INSERT INTO {self.table}" if self.created else f"CREATE TABLE {self.table} AS"
            self.con.execute(f"{verb} SELECT * FROM energy_ties_part")
        finally:
            self.con.unregister("energy_ties_part")
        self.created = True

    def _retypes(self, part: pa.Table) -> bool:
        """Whether adding ``part`` changes the type of stored rows (or cannot be done: _conform says why)."""
        if self.schema is None:
            return False
        for field, t in zip(self.schema, part.schema.types):
            if t != field.type and self._unified(field, t) != field.type:
                return True
        return False

    def _unified(self, field: pa.Field, t: pa.DataType) -> pa.DataType:
        """The type pa.concat_tables(promote_options="permissive") gives a column of ``field`` and ``t``."""
        try:
            return (
                pa.unify_schemas([pa.schema([("x", field.type)]), pa.schema([("x", t)])], promote_options="permissive")
                .field(0)
                .type
            )
        except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
            raise DiffError(f"field {field.name!r}: batches of type {field.type} and {t} cannot be compared") from None

    def _conform(self, part: pa.Table) -> pa.Table:
        if self.schema is None:
            self.schema = part.schema
            return part
        for i, field in enumerate(self.schema):
            t, known = part.schema.field(i).type, field.type
            if t == known:
                continue
            unified = self._unified(field, t)
            if unified != t:
                part = part.set_column(i, field.name, part.column(i).cast(unified))
            if unified != known:  # rewrite the rows already stored, cast by Arrow (as concatenation does)
                self._retype(i, unified)
        return part

    def _retype(self, i: int, t: pa.DataType) -> None:
        assert self.schema is not None

        def cast(batch: pa.Table) -> pa.Table:
            return batch.set_column(i, f"c{i}", batch.column(i).cast(t))

        new = convert(self, cast)  # type: ignore[arg-type]  # convert needs only store, table and batches
        self.con.execute(f"DROP TABLE {self.table}")
        self.con.execute(f"ALTER TABLE {new} RENAME TO {self.table}")
        self.schema = self.schema.set(i, self.schema.field(i).with_type(t))

    def batches(self, sql: str, params: list | None = None) -> Iterator[pa.Table]:
        return query(self.store, sql.format(t=self.table), params)

    def typed(self, batch: pa.Table, offset: int = 0, schema: pa.Schema | None = None) -> pa.Table:
        """Columns ``offset..`` of a batch read back, under the field names and with the types read."""
        schema = schema or self.schema
        assert schema is not None
        cols = [batch.column(offset + i).cast(f.type) for i, f in enumerate(schema)]
        return pa.table(cols, schema=schema)

    def select(self, sql: str, schema: pa.Schema | None = None) -> pa.Table:
        """All the rows ``sql`` gives (the changed rows: what the diff holds anyway), typed."""
        schema = schema or self.schema
        assert schema is not None
        parts = [self.typed(b, schema=schema) for b in fetch(self.store, sql)]
        return pa.concat_tables(parts) if parts else schema.empty_table()

    def to_table(self) -> pa.Table:
        cols = ", ".join(f"c{i}" for i in range(len(self.names)))
        return self.select(f"SELECT {cols} FROM {self.table} ORDER BY r")


def fetch(store: KeyStore, sql: str) -> Iterator[pa.Table]:
    """The result of ``sql`` in batches, on the connection the in-memory tables are registered with."""
    yield from batches(store.con.sql(sql).to_arrow_reader(FETCH_ROWS))


def registered(table: pa.Table, store: KeyStore) -> SpilledRows:
    """An in-memory table seen by DuckDB (without a copy) as a spilled one, to match against a spilled side."""
    rows = SpilledRows(store, table.schema, store.name())
    cols = [*table.columns, pa.array(np.arange(table.num_rows), pa.int64())]
    data = pa.table(cols, names=[f"c{i}" for i in range(table.num_columns)] + ["r"])
    store.con.register(rows.table, data)
    rows.num_rows = table.num_rows
    return rows


class Reader:
    """Reads tables batch by batch against one memory budget, for both releases (two threads); ``block_bytes``
    as typed_batches has it (None: the reader's own blocks)."""

    def __init__(self, store: KeyStore, block_bytes: int | None = None):
        self.store = store
        self.block_bytes = block_bytes
        self.lock = threading.Lock()

    def read(self, resource: TableSource) -> pa.Table | SpilledRows:
        parts: list[pa.Table] = []
        batches = typed_batches(resource, strict=False, block_bytes=self.block_bytes)
        for part in batches:
            parts.append(part)
            with self.lock:
                over = self.store.over(part.nbytes)
                if over:
                    self.store.held -= sum(p.nbytes for p in parts)
                    self.store.con  # noqa: B018  # made once, under the lock
            if over:
                spilled = SpilledRows(self.store)
                held, parts = parts, []
                spilled.extend(itertools.chain(held, batches))
                return spilled
        if not parts:
            return empty_table(resource)
        return parts[0] if len(parts) == 1 else pa.concat_tables(parts, promote_options="permissive")


def spilled_pair(a: pa.Table | SpilledRows, b: pa.Table | SpilledRows) -> tuple[SpilledRows, SpilledRows]:
    """Both sides in DuckDB, one of them spilled: the other is registered with its store."""
    store = a.store if isinstance(a, SpilledRows) else b.store
    return (
        a if isinstance(a, SpilledRows) else registered(a, store),
        b if isinstance(b, SpilledRows) else registered(b, store),
    )


def on(pairs: list[tuple[int, int]]) -> str:
    return " AND ".join(f"o.c{i} IS NOT DISTINCT FROM n.c{j}" for i, j in pairs) or "TRUE"


def check_unique(rows: SpilledRows, key: list[str], side: str, name: str) -> None:
    """The in-memory path's duplicate-key error, by a DuckDB group-by; the first repeated key as example."""
    cols = ", ".join(f"c{rows.names.index(k)}" for k in key)
    sql = (
        f"SELECT {cols}, count(*) OVER () FROM {rows.table} GROUP BY {cols} HAVING count(*) > 1 ORDER BY min(r) LIMIT 1"
    )
    for batch in fetch(rows.store, sql):
        if not batch.num_rows:
            continue
        schema = pa.schema([rows.schema.field(k) for k in key])  # type: ignore[union-attr]
        sample_row, _ = null_safe(rows.typed(batch, schema=schema), key)  # nulls shown as the join fills them
        sample = {k: sample_row.column(k)[0].as_py() for k in key}
        raise DiffError(
            f"{name}: {batch.column(len(key))[0].as_py()} duplicate primary key value(s) in the {side} package, "
            f"e.g. {sample}; rows cannot be matched"
        )


def key_pairs(a: SpilledRows, b: SpilledRows, key: list[str]) -> list[tuple[int, int]]:
    """Positions of the key columns on each side; the in-memory join's error where their types differ."""
    for k in key:
        ta, tb = a.schema.field(k).type, b.schema.field(k).type  # type: ignore[union-attr]
        if ta != tb:
            raise DiffError(
                f"key column {k!r} has type {ta} in the old package and {tb} in the new one: incompatible schemas"
            )
    return [(a.names.index(k), b.names.index(k)) for k in key]


def maybe_changed(a: SpilledRows, b: SpilledRows, key: list[str], renames: dict[str, str], fields: list[str]) -> str:
    """A condition true of every matched pair whose values differ (and perhaps of some whose values are equal
    as the in-memory path compares them: those are dropped when the records are made)."""
    back = {v: k for k, v in renames.items()}
    terms = []
    for fname in fields:
        if fname in key:
            continue
        j = b.names.index(fname)
        oname = back.get(fname, fname)
        if oname not in a.names:
            terms.append(f"n.c{j} IS NOT NULL")
            continue
        i = a.names.index(oname)
        ta, tb = a.schema.field(i).type, b.schema.field(j).type  # type: ignore[union-attr]
        if ta == tb and not pa.types.is_nested(ta):  # same type: equal in DuckDB means equal in Arrow
            terms.append(f"o.c{i} IS DISTINCT FROM n.c{j}")
        else:
            terms.append("TRUE")  # compared as Python compares them, on the way back
    return " OR ".join(terms) or "FALSE"


def matched_pairs(a: SpilledRows, b: SpilledRows, on: str, where: str = "TRUE") -> Iterator[tuple[pa.Table, pa.Table]]:
    """(old rows, new rows) of the matched pairs ``where`` holds, aligned, in the old table's order."""
    wa, wb = len(a.names), len(b.names)
    cols = [f"o.c{i}" for i in range(wa)] + [f"n.c{j}" for j in range(wb)]
    sql = f"SELECT {', '.join(cols)} FROM {a.table} o JOIN {b.table} n ON {on} WHERE {where} ORDER BY o.r"
    for batch in fetch(a.store, sql):
        yield a.typed(batch), b.typed(batch, wa)


def unmatched(a: SpilledRows, b: SpilledRows, on: str) -> pa.Table:
    """The rows of ``a`` no row of ``b`` matches, in ``a``'s order (``on`` names ``a`` as o, ``b`` as n)."""
    cols = ", ".join(f"o.c{i}" for i in range(len(a.names)))
    return a.select(f"SELECT {cols} FROM {a.table} o ANTI JOIN {b.table} n ON {on} ORDER BY o.r")


def same_column(a: SpilledRows, b: SpilledRows, key: list[str], fo: str, fn: str, same: Callable) -> bool:
    """Whether field ``fo`` of every old row equals ``fn`` of its new row (matched on ``key``, else by
    position), by ``same`` on each batch of pairs; False where the key cannot match rows."""
    try:
        cond = on(key_pairs(a, b, key)) if key else "o.r = n.r"
    except DiffError:
        return False
    i, j = a.names.index(fo), b.names.index(fn)
    sql = f"SELECT o.c{i}, n.c{j} FROM {a.table} o JOIN {b.table} n ON {cond}"
    ta, tb = a.schema.field(i), b.schema.field(j)  # type: ignore[union-attr]
    count = 0
    for batch in fetch(a.store, sql):
        count += batch.num_rows
        x, y = batch.column(0).cast(ta.type), batch.column(1).cast(tb.type)
        if not bool(np.all(same(x, y))):
            return False
    return count == a.num_rows


def by_identity(a: SpilledRows, b: SpilledRows, renames: dict[str, str]) -> tuple[pa.Table, pa.Table] | None:
    """(removed, added) without a primary key, as the in-memory path finds them: the k-th occurrence of a
    row on one side matches its k-th occurrence on the other. None where the sides' types differ."""
    old_names = [renames.get(c, c) for c in a.names]
    if sorted(old_names) != sorted(b.names) or len(set(b.names)) != len(b.names):
        return None
    pos = [old_names.index(n) for n in b.names]
    if any(a.schema.field(i).type != b.schema.field(j).type for j, i in enumerate(pos)):  # type: ignore[union-attr]
        return None
    ao = [f"c{i}" for i in pos]
    bo = [f"c{j}" for j in range(len(b.names))]

    def numbered(rows: SpilledRows, cols: list[str]) -> str:
        part = ", ".join(cols)
        return f"SELECT {part}, r, row_number() OVER (PARTITION BY {part} ORDER BY r) AS occ FROM {rows.table}"

    on = " AND ".join(f"o.{x} IS NOT DISTINCT FROM n.{y}" for x, y in zip(ao, bo)) + " AND o.occ = n.occ"
    olds, news = numbered(a, ao), numbered(b, bo)
    pick_o, pick_n = ", ".join(f"o.{c}" for c in ao), ", ".join(f"o.{c}" for c in bo)
    removed = b.select(f"WITH o AS ({olds}), n AS ({news}) SELECT {pick_o} FROM o ANTI JOIN n ON {on} ORDER BY o.r")
    on_back = " AND ".join(f"o.{y} IS NOT DISTINCT FROM n.{x}" for x, y in zip(ao, bo)) + " AND o.occ = n.occ"
    added = b.select(f"WITH o AS ({news}), n AS ({olds}) SELECT {pick_n} FROM o ANTI JOIN n ON {on_back} ORDER BY o.r")
    return removed, added
