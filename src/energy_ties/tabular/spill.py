"""Key columns past a memory budget, kept in DuckDB on disk: duplicates and references found by its hash
aggregates and joins, which spill to disk under ``memory_limit`` where an Arrow group-by holds every key.

DuckDB reads Arrow tables without copying and hands the same values back, so the values stored are
exactly the in-memory path's; every change of type (text for a column whose batches differ, the casts a
foreign key needs) is made by Arrow itself, batch by batch, so comparisons are the in-memory path's too.
DuckDB is imported only when some table's keys outgrow the budget: a small package never loads it.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # Arrow is imported when keys are first added: a small package never loads it
    import pyarrow as pa

from ..files import remove_scratch, scratch_dir

#: Bytes of key columns held in memory, for all tables of one run, before a table's keys go to DuckDB.
KEY_MEMORY = 192 << 20
#: DuckDB's own memory limit; past it, its aggregates and joins spill to its temporary folder.
DUCKDB_MEMORY = "256MB"
#: Rows per batch fetched back from DuckDB.
FETCH_ROWS = 1 << 17


class KeyStore:
    """The memory budget of the key columns of one run, and the DuckDB database they spill to."""

    def __init__(self, budget: int = KEY_MEMORY, memory_limit: str = DUCKDB_MEMORY):
        self.budget = budget
        self.held = 0
        self.memory_limit = memory_limit
        self._con: Any = None
        self._dir: Path | None = None
        self._names = itertools.count()

    def over(self, nbytes: int) -> bool:
        """Count ``nbytes`` more held in memory; True when the budget is exceeded."""
        self.held += nbytes
        return self.held > self.budget

    @property
    def con(self) -> Any:
        if self._con is None:
            import duckdb

            _fewer_malloc_arenas()
            self._dir = scratch_dir("energy-ties-keys-")
            self._con = duckdb.connect(
                str(self._dir / "keys.duckdb"),
                config={
                    "memory_limit": self.memory_limit,
                    "temp_directory": str(self._dir / "spill"),
                    "preserve_insertion_order": False,
                    "threads": 2,
                },
            )
            self._con.execute("SET enable_progress_bar = false")  # it would draw on the terminal beside a report
        return self._con

    def name(self) -> str:
        return f"keys{next(self._names)}"

    def close(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None
        if self._dir is not None:
            remove_scratch(self._dir)
            self._dir = None

    def __enter__(self) -> KeyStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class SpilledKeys:
    """Key columns ``k0..kN`` and ``row`` in one DuckDB table, appended batch by batch."""

    def __init__(self, store: KeyStore, width: int):
        self.store = store
        self.width = width
        self.table = store.name()
        self.types: list[pa.DataType | None] = [None] * width  # None: no batch held a typed value yet
        self.created = False

    def append(self, part: pa.Table) -> None:
        """Add a batch; a column whose batches differ in type becomes text (as ``KeyColumns.table`` does)."""
        import pyarrow as pa

        for i in range(self.width):
            t = part.schema.field(i).type
            known = self.types[i]
            if pa.types.is_null(t):
                part = part.set_column(i, f"k{i}", pa.nulls(len(part), known or pa.string()))
            elif known is None:
                if self.created and not pa.types.is_string(t):  # the column held only nulls, stored as text
                    self._rewrite(_retyped(i, _cast_to(t)))
                self.types[i] = t
            elif t != known:
                if not pa.types.is_string(known):
                    self._rewrite(_retyped(i, _text))
                    self.types[i] = pa.string()
                part = part.set_column(i, f"k{i}", _text(part.column(i)))
        _insert(self.store.con, self.table, part, self.created)
        self.created = True

    def _rewrite(self, fn: Callable[[pa.Table], pa.Table]) -> None:
        """Replace the table by ``fn`` of each of its batches (a change of type, made by Arrow)."""
        new = convert(self, fn)
        con = self.store.con
        con.execute(f"DROP TABLE {self.table}")
        con.execute(f"ALTER TABLE {new} RENAME TO {self.table}")

    def batches(self, sql: str, params: list | None = None) -> Iterator[pa.Table]:
        """The result of ``sql`` ({t} stands for this table) in batches."""
        return query(self.store, sql.format(t=self.table), params)


def _fewer_malloc_arenas() -> None:
    """At most two glibc malloc arenas from now on: each thread (readers, DuckDB's, Arrow's) would take one,
    and the memory they keep counts against a data limit; elsewhere than glibc, nothing."""
    import ctypes

    try:
        ctypes.CDLL(None).mallopt(-8, 2)  # M_ARENA_MAX
    except (OSError, AttributeError):
        pass


@contextlib.contextmanager
def lean_allocators() -> Iterator[None]:
    """Arrow's buffers from the C library's malloc while inside, which hands freed blocks back at once.

    A data limit (``prlimit --data``) counts the address space allocators hold, not what is used: mimalloc,
    Arrow's default, keeps large regions, and glibc's dynamic mmap threshold moves big blocks into arenas
    that never shrink. Measured on two 5M-row releases past the row budget: over 1 GiB held with mimalloc
    (for 380 MiB resident), under 700 MiB with this. For the rows that go to disk; in memory, mimalloc is
    faster. Glibc keeps the fixed threshold and the arena cap for the rest of the process."""
    import ctypes

    import pyarrow as pa

    _fewer_malloc_arenas()
    try:
        ctypes.CDLL(None).mallopt(-3, 128 << 10)  # M_MMAP_THRESHOLD: fixed, so blocks past it are unmapped on free
    except (OSError, AttributeError):
        pass
    before = pa.default_memory_pool()
    pa.set_memory_pool(pa.system_memory_pool())
    try:
        yield
    finally:
        pa.set_memory_pool(before)


@contextlib.contextmanager
def small_pages() -> Iterator[None]:
    """No transparent huge pages for the memory this process faults in while inside (Linux; elsewhere,
    nothing). A huge page is zeroed whole at its first touch, and the allocators touch memory sparsely: two
    5M-row releases diffed with 1.4-1.6 GiB peak and 1.6-3.4 s of system time without them, 1.6 GiB and
    4.0-4.5 s with them (four runs each, alternating). The process's previous setting is put back."""
    import ctypes

    try:
        prctl = ctypes.CDLL(None).prctl
        before = prctl(42, 0, 0, 0, 0)  # PR_GET_THP_DISABLE
        changed = before == 0 and prctl(41, 1, 0, 0, 0) == 0  # PR_SET_THP_DISABLE
    except (OSError, AttributeError):  # no prctl (not Linux)
        changed = False
    try:
        yield
    finally:
        if changed:
            prctl(41, 0, 0, 0, 0)


