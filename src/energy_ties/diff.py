"""Compare two releases of a data package: what changed, and the version bump it demands.

Rows are matched on the primary key (on whole-row identity where a resource
has none) with one keyed join per table, and compared as typed values, so
``1.0`` and ``1`` in a number field are the same value and nulls equal nulls.
Every change is classed by the Data Package Version rules:

- major: a package, resource or field renamed; fields added, removed or
  reordered; a type or format changed; a constraint made stricter; the
  primary key changed; rows removed; a referenced value changed;
- minor: a resource added; rows added; a constraint loosened; a reference
  pointed at newly added data;
- patch: values corrected in existing rows; descriptive metadata changed;
- none: data moved to another path with identical content.

A diff is also a patch: :func:`apply` rebuilds the new package's rows from the
old package and the diff.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass, field as dc_field
from typing import Any, Iterable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .errors import DiffError, EnergyTiesError
from .keys import null_safe
from .package import Package, open_package
from .tableschema import Field, Schema
from .typed import read_typed

BUMPS = ("none", "patch", "minor", "major")
#: Resource properties that only say where or how the bytes are stored: with identical rows, no change.
STORAGE = {"path", "format", "mediatype", "encoding", "bytes", "hash", "dialect", "compression", "scheme"}
#: Field properties that change how text is read: a change is a format change.
READING = {"format", "trueValues", "falseValues", "bareNumber", "groupChar", "decimalChar", "delimiter", "itemType"}


# ---------------------------------------------------------------- results

@dataclass
class Reason:
    """Why the diff demands a bump: the rule and the resource, field or key behind it."""

    bump: str
    rule: str
    resource: str | None = None
    field: str | None = None
    detail: str = ""

    @property
    def label(self) -> str:
        """The rule and the resource.field it applies to: ``rows-added t``, ``field-added t.n``."""
        where = ".".join(x for x in (self.resource, self.field) if x)
        return f"{self.rule} {where}" if where else self.rule

    def line(self) -> str:
        """One line of text: bump, label and detail."""
        return f"{self.bump:5}  {self.label}{': ' + self.detail if self.detail else ''}"

    def to_dict(self) -> dict:
        return {"bump": self.bump, "rule": self.rule, "resource": self.resource, "field": self.field,
                "detail": self.detail}


@dataclass
class ResourceDiff:
    """What changed in one resource."""

    name: str
    status: str  # added, removed, renamed, changed, unchanged
    old_name: str | None = None
    schema: list[dict] = dc_field(default_factory=list)
    metadata: list[dict] = dc_field(default_factory=list)
    key: list[str] = dc_field(default_factory=list)  # fields rows are matched on; [] = whole-row identity
    renamed_fields: dict[str, str] = dc_field(default_factory=dict)  # old name -> new name
    added: pa.Table | None = None  # full new rows
    removed: pa.Table | None = None  # full old rows
    modified: list[dict] = dc_field(default_factory=list)  # {"key": {...}, "cells": {field: [old, new]}}
    new_schema: dict | None = None

    @property
    def rows(self) -> dict[str, int]:
        return {"added": 0 if self.added is None else self.added.num_rows,
                "removed": 0 if self.removed is None else self.removed.num_rows,
                "modified": len(self.modified)}

    def changes(self) -> list[dict]:
        """Row changes as records of plain Python values (dates stay dates: see Diff.to_json)."""
        out = []
        if self.added is not None:
            for row in self.added.to_pylist():
                out.append({"change": "added", "key": _key_of(row, self.key), "row": row})
        if self.removed is not None:
            for row in self.removed.to_pylist():
                out.append({"change": "removed", "key": _key_of(row, self.key), "row": row})
        for m in self.modified:
            out.append({"change": "modified", "key": m["key"],
                        "cells": {f: {"old": o, "new": n} for f, (o, n) in m["cells"].items()}})
        return out

    def to_dict(self, jsonable: bool = True) -> dict:
        d = {"status": self.status, "schema": self.schema, "metadata": self.metadata,
             "key": self.key, "rows": self.rows, "changes": self.changes()}
        if self.old_name is not None:
            d["old_name"] = self.old_name
        if self.renamed_fields:
            d["renamed_fields"] = self.renamed_fields
        return _jsonable(d) if jsonable else d


@dataclass
class Diff:
    """The differences between two packages and the bump the Data Package Version rules demand."""

    old_version: str | None
    new_version: str | None
    metadata: list[dict]
    resources: dict[str, ResourceDiff]
    reasons: list[Reason]

    @property
    def required_bump(self) -> str:
        return max((r.bump for r in self.reasons), key=BUMPS.index, default="none")

    @property
    def changed(self) -> bool:
        return bool(self.metadata) or any(r.status != "unchanged" for r in self.resources.values())

    def to_dict(self, jsonable: bool = True) -> dict:
        """The diff as plain data (what schemas/diff.json describes); ``jsonable`` turns dates into text."""
        d = {"old_version": self.old_version, "new_version": self.new_version,
             "required_bump": self.required_bump, "reasons": [r.to_dict() for r in self.reasons],
             "metadata": self.metadata,
             "resources": {name: r.to_dict(jsonable=False) for name, r in self.resources.items()}}
        return _jsonable(d) if jsonable else d

    def to_json(self) -> str:
        """One JSON document (compact: a diff of a large release holds many rows)."""
        data = self.to_dict(jsonable=False)
        try:  # the C encoder, with dates and other values turned into text on the way
            return json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False, default=_json_default)
        except ValueError:  # a NaN somewhere: take the slow road that turns it into null
            return json.dumps(_jsonable(data), ensure_ascii=False, separators=(",", ":"))

    def to_text(self) -> str:
        lines = [f"{self.old_version or '?'} -> {self.new_version or '?'}: required bump {self.required_bump}"]
        lines += ["  " + r.line() for r in self.reasons]
        for name, res in self.resources.items():
            if res.status == "unchanged":
                continue
            n = res.rows
            extra = f" (was {res.old_name})" if res.old_name else ""
            lines.append(f"{name}{extra}: {res.status}; rows +{n['added']} -{n['removed']} ~{n['modified']}")
        if not self.changed:
            lines.append("no differences")
        return "\n".join(lines)

    def to_markdown(self, date: str | None = None) -> str:
        """A CHANGELOG section (Keep a Changelog) describing the changes."""
        date = date or dt.date.today().isoformat()
        sections: dict[str, list[str]] = {"Added": [], "Changed": [], "Removed": [], "Fixed": []}
        for m in self.metadata:
            sections["Changed"].append(f"Package `{m['property']}` {m['change']}.")
        for name, res in self.resources.items():
            n = res.rows
            if res.status == "added":
                sections["Added"].append(f"Resource `{name}` ({_n(n['added'], 'row')}).")
                continue
            if res.status == "removed":
                sections["Removed"].append(f"Resource `{name}` ({_n(n['removed'], 'row')}).")
                continue
            if res.status == "renamed":
                sections["Changed"].append(f"Resource `{res.old_name}` renamed to `{name}`.")
            for c in res.schema:
                target = f"`{name}.{c['field']}`" if c.get("field") else f"`{name}`"
                bucket = {"field-added": "Added", "field-removed": "Removed"}.get(c["kind"], "Changed")
                sections[bucket].append(f"{target}: {c['detail']}.")
            for m in res.metadata:
                sections["Changed"].append(f"`{name}` {m['property']} {m['change']}.")
            if n["added"]:
                sections["Added"].append(f"`{name}`: {_n(n['added'], 'row')}{_examples(res, 'added')}.")
            if n["removed"]:
                sections["Removed"].append(f"`{name}`: {_n(n['removed'], 'row')}{_examples(res, 'removed')}.")
            if n["modified"]:
                cells = sum(len(m["cells"]) for m in res.modified)
                sections["Fixed"].append(f"`{name}`: {_n(cells, 'value')} corrected in {_n(n['modified'], 'row')}"
                                         f"{_examples(res, 'modified')}.")
        out = [f"## [{self.new_version or 'Unreleased'}] - {date}", ""]
        for title, items in sections.items():
            if items:
                out += [f"### {title}", ""] + [f"- {i}" for i in items] + [""]
        if not self.changed:
            out += ["No changes.", ""]
        return "\n".join(out).rstrip() + "\n"


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _examples(res: ResourceDiff, kind: str, limit: int = 3) -> str:
    if kind == "modified":
        keys = [m["key"] for m in res.modified[:limit]]
    else:
        table = res.added if kind == "added" else res.removed
        keys = [_key_of(r, res.key) for r in table.slice(0, limit).to_pylist()]
    shown = [", ".join(str(v) for v in k.values()) for k in keys if k]
    total = res.rows[kind]
    if not shown:
        return ""
    more = ", …" if total > len(shown) else ""
    return " (" + "; ".join(f"`{s}`" for s in shown) + more + ")"


def _key_of(row: dict, key: list[str]) -> dict:
    return {k: row.get(k) for k in key}


def _json_default(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    return str(value)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


# ---------------------------------------------------------------- reading

def read_rows(source: str | os.PathLike | Package | None) -> dict[str, pa.Table]:
    """Every tabular resource of a package as a typed Arrow table (the rows diff and apply work on)."""
    if isinstance(source, Package):
        return {r.name: read_typed(r, strict=False) for r in source.resources if r.schema is not None}
    with open_source(source) as pkg:
        return {r.name: read_typed(r, strict=False) for r in pkg.resources if r.schema is not None}


def open_source(source: str | os.PathLike | None) -> Package:
    """A package from a path, a folder, a zip or a released version number."""
    from .versioning import is_version

    if source is not None and not os.path.exists(os.fspath(source)) and is_version(os.fspath(source)):
        from .download import download

        return open_package(download(os.fspath(source)))
    return open_package(source)


# ---------------------------------------------------------------- comparing

def diff(old: str | os.PathLike | None, new: str | os.PathLike | None, *, tolerance: float = 0.0) -> Diff:
    """Compare package ``old`` with package ``new`` (paths, folders, zips or released versions).

    ``tolerance`` is an absolute tolerance for numbers: values closer than it are equal.
    Raises DiffError when the packages cannot be compared (duplicate keys, a key
    column missing, an unreadable table).
    """
    with open_source(old) as a, open_source(new) as b:
        return diff_packages(a, b, tolerance)


def diff_packages(a: Package, b: Package, tolerance: float = 0.0) -> Diff:
    """Compare two open packages, as :func:`diff` does; every EnergyTiesError comes out as a DiffError."""
    try:
        return _diff(a, b, tolerance)
    except DiffError:
        raise
    except EnergyTiesError as exc:
        raise DiffError(str(exc)) from None


def _diff(a: Package, b: Package, tolerance: float) -> Diff:
    reasons: list[Reason] = []
    metadata = _metadata(a.descriptor, b.descriptor, skip={"resources", "version"})
    for m in metadata:
        if m["property"] == "name":
            reasons.append(Reason("major", "package-renamed", detail=f"{m['old']!r} -> {m['new']!r}"))
        else:
            reasons.append(Reason("patch", "metadata-changed", detail=f"package {m['property']} {m['change']}"))
    old_res = {r.name: r for r in a.resources if r.schema is not None}
    new_res = {r.name: r for r in b.resources if r.schema is not None}
    old_rows, new_rows = _read_both(old_res, new_res)
    out: dict[str, ResourceDiff] = {}
    gone = [n for n in old_res if n not in new_res]
    fresh = [n for n in new_res if n not in old_res]
    renamed: dict[str, str] = {}  # new name -> old name
    for n in fresh:
        for o in gone:
            if o not in renamed.values() and _same_content(old_rows[o], new_rows[n]):
                renamed[n] = o
                break
    for name, res in old_res.items():
        if name in new_res:
            out[name] = _resource(name, res, new_res[name], old_rows[name], new_rows[name], tolerance, reasons)
        elif name not in renamed.values():
            table = old_rows[name]
            out[name] = ResourceDiff(name, "removed", removed=table, key=list(res.schema.primary_key))
            reasons.append(Reason("major", "resource-removed", name, detail=f"{table.num_rows} rows"))
    for name, res in new_res.items():
        if name in old_res:
            continue
        if name in renamed:
            o = renamed[name]
            out[name] = ResourceDiff(name, "renamed", old_name=o, key=list(res.schema.primary_key),
                                     new_schema=res.schema_descriptor)
            reasons.append(Reason("major", "resource-renamed", name, detail=f"was {o!r}"))
            continue
        table = new_rows[name]
        out[name] = ResourceDiff(name, "added", added=table, key=list(res.schema.primary_key),
                                 new_schema=res.schema_descriptor)
        reasons.append(Reason("minor", "resource-added", name, detail=f"{table.num_rows} rows"))
    _reference_rules(out, new_res, reasons)
    return Diff(a.version, b.version, metadata, out, reasons)


def _read_both(old_res: dict, new_res: dict) -> tuple[dict[str, pa.Table], dict[str, pa.Table]]:
    """Read every table of both packages, two at a time: Arrow's reading and compute release the GIL."""
    from concurrent.futures import ThreadPoolExecutor

    jobs = [("old", n, r) for n, r in old_res.items()] + [("new", n, r) for n, r in new_res.items()]
    with ThreadPoolExecutor(max_workers=2) as pool:
        tables = list(pool.map(lambda job: read_typed(job[2], strict=False), jobs))
    out: dict[str, dict[str, pa.Table]] = {"old": {}, "new": {}}
    for (side, name, _), table in zip(jobs, tables):
        out[side][name] = table
    return out["old"], out["new"]


