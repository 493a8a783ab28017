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
