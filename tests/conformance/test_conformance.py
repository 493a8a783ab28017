"""energy-ties validates error for error like frictionless, except where the Data Package v2 text says otherwise.

Each case of ``cases.py`` writes a small package into a temporary folder. The
test runs frictionless on it (unless the v2 text decides the outcome: then the
case quotes the sentence that decides it) and energy-ties's library, and
compares them as the case says (``cases.judge``). Then it runs the command line
in-process, with ``--json`` and without, into strict UTF-8 streams as a shell
gives them, and requires exit 0, 1 or 2, a JSON report that says what the
library said, and never an internal error (exit 70), whatever the input.

The cases of class 3 are the inputs beyond CSV (YAML descriptors, resource
descriptors, compressed data, JSON, JSON Lines and spreadsheet tables, inline
CSV strings); a case whose readers are not installed (frictionless's optional
ones, or the spreadsheets extra) is skipped, naming them.
"""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest

from conformance.cases import CASES, judge, ours_from_report, theirs

pytest.importorskip("frictionless")


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


def _missing(case) -> list[str]:
    """The modules a case needs (frictionless's readers of it, the spreadsheets extra) that are not installed."""
    import importlib.util

    needs = (*case.needs, *(("python_calamine",) if case.id.startswith(("xlsx", "ods")) else ()))
    return [m for m in needs if importlib.util.find_spec(m) is None]


def _params() -> list:
    out = []
    for case in CASES:
        missing = _missing(case)
        marks = [pytest.mark.skip(reason=f"needs {', '.join(missing)}")] if missing else []
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