def _metadata(old: dict, new: dict, skip: set[str]) -> list[dict]:
    out = []
    for k in sorted(set(old) | set(new)):
        if k in skip:
            continue
        if k not in old:
            out.append({"property": k, "change": "added", "old": None, "new": new[k]})
        elif k not in new:
            out.append({"property": k, "change": "removed", "old": old[k], "new": None})
        elif old[k] != new[k]:
            out.append({"property": k, "change": "changed", "old": old[k], "new": new[k]})
    return out


def _same_content(a: pa.Table, b: pa.Table) -> bool:
    if a.schema.names != b.schema.names or a.num_rows != b.num_rows:
        return False
    try:
        return a.sort_by([(c, "ascending") for c in a.schema.names if _sortable(a.schema.field(c).type)]).equals(
            b.sort_by([(c, "ascending") for c in b.schema.names if _sortable(b.schema.field(c).type)]))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return a.equals(b)


def _sortable(t: pa.DataType) -> bool:
    return not (pa.types.is_list(t) or pa.types.is_struct(t))


def _resource(name, old, new, a: pa.Table, b: pa.Table, tolerance, reasons) -> ResourceDiff:
    rd = ResourceDiff(name, "unchanged", new_schema=new.schema_descriptor)
    # descriptive metadata; storage (path, format...) is no change when the rows are the same
    meta = _metadata(old.descriptor, new.descriptor, skip={"name", "schema", "data"})
    for m in meta:
        if m["property"] in STORAGE:
            m["bump"] = "none"
        else:
            m["bump"] = "patch"
            reasons.append(Reason("patch", "metadata-changed", name, detail=f"{m['property']} {m['change']}"))
    rd.metadata = meta
    rd.schema = _schema_changes(name, old.schema, new.schema, reasons)
    # rows
    key = _row_key(old.schema, new.schema)
    rd.key = key
    renames = _field_renames(old.schema, new.schema, a, b, key, tolerance)
    if renames:
        rd.renamed_fields = renames
        for o, n in renames.items():
            # a rename is not a removal plus an addition: replace those two changes by one
            rd.schema = [c for c in rd.schema if not (c["kind"] == "field-removed" and c["field"] == o)
                         and not (c["kind"] == "field-added" and c["field"] == n)]
            rd.schema.append({"kind": "field-renamed", "field": n, "old": o, "new": n, "bump": "major",
                              "detail": f"renamed from `{o}`"})
        reasons[:] = [r for r in reasons if not (r.resource == name and r.rule in ("field-removed", "field-added")
                                                  and r.field in set(renames) | set(renames.values()))]
        for o, n in renames.items():
            reasons.append(Reason("major", "field-renamed", name, n, f"was {o!r}"))
    _rows(rd, a, b, key, renames, tolerance, new.schema.field_names)
    n = rd.rows
    if n["removed"]:
        reasons.append(Reason("major", "rows-removed", name, detail=_n(n["removed"], "row")))
    if n["added"]:
        reasons.append(Reason("minor", "rows-added", name, detail=_n(n["added"], "row")))
    if n["modified"]:
        cells = sum(len(m["cells"]) for m in rd.modified)
        reasons.append(Reason("patch", "values-corrected", name,
                              detail=f"{_n(cells, 'value')} in {_n(n['modified'], 'row')}"))
    if rd.schema or n["added"] or n["removed"] or n["modified"] or any(m["bump"] != "none" for m in meta):
        rd.status = "changed"
    return rd


