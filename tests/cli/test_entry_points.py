"""The installed entry points run the same command line: the only command-line tests that start processes.

Every other command-line test calls ``energy_ties.cli.main(argv)`` in-process (helpers.cli.run); these
prove that the console script and ``python -m`` reach it, and that a real pipe gets the output the
in-process runs see.
"""

from __future__ import annotations

import sys

from helpers import ROOT, write_package
from helpers.cli import console_script, run, run_process


def test_the_console_script_prints_what_main_prints(tmp_path):
    bad = write_package(tmp_path, {"t": ({"fields": [{"name": "n", "type": "integer"}]}, "n\n1\nx\n")})
    tool = str(console_script())
    for args in (["info"], ["validate", str(bad)]):
        piped = run_process([tool, *args], cwd=ROOT)
        inside = run(*args, cwd=ROOT)
        assert (piped.returncode, piped.stdout, piped.stderr) == (inside.returncode, inside.stdout, inside.stderr)
    assert inside.returncode == 1 and inside.stdout.startswith("t:3:n: type-error: ")


def test_python_dash_m_energy_ties(tmp_path):
    (tmp_path / "datapackage.json").write_text("{not json")
    r = run_process([sys.executable, "-m", "energy_ties", "validate", str(tmp_path)])
    inside = run("validate", tmp_path)
    assert (r.returncode, r.stdout, r.stderr) == (inside.returncode, inside.stdout, inside.stderr)
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "Traceback" not in r.stderr


def test_python_dash_m_energy_ties_cli():
    r = run_process([sys.executable, "-m", "energy_ties.cli", "--version"])
    assert r.returncode == 0 and r.stdout.startswith("energy-ties ") and r.stdout == run("--version").stdout
