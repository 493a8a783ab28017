"""No descriptor makes the command line fail with an internal error: mutate valid packages at random.

A valid package (two tables joined by a foreign key, one with a dialect and
constraints of every kind, and a plain file with its bytes and hash) is
mutated a few times at random: a value anywhere in the descriptor or its
schemas replaced by one of the wrong JSON type, an extreme number or an odd
string, a property deleted, or a known property added with such a value.
``validate`` (with ``--json`` and without), ``info`` (which loads every table),
``diff`` and ``check-release`` against the original must then exit 0, 1 or 2
with at most a one-line message, never 70 (an internal error).
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import io
import json
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

V2 = "https://datapackage.org/profiles/2.0/datapackage.json"
CODES = {"id": "integer", "name": "string", "day": "date", "score": "number", "tags": "list", "ok": "boolean"}
EVENTS = "id,name,day,score,tags,ok\n1,a,2024-01-02,1.5,x;y,true\n2,b,2024-02-03,-2,z,false\n"
PARENTS = "code;label\n1;one\n2;two\n"
README = "hello\n"


def _original() -> dict:
    events = {
        "fields": [
            {"name": "id", "type": "integer", "constraints": {"required": True, "minimum": 0, "maximum": 100}},
            {
                "name": "name",
                "type": "string",
                "constraints": {"pattern": "[a-z]+", "maxLength": 5, "enum": ["a", "b"]},
            },
            {"name": "day", "type": "date", "format": "default", "constraints": {"minimum": "2000-01-01"}},
            {"name": "score", "type": "number", "decimalChar": ".", "bareNumber": True},
            {"name": "tags", "type": "list", "delimiter": ";", "itemType": "string"},
            {"name": "ok", "type": "boolean", "trueValues": ["true"], "falseValues": ["false"]},
        ],
        "primaryKey": ["id"],
        "uniqueKeys": [["name"]],
        "foreignKeys": [{"fields": ["id"], "reference": {"resource": "parents", "fields": ["code"]}}],
        "missingValues": ["", "NA"],
    }
    parents = {"fields": [{"name": "code", "type": "integer", "categories": [1, 2]}, {"name": "label"}]}
    readme = README.encode()
    return {
        "$schema": V2,
        "name": "mutated",
        "version": "1.0.0",
        "created": "2024-01-01T00:00:00Z",
        "resources": [
            {"name": "events", "path": "events.csv", "type": "table", "format": "csv", "schema": events},
            {
                "name": "parents",
                "path": "parents.csv",
                "schema": parents,
                "dialect": {"delimiter": ";", "quoteChar": '"', "header": True, "headerRows": [1], "commentChar": "#"},
                "encoding": "utf-8",
            },
            {"name": "readme", "path": "README.txt", "bytes": len(readme), "hash": hashlib.md5(readme).hexdigest()},
        ],
    }


#: Values of the wrong JSON type, extreme numbers and odd strings.
ODD: list[Any] = [
    None, True, False, 0, -1, 5, 10**30, -(10**30), 1.5, float("1e308"), "", "abc", "\x00", "\ud800", "a" * 5000,
    "../outside.csv", "/etc/passwd", "fmt:%Y", "0x10", [], [5], ["a", "a"], [[1]], [None], {}, {"a": 1},
    {"fields": 5}, [{"name": 5}], "utf-16", "no-such-codec", "t.csv.gz",
]  # fmt: skip
#: Property names the readers look for.
KEYS = [
    "fields", "primaryKey", "uniqueKeys", "foreignKeys", "missingValues", "trueValues", "falseValues", "categories",
    "categoriesOrdered", "constraints", "pattern", "maxLength", "minLength", "minimum", "maximum", "enum", "required",
    "unique", "jsonSchema", "delimiter", "quoteChar", "escapeChar", "doubleQuote", "headerRows", "commentRows",
    "commentChar", "headerJoin", "header", "skipInitialSpace", "groupChar", "decimalChar", "bareNumber", "itemType",
    "format", "type", "path", "url", "data", "encoding", "bytes", "hash", "schema", "dialect", "name", "fieldsMatch",
    "reference", "resource", "$schema", "created", "profile",
]  # fmt: skip


def _places(node: Any, at: tuple = ()) -> list[tuple]:
    """The path of every value inside ``node`` (a key of an object, or an index of an array)."""
    out = []
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else []
    for key, value in items:
        out.append((*at, key))
        out += _places(value, (*at, key))
    return out


def _containers(node: Any, at: tuple = ()) -> list[tuple]:
    out = [at] if isinstance(node, dict) else []
    for place in _places(node, at):
        value = _get(node, place[len(at) :])
        if isinstance(value, dict):
            out.append(place)
    return out


def _get(node: Any, place: tuple) -> Any:
    for key in place:
        node = node[key]
    return node


@st.composite
def mutated(draw) -> dict:
    descriptor = copy.deepcopy(_original())
    for _ in range(draw(st.integers(1, 3))):
        action = draw(st.sampled_from(["replace", "replace", "delete", "add"]))
        if action == "add":
            place = draw(st.sampled_from(_containers(descriptor)))
            _get(descriptor, place)[draw(st.sampled_from(KEYS))] = copy.deepcopy(draw(st.sampled_from(ODD)))
            continue
        places = _places(descriptor)
        if not places:
            break
        place = draw(st.sampled_from(places))
        parent, key = _get(descriptor, place[:-1]), place[-1]
        if action == "delete":
            del parent[key]
        else:
            parent[key] = copy.deepcopy(draw(st.sampled_from(ODD)))
    return descriptor


def _write(folder: Path, descriptor: dict) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "events.csv").write_text(EVENTS, encoding="utf-8")
    (folder / "parents.csv").write_text(PARENTS, encoding="utf-8")
    (folder / "README.txt").write_text(README, encoding="utf-8")
    (folder / "CHANGELOG.md").write_text("# Changelog\n\n## [1.0.0] - 2024-01-01\n\n- First.\n", encoding="utf-8")
    target = folder / "datapackage.json"
    target.write_text(json.dumps(descriptor, ensure_ascii=True), encoding="utf-8")  # lone surrogates escaped
    return target


def _cli(argv: list[str]) -> tuple[int, str]:
    from energy_ties.cli import main

    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict")
    err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict")
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    err.flush()
    return code, err.buffer.getvalue().decode("utf-8")


def test_the_original_is_valid(tmp_path):
    assert _cli(["validate", "--profile", "none", str(_write(tmp_path, _original()))]) == (0, "")


@settings(max_examples=70)
@given(mutated())
def test_no_descriptor_makes_an_internal_error(tmp_path_factory, descriptor):
    original = _write(tmp_path_factory.mktemp("original"), _original())
    path = _write(tmp_path_factory.mktemp("mutated"), descriptor)
    for argv in (
        ["validate", "--json", "--profile", "none", str(path)],
        ["validate", "--profile", "none", str(path)],
        ["info", str(path)],
        ["diff", str(original), str(path)],
        ["check-release", str(path.parent), "--against", str(original.parent)],
    ):
        code, stderr = _cli(argv)
        assert code in (0, 1, 2), (argv[0], code, stderr, json.dumps(descriptor, ensure_ascii=True)[:2000])
        assert "internal error" not in stderr and stderr.count("\n") <= 1, (argv[0], stderr)
