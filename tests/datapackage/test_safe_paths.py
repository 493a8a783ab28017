"""Opening a package never reads or writes outside it: paths, links and zip entries that leave are refused."""

from __future__ import annotations

import json
import zipfile

import pytest

from helpers import ROOT, write_package
from helpers.cli import run

INT = {"fields": [{"name": "id", "type": "integer"}, {"name": "text", "type": "string"}]}


def validate_cli(*args):
    r = run("validate", *args)
    assert "Traceback" not in r.stderr + r.stdout
    return r


def errors(r) -> list[tuple]:
    report = json.loads(r.stdout)
    return [(e["type"], e["resource"], e["row"], e["field"]) for e in report["errors"]]


@pytest.mark.parametrize(
    "bad", ["../outside.csv", "/etc/passwd", "data/../../outside.csv", "https://example.org/x.csv"]
)
def test_paths_leaving_the_package_are_errors_not_reads(tmp_path, bad):
    (tmp_path / "outside.csv").write_text("id,text\nnot-an-integer,a\n")
    folder = tmp_path / "pkg"
    path = write_package(folder, {"t": (INT, "id,text\n1,a\n")})
    descriptor = json.loads(path.read_text())
    descriptor["resources"][0]["path"] = bad
    path.write_text(json.dumps(descriptor))
    r = validate_cli("--json", path)
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
    r = validate_cli("--json", path)
    assert r.returncode == 1 and [t for t, *_ in errors(r)] == ["resource-error"]


def test_a_zip_release_validates(tmp_path):
    archive = tmp_path / "release.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for f in [ROOT / "datapackage.json", *(ROOT / "data").iterdir(), *(ROOT / "schemas").rglob("*.json")]:
            zf.write(f, f.relative_to(ROOT).as_posix())
    r = validate_cli(archive)
    assert r.returncode == 0, r.stdout + r.stderr


@pytest.mark.parametrize("entry", ["../evil.txt", "/abs/evil.txt", "data/../../evil.txt"])
def test_a_zip_with_an_entry_escaping_the_folder(tmp_path, entry):
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("datapackage.json", json.dumps({"resources": []}))
        zf.writestr(entry, "boo")
    r = validate_cli(archive)
    assert r.returncode == 2
    assert "refusing to unpack" in r.stderr and r.stderr.strip().count("\n") == 0
    assert not (tmp_path / "evil.txt").exists() and not (tmp_path.parent / "evil.txt").exists()
