"""Faulty tables: generated Table Schemas and tables full of trouble, written as a two-table package.

A case is a table ``t`` (generated schema, header and cells) and a table ``ref`` it may reference:
cells outside their type, in odd but valid forms (" 5", "1_000", "NaN", "2024-1-5"), at and past their
bounds; quoted line breaks; blank, short, long and duplicate rows (so duplicate primary keys); wrong,
missing, extra and duplicate header labels; LF, CRLF or a byte order mark. Used by the frictionless
agreement property and by the batch-boundary properties.

Known, documented differences from frictionless are kept out of the generated data: patterns here have
no top-level ``|`` and pattern cells no line breaks (frictionless wraps ``pattern`` as ``^...$`` and
matches with ``re.match``), and primary-key fields are declared ``required``, as v2 says a key implies.
"""

from __future__ import annotations

import json
import string
from pathlib import Path

from hypothesis import strategies as st

from . import csv_text, write_file

DIALECT = {"delimiter": ",", "quoteChar": '"', "doubleQuote": True, "skipInitialSpace": False, "header": True}
PATTERNS = ["[a-c]+", "x[0-9]{2}", "[A-Z][a-z]*", ".{2,4}", "(ab)+c?", "[^,]*z"]
TOKENS = {
    "string": ["", "a", "abc", "x12", "Zed", "ab", "ababc", "zz", " a", "NA", "-", "é", "a,b", 'q"uote', "line\nbreak"],
    "integer": [
        "",
        "0",
        "5",
        "-3",
        "12",
        "+7",
        " 8 ",
        "1_000",
        "007",
        "٣",
        "1.5",
        "x",
        "NA",
        "-",
        "99999999999999999999",
        "1e3",
        "5 ",
        "-0",
    ],
    "number": [
        "",
        "0",
        "0.5",
        "-2.25",
        "1e3",
        "1E-2",
        "NaN",
        "inf",
        "-Infinity",
        " 3.5",
        "1_0.5",
        "x",
        "NA",
        "-",
        "0.1000000000000000000001",
        "12345678901234567890",
        ".5",
        "5.",
        "1,5",
        "+4",
    ],
    "boolean": ["", "true", "false", "True", "FALSE", "1", "0", "yes", "t", "NA", "-"],
    "date": [
        "",
        "2024-01-20",
        "2024-1-5",
        "2023-02-29",
        "2024-02-29",
        "0001-01-01",
        "9999-12-31",
        "2024-13-01",
        "24-01-01",
        "2024-01-01T00:00",
        "x",
        "NA",
        "-",
        "1999-12-31",
    ],
    "year": ["", "2024", "0999", "999", "10000", " 202", "20 4", "+202", "x", "NA", "-", "0000"],
    "list": ["", "1", "1,2", "1,,2", "a", "1,x", "3,4,5", "NA", "-"],
    "any": ["", "anything", "1", "NA", "-", "x y"],
    "yearmonth": ["", "2024-01", "2024-1", "2024-13", "24-05", "2024", "x", "-5-3", "NA"],
    "time": ["", "12:30:00", "12:30", "25:00:00", "12:30:00Z", "12:30:00+02:00", "1:2:3", "x", "NA"],
    "object": ["", "{}", '{"a": 1}', "[]", "{bad", "1", "NA"],
    "array": ["", "[]", "[1, 2]", "{}", "[bad", '["a"]', "NA"],
    "duration": ["", "P1Y", "PT1H30M", "P1.5D", "P", "1Y", "PT", "P1W", "x", "NA"],
}
BOUNDS = {
    "integer": [-3, 0, 5, 12],
    "number": [-2.25, 0, 0.5, 1000],
    "year": [1000, 2024],
    "date": ["2000-01-01", "2024-01-20"],
}
ENUMS = {
    "string": ["a", "abc", "zz"],
    "integer": [0, 5, 12],
    "number": [0.5, 1000, -2.25],
    "boolean": [True],
    "date": ["2024-01-20"],
    "year": [2024],
    "any": ["anything", "1"],
    "yearmonth": ["2024-01"],
}
UNHASHABLE = ("list", "object", "array")  # frictionless cannot put their values in a uniqueness set


@st.composite
def field(draw, name: str) -> dict:
    ftype = draw(st.sampled_from(list(TOKENS)))
    f: dict = {"name": name, "type": ftype}
    if ftype == "list":
        f["itemType"] = draw(st.sampled_from(["integer", "string"]))
    c: dict = {}
    if draw(st.booleans()):
        c["required"] = True
    if draw(st.integers(0, 4)) == 0 and ftype not in UNHASHABLE:
        c["unique"] = True
    if ftype == "string":
        if draw(st.booleans()):
            c["pattern"] = draw(st.sampled_from(PATTERNS))
        if draw(st.booleans()):
            c["minLength"] = draw(st.integers(0, 3))
        if draw(st.booleans()):
            c["maxLength"] = draw(st.integers(1, 4))
    if ftype == "list" and draw(st.booleans()):
        c["minLength" if draw(st.booleans()) else "maxLength"] = draw(st.integers(1, 2))
    if ftype in BOUNDS:
        for key in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
            if draw(st.integers(0, 3)) == 0:
                c[key] = draw(st.sampled_from(BOUNDS[ftype]))
    if ftype in ENUMS and draw(st.integers(0, 3)) == 0:
        c["enum"] = draw(st.lists(st.sampled_from(ENUMS[ftype]), min_size=1, max_size=3, unique=True))
    if c:
        f["constraints"] = c
    if ftype in ("integer", "number") and draw(st.integers(0, 5)) == 0:
        f["bareNumber"] = False
    if ftype == "number" and draw(st.integers(0, 5)) == 0:
        f["groupChar"] = ","
    if ftype == "list" and draw(st.booleans()):
        f["delimiter"] = ";"
    return f


