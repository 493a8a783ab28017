"""A release's tables as the site shows them: every cell as text, each column with how it sorts, and the
data dictionary beside it. The diff pages show their cells with the same :func:`display`."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from ..datapackage.dictionary import key_lines, rule_parts
from ..datapackage.model import Package, Resource
from ..errors import EnergyTiesError
from ..tabular.typed import read_typed

#: Field types whose cells sort as numbers.
NUMERIC = {"integer", "number", "year"}


def display(value: Any) -> str:
    """A typed cell as text: empty for null, ISO 8601 for dates, JSON for lists and objects."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return str(value)


@dataclass
class Column:
    name: str
    type: str
    sort: str  # "number" or "text": how the page's script compares the column's cells


@dataclass
class Rule:
    words: str
    code: str


@dataclass
class Entry:
    """One field of the data dictionary."""

    name: str
    type: str
    rules: list[Rule]
    description: str
    categories: list[tuple[str, str]]


@dataclass
class Table:
    """One resource of a release: its rows as text (None when it cannot be read, with ``problem`` saying why)."""

    name: str
    title: str
    description: str
    path: str
    columns: list[Column] = field(default_factory=list)
    rows: list[list[str]] | None = None
    problem: str = ""
    dictionary: list[Entry] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.rows or [])


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def read_table(res: Resource) -> Table:
    """The resource as the site shows it; a table that cannot be read is shown as its problem."""
    d = res.descriptor
    path = d.get("path")
    t = Table(
        res.name,
        _text(d.get("title")) or res.name,
        _text(d.get("description")),
        path if isinstance(path, str) else ", ".join(map(str, path or [])),
    )
    if res.schema is None:
        t.problem = "not a table with a Table Schema: the site lists it without its rows"
        return t
    schema = res.schema
    t.columns = [Column(f.name, f.type, "number" if f.type in NUMERIC else "text") for f in schema.fields]
    t.dictionary = [
        Entry(
            f.name,
            f.type,
            [Rule(w, c) for w, c in rule_parts(f, schema.primary_key)],
            f.description or "",
            [(str(v), str(f.category_labels.get(v, ""))) for v in f.categories or ()],
        )
        for f in schema.fields
    ]
    t.keys = key_lines(res.name, schema)
    try:
        table = read_typed(res.readable(), strict=False)
    except EnergyTiesError as exc:
        t.problem = str(exc)
        return t
    columns = [[display(v) for v in table.column(i).to_pylist()] for i in range(table.num_columns)]
    t.rows = [list(r) for r in zip(*columns)] if columns else [[] for _ in range(table.num_rows)]
    return t


def read_tables(pkg: Package) -> list[Table]:
    return [read_table(r) for r in pkg.resources]
