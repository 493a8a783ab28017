"""Conformance cases: small data packages, each with the outcome energy-ties must give.

Every case writes one package into a folder it is given (``case.build(folder)``
returns the path to validate: a descriptor, a folder or a zip). What is expected
is one of four things (``case.compare``):

- ``"errors"``  same as frictionless: the ordered list of
  (error type, resource, row, field number) must be equal;
- ``"types"``   same as frictionless, where frictionless's placement of the
  errors is not comparable (it reports descriptor errors on the package and
  stops): the verdict and the set of error types must be equal;
- ``"verdict"`` same as frictionless: valid or invalid only;
- ``"v2"``      the Data Package v2 text decides otherwise: ``case.valid`` and,
  when given, the exact set ``case.types`` of error types, with the deciding
  sentence quoted verbatim in ``case.quote`` from ``case.page``.

And for every case, whatever it compares: no internal error (exit 70, or an
exception other than an unreadable-input error out of the library).

``klass`` is the class of the issue the case belongs to: "1" (internal errors on
odd descriptors), "2" (v2 rules missed), "3" (inputs frictionless reads and we
cannot), or "agree" (plain cases the baseline should already get right).

The module also holds the helpers test_conformance.py uses: ``theirs``
(frictionless's errors), ``ours_from_report`` / ``ours_from_errors``
(energy-ties's) and ``judge``. Class 3 cases build their files lazily (the
spreadsheet writers openpyxl and ezodf are imported only when a case is built).
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from helpers.inputs import ods_bytes, xlsx_bytes

V2 = "https://datapackage.org/profiles/2.0/datapackage.json"
V1 = "https://datapackage.org/profiles/1.0/datapackage.json"

# spec pages (Data Package v2.0, datapackage.org)
DR = "https://datapackage.org/standard/data-resource/"
DPK = "https://datapackage.org/standard/data-package/"
TS = "https://datapackage.org/standard/table-schema/"
TD = "https://datapackage.org/standard/table-dialect/"
GL = "https://datapackage.org/standard/glossary/"

INT = {"fields": [{"name": "id", "type": "integer"}, {"name": "name", "type": "string"}]}
OK_CSV = "id,name\n1,a\n2,b\n"
BAD_CSV = "id,name\n1,a\nx,b\n"


@dataclass(frozen=True)
class Case:
    id: str
    klass: str  # "1", "2", "3" or "agree"
    build: Callable[[Path], Path]
    compare: str = "errors"  # "errors" | "types" | "verdict" | "v2"
    valid: bool | None = None  # "v2": the expected verdict
    types: frozenset | None = None  # "v2": the expected set of error types (None: not checked)
    quote: str = ""  # "v2": the deciding sentence, verbatim
    page: str = ""  # "v2": where it is
    unreadable_ok: bool = False  # exit 2 (cannot be read at all) counts as the invalid verdict
    needs: tuple = ()  # optional modules frictionless needs to read the case (e.g. openpyxl)
    note: str = ""


CASES: list[Case] = []


# ---------------------------------------------------------------- writing packages


def _write(folder: Path, files: dict[str, Any]) -> None:
    for rel, content in files.items():
        if content is None:  # a case that reads another file than t.csv
            continue
        target = folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if callable(content):
            content = content()
        target.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))


def _dump(descriptor: Any, fmt: str = "json") -> str:
    if isinstance(descriptor, str):
        return descriptor
    if fmt == "yaml":
        import yaml

        return yaml.safe_dump(descriptor, sort_keys=False, allow_unicode=True)
    return json.dumps(descriptor, indent=1)


def builder(
    descriptor: Any,
    files: dict | None = None,
    *,
    name: str = "datapackage.json",
    fmt: str = "json",
    zip_as: str | None = None,
) -> Callable[[Path], Path]:
    """Write ``descriptor`` (dict, or raw text) as ``name`` beside ``files``; optionally zip it all."""

    def build(folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        content = {name: _dump(descriptor, fmt), **(files or {})}
        if zip_as is None:
            _write(folder, content)
            return folder / name
        target = folder / zip_as
        with zipfile.ZipFile(target, "w") as zf:
            for rel, data in content.items():
                zf.writestr(rel, data() if callable(data) else data)
        return target

    return build


def resource(name: str = "t", path: Any = "t.csv", schema: Any = INT, **props) -> dict:
    r: dict = {"name": name}
    if path is not None:
        r["path"] = path
    if schema is not None:
        r["schema"] = schema
    r.update(props)
    return r


def package(*resources: dict, v2: bool = True, **props) -> dict:
    d: dict = {"$schema": V2} if v2 else {}
    d["name"] = "case"
    d.update(props)
    d["resources"] = list(resources)
    return d


def add(id: str, klass: str, build: Callable[[Path], Path], **expect) -> None:
    if "types" in expect and expect["types"] is not None:
        expect["types"] = frozenset(expect["types"])
    CASES.append(Case(id=id, klass=klass, build=build, **expect))


def table(
    id: str, klass: str, csv: Any, schema: Any = INT, *, files: dict | None = None, pkg: dict | None = None, **rest
) -> None:
    """A case of one resource ``t`` read from ``t.csv`` (``csv``), with ``schema`` and extra resource props."""
    res_props = rest.pop("res", {})
    add(
        id,
        klass,
        builder(package(resource(schema=schema, **res_props), **(pkg or {})), {"t.csv": csv, **(files or {})}),
        **rest,
    )


def field_case(id: str, klass: str, fdesc: dict, cells: list[str], **rest) -> None:
    """One field ``f`` described by ``fdesc``, one column of ``cells`` (quoted as needed)."""
    fdesc = {"name": "f", **fdesc}
    body = "".join(_cell(c) + "\n" for c in cells)
    table(id, klass, "f\n" + body, {"fields": [fdesc]}, **rest)


def _cell(c: str) -> str:
    if c == "":
        return '""'
    if any(ch in c for ch in ',"\r\n'):
        return '"' + c.replace('"', '""') + '"'
    return c


def gz(text: str) -> bytes:
    return gzip.compress(text.encode("utf-8"), mtime=0)


def zipped(entries: dict[str, str | bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for n, d in entries.items():
            zf.writestr(n, d)
    return buf.getvalue()


def encrypted_zip(entries: dict[str, str | bytes]) -> bytes:
    """A zip whose entries carry the 'encrypted' flag (readers then ask for a password)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        for n, d in entries.items():
            zf.writestr(n, d)
    data = bytearray(buf.getvalue())
    for sig, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        i = data.find(sig)
        while i != -1:
            data[i + offset] |= 1
            i = data.find(sig, i + 4)
    return bytes(data)


def xlsx(rows: list[list[Any]]) -> Callable[[], bytes]:
    return lambda: xlsx_bytes(rows)


def ods(rows: list[list[Any]]) -> Callable[[], bytes]:
    return lambda: ods_bytes(rows)


# ================================================================ agree: plain cases

