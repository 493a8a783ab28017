"""Rows matched in DuckDB on disk give the diff the in-memory Arrow path gives.

``diff_packages(row_memory=N)`` moves a table's rows to DuckDB once N bytes are held: a budget of one byte
sends every table there, a middling one sends some tables (or the rest of a table, part way through) and
matches them against tables still in memory. Generated pairs of releases: integer, string, composite and
no primary keys, null and repeated keys (the same one-line error), fields added, removed, renamed and
retyped, NaN and empty cells, and small batches so that a table spills part way through.
"""

from __future__ import annotations

import contextlib

from hypothesis import example, given, settings
from hypothesis import strategies as st

from energy_ties.datapackage.opening import open_package
from energy_ties.diffing.compare import diff_packages
from energy_ties.errors import DiffError
from helpers import csv_text, write_package
from helpers.batches import small_batches

KEYS = {"integer": ["id"], "string": ["id"], "composite": ["id", "part"], "none": []}
VALUE_FIELDS = [("name", "string"), ("amount", "number"), ("day", "date"), ("count", "integer"), ("ok", "boolean")]
VALUES = {
    "string": st.sampled_from(["", "a", "b", "é x", 'q"uote']),
    "number": st.sampled_from(["", "0", "-0", "1.5", "2", "NaN", "1e300"]),
    "date": st.sampled_from(["", "2020-01-01", "1999-12-31"]),
    "integer": st.sampled_from(["", "0", "7", "-12", "9007199254740993"]),
    "boolean": st.sampled_from(["", "true", "false"]),
}


@st.composite
def release_pair(draw):
    kind = draw(st.sampled_from(list(KEYS)))
    key = KEYS[kind]
    fields = [("id", "string" if kind == "string" else "integer")]
    fields += [("part", "string")] if kind == "composite" else []
    fields += draw(st.lists(st.sampled_from(VALUE_FIELDS), min_size=1, max_size=4, unique=True))
    pool = [(i, p) for i in ["", "1", "2", "3", "10", "11", "12", "40"] for p in (["", "x"] if key[1:] else [""])]
    keys = st.lists(st.sampled_from(pool), unique=True, max_size=14)

    def rows(names_types, keys_of):
        out = []
        for i, p in keys_of:
            row = {"id": i, "part": p} if kind == "composite" else {"id": i}
            for name, t in names_types:
                if name not in row:
                    row[name] = draw(VALUES[t])
            out.append(row)
        return out

    old_keys = draw(keys)
    if old_keys and not draw(st.integers(0, 5)):  # a repeated key now and then: the same error either way
        old_keys.append(old_keys[0])
    old = rows(fields, old_keys)
    new_fields = list(fields)
    change = draw(st.sampled_from(["none", "none", "add", "drop", "rename", "retype"]))
    value_at = [i for i, (n, _) in enumerate(new_fields) if n not in ("id", "part")]
    if change == "add":
        extra = [f for f in VALUE_FIELDS if f not in new_fields]
        if extra:
            new_fields.append(extra[0])
    elif change == "drop" and len(value_at) > 1:
        del new_fields[value_at[-1]]
    elif change == "rename":
        i = value_at[0]
        new_fields[i] = (new_fields[i][0] + "2", new_fields[i][1])
    elif change == "retype":
        i = value_at[0]
        new_fields[i] = (new_fields[i][0], "string")
    new = []
    for row in old:  # the new release: old rows kept, changed or dropped, and new ones
        fate = draw(st.sampled_from(["keep", "change", "change", "drop"]))
        if fate == "drop":
            continue
        renamed = {(n + "2" if change == "rename" and n + "2" in dict(new_fields) else n): v for n, v in row.items()}
        if fate == "change":
            name, t = draw(st.sampled_from([f for f in new_fields if f[0] not in ("id", "part")]))
            renamed[name] = draw(VALUES[t])
        new.append({n: renamed.get(n, "") for n, _ in new_fields})
    new += rows(new_fields, [k for k in draw(keys)[:4] if k not in old_keys])
    return (fields, old), (new_fields, new), key