# ---------------------------------------------------------------- schemas

def _schema_changes(name: str, old: Schema, new: Schema, reasons: list[Reason]) -> list[dict]:
    changes: list[dict] = []

    def add(kind, field, bump, detail, old_value=None, new_value=None, rule=None):
        changes.append({"kind": kind, "field": field, "old": old_value, "new": new_value, "bump": bump,
                        "detail": detail})
        if bump != "none":
            reasons.append(Reason(bump, rule or kind, name, field, detail))

    old_names, new_names = old.field_names, new.field_names
    for f in old_names:
        if f not in new_names:
            add("field-removed", f, "major", "field removed")
    for f in new_names:
        if f not in old_names:
            add("field-added", f, "major", "field added" + (" (appended)" if f == new_names[-1] else ""))
    common_old = [f for f in old_names if f in new_names]
    common_new = [f for f in new_names if f in old_names]
    if common_old != common_new:
        add("fields-reordered", None, "major", "fields reordered", common_old, common_new)
    for fname in common_new:
        fo, fn = old.get(fname), new.get(fname)
        _field_changes(fo, fn, add)
    if tuple(old.primary_key) != tuple(new.primary_key):
        add("primary-key", None, "major", "primary key changed", list(old.primary_key), list(new.primary_key))
    old_fk = {_fk_id(fk): fk for fk in old.foreign_keys}
    new_fk = {_fk_id(fk): fk for fk in new.foreign_keys}
    for k in old_fk.keys() - new_fk.keys():
        add("foreign-key-removed", ",".join(old_fk[k].fields), "minor", f"foreign key {k} removed (looser)",
            rule="constraint-loosened")
    for k in new_fk.keys() - old_fk.keys():
        add("foreign-key-added", ",".join(new_fk[k].fields), "major", f"foreign key {k} added (stricter)",
            rule="constraint-tightened")
    old_uk, new_uk = set(map(tuple, old.unique_keys)), set(map(tuple, new.unique_keys))
    for k in old_uk - new_uk:
        add("unique-key-removed", ",".join(k), "minor", f"unique key ({', '.join(k)}) removed (looser)",
            rule="constraint-loosened")
    for k in new_uk - old_uk:
        add("unique-key-added", ",".join(k), "major", f"unique key ({', '.join(k)}) added (stricter)",
            rule="constraint-tightened")
    if tuple(old.missing_values) != tuple(new.missing_values):
        _missing_change(None, old.missing_values, new.missing_values, add)
    if (old.fields_match or "exact") != (new.fields_match or "exact"):
        add("fields-match", None, "major", f"fieldsMatch {old.fields_match} -> {new.fields_match}")
    return changes


