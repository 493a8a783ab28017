"""energy-ties' own rules: evidence, spans, dates, aliases, ids, quotes, contested events."""

from __future__ import annotations

import csv
import hashlib
import io
import shutil
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT, TEXTS
from energy_ties.dataset.dates import date_problem
from energy_ties import validate

needs_texts = pytest.mark.skipif(not TEXTS.is_dir(), reason="../shared/sources is not present")


@pytest.fixture
def copy(tmp_path):
    """A writable copy of the package."""
    target = tmp_path / "pkg"
    for top in ("data", "schemas"):
        shutil.copytree(ROOT / top, target / top)
    shutil.copy(ROOT / "datapackage.json", target)
    return target


def edit(folder, resource, change):
    """Rewrite one CSV resource through ``change(rows) -> rows`` (rows as dicts)."""
    path = folder / "data" / f"{resource}.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        fields, rows = reader.fieldnames, list(reader)
    rows = change(rows)
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def error_types(folder, **kw):
    return {(e.type, e.resource) for e in validate(folder, **kw).errors}


@needs_texts
def test_the_package_is_valid_with_every_span_checked():
    report = validate(texts=TEXTS)
    assert report.valid, [e.message for e in report.errors]
    assert "evidence-spans" in report.checked


@needs_texts
@settings(max_examples=15)
@given(row=st.integers(min_value=0, max_value=300), shift=st.sampled_from([-1, 1]))
def test_moving_any_span_by_one_code_point_is_caught(tmp_path_factory, row, shift):
    folder = tmp_path_factory.mktemp("m") / "pkg"
    for top in ("data", "schemas"):
        shutil.copytree(ROOT / top, folder / top)
    shutil.copy(ROOT / "datapackage.json", folder)

    def move(rows):
        r = rows[row % len(rows)]
        r["start"], r["end"] = str(int(r["start"]) + shift), str(int(r["end"]) + shift)
        return rows

    edit(folder, "evidence", move)
    assert ("evidence-hash", "evidence") in error_types(folder, texts=TEXTS)


def test_a_record_without_evidence_is_caught(copy):
    def drop(rows):
        target = rows[0]["record"]
        return [r for r in rows if r["record"] != target]

    edit(copy, "evidence", drop)
    assert any(t == "evidence-missing" for t, _ in error_types(copy))


def test_evidence_for_an_unknown_record_and_past_the_text_is_caught(copy):
    def corrupt(rows):
        rows[0]["record"] = "claim:no-such-claim"
        rows[1]["end"] = "999999"
        return rows

    edit(copy, "evidence", corrupt)
    types = {t for t, _ in error_types(copy)}
    assert {"evidence-reference", "evidence-span"} <= types


def test_an_alias_that_collides_is_caught(copy):
    def collide(rows):
        rows.append({**rows[0], "id": "alias:extra", "entity": "country:mexico", "alias": rows[0]["alias"].upper()})
        return rows

    edit(copy, "entity_aliases", collide)
    assert ("alias-collision", "entity_aliases") in error_types(copy)


def test_a_quote_that_is_not_verbatim_is_caught(copy):
    def alter(rows):
        rows[0]["text"] = rows[0]["text"].replace(" ", "  ", 1)
        return rows

    edit(copy, "quotes", alter)
    assert ("quote-text", "quotes") in error_types(copy)


def test_rules_apply_only_to_energy_ties_unless_asked(copy):
    edit(copy, "quotes", lambda rows: [{**rows[0], "text": "changed"}, *rows[1:]])
    assert ("quote-text", "quotes") not in error_types(copy, profile="none")
    assert ("quote-text", "quotes") in error_types(copy, profile="energy-ties")


@pytest.mark.parametrize("date, precision, basis, relative, ok", [
    ("2024-01-20", "day", "stated", "", True),
    ("XXXX-04-03", "day", "stated", "", True),
    ("XXXX-02-29", "day", "stated", "", True),
    ("2023-02-29", "day", "stated", "", False),
    ("2013", "year", "stated", "", True),
    ("2013", "month", "stated", "", False),
    ("XXXX-03", "month", "inferred", "publication-year-minus-1", True),
    ("", "day", "inferred", "weekday-tuesday", True),
    ("", "day", "inferred", "", False),
    ("", "", "unknown", "", True),
    ("", "day", "unknown", "", False),
    ("", "", "stated", "", False),
    ("2024", "year", "unknown", "", False),
    ("2024", "year", "stated", "publication-day", False),
    ("XXXX", "year", "stated", "", False),
])
def test_date_blocks(date, precision, basis, relative, ok):
    assert (date_problem(date, precision, basis, relative) is None) is ok


@needs_texts
def test_verify_evidence_command(tmp_path):
    run = [sys.executable, "-m", "energy_ties.cli", "verify-evidence"]
    none = subprocess.run(run, capture_output=True, text=True)
    assert none.returncode == 2 and "no texts given" in none.stderr
    good = subprocess.run([*run, "--texts", str(TEXTS)], capture_output=True, text=True)
    assert good.returncode == 0, good.stdout + good.stderr
    assert "evidence spans match" in good.stdout
    # texts are found by their hash, not their names
    renamed = tmp_path / "texts"
    renamed.mkdir()
    for i, f in enumerate(sorted(TEXTS.iterdir())):
        shutil.copy(f, renamed / f"article-{i}.txt")
    assert subprocess.run([*run, "--texts", str(renamed)], capture_output=True).returncode == 0
    # an altered text is found by nobody
    victim = next(renamed.iterdir())
    victim.write_text(victim.read_text(encoding="utf-8") + " ", encoding="utf-8")
    bad = subprocess.run([*run, "--texts", str(renamed)], capture_output=True, text=True)
    assert bad.returncode == 1 and "no file" in bad.stdout


def test_source_hashes_are_of_the_texts():
    if not TEXTS.is_dir():
        pytest.skip("../shared/sources is not present")
    with open(ROOT / "data" / "sources.csv", encoding="utf-8") as fh:
        for s in csv.DictReader(fh):
            raw = (TEXTS / s["text_file"]).read_bytes()
            assert hashlib.sha256(raw).hexdigest() == s["text_sha256"]
            assert len(raw.decode("utf-8")) == int(s["text_length"])