def batches(reader: Any) -> Iterator[pa.Table]:
    """The batches of a DuckDB result's Arrow reader; DuckDB out of memory (an OSError from Arrow) is a
    MemoryError, as Python's own is: the limit of the machine or process, not a bug."""
    import pyarrow as pa

    try:
        for rb in reader:
            yield pa.Table.from_batches([rb])
    except OSError as exc:
        if "out of memory" in str(exc).lower():
            raise MemoryError(str(exc).splitlines()[0]) from None
        raise


def query(store: KeyStore, sql: str, params: list | None = None) -> Iterator[pa.Table]:
    """The result of ``sql`` in batches, read on a cursor of its own (so that other statements may run)."""
    cur = store.con.cursor()
    try:
        yield from batches(cur.sql(sql, params=params or None).to_arrow_reader(FETCH_ROWS))
    finally:
        cur.close()


def _retyped(i: int, fn: Callable[[pa.ChunkedArray], pa.ChunkedArray]) -> Callable[[pa.Table], pa.Table]:
    def retype(batch: pa.Table) -> pa.Table:
        return batch.set_column(i, f"k{i}", fn(batch.column(i)))

    return retype


def _cast_to(t: pa.DataType) -> Callable[[pa.ChunkedArray], pa.ChunkedArray]:
    return lambda col: col.cast(t)


def _text(col: pa.ChunkedArray) -> pa.ChunkedArray:
    import pyarrow as pa

    if pa.types.is_string(col.type):
        return col
    return col.cast(pa.string())


def _insert(con: Any, table: str, part: pa.Table, exists: bool) -> None:
    con.register("energy_ties_part", part)
    try:
        if exists:
            con.execute(f"INSERT INTO {table} SELECT * FROM energy_ties_part")
        else:
            con.execute(f"CREATE TABLE {table} AS SELECT * FROM energy_ties_part")
    finally:
        con.unregister("energy_ties_part")


def convert(keys: SpilledKeys, fn: Callable[[pa.Table], pa.Table]) -> str:
    """A new table holding ``fn`` of each batch of ``keys`` (Arrow's casts, not DuckDB's); its name."""
    new = keys.store.name()
    created = False
    for batch in keys.batches("SELECT * FROM {t}"):
        _insert(keys.store.con, new, fn(batch), created)
        created = True
    if not created:  # no rows: the converted schema of an empty batch
        _insert(keys.store.con, new, fn(empty(keys)), False)
    return new


def _same(cols: list[str], a: str, b: str) -> str:
    return " AND ".join(f"{a}.{c} IS NOT DISTINCT FROM {b}.{c}" for c in cols)


def all_null(cols: list[str], alias: str = "") -> str:
    prefix = f"{alias}." if alias else ""
    return "(" + " AND ".join(f"{prefix}{c} IS NULL" for c in cols) + ")"


def none_null(cols: list[str]) -> str:
    return "(" + " AND ".join(f"{c} IS NOT NULL" for c in cols) + ")"


def duplicate_pairs(keys: SpilledKeys, cols: list[str], where: str) -> Iterator[tuple[int, int]]:
    """(row, first row) for each row (among those ``where`` holds) whose key equals an earlier row's, by row."""
    names = ", ".join(cols)
    sql = (
        f"WITH s AS (SELECT * FROM {{t}} WHERE {where}), "
        f'g AS (SELECT {names}, min("row") AS first FROM s GROUP BY {names} HAVING count(*) > 1) '
        f'SELECT s."row", g.first FROM s JOIN g ON {_same(cols, "s", "g")} WHERE s."row" <> g.first ORDER BY s."row"'
    )
    for batch in keys.batches(sql):
        yield from zip(batch.column(0).to_pylist(), batch.column(1).to_pylist())


def rows_where(keys: SpilledKeys, where: str) -> Iterator[int]:
    for batch in keys.batches(f'SELECT "row" FROM {{t}} WHERE {where} ORDER BY "row"'):
        yield from batch.column(0).to_pylist()


def anti_join(
    store: KeyStore, child: str, parent: str, cols: list[str], parent_where: str, params: list
) -> Iterator[pa.Table]:
    """Rows of table ``child`` (not all null) whose key no row of table ``parent`` (where ``parent_where``)
    holds, by row; nulls equal nulls."""
    sql = (
        f"WITH p AS (SELECT * FROM {parent} WHERE {parent_where}) "
        f"SELECT c.* FROM {child} c ANTI JOIN p ON {_same(cols, 'c', 'p')} "
        f'WHERE NOT {all_null(cols, "c")} ORDER BY c."row"'
    )
    return query(store, sql, params)


def empty(keys: SpilledKeys) -> pa.Table:
    """The table's columns and types, without rows."""
    return keys.store.con.sql(f"SELECT * FROM {keys.table} LIMIT 0").to_arrow_table()