def _fk_id(fk) -> str:
    return f"({', '.join(fk.fields)}) -> {fk.resource or '(self)'}({', '.join(fk.reference_fields)})"


def _field_changes(fo: Field, fn: Field, add) -> None:
    name = fn.name
    if fo.type != fn.type:
        add("type-changed", name, "major", f"type {fo.type} -> {fn.type}", fo.type, fn.type)
        return
    for prop in sorted(READING):
        if fo.descriptor.get(prop) != fn.descriptor.get(prop):
            add("format-changed", name, "major", f"{prop} {fo.descriptor.get(prop)!r} -> {fn.descriptor.get(prop)!r}",
                fo.descriptor.get(prop), fn.descriptor.get(prop))
    for prop in ("title", "description", "example", "rdfType"):
        if fo.descriptor.get(prop) != fn.descriptor.get(prop):
            add("field-metadata", name, "patch", f"{prop} changed", fo.descriptor.get(prop), fn.descriptor.get(prop),
                rule="metadata-changed")
    oc, nc = fo.constraints, fn.constraints
    for c in sorted(set(oc) | set(nc)):
        verdict = _constraint(c, oc.get(c), nc.get(c), fn)
        if verdict is None:
            continue
        bump, word = ("major", "tightened") if verdict == "tighter" else ("minor", "loosened")
        add(f"constraint-{word}", name, bump, f"constraint {c} {oc.get(c)!r} -> {nc.get(c)!r} ({word})",
            oc.get(c), nc.get(c), rule=f"constraint-{word}")
    if fo.categories != fn.categories:
        verdict = _set_change(fo.categories, fn.categories)
        bump, word = ("major", "tightened") if verdict == "tighter" else ("minor", "loosened")
        add(f"constraint-{word}", name, bump, f"categories {word}", list(fo.categories or []),
            list(fn.categories or []), rule=f"constraint-{word}")
    elif fo.category_labels != fn.category_labels or fo.categories_ordered != fn.categories_ordered:
        add("field-metadata", name, "patch", "category labels or order changed", rule="metadata-changed")
    if fo.descriptor.get("missingValues") != fn.descriptor.get("missingValues") and \
            tuple(fo.missing_values) != tuple(fn.missing_values):
        _missing_change(name, fo.missing_values, fn.missing_values, add)


