"""The compiled part profiles accept a part only when jsonschema finds nothing wrong with it.

A part accepted by the compiled code is never shown to jsonschema (see energy_ties.datapackage.quickcheck),
so accepting one that jsonschema refuses would be a wrong "valid". The properties below generate parts
near and far from valid ones and require: accepted, then jsonschema has no error.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from energy_ties.datapackage import compileprofiles, profiles, quickcheck
from helpers import ROOT

KINDS = profiles.part_kinds()

#: Scalars of every JSON type, with the values the profiles' patterns, enums and formats turn on.
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**30), 10**30),
    st.sampled_from([0, 1, -1, 1.0, 0.5, 2**63, float("1e308")]),
    st.floats(allow_nan=False),
    st.text(max_size=8),
    st.sampled_from(
        [
            "", "a", "A b", "data.csv", "../x.csv", "/etc/x", "file:x", "http://x/y.csv", "text/csv", "text/csv\n",
            "a/b", "md5:0aF9", "0" * 32, "sha256:xyz", "x\n", "csv", "json", "utf-8", "default", "any", "%Y-%m-%d",
            "fmt:%Y", "2024-01-01T00:00:00Z", "2024-13-01T00:00:00Z", "2024-01-01", "x@y", "xy", "CC-BY-4.0",
            "string", "integer", "number", "list", "exact", "equal", "subset", "superset", "partial", "table",
            "resource", ",", ";", "\t", '"', "'", "#", "\\", "\x00", "\ud800", "1.0.0",
        ]
    ),
)  # fmt: skip


def _names(node) -> set[str]:
    """Every property name the profile of a part mentions (for keys that reach its checks)."""
    out: set[str] = set()
    if isinstance(node, dict):
        out |= set(node.get("properties", {}))
        for value in node.values():
            out |= _names(value)
    elif isinstance(node, list):
        for value in node:
            out |= _names(value)
    return out


NAMES = sorted(set().union(*(_names(profiles.part_schema(k)) for k in KINDS)) | {"x"})


def values(depth: int = 3):
    keys = st.sampled_from(NAMES)
    return st.recursive(
        SCALARS,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=5),
        max_leaves=12 if depth else 1,
    )


@st.composite
def parts(draw) -> tuple[str, object]:
    """A part kind, and an instance: a dictionary of the profile's own properties (or anything at all)."""
    kind = draw(st.sampled_from(KINDS))
    if draw(st.integers(0, 9)) == 0:
        return kind, draw(values())
    instance = draw(st.dictionaries(st.sampled_from(NAMES), values(), max_size=6))
    if kind.startswith("field:") and draw(st.booleans()):
        instance.setdefault("name", draw(st.sampled_from(["a", "", 5])))
        if kind != "field:" and draw(st.integers(0, 4)):
            instance["type"] = kind[6:]
    return kind, instance


@settings(max_examples=200)
@given(parts())
def test_an_accepted_part_has_no_jsonschema_error(part):
    kind, instance = part
    if quickcheck.accepts(kind, instance):
        assert list(profiles.part_validator(kind).iter_errors(instance)) == []


@pytest.mark.parametrize("kind", KINDS)
def test_a_valid_part_of_each_kind_is_accepted(kind):
    """Not a vacuous shortcut: the plainest valid part of each kind is accepted without jsonschema."""
    plain = {
        "package": {"resources": [{}]},
        "resource": {"name": "r", "path": "r.csv"},
        "schema": {"fields": [{"name": "a"}]},
    }
    instance = plain.get(kind, {} if kind == "dialect" else {"name": "f", **({"type": kind[6:]} if kind[6:] else {})})
    assert list(profiles.part_validator(kind).iter_errors(instance)) == []
    assert quickcheck.accepts(kind, instance)


def test_the_parts_of_our_own_package_are_accepted():
    descriptor = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    assert quickcheck.accepts("package", descriptor)
    for resource in descriptor["resources"]:
        assert quickcheck.accepts("resource", resource)


def test_the_formats_checked_are_the_formats_compiled():
    assert set(profiles.CHECKED_FORMATS) <= set(quickcheck.FORMATS)
    for created in ("yesterday", "2024-13-01T00:00:00Z", "2024-01-01"):
        instance = {"resources": [{}], "created": created}
        assert not quickcheck.accepts("package", instance)
        assert list(profiles.part_validator("package").iter_errors(instance))
    for contributor in ({"title": "a", "email": "nobody"}, {"title": "a", "email": 5}):
        instance = {"resources": [{}], "contributors": [contributor]}
        errors = list(profiles.part_validator("package").iter_errors(instance))
        assert quickcheck.accepts("package", instance) == (not errors)


def test_the_shipped_compiled_profiles_are_what_the_profiles_compile_to():
    pytest.importorskip("fastjsonschema")
    shipped = compileprofiles.target().read_text(encoding="utf-8")
    assert shipped == compileprofiles.compiled_source(), "run: python -m energy_ties.datapackage.compileprofiles"


def test_a_small_valid_package_is_validated_without_importing_jsonschema(tmp_path):
    (tmp_path / "t.csv").write_text("id,day\n1,2024-01-02\n2,2024-01-03\n", encoding="utf-8")
    schema = {"fields": [{"name": "id", "type": "integer"}, {"name": "day", "type": "date"}], "primaryKey": ["id"]}
    descriptor = {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": "p",
        "created": "2024-01-01T00:00:00Z",
        "resources": [{"name": "t", "path": "t.csv", "format": "csv", "schema": schema}],
    }
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    code = (
        "import sys; from energy_ties.cli import main; code = main(['validate', sys.argv[1]]); "
        "print(sorted(m for m in ('jsonschema', 'pyarrow', 'pandas', 'rich') if m in sys.modules)); sys.exit(code)"
    )
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "[]"


#: Where JSON Schema's equality is not Python's (True and 1, 1.0 and 1) or an array must hold unique items.
NEAR_MISSES = [
    ("schema", {"fields": [{"name": "a"}], "primaryKey": ["a", "a"]}),
    ("schema", {"fields": [{"name": "a"}], "uniqueKeys": [["a"], ["a"]]}),
    ("field:integer", {"name": "a", "type": "integer", "constraints": {"minimum": True}}),
    ("field:integer", {"name": "a", "type": "integer", "constraints": {"enum": [1, 1]}}),
    ("field:integer", {"name": "a", "type": "integer", "categories": [1, True]}),
    ("field:integer", {"name": "a", "type": "integer", "categories": [{"value": 1}, {"value": 1}]}),
    ("field:string", {"name": "a", "type": "string", "constraints": {"maxLength": True}}),
    ("field:string", {"name": "a", "type": "string", "constraints": {"maxLength": 1.0}}),
    ("dialect", {"delimiter": ",", "header": 1}),
    ("dialect", {"headerRows": [True]}),
    ("resource", {"name": "a", "path": "a.csv", "bytes": True}),
    ("resource", {"name": "a", "path": "a.csv", "bytes": 1.0}),
    ("resource", {"name": "a", "path": "a.csv", "mediatype": "text/csv\n"}),
]


@pytest.mark.parametrize(("kind", "instance"), NEAR_MISSES)
def test_near_misses_are_accepted_only_where_jsonschema_finds_nothing(kind, instance):
    errors = list(profiles.part_validator(kind).iter_errors(instance))
    assert not (quickcheck.accepts(kind, instance) and errors), errors
