"""The diff as text and Markdown, against known outputs: each changed cell old → new, shortened past a
limit; the Markdown headed by the version the changes require; two bare CSV files compared."""

from __future__ import annotations

from energy_ties import diff
from energy_ties.diffing.render import value_text
from helpers.cli import run
from helpers.diffpkg import write

OLD = {
    1: {"name": "x", "amount": 1.0, "day": None, "kind": "a"},
    2: {"name": "gone", "amount": 2.0, "day": None, "kind": "b"},
    3: {"name": "same", "amount": 3.0, "day": "2024-01-20", "kind": "c"},
}
NEW = {
    1: {"name": "y", "amount": 1.5, "day": "2024-02-01", "kind": "a"},
    3: {"name": "same", "amount": 3.0, "day": "2024-01-20", "kind": "c"},
    4: {"name": "new", "amount": None, "day": None, "kind": None},
}


def test_text_shows_each_changed_value(tmp_path):
    d = diff(write(tmp_path / "a", OLD, []), write(tmp_path / "b", NEW, []))
    assert d.to_text() == (
        "1.0.0 -> 1.0.0: required bump major\n"
        "  major  rows-removed items: 1 row\n"
        "  minor  rows-added items: 1 row\n"
        "  patch  values-corrected items: 3 values in 1 row\n"
        "items: changed; rows +1 -1 ~1\n"
        '  ~ 1: name: "x" → "y"; amount: 1.0 → 1.5; day: null → "2024-02-01"\n'
        "  + 4\n"
        "  - 2"
    )


def test_markdown_is_headed_by_the_version_the_changes_require(tmp_path):
    d = diff(write(tmp_path / "a", OLD, []), write(tmp_path / "b", NEW, []))
    assert d.to_markdown("2026-12-01") == (
        "## [2.0.0] - 2026-12-01\n\n"
        "### Added\n\n- `items`: 1 row (`4`).\n\n"
        "### Removed\n\n- `items`: 1 row (`2`).\n\n"
        "### Fixed\n\n- `items`: 3 values corrected in 1 row (`1`).\n"
    )


def test_long_values_and_long_lists_are_shortened(tmp_path):
    assert value_text("a" * 100) == '"' + "a" * 57 + '…"'
    assert len(value_text("a" * 100)) == 60 and value_text(None) == "null" and value_text(2) == "2"
    old = {i: {"name": "x", "amount": 1.0, "day": None, "kind": "a"} for i in range(1, 31)}
    new = {i: {"name": "y", "amount": 1.0, "day": None, "kind": "a"} for i in range(1, 31)}
    text = diff(write(tmp_path / "a", old, []), write(tmp_path / "b", new, [])).to_text().splitlines()
    assert text[-1] == "  ~ ... and 10 more modified" and len([t for t in text if t.startswith("  ~ ")]) == 21


def test_two_bare_csv_files(tmp_path):
    (tmp_path / "a.csv").write_text("id,name,n\n1,alpha,3\n2,beta,4\n3,gamma,5\n")
    (tmp_path / "b.csv").write_text('id,name,n\n1,alpha,3\n2,BETA,44\n4,"de,lta",6\n')
    r = run("diff", tmp_path / "a.csv", tmp_path / "b.csv", "--key", "id")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[4:] == [
        "a: changed; rows +1 -1 ~1",
        '  ~ 2: name: "beta" → "BETA"; n: "4" → "44"',
        "  + 4",
        "  - 3",
    ]
    whole = run("diff", tmp_path / "a.csv", tmp_path / "b.csv").stdout
    assert "a: changed; rows +2 -2 ~0" in whole and '  + "4", "de,lta", "6"' in whole
    r = run("diff", tmp_path / "a.csv", tmp_path / "b.csv", "--key", "nope")
    assert r.returncode == 2 and "no column 'nope' to match rows on (columns: id, name, n)" in r.stderr
    r = run("diff", tmp_path / "a.csv", tmp_path, "--key", "id")
    assert r.returncode == 2 and r.stderr.count("\n") == 1