A = "agree"
# --- types
field_case("type-integer-ok", A, {"type": "integer"}, ["1", "-2", "+3", "0", "007"])
field_case("type-integer-bad", A, {"type": "integer"}, ["1", "1.5", "abc", "1e3", ""])
field_case("type-integer-huge", A, {"type": "integer"}, ["99999999999999999999999", "-5"])
field_case("type-number-ok", A, {"type": "number"}, ["1.5", "-2", "1e3", "NaN", "INF", "-INF", ".5"])
field_case("type-number-bad", A, {"type": "number"}, ["1,5", "abc", "1.2.3"])
field_case("type-number-decimalChar", A, {"type": "number", "decimalChar": ","}, ["1,5", "2", "1.5"])
field_case("type-number-groupChar", A, {"type": "number", "groupChar": ","}, ["1,000.5", "12", "1.000,5"])
field_case("type-number-bareNumber-false", A, {"type": "number", "bareNumber": False}, ["95%", "€95", "EUR 95", "x"])
field_case("type-integer-bareNumber-false", A, {"type": "integer", "bareNumber": False}, ["95%", "$7", "x"])
field_case("type-integer-groupChar", A, {"type": "integer", "groupChar": " "}, ["1 000", "12", "1,000"])
field_case("type-boolean-ok", A, {"type": "boolean"}, ["true", "false", "True", "FALSE", "1", "0"])
field_case("type-boolean-bad", A, {"type": "boolean"}, ["yes", "t", "2"])
field_case(
    "type-boolean-trueValues",
    A,
    {"type": "boolean", "trueValues": ["yes"], "falseValues": ["no"]},
    ["yes", "no", "true"],
)
field_case("type-date-ok", A, {"type": "date"}, ["2024-01-20", "2024-02-29", "0001-01-01"])
field_case("type-date-bad", A, {"type": "date"}, ["2024-13-01", "2023-02-29", "2024-1-5", "20240120"])
field_case("type-date-pattern", A, {"type": "date", "format": "%d/%m/%Y"}, ["05/01/2024", "2024-01-05", "31/02/2024"])
field_case("type-time-ok-bad", A, {"type": "time"}, ["12:30:00", "23:59:59", "25:00:00", "12:30", "x"])
field_case(
    "type-datetime-ok-bad",
    A,
    {"type": "datetime"},
    ["2024-01-26T15:00:00", "2024-01-26T15:00:00Z", "2024-01-26T15:00:00.300-05:00", "2024-01-26", "x"],
)
field_case("type-year", A, {"type": "year"}, ["2024", "0999", "20x4", "10000"])
field_case("type-yearmonth", A, {"type": "yearmonth"}, ["2024-01", "2024-13", "2024", "x"])
field_case("type-duration", A, {"type": "duration"}, ["P1Y2M", "PT1H30M", "P1W", "x", "1Y"])
field_case("type-geopoint-default", A, {"type": "geopoint"}, ["90.5, 45.5", "90.5,45.5", "x", "1"])
field_case("type-geopoint-array", A, {"type": "geopoint", "format": "array"}, ["[90.5, 45.5]", "[1]", "x"])
field_case(
    "type-geopoint-object",
    A,
    {"type": "geopoint", "format": "object"},
    ['{"lon": 90.5, "lat": 45.5}', '{"lon": 1}', "x"],
)
field_case("type-object", A, {"type": "object"}, ['{"a": 1}', "{}", "[1]", "{bad", "1"])
field_case("type-array", A, {"type": "array"}, ["[1, 2]", "[]", "{}", "[bad"])
field_case("type-list-integer", A, {"type": "list", "itemType": "integer"}, ["1,2,3", "4", "1,x"])
field_case("type-list-delimiter", A, {"type": "list", "delimiter": ";"}, ["a;b", "c"])
field_case("type-string-email", A, {"type": "string", "format": "email"}, ["a@example.org", "not-an-email"])
field_case("type-string-uuid", A, {"type": "string", "format": "uuid"}, ["0f8fad5b-d9cb-469f-a165-70867728950e", "xyz"])
field_case("type-string-uri", A, {"type": "string", "format": "uri"}, ["http://example.org/x", "not a uri"])
field_case("type-string-binary", A, {"type": "string", "format": "binary"}, ["aGVsbG8=", "!!!"])
field_case("type-any", A, {"type": "any"}, ["1", "x", "{}"])
field_case("type-absent-is-any", A, {}, ["1", "x", "2024-01-01"])
# --- constraints
table(
    "constraint-required",
    A,
    "id,name\n1,a\n2,\n3,b\n",
    {
        "fields": [
            {"name": "id", "type": "integer"},
            {"name": "name", "type": "string", "constraints": {"required": True}},
        ]
    },
)
field_case(
    "one-column-empty-cell-is-blank-row",
    A,
    {"type": "string", "constraints": {"required": True}},
    ["a", "", "b"],
    note="in a one-column table an empty cell makes a blank row, not a required error",
)
table(
    "constraint-required-missingValue",
    A,
    "id,name\n1,a\n2,NA\n",
    {
        "fields": [
            {"name": "id", "type": "integer"},
            {"name": "name", "type": "string", "constraints": {"required": True}},
        ],
        "missingValues": ["", "NA"],
    },
)
field_case("constraint-unique", A, {"type": "integer", "constraints": {"unique": True}}, ["1", "2", "1", "", ""])
field_case(
    "constraint-minLength-maxLength",
    A,
    {"type": "string", "constraints": {"minLength": 2, "maxLength": 3}},
    ["a", "ab", "abcd", ""],
)
field_case(
    "constraint-minimum-maximum",
    A,
    {"type": "integer", "constraints": {"minimum": 0, "maximum": 10}},
    ["-1", "0", "10", "11"],
)
field_case(
    "constraint-exclusive",
    A,
    {"type": "number", "constraints": {"exclusiveMinimum": 0, "exclusiveMaximum": 1}},
    ["0", "0.5", "1"],
)
field_case(
    "constraint-date-minimum",
    A,
    {"type": "date", "constraints": {"minimum": "2024-01-01"}},
    ["2023-12-31", "2024-01-01"],
)
field_case("constraint-minimum-string-value", A, {"type": "integer", "constraints": {"minimum": "5"}}, ["4", "5"])
field_case("constraint-pattern", A, {"type": "string", "constraints": {"pattern": "[a-c]+"}}, ["abc", "abd", "x"])
field_case("constraint-enum-string", A, {"type": "string", "constraints": {"enum": ["a", "b"]}}, ["a", "c"])
field_case("constraint-enum-integer", A, {"type": "integer", "constraints": {"enum": [1, 2]}}, ["1", "3", "02"])
field_case("constraint-list-length", A, {"type": "list", "constraints": {"minLength": 2}}, ["a,b", "a"])
field_case(
    "constraint-several-in-one-cell",
    A,
    {"type": "string", "constraints": {"minLength": 3, "pattern": "[0-9]+", "enum": ["1234"]}},
    ["ab"],
)
# --- keys
PK = {**INT, "primaryKey": ["id"]}
table("pk-ok", A, OK_CSV, PK)
table("pk-duplicate", A, "id,name\n1,a\n1,b\n2,c\n1,d\n", PK)
table("pk-composite-duplicate", A, "id,name\n1,a\n1,b\n1,a\n", {**INT, "primaryKey": ["id", "name"]})
FK_SELF = {
    "fields": [{"name": "id", "type": "integer"}, {"name": "parent", "type": "integer"}],
    "foreignKeys": [{"fields": ["parent"], "reference": {"fields": ["id"]}}],
}
table("fk-self-ok", A, "id,parent\n1,\n2,1\n", FK_SELF)
table("fk-self-bad", A, "id,parent\n1,\n2,5\n", FK_SELF)
CHILD = {
    "fields": [{"name": "id", "type": "integer"}, {"name": "code", "type": "string"}],
    "foreignKeys": [{"fields": ["code"], "reference": {"resource": "p", "fields": ["code"]}}],
}
PARENT = {"fields": [{"name": "code", "type": "string"}]}
add(
    "fk-other-ok",
    A,
    builder(
        package(resource(schema=CHILD), resource("p", "p.csv", PARENT)),
        {"t.csv": "id,code\n1,a\n2,\n", "p.csv": "code\na\nb\n"},
    ),
)
add(
    "fk-other-bad",
    A,
    builder(
        package(resource(schema=CHILD), resource("p", "p.csv", PARENT)),
        {"t.csv": "id,code\n1,a\n2,z\n3,y\n", "p.csv": "code\na\nb\n"},
    ),
)
add(
    "fk-composite-bad",
    A,
    builder(
        package(
            resource(
                schema={
                    "fields": [{"name": "a"}, {"name": "b"}],
                    "foreignKeys": [{"fields": ["a", "b"], "reference": {"resource": "p", "fields": ["x", "y"]}}],
                }
            ),
            resource("p", "p.csv", {"fields": [{"name": "x"}, {"name": "y"}]}),
        ),
        {"t.csv": "a,b\n1,2\n1,3\n", "p.csv": "x,y\n1,2\n"},
    ),
)
add(
    "fk-unknown-resource",
    A,
    builder(
        package(
            resource(
                schema={
                    **INT,
                    "foreignKeys": [{"fields": ["id"], "reference": {"resource": "ghost", "fields": ["id"]}}],
                }
            )
        ),
        {"t.csv": OK_CSV},
    ),
    compare="types",
)
table("pk-unknown-field", A, OK_CSV, {**INT, "primaryKey": ["nope"]}, compare="types")
# --- header
table("header-extra-label", A, "id,name,x\n1,a,b\n", INT)
table("header-missing-label", A, "id\n1\n", INT)
table("header-blank-label", A, "id,\n1,a\n", INT)
table("header-incorrect-label", A, "id,nom\n1,a\n", INT)
table("header-duplicate-label", A, "id,id\n1,a\n", INT)
table("header-case", A, "ID,name\n1,a\n", INT)
table("header-false", A, "1,a\nx,b\n", INT, res={"dialect": {"header": False}})
table(
    "header-rows-joined",
    A,
    "fruit,fruit\nid,name\n1,apple\nx,pear\n",
    {"fields": [{"name": "fruit id", "type": "integer"}, {"name": "fruit name"}]},
    res={"dialect": {"headerRows": [1, 2]}},
)
table(
    "header-rows-joined-dash",
    A,
    "fruit,fruit\nid,name\n1,apple\n",
    {"fields": [{"name": "fruit-id", "type": "integer"}, {"name": "fruit-name"}]},
    res={"dialect": {"headerRows": [1, 2], "headerJoin": "-"}},
)
# --- rows
table("row-extra-cell", A, "id,name\n1,a,z\n2,b\n", INT)
table("row-missing-cell", A, "id,name\n1\n2,b\n", INT)
table("row-blank", A, "id,name\n1,a\n,\n2,b\n", INT)
table("row-blank-empty-line", A, "id,name\n1,a\n\n2,b\n", INT)
table("row-many-errors-order", A, "id,name\nx,a,z\n,\ny\n", {**INT, "primaryKey": ["id"]})
table("file-empty", A, "", INT)
table("file-header-only", A, "id,name\n", INT)
table("file-bom", A, "\ufeffid,name\n1,a\n", INT)
table("file-crlf", A, "id,name\r\n1,a\r\nx,b\r\n", INT)
table("file-quoted-newline", A, 'id,name\n1,"a\nb"\nx,c\n', INT)
table("file-no-final-newline", A, "id,name\n1,a\nx,b", INT)
table("encoding-latin1-declared", A, "id,name\n1,caf\xe9\n".encode("latin-1"), INT, res={"encoding": "iso-8859-1"})
table(
    "encoding-error",
    A,
    b"id,name\n1,a\n2,\xff\xfe\n",
    INT,
    res={"encoding": "utf-8"},
    compare="types",
    note="frictionless gives the encoding-error no row; energy-ties names it (documented)",
)
# --- dialects
table("dialect-semicolon", A, "id;name\n1;a\nx;b\n", INT, res={"dialect": {"delimiter": ";"}})
table("dialect-tab", A, "id\tname\n1\ta\nx\tb\n", INT, res={"dialect": {"delimiter": "\t"}})
table("dialect-quoteChar", A, "id,name\n1,'a,b'\nx,'c'\n", INT, res={"dialect": {"quoteChar": "'"}})
table(
    "dialect-doubleQuote-false-escapeChar",
    A,
    'id,name\n1,"a\\"b"\nx,c\n',
    INT,
    res={"dialect": {"doubleQuote": False, "escapeChar": "\\"}},
)
table("dialect-skipInitialSpace", A, "id, name\n1, a\n 2, b\n", INT, res={"dialect": {"skipInitialSpace": True}})
table("dialect-commentChar", A, "id,name\n#note\n1,a\nx,b\n", INT, res={"dialect": {"commentChar": "#"}})
table("dialect-commentRows", A, "id,name\nskip me\n1,a\nx,b\n", INT, res={"dialect": {"commentRows": [2]}})
table("dialect-lineTerminator", A, "id,name\n1,a\nx,b\n", INT, res={"dialect": {"lineTerminator": "\n"}})
table("dialect-header-false-ragged", A, "1\n2,b,c\n", INT, res={"dialect": {"header": False}})
# --- missing values
table("missing-values-schema", A, "id,name\n1,a\nNA,b\n-,c\n", {**INT, "missingValues": ["", "NA"]})
table("missing-values-empty-list", A, "id,name\n1,a\n,b\n", {**INT, "missingValues": []})
table(
    "missing-values-field-level",
    A,
    "id,name\n-,a\nNA,b\n",
    {
        "fields": [{"name": "id", "type": "integer", "missingValues": ["-"]}, {"name": "name"}],
        "missingValues": ["", "NA"],
    },
)
# --- packages and files
add(
    "multipart-path-each-with-header",
    A,
    builder(package(resource(path=["a.csv", "b.csv"])), {"a.csv": "id,name\n1,a\n", "b.csv": "id,name\nx,c\n"}),
    note="frictionless skips the first row of every part as its header",
)
add(
    "multipart-path",
    A,
    builder(package(resource(path=["a.csv", "b.csv"])), {"a.csv": "id,name\n1,a\n", "b.csv": "x,b\n3,c\n"}),
)
add("data-file-missing", A, builder(package(resource()), {}), compare="types")
add(
    "two-resources-order",
    A,
    builder(
        package(resource("a", "a.csv"), resource("b", "b.csv")),
        {"a.csv": "id,name\nx,a\n", "b.csv": "id,name\n1,a,z\n"},
    ),
)
add(
    "schema-by-path-json",
    A,
    builder(package(resource(schema="schema.json")), {"t.csv": BAD_CSV, "schema.json": json.dumps(INT)}),
)
add(
    "resources-empty",
    A,
    builder(package()),
    compare="v2",
    valid=False,
    types={"package-error"},
    page=DPK,
    quote="The `resources` property is `REQUIRED`, with at least one resource.",
)
add(
    "resource-without-name",
    A,
    builder({"$schema": V2, "resources": [{"path": "t.csv", "schema": INT}]}, {"t.csv": OK_CSV}),
    compare="types",
)
add("resource-names-duplicate", A, builder(package(resource("t"), resource("t")), {"t.csv": OK_CSV}), compare="types")
table(
    "field-type-unknown", A, OK_CSV, {"fields": [{"name": "id", "type": "colour"}, {"name": "name"}]}, compare="types"
)
table(
    "field-constraint-unsupported",
    A,
    OK_CSV,
    {"fields": [{"name": "id", "type": "integer", "constraints": {"pattern": "1"}}, {"name": "name"}]},
    compare="types",
)
add("descriptor-malformed-json", A, builder('{"resources": [}', {}), compare="verdict", unreadable_ok=True)
add("package-zip-valid", A, builder(package(resource()), {"t.csv": BAD_CSV}, zip_as="pkg.zip"))
add("folder-path", A, lambda folder: builder(package(resource()), {"t.csv": BAD_CSV})(folder).parent)
table("path-parent-dir", A, OK_CSV, INT, res={"path": "../t.csv"}, compare="verdict")
table("path-absolute", A, OK_CSV, INT, res={"path": "/etc/hostname"}, compare="verdict")

