"""Output that stays one line: line breaks, tabs and ANSI escapes in names and cells are escaped."""

from __future__ import annotations

import json

from energy_ties.cli import main
from helpers import csv_text, write_package

NAME = "evil\n\x1b[31mname"
CELL = "x\r\n\x1b[2Jy\u2028z"


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def hostile(tmp_path):
    schema = {
        "fields": [{"name": NAME, "type": "integer"}, {"name": "s", "type": "string", "constraints": {"maxLength": 1}}]
    }
    return write_package(tmp_path / "pkg", {"t\ttab": (schema, csv_text([NAME, "s"], [[CELL, CELL]]))})


def test_validate_prints_one_line_per_error_and_no_raw_control_character(tmp_path, capsys):
    code, out, err = run(capsys, "validate", str(hostile(tmp_path)))
    assert (code, err) == (1, "")
    lines = out.splitlines()
    assert len(lines) == 3  # two errors and the summary; in a message, whitespace runs are one space (Collector)
    assert lines[0] == (
        't\\ttab:2:evil\\n\\x1b[31mname: type-error: Type error in the cell "x\\r\\n\\x1b[2Jy z" in row "2" '
        'and field "evil \\x1b[31mname" at position "1": type is "integer/default"'
    )
    assert lines[1].startswith("t\\ttab:2:s: constraint-error: ")
    for raw in ("\x1b", "\r", "\t", "\u2028"):
        assert raw not in out


def test_the_json_report_keeps_the_names_as_they_are(tmp_path, capsys):
    code, out, _ = run(capsys, "validate", "--json", str(hostile(tmp_path)))
    assert code == 1
    report = json.loads(out)
    assert report["errors"][0]["field"] == NAME and "\x1b" not in out  # JSON escapes it as \u001b


def test_diff_text_and_markdown_stay_one_line_per_item(tmp_path, capsys):
    old = write_package(tmp_path / "old", {"t": ({"fields": [{"name": "a", "type": "integer"}]}, "a\n1\n")})
    new_schema = {"fields": [{"name": "a", "type": "integer"}, {"name": NAME, "type": "integer"}]}
    new = write_package(tmp_path / "new", {"t": (new_schema, csv_text(["a", NAME], [["1", "2"]]))})
    for fmt in ("text", "markdown"):
        code, out, _ = run(capsys, "diff", str(old), str(new), "--format", fmt)
        assert code == 0
        assert "\x1b" not in out
        assert any("evil\\n\\x1b[31mname" in line for line in out.splitlines()), out


def test_an_error_naming_a_hostile_path_is_one_clean_line(tmp_path, capsys):
    folder = tmp_path / "a\nb\x1b[1m"
    folder.mkdir()
    (folder / "datapackage.json").write_text("{bad")
    code, out, err = run(capsys, "validate", str(folder))
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and "\x1b" not in err and "a b\\x1b[1m" in err


C1_CELL = "a\x9b31mb\x7fc\u2028d\u202ee"  # a one-byte CSI, DEL, a line separator, a right-to-left override


def test_json_output_escapes_what_a_terminal_acts_on_and_keeps_the_values(tmp_path, capsys):
    schema = {"fields": [{"name": C1_CELL, "type": "integer"}]}
    path = write_package(tmp_path / "pkg", {"t": (schema, csv_text([C1_CELL], [[C1_CELL]]))})
    code, out, _ = run(capsys, "validate", "--json", str(path))
    assert code == 1
    assert not any(ch in out for ch in "\x9b\x7f\u2028\u202e"), repr(out)
    error = json.loads(out)["errors"][0]
    assert error["field"] == C1_CELL and C1_CELL in error["message"]
    text = {"fields": [{"name": C1_CELL, "type": "string"}]}
    old = write_package(tmp_path / "old", {"t": (text, csv_text([C1_CELL], [[C1_CELL]]))})
    new = write_package(tmp_path / "new", {"t": (text, csv_text([C1_CELL], [["x" + C1_CELL]]))})
    code, out, _ = run(capsys, "diff", "--format", "json", str(old), str(new))
    assert not any(ch in out for ch in "\x9b\x7f\u2028\u202e"), repr(out)
    assert C1_CELL in json.dumps(json.loads(out), ensure_ascii=False)
