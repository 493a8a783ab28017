"""Compare two open data packages: what changed, and the version bump the Data Package Version rules demand.

- major: a package, resource or field renamed; fields added, removed or
  reordered; a type or format changed; a constraint made stricter; the
  primary key changed; rows removed; a referenced value changed;
- minor: a resource added; rows added; a constraint loosened; a reference
  pointed at newly added data;
- patch: values corrected in existing rows; descriptive metadata changed;
- none: data moved to another path with identical content.

Schema changes are classed by :mod:`energy_ties.diffing.schema`, rows matched
by :mod:`energy_ties.diffing.rows`.
"""

from __future__ import annotations

import contextlib
import json
import math
from concurrent.futures import ThreadPoolExecutor
from typing import TypeAlias

import numpy as np
import pyarrow as pa

from ..datapackage.model import Package, Resource
from ..errors import DiffError, EnergyTiesError
from ..tabular.schema import Schema
from ..tabular.spill import KeyStore, lean_allocators, small_pages
from ..tabular.typed import read_typed
from .model import Diff, MetadataChange, Reason, ResourceDiff, SchemaChange
from .rows import equal_columns, join, match_rows, row_key
from .schema import schema_changes
from .spilled import DUCKDB_MEMORY, Reader, SpilledRows, row_budget, same_column, spilled_pair

#: A table's rows: in memory, or in DuckDB past the memory budget.
Rows: TypeAlias = "pa.Table | SpilledRows"

#: Bytes Arrow's CSV reader parses at a time where both releases' rows fit the memory budget: fewer, larger
#: batches (fewer kernel calls per column); past the budget the reader's own, smaller blocks bound memory.
IN_MEMORY_BLOCK_BYTES = 16 << 20

#: Resource properties that only say where or how the bytes are stored: with identical rows, no change.
STORAGE = {"path", "format", "mediatype", "encoding", "bytes", "hash", "dialect", "compression", "scheme"}


def read_rows(pkg: Package) -> dict[str, pa.Table]:
    """Every tabular resource of an open package as a typed Arrow table (the rows diff and apply work on)."""
    return {r.name: read_typed(r.readable(), strict=False) for r in pkg.resources if r.schema is not None}


def diff_packages(a: Package, b: Package, tolerance: float = 0.0, row_memory: int | None = None) -> Diff:
    """Compare two open packages; every EnergyTiesError comes out as a DiffError.

    ``tolerance`` is an absolute tolerance for numbers: values closer than it are equal; it must be a
    finite number, zero or more (a negative or NaN tolerance would make every number differ from itself).
    Past ``row_memory`` bytes of rows held (both packages together; by default, what the process's memory
    limit and free memory allow: see spilled.row_budget), the rest go to DuckDB on disk and are matched
    there, with the same diff.
    """
    if not isinstance(tolerance, (int, float)) or not math.isfinite(tolerance) or tolerance < 0:
        raise DiffError(f"tolerance must be a finite number, zero or more, not {tolerance!r}")
    if row_memory is None:
        row_memory = row_budget()
    tables = [r for pkg in (a, b) for r in pkg.resources if r.schema is not None]
    lean = lean_allocators() if _file_bytes(tables) > row_memory else contextlib.nullcontext()
    try:
        with KeyStore(row_memory, DUCKDB_MEMORY) as store, lean, small_pages():  # lean: rows that go to disk
            return _diff(a, b, tolerance, store)
    except DiffError:
        raise
    except EnergyTiesError as exc:
        raise DiffError(str(exc)) from None
    except (MemoryError, pa.ArrowMemoryError):  # both releases' rows are held in memory: say so, in one line
        raise DiffError(
            f"not enough memory to compare {a.source_label} with {b.source_label}: diff holds up to "
            f"{row_memory / 2**20:g} MiB of their rows, and the changed rows"
        ) from None
    except Exception as exc:
        if type(exc).__module__.split(".")[0] not in ("duckdb", "_duckdb"):
            raise
        raise DiffError(  # DuckDB out of memory or disk (its message is many lines: the first says which)
            f"cannot compare {a.source_label} with {b.source_label} in DuckDB: {str(exc).splitlines()[0]}"
        ) from None


