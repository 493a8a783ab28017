"""diff and apply, stated as properties over generated packages.

- diff(a, a) is empty and demands no bump;
- apply(a, diff(a, b)) gives b's rows;
- diff(b, a) is diff(a, b) turned around: added and removed swap, old and new values swap;
- each kind of change, alone, demands the bump the Data Package Version rules give it;
- rows reported added, removed and modified agree with daff's on the same tables.
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT, csv_text, write_package
from energy_ties import apply, diff
from energy_ties.datapackage.opening import open_package
from energy_ties.diffing.compare import read_rows as read_package_rows


def read_rows(path):
    with open_package(path) as pkg:
        return read_package_rows(pkg)
from energy_ties.errors import DiffError, EnergyTiesError

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

item_row = st.fixed_dictionaries({
    "name": st.one_of(st.none(), st.text("abcxyz ", min_size=1, max_size=6)),
    "amount": st.one_of(st.none(), st.integers(0, 500).map(lambda n: n / 4)),
    "day": st.one_of(st.none(), st.dates().map(lambda d: d.isoformat())),
    "kind": st.one_of(st.none(), st.sampled_from(["a", "b", "c"])),
})
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
    resources = {"items": (schema, csv_text(names, rows)),
                 "notes": (NOTES, csv_text(["text", "n"], [[t, str(n)] for t, n in notes]))}
    resources.update(extra_resources or {})
    return write_package(folder, resources, version="1.0.0", **descriptor)


def same_rows(x: dict, y: dict) -> bool:
    if set(x) != set(y):
        return False
    for name in x:
        a, b = x[name], y[name]
        if a.schema.names != b.schema.names:
            return False
        order = [(c, "ascending") for c in a.schema.names]
        if not a.sort_by(order).equals(b.sort_by(order)):
            return False
    return True


@settings(max_examples=60)
@given(tables())
def test_a_package_against_itself_is_empty(tmp_path_factory, t):
    path = write(tmp_path_factory.mktemp("a"), *t)
    d = diff(path, path)
    assert not d.changed and d.required_bump == "none" and d.reasons == []


@settings(max_examples=80)
@given(tables(), tables())
def test_apply_rebuilds_the_new_rows(tmp_path_factory, ta, tb):
    a = write(tmp_path_factory.mktemp("a"), *ta)
    b = write(tmp_path_factory.mktemp("b"), *tb)
    assert same_rows(apply(a, diff(a, b)), read_rows(b))


def _summary(d):
    out = {}
    for name, r in d.resources.items():
        added = sorted(json.dumps(x, sort_keys=True, default=str) for x in (r.added.to_pylist() if r.added else []))
        removed = sorted(json.dumps(x, sort_keys=True, default=str) for x in (r.removed.to_pylist() if r.removed else []))
        cells = sorted(json.dumps([m.key, f, o, n], sort_keys=True, default=str)
                       for m in r.modified for f, (o, n) in m.cells.items())
        out[name] = (added, removed, cells)
    return out


@settings(max_examples=60)
@given(tables(), tables())
def test_diff_the_other_way_swaps_added_removed_old_and_new(tmp_path_factory, ta, tb):
    a = write(tmp_path_factory.mktemp("a"), *ta)
    b = write(tmp_path_factory.mktemp("b"), *tb)
    forward, backward = _summary(diff(a, b)), _summary(diff(b, a))
    for name, (added, removed, cells) in forward.items():
        b_added, b_removed, b_cells = backward[name]
        assert (b_added, b_removed) == (removed, added)
        swapped = sorted(json.dumps([json.loads(c)[0], json.loads(c)[1], json.loads(c)[3], json.loads(c)[2]],
                                    sort_keys=True) for c in cells)
        assert b_cells == swapped


# ---------------------------------------------------------------- one rule at a time

def bump_of(tmp, change, t) -> tuple[str, set[str]]:
    """Write package a from ``t``, package b from ``t`` changed by ``change``; the bump and rules of diff(a, b)."""
    items, notes = copy.deepcopy(t)
    a = write(tmp / "a", items, notes, extra_resources={"links": (LINKS, _links(items))})
    kwargs = {"items_schema": copy.deepcopy(ITEMS), "extra_resources": {"links": (copy.deepcopy(LINKS), _links(items))}}
    items, notes, kwargs = change(items, notes, kwargs)
    b = write(tmp / "b", items, notes, **kwargs)
    d = diff(a, b)
    return d.required_bump, {r.rule for r in d.reasons}


def _links(items: dict, first: int | None = None) -> str:
    """Links 1, 2, 3 to the first items; with ``first``, link 1 points at that item instead."""
    targets = list(items)[:3]
    if first is not None:
        targets[0] = first
    return csv_text(["id", "item"], [[str(n), str(t)] for n, t in enumerate(targets, start=1)])


nonempty = tables().filter(lambda t: len(t[0]) >= 2)


def _edit(change):
    def run(tmp_path_factory, t):
        return bump_of(tmp_path_factory.mktemp("r"), change, t)
    return run


@settings(max_examples=25)
@given(nonempty)
def test_adding_rows_is_minor(tmp_path_factory, t):
    def change(items, notes, kw):
        items[max(items) + 1] = {"name": "new", "amount": 1.0, "day": None, "kind": "a"}
        return items, notes, kw
    assert bump_of(tmp_path_factory.mktemp("r"), change, t) == ("minor", {"rows-added"})


@settings(max_examples=25)
@given(nonempty)
def test_removing_rows_is_major(tmp_path_factory, t):
    def change(items, notes, kw):
        last = list(items)[-1]
        del items[last]
        kw["extra_resources"]["links"] = (kw["extra_resources"]["links"][0], _links(items))
        return items, notes, kw
    bump, rules = bump_of(tmp_path_factory.mktemp("r"), change, t)
    assert bump == "major" and "rows-removed" in rules


@settings(max_examples=25)
@given(nonempty, st.sampled_from(["name", "amount", "day", "kind"]))
def test_correcting_values_is_a_patch(tmp_path_factory, t, field):
    def change(items, notes, kw):
        row = items[list(items)[-1]]
        row[field] = {"name": "fixed", "amount": 99.5, "day": "2001-02-03", "kind": "c"}[field] \
            if row[field] != {"name": "fixed", "amount": 99.5, "day": "2001-02-03", "kind": "c"}[field] else None
        return items, notes, kw
    assert bump_of(tmp_path_factory.mktemp("r"), change, t) == ("patch", {"values-corrected"})


@settings(max_examples=15)
@given(nonempty)
def test_adding_a_resource_is_minor_and_removing_one_major(tmp_path_factory, t):
    def add(items, notes, kw):
        kw["extra_resources"]["extra"] = ({"fields": [{"name": "x"}]}, "x\n1\n")
        return items, notes, kw
    assert bump_of(tmp_path_factory.mktemp("r"), add, t) == ("minor", {"resource-added"})

    def remove(items, notes, kw):
        del kw["extra_resources"]["links"]
        return items, notes, kw
    assert bump_of(tmp_path_factory.mktemp("r"), remove, t) == ("major", {"resource-removed"})


@settings(max_examples=15)
@given(nonempty)
def test_renaming_a_resource_is_major_and_not_a_delete_plus_add(tmp_path_factory, t):
    def rename(items, notes, kw):
        kw["extra_resources"]["links2"] = kw["extra_resources"].pop("links")
        return items, notes, kw
    assert bump_of(tmp_path_factory.mktemp("r"), rename, t) == ("major", {"resource-renamed"})


def _schema_edit(edit):
    def change(items, notes, kw):
        edit(kw["items_schema"], items)
        return items, notes, kw
    return change


def _rename_field(schema, items):
    schema["fields"][1]["name"] = "label"
    for row in items.values():
        row["label"] = row.pop("name")


def _append_field(schema, items):
    schema["fields"].append({"name": "extra", "type": "string"})


def _drop_field(schema, items):
    schema["fields"].pop(3)


def _reorder(schema, items):
    schema["fields"][1], schema["fields"][2] = schema["fields"][2], schema["fields"][1]


def _retype(schema, items):
    schema["fields"][4] = {"name": "kind", "type": "string"}  # categories dropped: looser
    schema["fields"][1]["type"] = "any"


def _reformat(schema, items):
    schema["fields"][3]["format"] = "%Y-%m-%d"


def _new_primary_key(schema, items):
    schema["primaryKey"] = ["id", "name"]


MAJOR_SCHEMA = {"field-renamed": _rename_field, "field-added": _append_field, "field-removed": _drop_field,
                "fields-reordered": _reorder, "type-changed": _retype, "format-changed": _reformat,
                "primary-key": _new_primary_key}


@settings(max_examples=10)
@given(nonempty, st.sampled_from(sorted(MAJOR_SCHEMA)))
def test_schema_changes_that_break_users_are_major(tmp_path_factory, t, rule):
    bump, rules = bump_of(tmp_path_factory.mktemp("r"), _schema_edit(MAJOR_SCHEMA[rule]), t)
    assert bump == "major" and rule in rules, rules


TIGHTER = {
    "required": lambda f: f.setdefault("constraints", {}).update(required=True),
    "higher minimum": lambda f: f["constraints"].update(minimum=0.25),
    "shorter maxLength": lambda f: f["constraints"].update(maxLength=10),
    "smaller enum": lambda f: f.setdefault("constraints", {}).update(enum=["a", "b"]),
    "changed pattern": lambda f: f.setdefault("constraints", {}).update(pattern="[a-z ]*"),
}
TARGET = {"required": 2, "higher minimum": 2, "shorter maxLength": 1, "smaller enum": 4, "changed pattern": 1}


@settings(max_examples=10)
@given(nonempty, st.sampled_from(sorted(TIGHTER)))
def test_a_stricter_constraint_is_major(tmp_path_factory, t, which):
    def edit(schema, items):
        TIGHTER[which](schema["fields"][TARGET[which]])
    bump, rules = bump_of(tmp_path_factory.mktemp("r"), _schema_edit(edit), t)
    assert bump == "major" and rules == {"constraint-tightened"}, (which, rules)


LOOSER = {
    "no maximum length": lambda f: f["constraints"].pop("maxLength"),
    "lower minimum": lambda f: f["constraints"].update(minimum=-1),
    "more categories": lambda f: f.update(categories=["a", "b", "c", "d"]),
    "not required": lambda f: f["constraints"].update(required=False),
}
LOOSE_TARGET = {"no maximum length": 1, "lower minimum": 2, "more categories": 4, "not required": 0}


@settings(max_examples=10)
@given(nonempty, st.sampled_from(sorted(LOOSER)))
def test_a_looser_constraint_is_minor(tmp_path_factory, t, which):
    def edit(schema, items):
        LOOSER[which](schema["fields"][LOOSE_TARGET[which]])
    bump, rules = bump_of(tmp_path_factory.mktemp("r"), _schema_edit(edit), t)
    assert bump == "minor" and rules == {"constraint-loosened"}, (which, rules)


@settings(max_examples=10)
@given(nonempty)
def test_descriptive_metadata_is_a_patch_and_moving_data_is_no_change(tmp_path_factory, t):
    def describe(items, notes, kw):
        kw["items_schema"]["fields"][1]["description"] = "what the item is called"
        return items, notes, kw
    assert bump_of(tmp_path_factory.mktemp("r"), describe, t) == ("patch", {"metadata-changed"})
    tmp = tmp_path_factory.mktemp("m")
    a = write(tmp / "a", *t)
    b = write(tmp / "b", *t, title="A title now")
    assert diff(a, b).required_bump == "patch"
    moved = json.loads(b.read_text())
    moved.pop("title")
    (b.parent / "moved").mkdir()
    (b.parent / "items.csv").rename(b.parent / "moved" / "items.csv")
    moved["resources"][0]["path"] = "moved/items.csv"
    b.write_text(json.dumps(moved))
    d = diff(a, b)
    assert d.required_bump == "none" and d.reasons == []


@settings(max_examples=10)
@given(nonempty)
def test_renaming_the_package_is_major(tmp_path_factory, t):
    tmp = tmp_path_factory.mktemp("n")
    a = write(tmp / "a", *t)
    b = write(tmp / "b", *t)
    descriptor = json.loads(b.read_text())
    descriptor["name"] = "renamed"
    b.write_text(json.dumps(descriptor))
    assert {r.rule for r in diff(a, b).reasons} == {"package-renamed"} and diff(a, b).required_bump == "major"


@settings(max_examples=10)
@given(nonempty)
def test_changing_a_referenced_row_is_major_and_pointing_at_new_rows_minor(tmp_path_factory, t):
    items, notes = t
    first = list(items)[0]

    def repoint(items, notes, kw):
        new_id = max(items) + 1
        links = _links(items, first=new_id)
        items[new_id] = {"name": "n", "amount": None, "day": None, "kind": None}
        kw["extra_resources"]["links"] = (LINKS, links)
        return items, notes, kw
    bump, rules = bump_of(tmp_path_factory.mktemp("r"), repoint, t)
    assert "reference-to-new-data" in rules and bump == "minor", rules

    schema = copy.deepcopy(ITEMS)
    schema["fields"][1]["constraints"]["unique"] = True
    links = {"fields": [{"name": "id", "type": "integer"}, {"name": "item", "type": "string"}], "primaryKey": ["id"],
             "foreignKeys": [{"fields": ["item"], "reference": {"resource": "items", "fields": ["name"]}}]}
    tmp = tmp_path_factory.mktemp("ref")
    named = {k: {**v, "name": f"n{k}"} for k, v in items.items()}
    link_rows = csv_text(["id", "item"], [["1", f"n{first}"]])
    a = write(tmp / "a", named, notes, items_schema=schema, extra_resources={"links": (links, link_rows)})
    changed = copy.deepcopy(named)
    changed[first]["name"] = "renamed"
    b = write(tmp / "b", changed, notes, items_schema=schema, extra_resources={"links": (links, link_rows)})
    d = diff(a, b)
    assert "referenced-value-changed" in {r.rule for r in d.reasons} and d.required_bump == "major"


# ---------------------------------------------------------------- against daff

def daff_counts(a_rows: list[dict], b_rows: list[dict], names: list[str]) -> dict:
    import daff

    ta = daff.PythonTableView([names] + [[r[n] for n in names] for r in a_rows])
    tb = daff.PythonTableView([names] + [[r[n] for n in names] for r in b_rows])
    flags = daff.CompareFlags()
    flags.addPrimaryKey("id")
    out = daff.PythonTableView([])
    daff.TableDiff(daff.Coopy.compareTables(ta, tb, flags).align(), flags).hilite(out)
    marks = [row[0] for row in out.getData()[1:]]
    return {"added": marks.count("+++"), "removed": marks.count("---"), "modified": marks.count("->")}


@settings(max_examples=40)
@given(tables(), tables())
def test_rows_added_removed_and_modified_agree_with_daff(tmp_path_factory, ta, tb):
    tmp = tmp_path_factory.mktemp("d")
    a = write(tmp / "a", *ta)
    b = write(tmp / "b", *tb)
    names = [f["name"] for f in ITEMS["fields"]]
    rows_a = read_rows(a)["items"].to_pylist()
    rows_b = read_rows(b)["items"].to_pylist()
    assert diff(a, b).resources["items"].rows == daff_counts(rows_a, rows_b, names)


# ---------------------------------------------------------------- bad input

def test_duplicate_keys_on_either_side_are_a_clear_error(tmp_path):
    a = write(tmp_path / "a", {1: {"name": "x", "amount": 1.0, "day": None, "kind": "a"}}, [])
    b = write(tmp_path / "b", {1: {"name": "x", "amount": 1.0, "day": None, "kind": "a"}}, [])
    (b.parent / "items.csv").write_text("id,name,amount,day,kind\n1,x,1.0,,a\n1,y,2.0,,b\n")
    with pytest.raises(DiffError, match="items: 1 duplicate primary key value.*new package.*{'id': 1}"):
        diff(a, b)
    with pytest.raises(DiffError, match="old package"):
        diff(b, a)


def test_a_key_column_missing_from_the_data_is_a_clear_error(tmp_path):
    a = write(tmp_path / "a", {1: {"name": "x", "amount": 1.0, "day": None, "kind": "a"}}, [])
    b = write(tmp_path / "b", {1: {"name": "x", "amount": 1.0, "day": None, "kind": "a"}}, [])
    (b.parent / "items.csv").write_text("name,amount,day,kind\nx,1.0,,a\n")
    with pytest.raises(EnergyTiesError, match="items.csv: row 1: the header has no column 'id'"):
        diff(a, b)


def test_incompatible_key_types_are_a_clear_error(tmp_path):
    a = write(tmp_path / "a", {1: {"name": "x", "amount": 1.0, "day": None, "kind": "a"}}, [])
    schema = copy.deepcopy(ITEMS)
    schema["fields"][0]["type"] = "string"
    b = write(tmp_path / "b", {1: {"name": "x", "amount": 1.0, "day": None, "kind": "a"}}, [], items_schema=schema)
    with pytest.raises(DiffError, match="key column 'id' has type int64 in the old package and string in the new"):
        diff(a, b)


def test_unreadable_files_exit_2_in_one_line(tmp_path):
    a = write(tmp_path / "a", {}, [])
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "datapackage.json").write_text("{")
    r = subprocess.run([sys.executable, "-m", "energy_ties.cli", "diff", str(a), str(tmp_path / "broken")],
                       capture_output=True, text=True)
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "not valid JSON" in r.stderr


# ---------------------------------------------------------------- the command line

def test_cli_formats_and_exit_code(tmp_path):
    import jsonschema

    a = write(tmp_path / "a", {1: {"name": "x", "amount": 1.0, "day": None, "kind": "a"}}, [])
    b = write(tmp_path / "b", {1: {"name": "y", "amount": 1.0, "day": None, "kind": "a"},
                               2: {"name": "z", "amount": None, "day": "2024-01-20", "kind": None}}, [])
    run = [sys.executable, "-m", "energy_ties.cli", "diff", str(a), str(b)]
    js = subprocess.run([*run, "--format", "json"], capture_output=True, text=True)
    report = json.loads(js.stdout)
    jsonschema.validate(report, json.loads((ROOT / "src" / "energy_ties" / "schemas" / "diff.json").read_text()))
    assert report["required_bump"] == "minor"
    assert report["resources"]["items"]["rows"] == {"added": 1, "removed": 0, "modified": 1}
    assert report["resources"]["items"]["changes"][0]["row"]["day"] == "2024-01-20"
    md = subprocess.run([*run, "--format", "markdown"], capture_output=True, text=True).stdout
    assert md.startswith("## [1.0.0] - ") and "### Added\n\n- `items`: 1 row (`2`)." in md
    assert subprocess.run(run, capture_output=True).returncode == 0
    assert subprocess.run([*run, "--exit-code"], capture_output=True).returncode == 1
    assert subprocess.run([*run[:-1], str(a), "--exit-code"], capture_output=True).returncode == 0


@settings(max_examples=60)
@given(st.lists(st.integers(-50, 50), unique=True), st.lists(st.integers(-50, 50), unique=True))
def test_the_sorted_key_shortcut_aligns_rows_as_the_join_does(old_keys, new_keys):
    import pyarrow as pa

    from energy_ties.diffing.rows import _align, _align_sorted

    a = pa.table({"id": pa.array(sorted(old_keys), pa.int64())})
    b = pa.table({"id": pa.array(sorted(new_keys), pa.int64())})
    fast, slow = _align_sorted(a, b, ["id"]), _align(a, b, ["id"])
    assert fast is not None
    assert [x.to_pylist() for x in fast] == [x.to_pylist() for x in slow]