def _write(folder, fields, rows, key):
    schema = {"fields": [{"name": n, "type": t} for n, t in fields]}
    if key:
        schema["primaryKey"] = key
    names = [n for n, _ in fields]
    notes = {"fields": [{"name": "text", "type": "string"}]}
    data = csv_text(names, [[r.get(n, "") for n in names] for r in rows])
    return write_package(folder, {"items": (schema, data), "notes": (notes, "text\na\nb\n")}, version="1.0.0")


def _outputs(a, b, budget):
    with open_package(a) as pa_, open_package(b) as pb:
        try:
            d = diff_packages(pa_, pb, row_memory=budget)
        except DiffError as exc:
            return ("error", str(exc))
    return d.to_text(), d.to_json(), d.to_markdown("2020-01-01")


@settings(max_examples=50, deadline=None)
@given(release_pair(), st.sampled_from([1, 200, 2000]), st.sampled_from([None, 40]))
def test_rows_in_duckdb_give_the_in_memory_diff(scratch, pair, budget, block):
    (fo, ro), (fn, rn), key = pair
    a, b = _write(scratch / "a", fo, ro, key), _write(scratch / "b", fn, rn, key)
    with small_batches(block, 3) if block else contextlib.nullcontext():
        expected = _outputs(a, b, 1 << 40)
        got = _outputs(a, b, budget)
    assert got == expected


ANY_CELLS = st.sampled_from(["1", "-2", "x", "2020-01-01", "1.5", "true", ""])
#: Runs of one cell: a 40-byte Arrow block holds about ten rows, so that a run of empty cells fills one.
ANY_RUNS = st.lists(st.tuples(ANY_CELLS, st.integers(1, 25)), min_size=1, max_size=4).map(
    lambda runs: [cell for cell, n in runs for _ in range(n)]
)


@settings(max_examples=40, deadline=None)
@given(ANY_RUNS, ANY_RUNS, st.booleans())
@example(old=[""] * 30 + ["x"] * 5, new=[""] * 30 + ["1"] * 3 + [""] * 20, bad=False)
@example(old=["x"] * 30 + ["2020-01-01"], new=[""] * 30 + ["1"] * 30, bad=True)
def test_batches_that_differ_in_type_give_the_in_memory_diff_when_streamed_to_duckdb(scratch, old, new, bad):
    """An `any` field is typed batch by batch (a batch of empty cells is of Arrow's null type, the next one
    text): streamed to DuckDB, each batch that changes the type of the rows stored ends one statement; a
    cell that cannot be read in a later batch gives the in-memory path's error."""
    fields = [("id", "integer"), ("v", "any")]
    rows_a = [{"id": str(i), "v": v} for i, v in enumerate(old)]
    rows_b = [{"id": str(i), "v": v} for i, v in enumerate(new)]
    if bad:
        rows_b.append({"id": "not a number", "v": "1"})
    a, b = _write(scratch / "a", fields, rows_a, ["id"]), _write(scratch / "b", fields, rows_b, ["id"])
    with small_batches(40, 3):
        expected = _outputs(a, b, 1 << 40)
        got = _outputs(a, b, 1)
    assert got == expected


@settings(max_examples=60, deadline=None)
@given(release_pair())
def test_matched_rows_compared_in_slices_on_two_threads_give_the_same_diff(scratch, pair):
    """The in-memory path compares matched rows a slice at a time, two slices at once: slices of three rows
    give the diff one slice gives, in the same order."""
    from unittest import mock

    from energy_ties.diffing import rows

    (fo, ro), (fn, rn), key = pair
    a, b = _write(scratch / "a", fo, ro, key), _write(scratch / "b", fn, rn, key)
    expected = _outputs(a, b, 1 << 40)
    with mock.patch.object(rows, "COMPARE_ROWS", 3):
        assert _outputs(a, b, 1 << 40) == expected