# ================================================================ class 1: odd descriptor values, never exit 70

C1 = "1"
table("schema-fields-string", C1, OK_CSV, {"fields": "x"}, compare="types")
table("schema-fields-number-items", C1, OK_CSV, {"fields": [5, 6]}, compare="types")
table("schema-field-name-number", C1, OK_CSV, {"fields": [{"name": 5}, {"name": "name"}]}, compare="types")
table(
    "schema-field-type-number", C1, OK_CSV, {"fields": [{"name": "id", "type": 5}, {"name": "name"}]}, compare="types"
)
table(
    "schema-field-format-number",
    C1,
    OK_CSV,
    {"fields": [{"name": "id", "type": "integer", "format": 5}, {"name": "name"}]},
    compare="types",
)
table("schema-not-object", C1, OK_CSV, 5, compare="types")
table("schema-primaryKey-number", C1, OK_CSV, {**INT, "primaryKey": 5}, compare="types")
table("schema-primaryKey-number-items", C1, OK_CSV, {**INT, "primaryKey": [5]}, compare="types")
table("schema-primaryKey-object", C1, OK_CSV, {**INT, "primaryKey": {"id": 1}}, compare="types")
UK_QUOTE = (
    "The `uniqueKeys` property, if present, `MUST` be a non-empty array. Each entry in the array `MUST` be a "
    "`uniqueKey`. A `uniqueKey` `MUST` be an array of strings with each string corresponding to one of the field "
    "`name` values in the `fields` array, denoting that the unique key is made up of those fields."
)
for uid, uk in [("string", "id"), ("flat", ["id"]), ("numbers", [[5]]), ("empty", [])]:
    table(
        f"schema-uniqueKeys-{uid}",
        C1,
        OK_CSV,
        {**INT, "uniqueKeys": uk},
        compare="v2",
        valid=False,
        types={"schema-error"},
        quote=UK_QUOTE,
        page=TS,
        note="frictionless does not check uniqueKeys at all",
    )
