"""Bad input: a clear one-line error and exit 2 (unreadable) or 1 (invalid), never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile

import pytest

from conftest import ROOT, write_package

INT = {"fields": [{"name": "id", "type": "integer"}, {"name": "text", "type": "string"}]}


def run(*args):
    r = subprocess.run([sys.executable, "-m", "energy_ties.cli", "validate", *args], capture_output=True, text=True)
    assert "Traceback" not in r.stderr + r.stdout
    return r


def errors(r) -> list[tuple]:
    report = json.loads(r.stdout)
    return [(e["type"], e["resource"], e["row"], e["field"]) for e in report["errors"]]


def test_malformed_json(tmp_path):
    (tmp_path / "datapackage.json").write_text('{"resources": [}')
    r = run(str(tmp_path))
    assert r.returncode == 2
    assert r.stderr.strip() == (f"energy-ties validate: error: {tmp_path}: datapackage.json: not valid JSON "
                                "(line 1, column 16: Expecting value)")


def test_missing_descriptor_and_missing_data_file(tmp_path):
    r = run(str(tmp_path / "nope" / "datapackage.json"))
    assert r.returncode == 2 and "no such file or folder" in r.stderr
    path = write_package(tmp_path, {"t": (INT, "id,text\n1,a\n")})
    (tmp_path / "t.csv").unlink()
    r = run("--json", str(path))
    assert r.returncode == 1 and errors(r) == [("scheme-error", "t", None, None)]
    assert "data file 't.csv' not found" in json.loads(r.stdout)["errors"][0]["message"]


def test_unknown_resource_in_a_foreign_key(tmp_path):
    schema = {**INT, "foreignKeys": [{"fields": ["id"], "reference": {"resource": "ghost", "fields": ["id"]}}]}
    path = write_package(tmp_path, {"t": (schema, "id,text\n1,a\n")})
    r = run("--json", str(path))
    assert r.returncode == 1
    assert errors(r) == [("resource-error", "t", None, "id")]  # as frictionless names it
    assert "references unknown resource 'ghost'" in json.loads(r.stdout)["errors"][0]["message"]


def test_non_utf8_bytes_name_their_row(tmp_path):
    path = write_package(tmp_path, {"t": (INT, b"id,text\n1,a\n2,\xff\xfe\n")})
    r = run("--json", str(path))
    assert r.returncode == 1 and errors(r) == [("encoding-error", "t", 3, None)]


@pytest.mark.parametrize("data", [
    "\ufeffid,text\n1,a\n",                         # a byte order mark
    "id,text\r\n1,a\r\n2,b\r\n",                    # CRLF line ends
    'id,text\n1,"two\nlines"\n2,"and\r\nthree"\n',  # quoted line breaks
    "id,text\n",                                    # a header and no rows
])
def test_valid_oddities(tmp_path, data):
    path = write_package(tmp_path, {"t": (INT, data)})
    r = run(str(path))
    assert r.returncode == 0, r.stdout + r.stderr


def test_row_numbers_count_records_not_lines(tmp_path):
    path = write_package(tmp_path, {"t": (INT, 'id,text\n1,"a\nb\nc"\nx,d\n')})
    r = run("--json", str(path))
    assert errors(r) == [("type-error", "t", 3, "id")]


def test_a_10_mb_cell(tmp_path):
    big = "x" * (10 * 1024 * 1024)
    path = write_package(tmp_path, {"t": (INT, f"id,text\n1,{big}\nbad,b\n")})
    r = run("--json", str(path))
    assert r.returncode == 1 and errors(r) == [("type-error", "t", 3, "id")]


def test_an_empty_file(tmp_path):
    path = write_package(tmp_path, {"t": (INT, "")})
    r = run("--json", str(path))
    assert r.returncode == 1 and errors(r) == [("source-error", "t", None, None)]


@pytest.mark.parametrize("bad", ["../outside.csv", "/etc/passwd", "data/../../outside.csv", "https://example.org/x.csv"])
def test_paths_leaving_the_package_are_errors_not_reads(tmp_path, bad):
    (tmp_path / "outside.csv").write_text("id,text\nnot-an-integer,a\n")
    folder = tmp_path / "pkg"
    path = write_package(folder, {"t": (INT, "id,text\n1,a\n")})
    descriptor = json.loads(path.read_text())
    descriptor["resources"][0]["path"] = bad
    path.write_text(json.dumps(descriptor))
    r = run("--json", str(path))
    assert r.returncode == 1
    found = errors(r)
    assert ("type-error", "t", 2, "id") not in found  # the outside file was never read
    assert any(t in ("resource-error", "scheme-error") and res == "t" for t, res, *_ in found), found


def test_a_link_leading_outside_is_refused(tmp_path):
    (tmp_path / "secret.csv").write_text("id,text\nx,y\n")
    folder = tmp_path / "pkg"
    path = write_package(folder, {"t": (INT, "id,text\n1,a\n")})
    (folder / "t.csv").unlink()
    (folder / "t.csv").symlink_to(tmp_path / "secret.csv")
    r = run("--json", str(path))
    assert r.returncode == 1 and [t for t, *_ in errors(r)] == ["resource-error"]


def test_a_zip_release_validates(tmp_path):
    archive = tmp_path / "release.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for f in [ROOT / "datapackage.json", *(ROOT / "data").iterdir(), *(ROOT / "schemas").rglob("*.json")]:
            zf.write(f, f.relative_to(ROOT).as_posix())
    r = run(str(archive))
    assert r.returncode == 0, r.stdout + r.stderr


@pytest.mark.parametrize("entry", ["../evil.txt", "/abs/evil.txt", "data/../../evil.txt"])
def test_a_zip_with_an_entry_escaping_the_folder(tmp_path, entry):
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("datapackage.json", json.dumps({"resources": []}))
        zf.writestr(entry, "boo")
    r = run(str(archive))
    assert r.returncode == 2
    assert "refusing to unpack" in r.stderr and r.stderr.strip().count("\n") == 0
    assert not (tmp_path / "evil.txt").exists() and not (tmp_path.parent / "evil.txt").exists()


def test_bad_arguments_exit_2():
    assert run("--limit-errors", "many").returncode == 2
    assert run("--profile", "strict").returncode == 2


def test_a_format_that_is_not_a_string(tmp_path):
    path = write_package(tmp_path, {"t": (INT, "id,text\n1,a\n")})
    descriptor = json.loads(path.read_text())
    descriptor["resources"][0]["format"] = 5
    path.write_text(json.dumps(descriptor))
    r = run("--json", str(path))
    assert r.returncode == 1, r.stdout + r.stderr
    messages = [e["message"] for e in json.loads(r.stdout)["errors"]]
    assert errors(r) == [("resource-error", "t", None, None)], messages  # one problem, one error
    assert messages == ["/resources/0/format: 5 is not of type 'string'"]
    from energy_ties import load
    from energy_ties.errors import PackageReadError

    with pytest.raises(PackageReadError, match="format: 5 is not of type 'string'"):
        load("t", path=path)


@pytest.mark.parametrize("dialect", [{"header": False}, {"headerRows": []}], ids=["header-false", "no-header-rows"])
@pytest.mark.parametrize("path", [{}, {"skipInitialSpace": True}], ids=["arrow", "python"])
@pytest.mark.parametrize(("data", "expected"), [
    ("1,a\n2,b\n", []),
    ("1\n2,b\n", [("missing-cell", "t", 1, "text")]),
    ("1,a,z\n2,b\n", [("extra-cell", "t", 1, "")]),
])
def test_without_a_header_fields_are_taken_by_position(tmp_path, dialect, path, data, expected):
    # as frictionless reads it: no labels (so no label errors), and each row is compared with the fields
    descriptor = write_package(tmp_path, {"t": (INT, data)})
    package = json.loads(descriptor.read_text())
    package["resources"][0]["dialect"].update(dialect, **path)
    descriptor.write_text(json.dumps(package))
    r = run("--json", str(descriptor))
    assert errors(r) == expected