def _missing_change(field: str | None, old: tuple, new: tuple, add) -> None:
    o, n = set(old), set(new)
    if o == n:
        return
    if o < n:  # more spellings of "missing": nothing valid before becomes invalid
        add("missing-values", field, "minor", f"missingValues widened {sorted(o)} -> {sorted(n)}", sorted(o),
            sorted(n), rule="constraint-loosened")
    else:
        add("missing-values", field, "major", f"missingValues {sorted(o)} -> {sorted(n)}", sorted(o), sorted(n),
            rule="constraint-tightened")


def _set_change(old: Iterable | None, new: Iterable | None) -> str:
    """'tighter' unless the new set of allowed values contains the old one (None = anything)."""
    if new is None:
        return "looser"
    if old is None:
        return "tighter"
    return "looser" if set(new) >= set(old) else "tighter"


def _constraint(name: str, old: Any, new: Any, f: Field) -> str | None:
    """'tighter', 'looser', or None when the constraint did not change."""
    if old == new:
        return None
    if name in ("required", "unique"):
        return "tighter" if new and not old else ("looser" if old and not new else None)
    if name == "enum":
        return _set_change(old, new)
    if name in ("minimum", "exclusiveMinimum", "minLength", "maximum", "exclusiveMaximum", "maxLength"):
        if old is None:
            return "tighter"
        if new is None:
            return "looser"
        from .tablecheck import typed_constraint

        lo, hi = typed_constraint(old, f), typed_constraint(new, f)
        if name in ("minLength", "maxLength"):
            lo, hi = old, new
        try:
            raised = hi > lo
        except TypeError:
            return "tighter"
        lower_bound = name in ("minimum", "exclusiveMinimum", "minLength")
        return "tighter" if raised == lower_bound else "looser"
    if name == "pattern" and new is None:
        return "looser"
    return "tighter"  # a new or changed pattern, jsonSchema or anything else: assume stricter