table("schema-missingValues-string", C1, OK_CSV, {**INT, "missingValues": "NA"}, compare="types")
table("schema-missingValues-numbers", C1, OK_CSV, {**INT, "missingValues": [5]}, compare="types")
table(
    "field-missingValues-string",
    C1,
    OK_CSV,
    {"fields": [{"name": "id", "type": "integer", "missingValues": "NA"}, {"name": "name"}]},
    compare="types",
)
field_case("field-trueValues-string", C1, {"type": "boolean", "trueValues": "yes"}, ["yes"], compare="types")
field_case("field-falseValues-number", C1, {"type": "boolean", "falseValues": 0}, ["0"], compare="types")
CAT_QUOTE = (
    "The `categories` property `MUST` be either (a) an array of unique values or (b) an array of objects, each "
    "with a unique `value` property."
)
field_case(
    "field-categories-string",
    C1,
    {"type": "string", "categories": "abc"},
    ["a"],
    compare="v2",
    valid=False,
    types={"field-error"},
    quote=CAT_QUOTE,
    page=TS,
    note="frictionless ignores categories",
)
field_case(
    "field-categories-object",
    C1,
    {"type": "string", "categories": {"a": 1}},
    ["a"],
    compare="v2",
    valid=False,
    types={"field-error"},
    quote=CAT_QUOTE,
    page=TS,
)
field_case(
    "field-categories-duplicates",
    C1,
    {"type": "string", "categories": ["a", "a"]},
    ["a"],
    compare="v2",
    valid=False,
    types={"field-error"},
    quote=CAT_QUOTE,
    page=TS,
)
field_case(
    "field-categories-nested-lists",
    C1,
    {"type": "integer", "categories": [[1], [2]]},
    ["1"],
    compare="v2",
    valid=False,
    quote=CAT_QUOTE,
    page=TS,
)
field_case(
    "field-categoriesOrdered-string",
    C1,
    {"type": "string", "categories": ["a"], "categoriesOrdered": "yes"},
    ["a"],
    compare="v2",
    valid=False,
    types={"field-error"},
    page=TS,
    quote="When present, the `categoriesOrdered` property `MUST` be `boolean`.",
)
field_case("field-constraints-string", C1, {"type": "string", "constraints": "required"}, ["a"], compare="types")
field_case("field-constraints-list", C1, {"type": "string", "constraints": ["required"]}, ["a"], compare="types")
field_case("field-required-string", C1, {"type": "string", "constraints": {"required": "yes"}}, ["a"], compare="types")
field_case("field-unique-number", C1, {"type": "string", "constraints": {"unique": 1}}, ["a"], compare="types")
field_case("field-pattern-number", C1, {"type": "string", "constraints": {"pattern": 5}}, ["5"], compare="types")
field_case(
    "field-pattern-bad-regex", C1, {"type": "string", "constraints": {"pattern": "(["}}, ["a"], compare="verdict"
)
field_case("field-maxLength-string", C1, {"type": "string", "constraints": {"maxLength": "5"}}, ["a"], compare="types")
field_case("field-maxLength-huge", C1, {"type": "string", "constraints": {"maxLength": 10**30}}, ["abc"])
field_case("field-minLength-huge", C1, {"type": "string", "constraints": {"minLength": 10**30}}, ["abc"])
field_case("field-minimum-huge", C1, {"type": "integer", "constraints": {"minimum": 10**30}}, ["1", "5"])
field_case("field-maximum-huge-negative", C1, {"type": "integer", "constraints": {"maximum": -(10**30)}}, ["1"])
field_case("field-minimum-huge-number", C1, {"type": "number", "constraints": {"minimum": 10**30}}, ["1.5"])
field_case("field-minimum-wrong-type", C1, {"type": "integer", "constraints": {"minimum": [1]}}, ["1"], compare="types")
field_case("field-enum-string", C1, {"type": "string", "constraints": {"enum": "abc"}}, ["a"], compare="types")
field_case(
    "field-enum-empty",
    C1,
    {"type": "string", "constraints": {"enum": []}},
    ["a"],
    compare="verdict",
    note="the v2 profile says minItems 1 (a field-error); frictionless reads it and fails every cell",
)
field_case("field-list-delimiter-empty", C1, {"type": "list", "delimiter": ""}, ["a,b"], compare="verdict")
field_case("field-list-delimiter-number", C1, {"type": "list", "delimiter": 5}, ["a,b"], compare="types")
field_case("field-groupChar-number", C1, {"type": "number", "groupChar": 5}, ["1000"], compare="types")
field_case("field-decimalChar-number", C1, {"type": "number", "decimalChar": 5}, ["1.5"], compare="types")
field_case("field-bareNumber-string", C1, {"type": "number", "bareNumber": "no"}, ["1"], compare="types")
field_case("field-itemType-unknown", C1, {"type": "list", "itemType": "colour"}, ["a"], compare="types")
FKBASE = {"fields": [{"name": "id", "type": "integer"}, {"name": "code"}]}
for fid, fk in [
    ("fk-fields-number", {"fields": 5, "reference": {"resource": "p", "fields": ["code"]}}),
    ("fk-reference-string", {"fields": ["code"], "reference": "p"}),
    ("fk-reference-no-fields", {"fields": ["code"], "reference": {"resource": "p"}}),
    ("fk-reference-unknown-field", {"fields": ["code"], "reference": {"resource": "p", "fields": ["nope"]}}),
    ("fk-reference-fields-number", {"fields": ["code"], "reference": {"resource": "p", "fields": 5}}),
    ("fk-fields-unknown", {"fields": ["nope"], "reference": {"resource": "p", "fields": ["code"]}}),
    ("fk-length-mismatch", {"fields": ["id", "code"], "reference": {"resource": "p", "fields": ["code"]}}),
    ("fk-resource-number", {"fields": ["code"], "reference": {"resource": 5, "fields": ["code"]}}),
]:
    add(
        fid,
        C1,
        builder(
            package(resource(schema={**FKBASE, "foreignKeys": [fk]}), resource("p", "p.csv", PARENT)),
            {"t.csv": "id,code\n1,a\n2,z\n", "p.csv": "code\na\n"},
        ),
        compare="types",
    )
table("fk-list-number", C1, OK_CSV, {**INT, "foreignKeys": 5}, compare="types")
table("fk-item-string", C1, OK_CSV, {**INT, "foreignKeys": ["id"]}, compare="types")
# dialects
for did, dialect, cmp in [
    ("dialect-delimiter-number", {"delimiter": 5}, "types"),
    ("dialect-delimiter-empty", {"delimiter": ""}, "types"),
    ("dialect-delimiter-three-chars", {"delimiter": "abc"}, "types"),
    ("dialect-delimiter-nul", {"delimiter": "\u0000"}, "types"),
    ("dialect-quoteChar-two", {"quoteChar": "ab"}, "types"),
    ("dialect-quoteChar-number", {"quoteChar": 5}, "types"),
    ("dialect-headerRows-string", {"headerRows": "1"}, "types"),
    ("dialect-commentRows-int", {"commentRows": 2}, "types"),
    ("dialect-commentChar-number", {"commentChar": 5}, "types"),
    ("dialect-escapeChar-number", {"escapeChar": 5}, "types"),
    ("dialect-escapeChar-two", {"escapeChar": "ab"}, "types"),
    ("dialect-headerJoin-number", {"headerJoin": 5}, "types"),
    ("dialect-header-string", {"header": "yes"}, "types"),
    ("dialect-doubleQuote-string", {"doubleQuote": "no"}, "types"),
    ("dialect-skipInitialSpace-number", {"skipInitialSpace": 1}, "types"),
    ("dialect-lineTerminator-number", {"lineTerminator": 5}, "types"),
    ("dialect-nullSequence-number", {"nullSequence": 5}, "types"),
]:
    table(did, C1, OK_CSV, INT, res={"dialect": dialect}, compare=cmp)
