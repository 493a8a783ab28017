"""Silent wrong answers: NaN against itself, bad tolerances, build metadata, changelog headings, renamed columns."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from energy_ties.cli import main
from helpers import ROOT, write_package

NUMBERS = {"fields": [{"name": "id", "type": "integer"}, {"name": "x", "type": "number"}], "primaryKey": ["id"]}
NO_KEY = {"fields": [{"name": "x", "type": "number"}, {"name": "s", "type": "string"}]}


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def nan_package(folder: Path, version: str = "1.0.0") -> Path:
    return write_package(
        folder,
        {"t": (NUMBERS, "id,x\n1,NaN\n2,1.5\n"), "u": (NO_KEY, "x,s\nNaN,a\n2,b\n")},
        version=version,
    )


def test_a_nan_cell_diffed_against_itself_is_no_change(tmp_path, capsys):
    path = nan_package(tmp_path / "p")
    code, out, err = run(capsys, "diff", str(path), str(path), "--format", "json", "--exit-code")
    assert (code, err) == (0, "")
    d = json.loads(out)
    assert d["required_bump"] == "none"
    assert {name: r["rows"] for name, r in d["resources"].items()} == {
        "t": {"added": 0, "removed": 0, "modified": 0},
        "u": {"added": 0, "removed": 0, "modified": 0},
    }


def test_a_nan_cell_with_a_tolerance_is_no_change_either(tmp_path, capsys):
    path = nan_package(tmp_path / "p")
    code, out, _ = run(capsys, "diff", str(path), str(path), "--tolerance", "0.5", "--exit-code")
    assert code == 0, out


def test_a_renamed_field_holding_nan_is_a_rename(tmp_path, capsys):
    old = write_package(tmp_path / "old", {"t": (NUMBERS, "id,x\n1,NaN\n2,1.5\n")})
    renamed = {"fields": [NUMBERS["fields"][0], {"name": "y", "type": "number"}], "primaryKey": ["id"]}
    new = write_package(tmp_path / "new", {"t": (renamed, "id,y\n1,NaN\n2,1.5\n")})
    code, out, _ = run(capsys, "diff", str(old), str(new), "--format", "json")
    assert code == 0
    d = json.loads(out)
    assert [c["kind"] for c in d["resources"]["t"]["schema"]] == ["field-renamed"]
    assert d["resources"]["t"]["rows"] == {"added": 0, "removed": 0, "modified": 0}


def test_check_release_accepts_an_unchanged_release_holding_nan(tmp_path, capsys):
    path = nan_package(tmp_path / "p")
    (path.parent / "CHANGELOG.md").write_text("# Changelog\n\n## [1.0.0] - 2026-01-01\n\n- first.\n")
    code, out, err = run(capsys, "check-release", str(path.parent), "--against", str(path.parent))
    assert (code, err) == (0, ""), out
    assert out.splitlines() == ["1.0.0 -> 1.0.0: none bump; the changes need none", "release ok"]


@pytest.mark.parametrize("tolerance", ["-1", "nan", "inf", "-inf", "x"])
def test_a_tolerance_that_is_not_finite_and_positive_is_refused(tmp_path, capsys, tolerance):
    path = nan_package(tmp_path / "p")
    with pytest.raises(SystemExit) as exc:
        main(["diff", str(path), str(path), f"--tolerance={tolerance}"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.splitlines()[-1].startswith("energy-ties diff: error: argument --tolerance:")
    assert "Traceback" not in err


def test_the_library_refuses_a_negative_or_nan_tolerance_too(tmp_path):
    from energy_ties import diff
    from energy_ties.errors import DiffError

    path = nan_package(tmp_path / "p")
    for tolerance in (-1.0, float("nan")):
        with pytest.raises(DiffError, match="tolerance must be a finite number, zero or more"):
            diff(path, path, tolerance=tolerance)


# ---------------------------------------------------------------- check-release


def release_pair(tmp_path: Path, new_version: str, changelog: str | bytes) -> tuple[Path, Path]:
    schema = {"fields": [{"name": "n", "type": "integer"}], "primaryKey": ["n"]}
    old = write_package(tmp_path / "old", {"t": (schema, "n\n1\n")}, version="1.0.0")
    new = write_package(tmp_path / "new", {"t": (schema, "n\n2\n")}, version=new_version)  # a value corrected
    data = changelog if isinstance(changelog, bytes) else changelog.encode()
    (new.parent / "CHANGELOG.md").write_bytes(data)
    return old, new


def test_build_metadata_is_no_version_bump(tmp_path, capsys):
    old, new = release_pair(tmp_path, "1.0.0+fix", "# Changelog\n\n## [1.0.0+fix] - 2026-01-02\n\n- fixed.\n")
    code, out, _ = run(capsys, "check-release", str(new), "--against", str(old))
    assert code == 1
    assert out.splitlines()[0] == "1.0.0 -> 1.0.0+fix: none bump; the changes need major"
    assert out.splitlines()[-1].startswith(
        "refused: the package changed since 1.0.0 but its version did not (build metadata has no precedence): "
    )


def test_a_heading_inside_a_code_fence_is_no_section(tmp_path, capsys):
    fenced = (
        "# Changelog\n\nHow to write one:\n\n```markdown\n## [2.0.0] - 2026-01-02\n```\n\n## [1.0.0] - 2025-01-01\n"
    )
    old, new = release_pair(tmp_path, "2.0.0", fenced)
    code, out, _ = run(capsys, "check-release", str(new), "--against", str(old))
    assert code == 1
    assert out.splitlines()[-1] == (
        "refused: CHANGELOG.md: no section for version 2.0.0; add '## [2.0.0] - YYYY-MM-DD' before building the release"
    )


@pytest.mark.parametrize("heading", ["## [2.0.0]", "## [2.0.0] - soon", "## [2.0.0] - 2026-02-30"])
def test_a_heading_without_a_date_is_refused_as_build_release_refuses_it(tmp_path, capsys, heading):
    old, new = release_pair(tmp_path, "2.0.0", f"# Changelog\n\n{heading}\n\n- more.\n")
    code, out, _ = run(capsys, "check-release", str(new), "--against", str(old))
    assert code == 1
    assert out.splitlines()[-1].startswith("refused: CHANGELOG.md: the heading of version 2.0.0 needs a date")


def test_a_changelog_that_is_not_utf8_is_one_line_exit_2(tmp_path, capsys):
    old, new = release_pair(tmp_path, "2.0.0", b"# Changelog\n\n## [2.0.0] - 2026-01-02\n\n- caf\xe9\n")
    code, out, err = run(capsys, "check-release", str(new), "--against", str(old))
    assert code == 2
    assert err == f"energy-ties check-release: error: {new.parent / 'CHANGELOG.md'}: not UTF-8 (byte 43)\n"


# ---------------------------------------------------------------- the dataset's own rules


def test_a_renamed_column_is_reported_not_a_crash(tmp_path, capsys):
    pkg = tmp_path / "pkg"
    shutil.copytree(ROOT / "data", pkg / "data")
    shutil.copytree(ROOT / "schemas", pkg / "schemas")
    shutil.copy(ROOT / "datapackage.json", pkg / "datapackage.json")
    # rename entities.name to entities.label, in the data and in its Table Schema, so the table checks pass
    csv = (pkg / "data" / "entities.csv").read_text(encoding="utf-8")
    header, rest = csv.split("\n", 1)
    (pkg / "data" / "entities.csv").write_text(
        ",".join("label" if h == "name" else h for h in header.split(",")) + "\n" + rest, encoding="utf-8"
    )
    schema_path = pkg / "schemas" / "tables" / "entities.json"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    for f in schema["fields"]:
        if f["name"] == "name":
            f["name"] = "label"
    schema_path.write_text(json.dumps(schema), encoding="utf-8")
    code, out, err = run(capsys, "validate", str(pkg))
    assert code == 1 and "internal error" not in err, err
    assert (
        "entities:1:name: missing-column: entities has no column 'name', which this package's rules read; "
        "its rules are not applied"
    ) in out.splitlines()