# ---------------------------------------------------------------- rows

def _row_key(old: Schema, new: Schema) -> list[str]:
    """Match rows on the primary key; if it changed, on the old one where the new data still holds it."""
    if old.primary_key and tuple(old.primary_key) == tuple(new.primary_key):
        return list(new.primary_key)
    if old.primary_key and set(old.primary_key) <= set(new.field_names):
        return list(old.primary_key)
    return []


def _field_renames(old: Schema, new: Schema, a: pa.Table, b: pa.Table, key: list[str], tolerance: float) -> dict:
    """Removed fields whose values reappear, unchanged and with the same type, under an added field's name."""
    removed = [f for f in old.fields if f.name not in new.field_names]
    added = [f for f in new.fields if f.name not in old.field_names]
    out: dict[str, str] = {}
    if not removed or not added or a.num_rows != b.num_rows:
        return out
    for fo in removed:
        for fn in added:
            if fn.name in out.values() or fo.type != fn.type or fo.format != fn.format:
                continue
            if key:
                try:
                    joined = _join(a.select(key + [fo.name]), b.select(key + [fn.name]), key, "inner")
                except DiffError:
                    return {}
                if joined.num_rows != a.num_rows:
                    continue
                same = _equal_columns(joined[fo.name + "\x00old"], joined[fn.name + "\x00new"], tolerance)
            else:
                same = a.column(fo.name).equals(b.column(fn.name))
                same = np.array([same])
            if bool(np.all(same)):
                out[fo.name] = fn.name
                break
    return out


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
        raise DiffError(f"{name}: {dup.num_rows} duplicate primary key value(s) in the {side} package, e.g. {sample}; "
                        "rows cannot be matched")


def _join(a: pa.Table, b: pa.Table, key: list[str], how: str) -> pa.Table:
    """Join old and new rows on ``key`` (nulls equal); non-key columns are suffixed NUL+old / NUL+new."""
    for k in key:
        if k not in a.column_names or k not in b.column_names:
            raise DiffError(f"key column {k!r} is missing on one side")
        if a.schema.field(k).type != b.schema.field(k).type:
            raise DiffError(f"key column {k!r} has type {a.schema.field(k).type} in the old package and "
                            f"{b.schema.field(k).type} in the new one: incompatible schemas")
    ra = a.rename_columns([c if c in key else c + "\x00old" for c in a.column_names])
    rb = b.rename_columns([c if c in key else c + "\x00new" for c in b.column_names])
    sa, keys = null_safe(ra, key)
    sb, _ = null_safe(rb, key)
    joined = sa.join(sb, keys=keys, join_type=how, use_threads=False, coalesce_keys=True)
    return joined.drop_columns([k for k in keys if k not in key])