@st.composite
def case(draw):
    """A package: table `t` (generated schema and cells) and table `ref` it may reference."""
    n = draw(st.integers(1, 4))
    names = [f"f{i}" for i in range(n)]
    fields = [draw(field(nm)) for nm in names]
    schema: dict = {"fields": fields}
    if draw(st.booleans()):
        schema["missingValues"] = draw(st.sampled_from([[""], ["", "NA"], ["-"], []]))
    keyable = [f["name"] for f in fields if f["type"] not in UNHASHABLE]
    if keyable and draw(st.booleans()):
        pk = draw(st.lists(st.sampled_from(keyable), min_size=1, max_size=2, unique=True))
        schema["primaryKey"] = pk
        for f in fields:
            if f["name"] in pk:
                f.setdefault("constraints", {})["required"] = True
    ref = {"fields": [{"name": "code", "type": "string"}, {"name": "num", "type": "integer"}]}
    ref_rows = draw(
        st.lists(
            st.tuples(st.sampled_from(["a", "abc", "5", "x12", "", "zz"]), st.sampled_from(["5", "0", "12", "x", ""])),
            max_size=4,
        )
    )
    if keyable and draw(st.booleans()):
        target = draw(st.sampled_from(keyable))
        if draw(st.booleans()):
            schema["foreignKeys"] = [
                {
                    "fields": [target],
                    "reference": {
                        "resource": "ref",
                        "fields": [
                            "num"
                            if next(f for f in fields if f["name"] == target)["type"] in ("integer", "number")
                            else "code"
                        ],
                    },
                }
            ]
        else:
            other = draw(st.sampled_from(keyable))
            schema["foreignKeys"] = [{"fields": [target], "reference": {"fields": [other]}}]
    # the cells
    pattern_fields = {f["name"] for f in fields if "pattern" in f.get("constraints", {})}
    rows = []
    for _ in range(draw(st.integers(0, 7))):
        kind = draw(st.sampled_from(["normal"] * 6 + ["blank", "short", "long", "copy"]))
        if kind == "copy" and rows:
            rows.append(list(draw(st.sampled_from(rows))))
            continue
        cells = []
        for f in fields:
            pool = TOKENS[f["type"]]
            if f["name"] in pattern_fields:
                pool = [t for t in pool if "\n" not in t] + ["ab", "abc", "x12", "Qwe", "aab", "ababc", "z"]
                token = draw(st.one_of(st.sampled_from(pool), st.text(string.ascii_letters + "0129", max_size=4)))
            else:
                token = draw(st.sampled_from(pool))
            cells.append(token)
        if kind == "blank":
            cells = [draw(st.sampled_from(["", "NA", "-"])) for _ in fields]
        elif kind == "short":
            cells = cells[: draw(st.integers(0, max(0, len(cells) - 1)))]
        elif kind == "long":
            cells = cells + draw(st.lists(st.sampled_from(["", "x", "1"]), min_size=1, max_size=2))
        rows.append(cells)
    header = [f["name"] for f in fields]
    fault = draw(st.sampled_from(["none"] * 6 + ["rename", "drop", "extra", "duplicate", "blank"]))
    if fault == "rename":
        header[draw(st.integers(0, n - 1))] = "other"
    elif fault == "drop" and n > 1:
        header = header[:-1]
    elif fault == "extra":
        header = header + ["spare"]
    elif fault == "duplicate" and n > 1:
        header[-1] = header[0]
    elif fault == "blank":
        header[draw(st.integers(0, n - 1))] = ""
    layout = draw(st.sampled_from(["lf"] * 4 + ["crlf", "bom"]))
    return schema, header, rows, ref, ref_rows, layout


def write(folder: Path, schema, header, rows, ref, ref_rows, layout="lf", dialect: dict | None = None) -> Path:
    """Write a case; ``dialect`` is merged into both tables' dialects."""
    folder.mkdir(parents=True, exist_ok=True)
    text = _csv(header, rows)
    if layout == "crlf":
        text = text.replace("\n", "\r\n")  # quoted line breaks too: they stay inside their quotes
    elif layout == "bom":
        text = "\ufeff" + text
    write_file(folder / "t.csv", text)
    write_file(folder / "ref.csv", _csv(["code", "num"], [list(r) for r in ref_rows]))
    descriptor = {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": "agreement",
        "resources": [
            {
                "name": "t",
                "path": "t.csv",
                "format": "csv",
                "encoding": "utf-8",
                "dialect": DIALECT | (dialect or {}),
                "schema": schema,
            },
            {
                "name": "ref",
                "path": "ref.csv",
                "format": "csv",
                "encoding": "utf-8",
                "dialect": DIALECT | (dialect or {}),
                "schema": ref,
            },
        ],
    }
    path = folder / "datapackage.json"
    write_file(path, json.dumps(descriptor))
    return path


def _csv(header, rows) -> str:
    return csv_text(header, rows)