table(
    "dialect-headerRows-zero",
    C1,
    OK_CSV,
    INT,
    res={"dialect": {"headerRows": [0]}},
    compare="v2",
    valid=False,
    types={"dialect-error"},
    page=TD,
    quote="A Table Dialect descriptor `MAY` have the `headerRows` property that `MUST` be an array of positive "
    "integers starting from 1 with default value `[1]`.",
)
table("dialect-not-object", C1, OK_CSV, INT, res={"dialect": 5}, compare="types")
# paths, encodings, odd files
table("path-nul", C1, OK_CSV, INT, res={"path": "t\u0000.csv"}, compare="types")
table("path-5000-chars", C1, OK_CSV, INT, res={"path": "a" * 5000 + ".csv"}, compare="types")
table("path-number", C1, OK_CSV, INT, res={"path": 5}, compare="types")
table("path-empty-list", C1, OK_CSV, INT, res={"path": []}, compare="types")
table("path-list-of-numbers", C1, OK_CSV, INT, res={"path": [1, 2]}, compare="types")
table(
    "encoding-utf16-no-bom",
    C1,
    "id,name\n1,a\nx,b\n".encode("utf-16-le"),
    INT,
    res={"encoding": "utf-16"},
    compare="verdict",
)
table("encoding-unknown-codec", C1, OK_CSV, INT, res={"encoding": "no-such-codec"}, compare="types")
table("encoding-number", C1, OK_CSV, INT, res={"encoding": 5}, compare="types")
table("bytes-string", C1, OK_CSV, INT, res={"bytes": "12"}, compare="types")
table("hash-number", C1, OK_CSV, INT, res={"hash": 5}, compare="types")
add(
    "descriptor-nested-100000",
    C1,
    builder(
        '{"name": "case", "resources": [{"name": "t", "path": "t.csv"}], "x": ' + "[" * 100000 + "]" * 100000 + "}",
        {"t.csv": OK_CSV},
    ),
    compare="verdict",
    unreadable_ok=True,
)
add("descriptor-array", C1, builder("[]", {}), compare="verdict", unreadable_ok=True)
add("descriptor-resources-object", C1, builder({"$schema": V2, "resources": {"name": "t"}}, {}), compare="verdict")
add(
    "descriptor-resource-string",
    C1,
    builder({"$schema": V2, "resources": ["t.csv"]}, {"t.csv": OK_CSV}),
    compare="types",
)
table(
    "field-name-lone-surrogate",
    C1,
    "x,name\n1,a\n",
    {"fields": [{"name": "\ud800", "type": "integer"}, {"name": "name"}]},
)
table("resource-name-lone-surrogate", C1, BAD_CSV, INT, res={"name": "t\udc00"}, compare="verdict")


