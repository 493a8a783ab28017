"""A diff as text, Markdown (a CHANGELOG section) and JSON.

Works on the records of :mod:`energy_ties.diffing.model` by their attributes,
so it needs nothing of that module at run time.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import TYPE_CHECKING, Any

from ..errors import printable

if TYPE_CHECKING:
    from .model import Diff, ResourceDiff


#: Rows of each kind (added, removed, modified) the text lists per resource; the counts cover the rest.
TEXT_ROWS = 20
#: Characters of a value the text shows before shortening it with an ellipsis.
VALUE_CHARS = 60
#: A release version: the core numbers, then an optional pre-release and build (semver 2.0.0).
_VERSION = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:[-+].*)?$")


def value_text(value: Any, limit: int = VALUE_CHARS) -> str:
    """A cell as the text diff shows it: strings quoted, empty cells as ``null``, long ones shortened."""
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        value = value.isoformat()
    text = json.dumps(value, ensure_ascii=False, default=str) if value is not None else "null"
    return text if len(text) <= limit else text[: limit - 2] + "…" + text[-1]


def _key_text(key: dict) -> str:
    return ", ".join(str(v) for v in key.values()) or "(row)"


def _row_lines(res: ResourceDiff, limit: int) -> list[str]:
    """``~ key: field: old → new; ...``, ``+ key`` and ``- key``, at most ``limit`` of each kind."""
    lines = []
    for m in res.modified[:limit]:
        cells = "; ".join(f"{f}: {value_text(o)} → {value_text(n)}" for f, (o, n) in m.cells.items())
        lines.append(f"  ~ {_key_text(m.key)}: {cells}")
    for sign, table in (("+", res.added), ("-", res.removed)):
        rows = table.slice(0, limit).to_pylist() if table is not None else []
        for r in rows:
            shown = (
                _key_text({k: r.get(k) for k in res.key}) if res.key else ", ".join(value_text(v) for v in r.values())
            )
            lines.append(f"  {sign} {shown}")
    for kind, sign in (("modified", "~"), ("added", "+"), ("removed", "-")):
        if res.rows[kind] > limit:
            lines.append(f"  {sign} ... and {res.rows[kind] - limit} more {kind}")
    return lines


def to_text(d: Diff, limit: int = TEXT_ROWS) -> str:
    """Versions and bump, the reasons, then per resource its counts and each changed cell old → new."""
    lines = [f"{d.old_version or '?'} -> {d.new_version or '?'}: required bump {d.required_bump}"]
    lines += ["  " + r.line() for r in d.reasons]
    for name, res in d.resources.items():
        if res.status == "unchanged":
            continue
        n = res.rows
        extra = f" (was {res.old_name})" if res.old_name else ""
        lines.append(f"{name}{extra}: {res.status}; rows +{n['added']} -{n['removed']} ~{n['modified']}")
        if res.status not in ("added", "removed"):
            lines += _row_lines(res, limit)
    if not d.changed:
        lines.append("no differences")
    return "\n".join(printable(line) for line in lines)  # a name or value never breaks its line


def required_version(d: Diff) -> str | None:
    """The version the changes require: the new one when its bump is enough, else the old one bumped."""
    old, new = (_VERSION.match(v or "") for v in (d.old_version, d.new_version))
    if old is None or new is None:
        return d.new_version
    a, b = tuple(int(x) for x in old.groups()), tuple(int(x) for x in new.groups())
    bump = d.required_bump
    needed = {"major": (a[0] + 1, 0, 0), "minor": (a[0], a[1] + 1, 0), "patch": (a[0], a[1], a[2] + 1)}.get(bump)
    if needed is None or b >= needed:
        return d.new_version
    return ".".join(map(str, needed))


def to_markdown(d: Diff, date: str | None = None) -> str:
    """A CHANGELOG section (Keep a Changelog) describing the changes, headed by the version they require."""
    date = date or dt.date.today().isoformat()
    sections: dict[str, list[str]] = {"Added": [], "Changed": [], "Removed": [], "Fixed": []}
    for m in d.metadata:
        sections["Changed"].append(f"Package `{m.property}` {m.change}.")
    for name, res in d.resources.items():
        _resource_items(name, res, sections)
    out = [f"## [{required_version(d) or 'Unreleased'}] - {date}", ""]
    for title, items in sections.items():
        if items:
            out += [f"### {title}", ""] + [f"- {i}" for i in items] + [""]
    if not d.changed:
        out += ["No changes.", ""]
    return "\n".join(printable(line) for line in out).rstrip() + "\n"


def _resource_items(name: str, res: ResourceDiff, sections: dict[str, list[str]]) -> None:
    n = res.rows
    if res.status == "added":
        sections["Added"].append(f"Resource `{name}` ({_n(n['added'], 'row')}).")
        return
    if res.status == "removed":
        sections["Removed"].append(f"Resource `{name}` ({_n(n['removed'], 'row')}).")
        return
    if res.status == "renamed":
        sections["Changed"].append(f"Resource `{res.old_name}` renamed to `{name}`.")
    for c in res.schema:
        target = f"`{name}.{c.field}`" if c.field else f"`{name}`"
        bucket = {"field-added": "Added", "field-removed": "Removed"}.get(c.kind, "Changed")
        sections[bucket].append(f"{target}: {c.detail}.")
    for m in res.metadata:
        sections["Changed"].append(f"`{name}` {m.property} {m.change}.")
    if n["added"]:
        sections["Added"].append(f"`{name}`: {_n(n['added'], 'row')}{_examples(res, 'added')}.")
    if n["removed"]:
        sections["Removed"].append(f"`{name}`: {_n(n['removed'], 'row')}{_examples(res, 'removed')}.")
    if n["modified"]:
        cells = sum(len(m.cells) for m in res.modified)
        sections["Fixed"].append(
            f"`{name}`: {_n(cells, 'value')} corrected in {_n(n['modified'], 'row')}{_examples(res, 'modified')}."
        )


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _examples(res: ResourceDiff, kind: str, limit: int = 3) -> str:
    if kind == "modified":
        keys = [m.key for m in res.modified[:limit]]
    else:
        table = res.added if kind == "added" else res.removed
        rows = table.slice(0, limit).to_pylist() if table is not None else []
        keys = [{k: r.get(k) for k in res.key} for r in rows]
    shown = [", ".join(str(v) for v in k.values()) for k in keys if k]
    total = res.rows[kind]
    if not shown:
        return ""
    more = ", …" if total > len(shown) else ""
    return " (" + "; ".join(f"`{s}`" for s in shown) + more + ")"


def to_json(data: dict) -> str:
    """Plain diff data as one compact JSON document."""
    try:  # the C encoder, with dates and other values turned into text on the way
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False, default=_json_default)
    except ValueError:  # a NaN somewhere: take the slow road that turns it into null
        return json.dumps(jsonable(data), ensure_ascii=False, separators=(",", ":"))


def fast_json(data: dict, rows: dict[str, list]) -> str | None:
    """:func:`to_json`'s text, written by orjson (several times faster), or None where orjson cannot write it
    (``data`` may then hold orjson fragments: make it again for to_json). ``rows`` are, per resource, the
    Arrow tables whose records open its "changes": the added rows, then the removed ones.

    orjson and json differ only on floats: orjson writes 1e-05 as 0.00001 (nonzero magnitudes under 1e-4)
    and infinity as null (json, which writes NaN as null too: Infinity), and hands float subclasses to
    ``default``. Such floats in the rows' records, found in Arrow, are held as json's text; anywhere else
    they leave the document to json."""
    import orjson

    if not hasattr(orjson, "Fragment") or not _plain_floats(data, rows):
        return None
    for name, tables in rows.items():
        changes = data["resources"][name]["changes"]
        offset = 0
        for table in tables:
            if len(set(table.column_names)) != table.num_columns:
                return None
            for col_name, col in zip(table.column_names, table.columns):
                if not _fragment_floats(col, col_name, changes, offset, orjson.Fragment):
                    return None
            offset += table.num_rows
    try:  # dates handed to _json_default too, so that they are written as to_json writes them
        return orjson.dumps(data, default=_json_default, option=orjson.OPT_PASSTHROUGH_DATETIME).decode()
    except TypeError:  # integers beyond 64 bits, keys that are not text, lone surrogates: json's way
        return None


def _plain_floats(data: dict, rows: dict[str, list]) -> bool:
    """Whether every float outside the rows' records is one orjson writes as json does."""
    todo: list[Any] = [{k: v for k, v in data.items() if k != "resources"}]
    for name, res in data.get("resources", {}).items():
        todo.append({k: v for k, v in res.items() if k != "changes"})
        todo += res["changes"][sum(t.num_rows for t in rows.get(name, ())) :]
    while todo:
        value = todo.pop()
        if isinstance(value, dict):
            todo += value.values()
        elif isinstance(value, (list, tuple)):
            todo += value
        elif isinstance(value, float) and (type(value) is not float or _odd_float(value)):
            return False
    return True


def _fragment_floats(col: Any, name: str, changes: list[dict], offset: int, fragment: Any) -> bool:
    """Hold the odd floats of a column of rows as json's text in their records ("row", and "key" when the
    column is a key); False for a nested column (its floats are not looked into)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if pa.types.is_nested(col.type):
        return False
    if not pa.types.is_floating(col.type) or not len(col):
        return True
    size = pc.abs(col)
    odd = pc.fill_null(pc.or_(pc.is_inf(col), pc.and_(pc.greater(size, 0), pc.less(size, 1e-4))), False)
    for i in np.flatnonzero(odd.to_numpy(zero_copy_only=False)).tolist():
        record = changes[offset + i]
        text = fragment(_float_text(record["row"][name]))
        record["row"][name] = text
        if name in record["key"]:
            record["key"][name] = text
    return True


def _odd_float(value: float) -> bool:
    size = abs(value)
    return size == float("inf") or 0 < size < 1e-4


def _float_text(value: float) -> str:
    """A float as json writes it (NaN aside: null, which orjson writes too)."""
    return json.dumps(value)


def _json_default(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    return str(value)


def jsonable(value: Any) -> Any:
    """``value`` with dates as ISO text, NaN as null and anything else JSON cannot hold as text."""
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)