def _equal_columns(x: pa.ChunkedArray, y: pa.ChunkedArray, tolerance: float) -> np.ndarray:
    """Elementwise typed equality (nulls equal nulls; numbers within ``tolerance``)."""
    if x.type != y.type:
        xs, ys = x.to_pylist(), y.to_pylist()
        return np.array([u == v for u, v in zip(xs, ys)], bool)
    both_null = pc.and_(pc.is_null(x), pc.is_null(y))
    if tolerance and (pa.types.is_floating(x.type) or pa.types.is_integer(x.type)):
        eq = pc.less_equal(pc.abs(pc.subtract(pc.cast(x, pa.float64()), pc.cast(y, pa.float64()))), tolerance)
    else:
        eq = pc.equal(x, y)
    eq = pc.or_(both_null, pc.fill_null(eq, False))
    if isinstance(eq, pa.ChunkedArray):
        eq = eq.combine_chunks()
    return eq.to_numpy(zero_copy_only=False)


def _rows(rd: ResourceDiff, a: pa.Table, b: pa.Table, key: list[str], renames: dict[str, str], tolerance: float,
          fields: list[str]) -> None:
    """Rows removed, added and modified, matched on ``key``; ``fields`` are the new schema's, in order."""
    name = rd.name
    if not key:
        _rows_by_identity(rd, a, b, renames)
        return
    aligned = _align_sorted(a, b, key)
    if aligned is None:
        _check_unique(a, key, "old", name)
        _check_unique(b, key, "new", name)
        aligned = _align(a, b, key)
    removed_idx, added_idx, po, pn = aligned
    rd.removed = a.take(removed_idx) if len(removed_idx) else a.slice(0, 0)
    rd.added = b.take(added_idx) if len(added_idx) else b.slice(0, 0)
    if not len(po):
        return
    olds = a.take(po)
    news = b.take(pn)
    back = {v: k for k, v in renames.items()}
    changed_any = np.zeros(len(po), bool)
    per_field: list[tuple[str, str, np.ndarray]] = []
    for fname in fields:
        if fname in key:
            continue
        oname = back.get(fname, fname)
        if oname not in a.column_names:  # an added field: any value is a change from "absent"
            diff_mask = np.asarray(pc.is_valid(news[fname]).to_numpy(zero_copy_only=False), bool)
        else:
            diff_mask = ~_equal_columns(olds[oname], news[fname], tolerance)
        if diff_mask.any():
            per_field.append((oname if oname in a.column_names else None, fname, diff_mask))
            changed_any |= diff_mask
    if not changed_any.any():
        return
    rows_at = np.flatnonzero(changed_any)
    take = pa.array(rows_at)
    key_values = {k: news[k].take(take).to_pylist() for k in key}
    modified = [{"key": {k: key_values[k][i] for k in key}, "cells": {}} for i in range(len(rows_at))]
    position = {int(r): i for i, r in enumerate(rows_at)}
    for oname, fname, mask in per_field:
        at = np.flatnonzero(mask)
        new_vals = news[fname].take(pa.array(at)).to_pylist()
        old_vals = olds[oname].take(pa.array(at)).to_pylist() if oname else [None] * len(at)
        for r, o, n in zip(at, old_vals, new_vals):
            modified[position[int(r)]]["cells"][fname] = [o, n]
    rd.modified = modified


def _align(a: pa.Table, b: pa.Table, key: list[str]) -> tuple:
    """(removed old rows, added new rows, matched old rows, matched new rows), as row indices, by a keyed join."""
    ia = a.append_column("\x00i", pa.array(np.arange(a.num_rows), pa.int64()))
    ib = b.append_column("\x00i", pa.array(np.arange(b.num_rows), pa.int64()))
    j = _join(ia.select(key + ["\x00i"]), ib.select(key + ["\x00i"]), key, "full outer")
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
    """The same as _align, fast, for the usual case: one integer key, strictly increasing on both sides."""
    if len(key) != 1:
        return None
    ka, kb = a.column(key[0]), b.column(key[0])
    if not (pa.types.is_integer(ka.type) and ka.type == kb.type) or ka.null_count or kb.null_count:
        return None
    xa = ka.to_numpy()
    xb = kb.to_numpy()
    if (len(xa) > 1 and not np.all(xa[1:] > xa[:-1])) or (len(xb) > 1 and not np.all(xb[1:] > xb[:-1])):
        return None  # unsorted, or duplicate keys: the general path reports duplicates
    _, po, pn = np.intersect1d(xa, xb, assume_unique=True, return_indices=True)
    removed = np.setdiff1d(np.arange(len(xa)), po, assume_unique=True)
    added = np.setdiff1d(np.arange(len(xb)), pn, assume_unique=True)
    return (pa.array(removed, pa.int64()), pa.array(added, pa.int64()), pa.array(po, pa.int64()),
            pa.array(pn, pa.int64()))