def _encrypted_package(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "pkg.zip"
    target.write_bytes(encrypted_zip({"datapackage.json": json.dumps(package(resource())), "t.csv": OK_CSV}))
    return target


add("package-zip-encrypted", C1, _encrypted_package, compare="verdict", unreadable_ok=True)
table(
    "data-zip-encrypted-entry",
    C1,
    OK_CSV,
    INT,
    res={"path": "t.csv.zip"},
    files={"t.csv.zip": encrypted_zip({"t.csv": OK_CSV})},
    compare="types",
)


# ================================================================ class 2: v2 rules missed

C2 = "2"
# --- a table resource without a schema still gets the table checks (frictionless infers one)
T = {"type": "table"}
table("schemaless-ok", C2, OK_CSV, None, res=T)
table("schemaless-blank-label", C2, "id,,x\n1,2,3\n", None, res=T)
table("schemaless-duplicate-label", C2, "a,a\n1,2\n", None, res=T)
table("schemaless-ragged", C2, "a,b\n1,2,3\n4\n", None, res=T)
table("schemaless-blank-row", C2, "a,b\n1,2\n,\n3,4\n", None, res=T)
table("schemaless-encoding-error", C2, b"a,b\n1,\xff\n", None, res={**T, "encoding": "utf-8"}, compare="types")
table("schemaless-no-type-csv-ragged", C2, "a,b\n1,2,3\n", None)
TABULAR_QUOTE = (
    "If the `path` property is used for providing data than it `MUST` contain [Tabular Data]"
    "(/standard/glossary/#tabular-data)."
)
table(
    "schemaless-gzip-named-csv",
    C2,
    gz("a,b\n1,2\n"),
    None,
    res=T,
    compare="v2",
    valid=False,
    quote=TABULAR_QUOTE,
    page=DR,
    note="frictionless reads the gzip bytes as text and finds nothing wrong; they are not tabular data",
)
table("schemaless-zip-named-csv", C2, zipped({"t.csv": "a,b\n1,2\n"}), None, res=T, compare="verdict")
table("schema-gzip-named-csv", C2, gz(OK_CSV), INT, compare="verdict")
# --- bytes and hash are compared with the file
_md5 = hashlib.md5(OK_CSV.encode()).hexdigest()
_sha256 = hashlib.sha256(OK_CSV.encode()).hexdigest()
table("bytes-wrong", C2, OK_CSV, INT, res={"bytes": 3})
table("bytes-right", C2, OK_CSV, INT, res={"bytes": len(OK_CSV)})
table("hash-md5-wrong", C2, OK_CSV, INT, res={"hash": "0" * 32})
table("hash-md5-right", C2, OK_CSV, INT, res={"hash": _md5})
table("hash-md5-prefixed-right", C2, OK_CSV, INT, res={"hash": "md5:" + _md5})
table("hash-md5-prefixed-wrong", C2, OK_CSV, INT, res={"hash": "md5:" + "0" * 32})
table("hash-sha256-wrong", C2, OK_CSV, INT, res={"hash": "sha256:" + "0" * 64})
table("hash-sha256-right", C2, OK_CSV, INT, res={"hash": "sha256:" + _sha256})
table(
    "hash-sha1-wrong",
    C2,
    OK_CSV,
    INT,
    res={"hash": "sha1:" + "0" * 40},
    note="frictionless compares md5 and sha256 only",
)
table("bytes-and-hash-wrong-with-cell-error", C2, BAD_CSV, INT, res={"bytes": 1, "hash": "0" * 32})
add(
    "bytes-wrong-plain-file",
    C2,
    builder(package({"name": "readme", "path": "README.txt", "bytes": 1}), {"README.txt": "hello\n"}),
)
add(
    "hash-wrong-plain-file",
    C2,
    builder(package({"name": "readme", "path": "README.txt", "hash": "0" * 32}), {"README.txt": "hello\n"}),
)
# --- fmt: prefix of temporal formats
FMT_QUOTE = (
    "If `format` property start with `fmt:` prefix, an implementation `MUST` remove the prefix "
    "as it was the way of providing temporal formats in Data Package Standard (v0)."
)
field_case("fmt-prefix-date", C2, {"type": "date", "format": "fmt:%d/%m/%Y"}, ["05/01/2024", "2024-01-05"])
field_case("fmt-prefix-datetime", C2, {"type": "datetime", "format": "fmt:%d/%m/%Y %H:%M"}, ["05/01/2024 10:30", "x"])
field_case("fmt-prefix-time", C2, {"type": "time", "format": "fmt:%H.%M"}, ["10.30", "10:30:00"])
# --- fieldsMatch is a string (the published profile types it array: a profile bug)
for mode, csv, name in [
    ("exact", "id,name\n1,a\n", "ok"),
    ("equal", "name,id\na,1\nb,x\n", "reordered"),
    ("equal", "name\na\n", "missing"),
    ("subset", "name,id,extra\na,1,z\n", "ok"),
    ("subset", "name\na\n", "missing"),
    ("superset", "name\na\n", "ok"),
    ("superset", "id,name,extra\n1,a,z\n", "extra"),
    ("partial", "name,extra\na,z\n", "ok"),
    ("partial", "x,y\n1,2\n", "none"),
]:
    table(f"fieldsMatch-{mode}-{name}", C2, csv, {**INT, "fieldsMatch": mode})
table("fieldsMatch-unknown", C2, OK_CSV, {**INT, "fieldsMatch": "bogus"}, compare="types")
# --- dialect by path, v0 url, v1 compatibility forms
add(
    "dialect-by-path-json",
    C2,
    builder(
        package(resource(dialect="dialect.json")),
        {"t.csv": "id;name\n1;a\nx;b\n", "dialect.json": '{"delimiter": ";"}'},
    ),
)
add("dialect-by-path-missing", C2, builder(package(resource(dialect="nope.json")), {"t.csv": OK_CSV}), compare="types")
add("url-v0-as-path", C2, builder(package({"name": "t", "url": "t.csv", "schema": INT}), {"t.csv": BAD_CSV}))
table("primaryKey-single-string", C2, "id,name\n1,a\n1,b\n", {**INT, "primaryKey": "id"})
add(
    "fk-fields-single-string",
    C2,
    builder(
        package(
            resource(
                schema={**FKBASE, "foreignKeys": [{"fields": "code", "reference": {"resource": "p", "fields": "code"}}]}
            ),
            resource("p", "p.csv", PARENT),
        ),
        {"t.csv": "id,code\n1,a\n2,z\n", "p.csv": "code\na\n"},
    ),
)
table(
    "fk-resource-empty-string-is-self",
    C2,
    "id,parent\n1,\n2,5\n",
    {**FK_SELF, "foreignKeys": [{"fields": ["parent"], "reference": {"resource": "", "fields": ["id"]}}]},
)
add(
    "profile-tabular-data-resource",
    C2,
    builder(
        package({"name": "t", "path": "t.dat", "format": "csv", "profile": "tabular-data-resource", "schema": INT}),
        {"t.dat": BAD_CSV},
    ),
)
# --- declared or default $schema is validated against
add(
    "no-schema-defaults-to-v1-profile",
    C2,
    builder(package(resource("T"), v2=False), {"t.csv": OK_CSV}),
    compare="types",
)
add(
    "schema-v1-declared", C2, builder({"$schema": V1, "resources": [resource("T")]}, {"t.csv": OK_CSV}), compare="types"
)
add("schema-v2-declared-any-name", C2, builder(package(resource("T")), {"t.csv": OK_CSV}))
add(
    "schema-v1-declared-bad-version-type",
    C2,
    builder({"$schema": V1, "version": 1, "resources": [resource()]}, {"t.csv": OK_CSV}),
    compare="types",
)
# --- inline data
add(
    "inline-string-without-format",
    C2,
    builder({"$schema": V2, "resources": [{"name": "t", "data": "id,name\n1,a\n", "schema": INT}]}),
    compare="v2",
    valid=False,
    types={"resource-error"},
    page=DR,
    quote="**JSON string**: in this case the format or mediatype properties `MUST` be provided.",
)
add(
    "path-and-data-both",
    C2,
    builder(
        {
            "$schema": V2,
            "resources": [{"name": "t", "path": "t.csv", "data": [["id", "name"], [1, "a"]], "schema": INT}],
        },
        {"t.csv": OK_CSV},
    ),
    compare="v2",
    valid=False,
    types={"resource-error"},
    page=DR,
    quote="The location of resource data `MUST` be specified by the presence of one (and only one) of these two "
    "properties:",
)
# --- created and other formats
add("created-not-datetime", C2, builder(package(resource(), created="yesterday"), {"t.csv": OK_CSV}), compare="types")
add("created-date-only", C2, builder(package(resource(), created="2024-01-01"), {"t.csv": OK_CSV}), compare="types")
add("created-ok", C2, builder(package(resource(), created="1985-04-12T23:20:50.52Z"), {"t.csv": OK_CSV}))
add(
    "contributor-email-bad",
    C2,
    builder(package(resource(), contributors=[{"title": "x", "email": "nope"}]), {"t.csv": OK_CSV}),
    compare="types",
)
add("homepage-not-uri", C2, builder(package(resource(), homepage="not a url"), {"t.csv": OK_CSV}), compare="types")
# --- cells frictionless rejects
field_case("geojson-empty-object", C2, {"type": "geojson"}, ["{}"])
field_case("geojson-point-ok", C2, {"type": "geojson"}, ['{"type": "Point", "coordinates": [1, 2]}'])
field_case("geojson-not-json", C2, {"type": "geojson"}, ["x"])
field_case("integer-hexadecimal", C2, {"type": "integer"}, ["0x10", "0o7", "0b1", "16"])
field_case("integer-underscore-and-unicode-digits", C2, {"type": "integer"}, ["1_000", "\u0663", "12"])
field_case("number-hexadecimal", C2, {"type": "number"}, ["0x10", "1.5"])
# --- v2-only table rules frictionless does not check (the baseline does: kept as regressions)
add(
    "duplicate-field-names-not-invalid",
    C2,
    builder(
        package(
            resource(
                schema={"fields": [{"name": "a", "type": "integer"}, {"name": "a", "type": "integer"}]},
                dialect={"header": False},
            )
        ),
        {"t.csv": "1,2\n"},
    ),
    compare="v2",
    valid=True,
    types=set(),
    page=TS,
    quote="If the `name` properties are not unique amongst a Table Schema a data consumer `MUST NOT` interpret it "
    "as an invalid descriptor as duplicate `name` properties were allowed in the `v1.0` of the specification.",
)
field_case(
    "categories-violation",
    C2,
    {"type": "string", "categories": ["a", "b"]},
    ["a", "c"],
    compare="v2",
    valid=False,
    types={"constraint-error"},
    page=TS,
    quote="The logical representation of data in the field `MUST` exactly match one of the values in `categories`.",
)
field_case(
    "categories-labelled-integer",
    C2,
    {"type": "integer", "categories": [{"value": 0, "label": "no"}]},
    ["0", "1"],
    compare="v2",
    valid=False,
    types={"constraint-error"},
    page=TS,
    quote="The logical representation of data in the field `MUST` exactly match one of the values in `categories`.",
)
table(
    "uniqueKeys-duplicate",
    C2,
    "id,name\n1,a\n2,a\n",
    {**INT, "uniqueKeys": [["name"]]},
    compare="v2",
    valid=False,
    types={"unique-error"},
    page=TS,
    quote="- each row has a unique logical value in the field `a`",
)
table(
    "uniqueKeys-null-exempt",
    C2,
    "id,name\n1,\n2,\n",
    {**INT, "uniqueKeys": [["name"]]},
    compare="v2",
    valid=True,
    types=set(),
    page=TS,
    quote="All the field values that are on the logical level are considered to be `null` values `MUST` be "
    "excluded from the uniqueness check, as the `uniqueKeys` property is modeled on the concept of unique "
    "constraint in SQL.",
)
field_case(
    "jsonSchema-violation",
    C2,
    {"type": "object", "constraints": {"jsonSchema": {"type": "object", "properties": {"value": {"type": "integer"}}}}},
    ['{"value": 1}', '{"value": "bad"}'],
    compare="v2",
    valid=False,
    types={"constraint-error"},
    page=TS,
    quote="A valid JSON Schema object to validate field values. If a field value conforms to the provided JSON "
    "Schema then this field value is valid.",
)
table(
    "primaryKey-implies-required",
    C2,
    "id,name\n1,a\n2,\n",
    {**INT, "primaryKey": ["id", "name"]},
    compare="v2",
    valid=False,
    types={"constraint-error"},
    page=TS,
    quote="Per SQL standards, the fields cannot be `null`, so their use in the primary key is equivalent to "
    "adding `required: true` to their [`constraints`](#constraints).",
)
field_case(
    "pattern-whole-value",
    C2,
    {"type": "string", "constraints": {"pattern": "a|b"}},
    ["a", "ax"],
    compare="v2",
    valid=False,
    types={"constraint-error"},
    page=TS,
    quote="The values of this field `MUST` conform to the standard [XML Schema regular expression syntax]"
    "(http://www.w3.org/TR/xmlschema-2/#regexs).",
    note="XML Schema regular expressions match the whole value (implicitly anchored)",
)
# --- paths v2 forbids
table(
    "path-hidden-folder",
    C2,
    OK_CSV,
    INT,
    res={"path": ".hidden/t.csv"},
    files={".hidden/t.csv": OK_CSV},
    compare="v2",
    valid=False,
    page=GL,
    quote="Absolute paths `/`, relative parent paths `../`, hidden folders starting from a dot `.hidden` "
    "`MUST NOT` be used.",
)
# --- frictionless's own v1-era behaviours that v2 does not have (documented differences)
table(
    "dialect-nested-csv-ignored",
    C2,
    "id;name\n1;a\n",
    INT,
    res={"dialect": {"csv": {"delimiter": ";"}}},
    compare="v2",
    valid=False,
    types={"missing-label", "incorrect-label", "type-error"},
    page=TD,
    quote="A Table Dialect descriptor `MAY` have the `delimiter` property that `MUST` be a string; with default "
    "value `,` (comma).",
    note="frictionless reads its own nested `csv` control; in v2 it is an unknown property",
)
table(
    "dialect-not-sniffed",
    C2,
    "id;name\n1;a\n2;b\n",
    INT,
    compare="v2",
    valid=False,
    types={"missing-label", "incorrect-label", "type-error"},
    page=TD,
    quote="A Table Dialect descriptor `MAY` have the `delimiter` property that `MUST` be a string; with default "
    "value `,` (comma).",
    note="frictionless sniffs the delimiter when no dialect is given",
)
table(
    "dialect-resource-level-delimiter-ignored",
    C2,
    "id;name\n1;a\n",
    INT,
    res={"delimiter": ";", "dialect": {}},
    compare="v2",
    valid=False,
    types={"missing-label", "incorrect-label", "type-error"},
    page=TD,
    quote="A Table Dialect descriptor `MAY` have the `delimiter` property that `MUST` be a string; with default "
    "value `,` (comma).",
    note="a `delimiter` on the resource is not part of its dialect",
)

# ================================================================ class 3: inputs frictionless reads

C3 = "3"
add("yaml-package", C3, builder(package(resource()), {"t.csv": BAD_CSV}, name="datapackage.yaml", fmt="yaml"))
add(
    "yaml-package-in-zip",
    C3,
    builder(package(resource()), {"t.csv": BAD_CSV}, name="datapackage.yaml", fmt="yaml", zip_as="pkg.zip"),
    compare="v2",
    valid=False,
    types={"type-error"},
    page=GL,
    quote="A descriptor `MAY` be serialized using alternative formats like YAML or TOML as an internal part of "
    "some project or system if supported by corresponding implementations.",
    note="asked for by the issue; frictionless 5.21 looks only for datapackage.json inside a zip (it fails here), "
    "so the expectation is the JSON zip case's: the table is read",
)
add(
    "yaml-package-invalid-descriptor",
    C3,
    builder(package(resource(schema={"fields": "x"})), {"t.csv": OK_CSV}, name="datapackage.yaml", fmt="yaml"),
    compare="types",
)
add("resource-descriptor-json", C3, builder(resource(), {"t.csv": BAD_CSV}, name="dataresource.json"))
add("resource-descriptor-yaml", C3, builder(resource(), {"t.csv": BAD_CSV}, name="dataresource.yaml", fmt="yaml"))
add(
    "schema-by-path-yaml",
    C3,
    builder(package(resource(schema="schema.yaml")), {"t.csv": BAD_CSV, "schema.yaml": _dump(INT, "yaml")}),
)
add(
    "dialect-by-path-yaml",
    C3,
    builder(
        package(resource(dialect="dialect.yaml")), {"t.csv": "id;name\n1;a\nx;b\n", "dialect.yaml": "delimiter: ';'\n"}
    ),
)
table("csv-gz", C3, None, INT, res={"path": "t.csv.gz"}, files={"t.csv.gz": gz(BAD_CSV)})
table("csv-gz-ok", C3, None, INT, res={"path": "t.csv.gz"}, files={"t.csv.gz": gz(OK_CSV)})
table("csv-zip", C3, None, INT, res={"path": "t.csv.zip"}, files={"t.csv.zip": zipped({"t.csv": BAD_CSV})})
table(
    "compression-gz-property",
    C3,
    None,
    INT,
    res={"path": "t.dat", "format": "csv", "compression": "gz"},
    files={"t.dat": gz(BAD_CSV)},
)
table(
    "compression-zip-property",
    C3,
    None,
    INT,
    res={"path": "t.dat", "format": "csv", "compression": "zip"},
    files={"t.dat": zipped({"t.csv": BAD_CSV})},
)
table(
    "zip-named-zip-is-a-file",
    C3,
    None,
    INT,
    res={"path": "t.zip"},
    files={"t.zip": zipped({"t.csv": BAD_CSV})},
    note="frictionless: a .zip path without an inner format is a plain file resource",
)
_GZ = gz(OK_CSV)
table(
    "bytes-of-gzip-file",
    C3,
    None,
    INT,
    res={"path": "t.csv.gz", "bytes": len(_GZ), "hash": hashlib.md5(_GZ).hexdigest()},
    files={"t.csv.gz": _GZ},
    note="bytes and hash are those of the file as stored (compressed)",
)
table("bytes-of-gzip-content", C3, None, INT, res={"path": "t.csv.gz", "bytes": len(OK_CSV)}, files={"t.csv.gz": _GZ})
table(
    "gzip-corrupt",
    C3,
    None,
    INT,
    res={"path": "t.csv.gz"},
    files={"t.csv.gz": b"\x1f\x8bnot really gzip"},
    compare="types",
)
table(
    "json-array-of-arrays",
    C3,
    None,
    INT,
    res={"type": "table", "path": "t.json"},
    files={"t.json": json.dumps([["id", "name"], [1, "a"], ["x", "b"]])},
)
table(
    "json-array-of-objects",
    C3,
    None,
    INT,
    res={"type": "table", "path": "t.json"},
    files={"t.json": json.dumps([{"id": 1, "name": "a"}, {"id": "x", "name": "b"}])},
)
table(
    "json-array-of-objects-extra-key",
    C3,
    None,
    INT,
    res={"type": "table", "path": "t.json"},
    files={"t.json": json.dumps([{"id": 1, "name": "a", "z": 1}, {"id": 2}])},
)
table(
    "json-property",
    C3,
    None,
    INT,
    res={"type": "table", "path": "t.json", "dialect": {"property": "rows"}},
    files={"t.json": json.dumps({"rows": [["id", "name"], [1, "a"], [2.5, "b"]]})},
    compare="v2",
    valid=False,
    types={"type-error"},
    page=TD,
    quote="A Table Dialect descriptor `MAY` have the `property` property that `MUST` be a string; undefined by "
    "default. This property specifies where a data array is located in the data structure.",
    note="frictionless 5.21 does not read a top-level dialect `property` (source-error: cannot extract JSON "
    "tabular data)",
)
table(
    "json-without-type-is-a-file",
    C3,
    None,
    INT,
    res={"path": "t.json"},
    files={"t.json": json.dumps([["id", "name"], [1, "a"], ["x", "b"]])},
    note="frictionless: a .json path without type: table is a plain file (no table checks)",
)
table(
    "jsonl",
    C3,
    None,
    INT,
    res={"type": "table", "path": "t.jsonl"},
    files={"t.jsonl": '{"id": 1, "name": "a"}\n{"id": "x", "name": "b"}\n'},
)
table(
    "ndjson",
    C3,
    None,
    INT,
    res={"type": "table", "path": "t.ndjson"},
    files={"t.ndjson": '["id", "name"]\n[1, "a"]\n["x", "b"]\n'},
)
INLINE_CSV_NOTE = (
    "frictionless 5.21 refuses a string `data` (resource-error); v2 shows inline CSV with format csv "
    "as its example. (The Tabular section says table `data` MUST be an array: the example wins here "
    "because the resource is not declared type: table.)"
)
add(
    "inline-csv-string",
    C3,
    builder(
        {"$schema": V2, "resources": [{"name": "t", "data": "id,name\n1,a\nx,b\n", "format": "csv", "schema": INT}]}
    ),
    compare="v2",
    valid=False,
    types={"type-error"},
    quote="**JSON string**: in this case the format or mediatype properties `MUST` be provided.",
    page=DR,
    note=INLINE_CSV_NOTE,
)
add(
    "inline-csv-string-ok",
    C3,
    builder(
        {"$schema": V2, "resources": [{"name": "t", "data": "id,name\n1,a\n2,b\n", "format": "csv", "schema": INT}]}
    ),
    compare="v2",
    valid=True,
    types=set(),
    quote="**JSON string**: in this case the format or mediatype properties `MUST` be provided.",
    page=DR,
    note=INLINE_CSV_NOTE,
)
add(
    "inline-csv-string-mediatype",
    C3,
    builder(
        {
            "$schema": V2,
            "resources": [{"name": "t", "data": "id,name\n1,a\nx,b\n", "mediatype": "text/csv", "schema": INT}],
        }
    ),
    compare="v2",
    valid=False,
    types={"type-error"},
    quote="**JSON string**: in this case the format or mediatype properties `MUST` be provided.",
    page=DR,
    note=INLINE_CSV_NOTE,
)
add(
    "inline-csv-string-declared-table",
    C3,
    builder(
        {
            "$schema": V2,
            "resources": [{"name": "t", "type": "table", "data": "id,name\n1,a\n", "format": "csv", "schema": INT}],
        }
    ),
    compare="v2",
    valid=False,
    types={"resource-error"},
    quote="If the `data` property is used for providing data for a Tabular Data Resource than it `MUST` be an "
    "`array` where each item in the array `MUST` be either:",
    page=DR,
    note="inline CSV text is read only on a resource not declared a table (frictionless refuses any string data)",
)
add(
    "inline-array-of-arrays",
    C3,
    builder(
        {
            "$schema": V2,
            "resources": [
                {"name": "t", "type": "table", "data": [["id", "name"], [1, "a"], ["x", "b"]], "schema": INT}
            ],
        }
    ),
)
add(
    "inline-array-of-objects",
    C3,
    builder(
        {
            "$schema": V2,
            "resources": [
                {
                    "name": "t",
                    "type": "table",
                    "data": [{"id": 1, "name": "a"}, {"id": "x", "name": "b"}],
                    "schema": INT,
                }
            ],
        }
    ),
)
table(
    "xlsx",
    C3,
    None,
    INT,
    res={"path": "t.xlsx"},
    files={"t.xlsx": xlsx([["id", "name"], [1, "a"], ["x", "b"]])},
    needs=("openpyxl",),
)
table(
    "xlsx-sheetName",
    C3,
    None,
    INT,
    res={"path": "t.xlsx", "dialect": {"sheetName": "Sheet"}},
    files={"t.xlsx": xlsx([["id", "name"], [1, "a"], ["x", "b"]])},
    needs=("openpyxl",),
)
table(
    "ods",
    C3,
    None,
    INT,
    res={"path": "t.ods"},
    files={"t.ods": ods([["id", "name"], [1, "a"], ["x", "b"]])},
    needs=("ezodf",),
)
table("tsv-format", C3, None, INT, res={"path": "t.tsv"}, files={"t.tsv": "id\tname\n1\ta\nx\tb\n"})


_NEEDS = {
    "json-array-of-arrays": ("ijson",),
    "json-array-of-objects": ("ijson",),
    "json-array-of-objects-extra-key": ("ijson",),
    "json-property": ("ijson",),
    "jsonl": ("jsonlines",),
    "ndjson": ("jsonlines",),
}
CASES = [Case(**{**c.__dict__, "needs": _NEEDS.get(c.id, c.needs)}) for c in CASES]

# ---------------------------------------------------------------- comparing reports

#: frictionless calls errors of the CSV properties of a dialect (delimiter, quoteChar...) "control-error"
#: (they live in its CsvControl); v2 has one Table Dialect, so either name is accepted for them.
ALIASES: dict[str, str] = {"control-error": "dialect-error"}
NO_FIELD = {"blank-row", "primary-key", "foreign-key"}


def theirs(path: Path) -> dict:
    """frictionless's verdict and (type, resource, row, field number) list, in its order."""
    import frictionless

    try:
        report = frictionless.validate(str(path))
    except Exception as exc:  # frictionless raises on some inputs: its own exception, or a bug of its own
        error = getattr(exc, "error", None)
        etype = getattr(error, "type", None)
        return {
            "valid": False,
            "errors": [(etype or type(exc).__name__, None, None, None)],
            "crashed": etype is None,
            "notes": [f"raised {type(exc).__name__}: {str(exc)[:300]}"],
        }
    out, notes = [], []
    for e in report.errors:
        out.append((e.type, None, None, None))
        notes.append(e.note[:300])
    for task in report.tasks:
        for e in task.errors:
            row = getattr(e, "row_number", None)
            if row is None and getattr(e, "row_numbers", None):
                row = e.row_numbers[0]
            number = None if e.type in NO_FIELD else getattr(e, "field_number", None)
            out.append((e.type, task.name, row, number))
            notes.append(e.note[:300])
    return {"valid": report.valid, "errors": out, "notes": notes}


def ours_from_errors(errors: list[dict], valid: bool) -> dict:
    out = []
    for e in errors:
        number = None if e["type"] in NO_FIELD else e.get("field_number")
        out.append((e["type"], e.get("resource"), e.get("row"), number))
    return {"valid": valid, "errors": out, "notes": [str(e.get("message"))[:300] for e in errors]}


def _field(e: Any, name: str) -> Any:
    return getattr(e, name, None)


def ours_from_report(report: Any) -> dict:
    errors = [
        {
            "type": e.type,
            "resource": e.resource,
            "row": e.row,
            "field_number": _field(e, "field_number"),
            "message": e.message,
        }
        for e in report.errors
    ]
    return ours_from_errors(errors, bool(report.valid))


def _types(errors: list[tuple]) -> set[str]:
    return {ALIASES.get(t, t) for t, *_ in errors}


def judge(case: Case, fl: dict | None, ours: dict) -> tuple[bool, str]:
    """(agree, why). ``ours`` has valid, errors and exit (0, 1, 2, 70 or None for the library)."""
    if ours.get("exit") == 70 or ours.get("internal"):
        return False, "internal error: " + str(ours.get("internal") or "exit 70")
    if ours.get("exit") == 2:
        if case.unreadable_ok and (case.compare == "v2" and case.valid is False or fl is None or not fl["valid"]):
            return True, "unreadable (exit 2); expected invalid"
        return False, "exit 2 (cannot read) where a verdict was expected"
    if case.compare == "v2":
        if ours["valid"] != case.valid:
            return False, f"v2 expects {'valid' if case.valid else 'invalid'}"
        if case.types is not None and _types(ours["errors"]) != set(case.types):
            return False, f"v2 expects error types {sorted(case.types)}, got {sorted(_types(ours['errors']))}"
        return True, "as v2 says"
    assert fl is not None
    if fl.get("crashed"):  # frictionless itself failed with a Python error: only the verdict is comparable
        if ours["valid"]:
            return False, "frictionless crashed on this input; the descriptor problem must be reported (invalid)"
        return True, "invalid (frictionless crashed on it)"
    if ours["valid"] != fl["valid"]:
        return False, f"verdict differs (frictionless {'valid' if fl['valid'] else 'invalid'})"
    if case.compare == "verdict":
        return True, "same verdict"
    if case.compare == "types":
        if _types(ours["errors"]) != _types(fl["errors"]):
            return False, f"error types differ: frictionless {sorted(_types(fl['errors']))}"
        return True, "same verdict and error types"
    if ours["errors"] != fl["errors"]:
        return False, "errors differ"
    return True, "same errors"