def _diff(a: Package, b: Package, tolerance: float, store: KeyStore) -> Diff:
    reasons: list[Reason] = []
    metadata = _metadata(a.descriptor, b.descriptor, skip={"resources", "version"})
    for m in metadata:
        if m.property == "name":
            reasons.append(Reason("major", "package-renamed", detail=f"{m.old!r} -> {m.new!r}"))
        else:
            reasons.append(Reason("patch", "metadata-changed", detail=f"package {m.property} {m.change}"))
    old_res = {r.name: r for r in a.resources if r.schema is not None}
    new_res = {r.name: r for r in b.resources if r.schema is not None}
    old_rows, new_rows = _read_both(old_res, new_res, store)
    renamed = _renamed_resources(old_res, new_res, old_rows, new_rows)
    out: dict[str, ResourceDiff] = {}
    for name, res in old_res.items():
        if name in new_res:
            out[name] = _resource(name, res, new_res[name], old_rows[name], new_rows[name], tolerance, reasons)
        elif name not in renamed.values():
            table = old_rows[name]
            out[name] = ResourceDiff(name, "removed", removed=table, key=_pk(res))
            reasons.append(Reason("major", "resource-removed", name, detail=f"{table.num_rows} rows"))
    for name, res in new_res.items():
        if name in old_res:
            continue
        if name in renamed:
            o = renamed[name]
            out[name] = ResourceDiff(name, "renamed", old_name=o, key=_pk(res), new_schema=res.schema_descriptor)
            reasons.append(Reason("major", "resource-renamed", name, detail=f"was {o!r}"))
            continue
        table = new_rows[name]
        out[name] = ResourceDiff(name, "added", added=table, key=_pk(res), new_schema=res.schema_descriptor)
        reasons.append(Reason("minor", "resource-added", name, detail=f"{table.num_rows} rows"))
    _reference_rules(out, new_res, reasons)
    return Diff(a.version, b.version, metadata, out, reasons)


def _pk(res: Resource) -> list[str]:
    return list(res.schema.primary_key) if res.schema else []


def _renamed_resources(
    old_res: dict[str, Resource],
    new_res: dict[str, Resource],
    old_rows: dict[str, pa.Table],
    new_rows: dict[str, pa.Table],
) -> dict[str, str]:
    """New name -> old name, for each added resource holding exactly the rows of a removed one."""
    gone = [n for n in old_res if n not in new_res]
    renamed: dict[str, str] = {}
    for n in (n for n in new_res if n not in old_res):
        for o in gone:
            if o not in renamed.values() and _same_content(old_rows[o], new_rows[n]):
                renamed[n] = o
                break
    return renamed


def _read_both(old_res: dict[str, Resource], new_res: dict[str, Resource], store: KeyStore) -> tuple[dict, dict]:
    """Read every table of both packages, two at a time (Arrow's reading and compute release the GIL), in
    memory up to the store's budget and in DuckDB past it; a table on one side only is all changes, so it
    is held in memory whatever its size."""
    jobs = [("old", n, r) for n, r in old_res.items()] + [("new", n, r) for n, r in new_res.items()]
    fits = _file_bytes([r for _, _, r in jobs]) <= store.budget
    reader = Reader(store, IN_MEMORY_BLOCK_BYTES if fits else None)
    # two readers at once where the rows fit the budget; past it, one (each holds its read-ahead, and
    # DuckDB's writes from two threads at once outgrew a 1 GiB data limit)
    with ThreadPoolExecutor(max_workers=2 if fits else 1) as pool:
        tables = list(pool.map(lambda job: reader.read(job[2].readable()), jobs))
    out: dict[str, dict[str, pa.Table | SpilledRows]] = {"old": {}, "new": {}}
    for (side, name, _), table in zip(jobs, tables):
        if isinstance(table, SpilledRows) and not (name in old_res and name in new_res):
            table = table.to_table()
        out[side][name] = table
    return out["old"], out["new"]


def _file_bytes(tables: list[Resource]) -> int:
    """The size on disk of every table's files (a table's rows in Arrow take about as many bytes)."""
    total = 0
    for res in tables:
        for p in res.paths:
            try:
                total += p.stat().st_size
            except OSError:
                pass  # reading it will say why
    return total


def _metadata(old: dict, new: dict, skip: set[str]) -> list[MetadataChange]:
    out = []
    for k in sorted(set(old) | set(new)):
        if k in skip:
            continue
        if k not in old:
            out.append(MetadataChange(k, "added", None, new[k]))
        elif k not in new:
            out.append(MetadataChange(k, "removed", old[k], None))
        elif not _same_json(old[k], new[k]):
            out.append(MetadataChange(k, "changed", old[k], new[k]))
    return out


def _same_json(a: object, b: object) -> bool:
    """Equal JSON values; a NaN (which Python's json reads) equals NaN."""
    return a == b or json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


def _same_content(a: pa.Table, b: pa.Table) -> bool:
    if a.schema.names != b.schema.names or a.num_rows != b.num_rows:
        return False
    try:
        a = a.sort_by([(c, "ascending") for c in a.schema.names if _sortable(a.schema.field(c).type)])
        b = b.sort_by([(c, "ascending") for c in b.schema.names if _sortable(b.schema.field(c).type)])
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    if a.schema != b.schema:
        return False
    return all(bool(np.all(equal_columns(a.column(c), b.column(c), 0.0))) for c in a.schema.names)


def _sortable(t: pa.DataType) -> bool:
    return not (pa.types.is_list(t) or pa.types.is_struct(t))


