"""How the command line ends when something goes wrong: one line, and the exit code that says what."""

from __future__ import annotations

import pytest

from energy_ties.cli import app
from helpers import ROOT
from helpers.cli import run

#: Memory running out, as the process sees it when it is not a MemoryError (each seen under `prlimit --data`).
OUT_OF_MEMORY = [
    MemoryError(),
    RuntimeError("can't start new thread"),
    ImportError("/x/rpds.cpython-311-x86_64-linux-gnu.so: failed to map segment from shared object"),
    SystemError("<built-in function compile> returned NULL without setting an exception"),
    OSError("Unknown error: Failed to launch worker thread: Resource temporarily unavailable"),
]


@pytest.mark.parametrize("exc", OUT_OF_MEMORY, ids=lambda e: type(e).__name__)
def test_running_out_of_memory_is_one_line_with_exit_2(monkeypatch, exc):
    def fail(args):
        raise exc

    monkeypatch.setattr(app, "cmd_validate", fail)
    r = run("validate", ROOT / "datapackage.json")
    assert (r.returncode, r.stdout) == (2, "")
    assert r.stderr == (
        "energy-ties validate: error: out of memory (the data limit of this process or machine); "
        "run it with more memory\n"
    )


@pytest.mark.parametrize("exc", [RuntimeError("something else"), SystemError("a bug"), KeyError("x")])
def test_a_bug_is_one_line_with_exit_70(monkeypatch, exc):
    def fail(args):
        raise exc

    monkeypatch.setattr(app, "cmd_validate", fail)
    monkeypatch.delenv("ENERGY_TIES_DEBUG", raising=False)
    r = run("validate", ROOT / "datapackage.json")
    assert (r.returncode, r.stdout, r.stderr.count("\n")) == (70, "", 1)
    assert r.stderr.startswith(f"energy-ties validate: internal error: {type(exc).__name__}: ")
