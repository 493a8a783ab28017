"""Small packages for the diff properties: table ``items`` (primary key ``id``), ``notes`` (no key) and,
for the reference rules, ``links`` pointing at items; and the bump a change of them demands."""

from __future__ import annotations

import copy
from pathlib import Path

from hypothesis import strategies as st

from energy_ties import diff
from energy_ties.datapackage.opening import open_package
from energy_ties.diffing.compare import read_rows as read_package_rows

from . import csv_text, write_package


def read_rows(path):
    with open_package(path) as pkg:
        return read_package_rows(pkg)


ITEMS = {
    "fields": [
        {"name": "id", "type": "integer", "constraints": {"required": True}},
        {"name": "name", "type": "string", "constraints": {"maxLength": 12}},
        {"name": "amount", "type": "number", "constraints": {"minimum": 0}},
        {"name": "day", "type": "date"},
        {"name": "kind", "type": "string", "categories": ["a", "b", "c"]},
    ],
    "primaryKey": ["id"],
}
NOTES = {"fields": [{"name": "text", "type": "string"}, {"name": "n", "type": "integer"}]}  # no primary key
LINKS = {
    "fields": [{"name": "id", "type": "integer"}, {"name": "item", "type": "integer"}],
    "primaryKey": ["id"],
    "foreignKeys": [{"fields": ["item"], "reference": {"resource": "items", "fields": ["id"]}}],
}

item_row = st.fixed_dictionaries(
    {
        "name": st.one_of(st.none(), st.text("abcxyz ", min_size=1, max_size=6)),
        "amount": st.one_of(st.none(), st.integers(0, 500).map(lambda n: n / 4)),
        "day": st.one_of(st.none(), st.dates().map(lambda d: d.isoformat())),
        "kind": st.one_of(st.none(), st.sampled_from(["a", "b", "c"])),
    }
)
note_row = st.tuples(st.sampled_from(["x", "y", "z", ""]), st.integers(0, 3))


@st.composite
def tables(draw):
    ids = draw(st.lists(st.integers(1, 40), unique=True, max_size=12))
    items = {i: draw(item_row) for i in ids}
    notes = draw(st.lists(note_row, max_size=6))
    return items, notes


def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return repr(v) if v != int(v) else str(int(v)) + ".0"
    return str(v)


def write(folder: Path, items: dict, notes: list, *, items_schema=None, extra_resources=None, **descriptor) -> Path:
    schema = items_schema or ITEMS
    names = [f["name"] for f in schema["fields"]]
    rows = [[_cell(i if n == "id" else row.get(n)) for n in names] for i, row in items.items()]
    resources = {
        "items": (schema, csv_text(names, rows)),
        "notes": (NOTES, csv_text(["text", "n"], [[t, str(n)] for t, n in notes])),
    }
    resources.update(extra_resources or {})
    return write_package(folder, resources, version="1.0.0", **descriptor)


def same_rows(x: dict, y: dict) -> bool:
    if set(x) != set(y):
        return False
    for name, a in x.items():
        b = y[name]
        if a.schema.names != b.schema.names:
            return False
        order = [(c, "ascending") for c in a.schema.names]
        if not a.sort_by(order).equals(b.sort_by(order)):
            return False
    return True


def bump_of(tmp, change, t) -> tuple[str, set[str]]:
    """Write package a from ``t``, package b from ``t`` changed by ``change``; the bump and rules of diff(a, b)."""
    items, notes = copy.deepcopy(t)
    a = write(tmp / "a", items, notes, extra_resources={"links": (LINKS, links_csv(items))})
    kwargs = {
        "items_schema": copy.deepcopy(ITEMS),
        "extra_resources": {"links": (copy.deepcopy(LINKS), links_csv(items))},
    }
    items, notes, kwargs = change(items, notes, kwargs)
    b = write(tmp / "b", items, notes, **kwargs)
    d = diff(a, b)
    return d.required_bump, {r.rule for r in d.reasons}


def links_csv(items: dict, first: int | None = None) -> str:
    """Links 1, 2, 3 to the first items; with ``first``, link 1 points at that item instead."""
    targets = list(items)[:3]
    if first is not None:
        targets[0] = first
    return csv_text(["id", "item"], [[str(n), str(t)] for n, t in enumerate(targets, start=1)])


nonempty = tables().filter(lambda t: len(t[0]) >= 2)
