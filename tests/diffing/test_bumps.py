"""Each kind of change, alone, demands the bump the Data Package Version rules give it."""

from __future__ import annotations

import copy
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from energy_ties import diff
from helpers import csv_text
from helpers.diffpkg import ITEMS, LINKS, bump_of, links_csv, nonempty, write


@settings(max_examples=25)
@given(nonempty)
def test_adding_rows_is_minor(scratch, t):
    def change(items, notes, kw):
        items[max(items) + 1] = {"name": "new", "amount": 1.0, "day": None, "kind": "a"}
        return items, notes, kw

    assert bump_of(scratch, change, t) == ("minor", {"rows-added"})


@settings(max_examples=25)
@given(nonempty)
def test_removing_rows_is_major(scratch, t):
    def change(items, notes, kw):
        last = list(items)[-1]
        del items[last]
        kw["extra_resources"]["links"] = (kw["extra_resources"]["links"][0], links_csv(items))
        return items, notes, kw

    bump, rules = bump_of(scratch, change, t)
    assert bump == "major" and "rows-removed" in rules


@settings(max_examples=25)
@given(nonempty, st.sampled_from(["name", "amount", "day", "kind"]))
def test_correcting_values_is_a_patch(scratch, t, field):
    def change(items, notes, kw):
        row = items[list(items)[-1]]
        row[field] = (
            {"name": "fixed", "amount": 99.5, "day": "2001-02-03", "kind": "c"}[field]
            if row[field] != {"name": "fixed", "amount": 99.5, "day": "2001-02-03", "kind": "c"}[field]
            else None
        )
        return items, notes, kw

    assert bump_of(scratch, change, t) == ("patch", {"values-corrected"})


@settings(max_examples=15)
@given(nonempty)
def test_adding_a_resource_is_minor_and_removing_one_major(scratch, t):
    def add(items, notes, kw):
        kw["extra_resources"]["extra"] = ({"fields": [{"name": "x"}]}, "x\n1\n")
        return items, notes, kw

    assert bump_of(scratch, add, t) == ("minor", {"resource-added"})

    def remove(items, notes, kw):
        del kw["extra_resources"]["links"]
        return items, notes, kw

    assert bump_of(scratch, remove, t) == ("major", {"resource-removed"})


@settings(max_examples=15)
@given(nonempty)
def test_renaming_a_resource_is_major_and_not_a_delete_plus_add(scratch, t):
    def rename(items, notes, kw):
        kw["extra_resources"]["links2"] = kw["extra_resources"].pop("links")
        return items, notes, kw

    assert bump_of(scratch, rename, t) == ("major", {"resource-renamed"})


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


MAJOR_SCHEMA = {
    "field-renamed": _rename_field,
    "field-added": _append_field,
    "field-removed": _drop_field,
    "fields-reordered": _reorder,
    "type-changed": _retype,
    "format-changed": _reformat,
    "primary-key": _new_primary_key,
}


@settings(max_examples=10)
@given(nonempty, st.sampled_from(sorted(MAJOR_SCHEMA)))
def test_schema_changes_that_break_users_are_major(scratch, t, rule):
    bump, rules = bump_of(scratch, _schema_edit(MAJOR_SCHEMA[rule]), t)
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
def test_a_stricter_constraint_is_major(scratch, t, which):
    def edit(schema, items):
        TIGHTER[which](schema["fields"][TARGET[which]])

    bump, rules = bump_of(scratch, _schema_edit(edit), t)
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
def test_a_looser_constraint_is_minor(scratch, t, which):
    def edit(schema, items):
        LOOSER[which](schema["fields"][LOOSE_TARGET[which]])

    bump, rules = bump_of(scratch, _schema_edit(edit), t)
    assert bump == "minor" and rules == {"constraint-loosened"}, (which, rules)


@settings(max_examples=10)
@given(nonempty)
def test_descriptive_metadata_is_a_patch_and_moving_data_is_no_change(scratch, tmp_path_factory, t):
    def describe(items, notes, kw):
        kw["items_schema"]["fields"][1]["description"] = "what the item is called"
        return items, notes, kw

    assert bump_of(scratch, describe, t) == ("patch", {"metadata-changed"})
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
def test_renaming_the_package_is_major(scratch, t):
    tmp = scratch / "n"
    a = write(tmp / "a", *t)
    b = write(tmp / "b", *t)
    descriptor = json.loads(b.read_text())
    descriptor["name"] = "renamed"
    b.write_text(json.dumps(descriptor))
    assert {r.rule for r in diff(a, b).reasons} == {"package-renamed"} and diff(a, b).required_bump == "major"


@settings(max_examples=10)
@given(nonempty)
def test_changing_a_referenced_row_is_major_and_pointing_at_new_rows_minor(scratch, t):
    items, notes = t
    first = list(items)[0]

    def repoint(items, notes, kw):
        new_id = max(items) + 1
        links = links_csv(items, first=new_id)
        items[new_id] = {"name": "n", "amount": None, "day": None, "kind": None}
        kw["extra_resources"]["links"] = (LINKS, links)
        return items, notes, kw

    bump, rules = bump_of(scratch, repoint, t)
    assert "reference-to-new-data" in rules and bump == "minor", rules

    schema = copy.deepcopy(ITEMS)
    schema["fields"][1]["constraints"]["unique"] = True
    links = {
        "fields": [{"name": "id", "type": "integer"}, {"name": "item", "type": "string"}],
        "primaryKey": ["id"],
        "foreignKeys": [{"fields": ["item"], "reference": {"resource": "items", "fields": ["name"]}}],
    }
    tmp = scratch / "ref"
    named = {k: {**v, "name": f"n{k}"} for k, v in items.items()}
    link_rows = csv_text(["id", "item"], [["1", f"n{first}"]])
    a = write(tmp / "a", named, notes, items_schema=schema, extra_resources={"links": (links, link_rows)})
    changed = copy.deepcopy(named)
    changed[first]["name"] = "renamed"
    b = write(tmp / "b", changed, notes, items_schema=schema, extra_resources={"links": (links, link_rows)})
    d = diff(a, b)
    assert "referenced-value-changed" in {r.rule for r in d.reasons} and d.required_bump == "major"
