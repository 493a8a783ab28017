"""Errors located in the files: ``--format github`` and ``--format editor`` lines, parsed back, point at the
physical line and column of the faulty cell, also after quoted cells holding line breaks."""

from __future__ import annotations

import json
import re
from urllib.parse import unquote

from hypothesis import given, settings
from hypothesis import strategies as st

from energy_ties.validation.render import escape_data, escape_property, github_command
from helpers import csv_text, write_package
from helpers.cli import run

SCHEMA = {
    "fields": [
        {"name": "id", "type": "integer"},
        {"name": "note", "type": "string"},
        {"name": "n", "type": "integer"},
    ],
    "primaryKey": ["id"],
}
GITHUB = re.compile(r"^::error file=(?P<file>[^,]+),line=(?P<line>\d+)(?:,col=(?P<col>\d+))?,title=(?P<type>[^:]+)::")
EDITOR = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+)(?::(?P<col>\d+))?: (?P<type>[a-z-]+): ")


def physical_lines(text: str) -> list[str]:
    """The lines an editor shows: split at CR LF, CR or LF only (str.splitlines also splits at \\x0b, \\x1c...)."""
    return re.split(r"\r\n|\r|\n", text)


notes = st.text(alphabet='ab ,"\n\r', max_size=8)
rows = st.lists(st.tuples(notes, st.sampled_from(["1", "22", "x", "y y"])), min_size=1, max_size=8)


@settings(max_examples=60)
@given(rows=rows)
def test_github_and_editor_lines_point_at_the_cell(scratch, rows):
    folder = scratch / "pkg"
    data = [[str(i), note, n] for i, (note, n) in enumerate(rows, 1)]
    write_package(folder, {"t": (SCHEMA, csv_text(["id", "note", "n"], data))})
    text = (folder / "t.csv").read_text()
    lines = physical_lines(text)
    bad = [r for r in data if not r[2].isdigit()]
    for fmt, pattern in (("github", GITHUB), ("editor", EDITOR)):
        r = run("validate", "--format", fmt, cwd=folder)
        found = [m for m in map(pattern.match, r.stdout.splitlines()) if m]
        assert r.returncode == (1 if bad else 0), r.stderr
        assert [m["type"] for m in found] == ["type-error"] * len(bad)
        for m, row in zip(found, bad):
            assert unquote(m["file"]) == "t.csv"
            line, col = int(m["line"]), int(m["col"])
            assert lines[line - 1][col - 1 :].startswith(row[2])  # the cell of field n, as written (never quoted)
            assert lines[line - 1][: col - 1].endswith(",")


def test_errors_without_a_row_name_the_descriptor_or_the_file(tmp_path):
    write_package(tmp_path, {"t": (SCHEMA, "id,note\n1,a\n")})
    r = run("validate", "--format", "editor", cwd=tmp_path)
    assert r.returncode == 1
    assert r.stdout.splitlines()[0].startswith("t.csv:1:")  # the header's line
    r = run("validate", "--format", "github", tmp_path / "datapackage.json", cwd=tmp_path)
    assert r.stdout.startswith("::error file=t.csv,line=1")


def test_counts_by_type_come_before_a_long_list(tmp_path):
    data = [[str(i), "", "x"] for i in range(1, 30)] + [["1", "", "1"]]
    write_package(tmp_path, {"t": (SCHEMA, csv_text(["id", "note", "n"], data))})
    r = run("validate", "--format", "editor", cwd=tmp_path)
    assert r.stdout.splitlines()[0] == "30 error(s) by type: type-error 29, primary-key 1"
    r = run("validate", "--json", "--limit-errors", "3", cwd=tmp_path)  # counted in all, not only those listed
    assert '"types": {\n      "type-error": 29,\n      "primary-key": 1\n    }' in r.stdout
    assert '"reported": 3,' in r.stdout


def test_workflow_command_escaping():
    """As GitHub's toolkit escapes them: %, CR and LF in the message; also : and , in a property."""
    assert escape_data("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert escape_property("a:b,c%") == "a%3Ab%2Cc%25"
    assert github_command("error", "x, y: z") == "::error::x, y: z"
    line = github_command("error", "bad\nvalue", _loc("data/a,b.csv", 3, 4), "type-error")
    assert line == "::error file=data/a%2Cb.csv,line=3,col=4,title=type-error::bad%0Avalue"


def _loc(file, line, col):
    from energy_ties.validation.locate import Location

    return Location(file, line, col)


def test_a_compressed_table_is_located_by_its_file_alone(tmp_path):
    import gzip

    path = write_package(tmp_path, {"t": (SCHEMA, "id,note,n\n1,a,x\n")})
    (tmp_path / "t.csv.gz").write_bytes(gzip.compress((tmp_path / "t.csv").read_bytes()))
    descriptor = json.loads(path.read_text())
    descriptor["resources"][0]["path"] = "t.csv.gz"
    path.write_text(json.dumps(descriptor))
    r = run("validate", "--format", "github", cwd=tmp_path)
    assert r.returncode == 1, r.stderr
    (line,) = [x for x in r.stdout.splitlines() if x.startswith("::error")]
    assert line.startswith("::error file=t.csv.gz,") and "line=" not in line, line