def _resource(
    name: str, old: Resource, new: Resource, a: Rows, b: Rows, tolerance: float, reasons: list[Reason]
) -> ResourceDiff:
    assert old.schema is not None and new.schema is not None  # only tabular resources are compared
    rd = ResourceDiff(name, "unchanged", new_schema=new.schema_descriptor)
    # descriptive metadata; storage (path, format...) is no change when the rows are the same
    rd.metadata = _metadata(old.descriptor, new.descriptor, skip={"name", "schema", "data"})
    for m in rd.metadata:
        m.bump = "none" if m.property in STORAGE else "patch"
        if m.bump == "patch":
            reasons.append(Reason("patch", "metadata-changed", name, detail=f"{m.property} {m.change}"))
    rd.schema = schema_changes(name, old.schema, new.schema, reasons)
    rd.key = row_key(old.schema, new.schema)
    renames = _field_renames(old.schema, new.schema, a, b, rd.key, tolerance)
    if renames:
        _record_renames(rd, renames, reasons)
    match_rows(rd, a, b, rd.key, renames, tolerance, new.schema.field_names)
    _row_reasons(rd, reasons)
    n = rd.rows
    if rd.schema or n["added"] or n["removed"] or n["modified"] or any(m.bump != "none" for m in rd.metadata):
        rd.status = "changed"
    return rd


def _record_renames(rd: ResourceDiff, renames: dict[str, str], reasons: list[Reason]) -> None:
    """A rename is not a removal plus an addition: replace those two changes (and reasons) by one."""
    rd.renamed_fields = renames
    for o, n in renames.items():
        rd.schema = [
            c
            for c in rd.schema
            if not (c.kind == "field-removed" and c.field == o) and not (c.kind == "field-added" and c.field == n)
        ]
        rd.schema.append(SchemaChange("field-renamed", n, "major", f"renamed from `{o}`", o, n))
    renamed = set(renames) | set(renames.values())
    reasons[:] = [
        r
        for r in reasons
        if not (r.resource == rd.name and r.rule in ("field-removed", "field-added") and r.field in renamed)
    ]
    for o, n in renames.items():
        reasons.append(Reason("major", "field-renamed", rd.name, n, f"was {o!r}"))


def _row_reasons(rd: ResourceDiff, reasons: list[Reason]) -> None:
    n = rd.rows
    if n["removed"]:
        reasons.append(Reason("major", "rows-removed", rd.name, detail=_n(n["removed"], "row")))
    if n["added"]:
        reasons.append(Reason("minor", "rows-added", rd.name, detail=_n(n["added"], "row")))
    if n["modified"]:
        cells = sum(len(m.cells) for m in rd.modified)
        reasons.append(
            Reason("patch", "values-corrected", rd.name, detail=f"{_n(cells, 'value')} in {_n(n['modified'], 'row')}")
        )


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _field_renames(old: Schema, new: Schema, a: Rows, b: Rows, key: list[str], tolerance: float) -> dict:
    """Removed fields whose values reappear, unchanged and with the same type, under an added field's name."""
    removed = [f for f in old.fields if f.name not in new.names]
    added = [f for f in new.fields if f.name not in old.names]
    out: dict[str, str] = {}
    if not removed or not added or a.num_rows != b.num_rows:
        return out
    for fo in removed:
        for fn in added:
            if fn.name in out.values() or fo.type != fn.type or fo.format != fn.format:
                continue
            if isinstance(a, SpilledRows) or isinstance(b, SpilledRows):
                if same_column(*spilled_pair(a, b), key, fo.name, fn.name, lambda x, y: equal_columns(x, y, tolerance)):
                    out[fo.name] = fn.name
                    break
                continue
            if key:
                try:
                    joined = join(a.select(key + [fo.name]), b.select(key + [fn.name]), key, "inner")
                except DiffError:
                    return {}
                if joined.num_rows != a.num_rows:
                    continue
                same = equal_columns(joined[fo.name + "\x00old"], joined[fn.name + "\x00new"], tolerance)
            else:
                same = equal_columns(a.column(fo.name), b.column(fn.name), tolerance)
            if bool(np.all(same)):
                out[fo.name] = fn.name
                break
    return out


def _reference_rules(out: dict[str, ResourceDiff], new_res: dict[str, Resource], reasons: list[Reason]) -> None:
    """Changed values that other rows point at are major; a reference moved to a newly added row is minor."""
    for name, res in new_res.items():
        for fk in res.schema.foreign_keys if res.schema else ():
            target = fk.resource or name
            parent = out.get(target)
            child = out.get(name)
            if parent is None or child is None:
                continue
            for m in parent.modified:
                hit = [f for f in fk.reference_fields if f in m.cells]
                if hit:
                    reasons.append(
                        Reason(
                            "major",
                            "referenced-value-changed",
                            target,
                            ",".join(hit),
                            f"referenced by {name}.{','.join(fk.fields)}",
                        )
                    )
                    break
            if parent.added is not None and parent.added.num_rows and len(fk.fields) == 1:
                new_targets = (
                    set(parent.added.column(fk.reference_fields[0]).to_pylist())
                    if fk.reference_fields[0] in parent.added.column_names
                    else set()
                )
                moved = [
                    m for m in child.modified if fk.fields[0] in m.cells and m.cells[fk.fields[0]][1] in new_targets
                ]
                if moved:
                    reasons.append(
                        Reason(
                            "minor",
                            "reference-to-new-data",
                            name,
                            fk.fields[0],
                            f"{len(moved)} rows now point at rows added to {target}",
                        )
                    )