def _rows_by_identity(rd: ResourceDiff, a: pa.Table, b: pa.Table, renames: dict[str, str]) -> None:
    """Without a primary key, rows are the same only if every value is: compare the two multisets of rows."""
    a = a.rename_columns([renames.get(c, c) for c in a.column_names])
    common = [c for c in b.column_names if c in a.column_names]
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


def _hashable(row: tuple) -> tuple:
    return tuple(tuple(v) if isinstance(v, list) else v for v in row)


def _reference_rules(out: dict[str, ResourceDiff], new_res, reasons: list[Reason]) -> None:
    """Changed values that other rows point at are major; a reference moved to a newly added row is minor."""
    for name, res in new_res.items():
        for fk in res.schema.foreign_keys:
            target = fk.resource or name
            parent = out.get(target)
            child = out.get(name)
            if parent is None or child is None:
                continue
            for m in parent.modified:
                hit = [f for f in fk.reference_fields if f in m["cells"]]
                if hit:
                    reasons.append(Reason("major", "referenced-value-changed", target, ",".join(hit),
                                          f"referenced by {name}.{','.join(fk.fields)}"))
                    break
            if parent.added is not None and parent.added.num_rows and len(fk.fields) == 1:
                new_targets = set(parent.added.column(fk.reference_fields[0]).to_pylist()) \
                    if fk.reference_fields[0] in parent.added.column_names else set()
                moved = [m for m in child.modified if fk.fields[0] in m["cells"]
                         and m["cells"][fk.fields[0]][1] in new_targets]
                if moved:
                    reasons.append(Reason("minor", "reference-to-new-data", name, fk.fields[0],
                                          f"{len(moved)} rows now point at rows added to {target}"))


# ---------------------------------------------------------------- applying

def apply(old: str | os.PathLike | None | dict[str, pa.Table], d: Diff) -> dict[str, pa.Table]:
    """The new package's rows, rebuilt from the old package's and the diff.

    Rows common to both keep their old order, with their changed values; rows
    the new package added follow, in the new package's order. Returns typed
    Arrow tables keyed by resource name, as :func:`read_rows` does.
    """
    tables = old if isinstance(old, dict) else read_rows(old)
    out: dict[str, pa.Table] = {}
    for name, rd in d.resources.items():
        if rd.status == "removed":
            continue
        if rd.status == "added":
            out[name] = rd.added
            continue
        if rd.status == "renamed":
            out[name] = tables[rd.old_name]
            continue
        out[name] = _apply_resource(tables[name], rd)
    return out


def _apply_resource(table: pa.Table, rd: ResourceDiff) -> pa.Table:
    new_schema = Schema.from_descriptor(rd.new_schema) if rd.new_schema else None
    target = rd.added.schema if rd.added is not None else None
    table = table.rename_columns([rd.renamed_fields.get(c, c) for c in table.column_names])
    names = new_schema.field_names if new_schema else table.column_names
    key = rd.key
    if not key:  # whole-row identity: drop the removed occurrences, append the added ones
        rows = table.to_pylist()
        for r in rd.removed.to_pylist() if rd.removed is not None else []:
            r = {rd.renamed_fields.get(k, k): v for k, v in r.items()}
            rows.remove(r)
        rows += rd.added.to_pylist() if rd.added is not None else []
        return pa.Table.from_pylist([{n: r.get(n) for n in names} for r in rows], schema=target)
    removed = {tuple(r[k] for k in key) for r in rd.removed.select(key).to_pylist()} if rd.removed else set()
    changes = {tuple(m["key"][k] for k in key): m["cells"] for m in rd.modified}
    rows = []
    for r in table.to_pylist():
        k = tuple(r.get(c) for c in key)
        if k in removed:
            continue
        row = {n: r.get(n) for n in names}
        for f, (_, new) in changes.get(k, {}).items():
            row[f] = new
        rows.append(row)
    rows += rd.added.to_pylist() if rd.added is not None else []
    if target is not None:
        return pa.Table.from_pylist(rows, schema=target)
    return pa.Table.from_pylist(rows)
