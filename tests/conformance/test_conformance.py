"""energy-ties validates error for error like frictionless, except where the Data Package v2 text says otherwise.

Each case of ``cases.py`` writes a small package into a temporary folder. The
test runs frictionless on it (unless the v2 text decides the outcome: then the
case quotes the sentence that decides it) and energy-ties's library, and
compares them as the case says (``cases.judge``). Then it runs the command line
in-process, with ``--json`` and without, into strict UTF-8 streams as a shell
gives them, and requires exit 0, 1 or 2, a JSON report that says what the
library said, and never an internal error (exit 70), whatever the input.

The cases of class 3 are inputs frictionless reads and energy-ties does not read
yet (YAML, compressed data, JSON and spreadsheet tables, inline CSV strings):
they are skipped, each naming what is not read.
"""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest

from conformance.cases import CASES, judge, ours_from_report, theirs

pytest.importorskip("frictionless")

#: What each class 3 case needs read, by the start of its id.
NOT_READ = {
    "yaml-": "YAML descriptors",
    "resource-descriptor-yaml": "YAML descriptors",
    "resource-descriptor-json": "a resource descriptor given on its own",
    "schema-by-path-yaml": "YAML descriptors",
    "dialect-by-path-yaml": "YAML descriptors",
    "csv-gz": "gzip-compressed data",
    "compression-gz": "gzip-compressed data",
    "bytes-of-gzip": "gzip-compressed data",
    "gzip-": "gzip-compressed data",
    "csv-zip": "zip-compressed data",
    "compression-zip": "zip-compressed data",
    "zip-named-zip": "zip-compressed data",
    "json-": "JSON tables",
    "jsonl": "JSON Lines tables",
    "ndjson": "JSON Lines tables",
    "inline-csv-string": "inline CSV strings",
    "inline-array": "inline data arrays",
    "xlsx": "xlsx spreadsheets",
    "ods": "ods spreadsheets",
    "tsv-": "TSV files",
}


def _not_read(case_id: str) -> str:
    return next(what for start, what in NOT_READ.items() if case_id.startswith(start))


def _ours(path: Path) -> dict:
    """energy-ties's library verdict: valid, errors, and exit 2 for input it cannot read at all."""
    import energy_ties

    try:
        report = energy_ties.validate(path)
    except Exception as exc:  # any exception but an unreadable input is the bug this test is after
        if getattr(exc, "exit_code", None) == 2:
            return {"exit": 2, "valid": False, "errors": []}
        return {"internal": f"{type(exc).__name__}: {exc}", "valid": None, "errors": []}
    return {**ours_from_report(report), "exit": None}


def _cli(argv: list[str]) -> tuple[int, str, str]:
    """Run the command line in-process, its output going to strict UTF-8 streams as in a shell."""
    from energy_ties.cli import main

    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict")
    err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict")
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse
            code = exc.code if isinstance(exc.code, int) else 2
    out.flush()
    err.flush()
    return code, out.buffer.getvalue().decode("utf-8"), err.buffer.getvalue().decode("utf-8")


def _params() -> list:
    out = []
    for case in CASES:
        marks = [pytest.mark.skip(reason=f"not yet read: {_not_read(case.id)}")] if case.klass == "3" else []
        out.append(pytest.param(case, id=f"{case.klass}-{case.id}", marks=marks))
    return out


@pytest.mark.parametrize("case", _params())
def test_conformance(case, tmp_path, monkeypatch):
    monkeypatch.delenv("ENERGY_TIES_DEBUG", raising=False)
    path = case.build(tmp_path / "pkg")
    fl = None if case.compare == "v2" else theirs(path)
    ours = _ours(path)
    agree, why = judge(case, fl, ours)
    detail = {"frictionless": fl and fl["errors"], "ours": ours["errors"], "quote": case.quote or None}
    assert agree, f"{case.id}: {why}\n{json.dumps(detail, default=str)}"

    code, stdout, stderr = _cli(["validate", "--json", str(path)])
    assert code in (0, 1, 2), f"--json: exit {code}: {stderr}"
    if code in (0, 1):
        report = json.loads(stdout)
        assert report["valid"] is (code == 0) is ours["valid"]
    else:
        assert stderr.count("\n") == 1, stderr  # one line
    code, _, stderr = _cli(["validate", str(path)])
    assert code in (0, 1, 2), f"plain output: exit {code}: {stderr}"


def test_every_class_3_case_names_what_is_not_read():
    assert all(_not_read(c.id) for c in CASES if c.klass == "3")
