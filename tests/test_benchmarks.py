"""The benchmarks' peer scripts find the errors energy-ties finds, so that their times compare like with like."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from helpers import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from validate_speed import error_set_ours, write_package  # noqa: E402

PEERS = ROOT / "benchmarks" / "peers"


def _errors(argv: list[str]) -> set[tuple]:
    out = subprocess.run([sys.executable, *argv, "--errors"], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    return {(r, row, None if t in ("primary-key", "foreign-key") else f, t) for r, row, f, t in json.loads(out.stdout)}


@pytest.mark.parametrize("peer", ["polars_validate.py", "duckdb_validate.py"])
def test_a_peer_finds_the_errors_energy_ties_finds(tmp_path, peer):
    if peer.startswith("polars"):
        pytest.importorskip("polars")
    injected = write_package(tmp_path, 3000, 150)
    pkg = tmp_path / "datapackage.json"
    from energy_ties.validation.pipeline import validate

    ours = error_set_ours(validate(pkg, limit_errors=100000).to_json())
    assert len(ours) >= len(injected)
    assert _errors([str(PEERS / peer), str(pkg)]) == ours


def _runs(name: str, seconds: list[float], cpu: float = 1.0) -> list:
    from common import Run

    return [Run(name, s, 100.0, 0, "", "", cpu) for s in seconds]


@pytest.mark.parametrize(
    ("ours", "polars", "duckdb", "met"),
    [([1.0, 0.9, 1.1], [1.2, 1.3, 1.1], [2.0, 2.0, 2.0], True), ([1.0, 1.1, 1.2], [0.8, 0.9, 0.7], [2.0] * 3, False)],
)
def test_the_verdict_is_met_only_when_ours_is_faster_than_every_peer(ours, polars, duckdb, met):
    from common import verdict

    got = {name: _runs(name, s) for name, s in [("energy-ties", ours), ("polars", polars), ("duckdb", duckdb)]}
    line = verdict("goal", got, ["polars", "duckdb"])
    assert (": met," in line, "MISSED" in line) == (met, not met), line
    if not met:  # by how much: the fastest peer's median over ours
        assert "polars takes 0.73x our time (0.80 s against 1.10 s" in line, line


def test_the_old_suite_s_tests_are_the_current_tests_of_the_same_function_names():
    from suite_time import shared_tests

    old = ["tests/test_a.py::test_kept[1]", "tests/test_a.py::test_kept[2]", "tests/test_a.py::test_gone"]
    new = ["tests/x/test_b.py::test_kept[a b]", "tests/x/test_b.py::test_kept[c]", "tests/x/test_c.py::test_new"]
    assert shared_tests(old, new) == ["tests/x/test_b.py::test_kept"]
    assert shared_tests([], new) == [] and shared_tests(old, []) == []
