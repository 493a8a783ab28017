"""How the command line ends when something goes wrong: one line, and the exit code that says what."""

from __future__ import annotations

import subprocess
import sys

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


@pytest.fixture
def validate_raises(monkeypatch, request):
    """Make ``energy-ties validate`` raise the given exception: the parser, built once per process with the
    command functions it dispatches to, is built again with the failing one, and again after the test."""

    def use(exc: BaseException) -> None:
        def fail(args):
            raise exc

        monkeypatch.setattr(app, "cmd_validate", fail)
        app.parser.cache_clear()
        request.addfinalizer(app.parser.cache_clear)

    return use


@pytest.mark.parametrize("exc", OUT_OF_MEMORY, ids=lambda e: type(e).__name__)
def test_running_out_of_memory_is_one_line_with_exit_2(validate_raises, exc):
    validate_raises(exc)
    r = run("validate", ROOT / "datapackage.json")
    assert (r.returncode, r.stdout) == (2, "")
    assert r.stderr == (
        "energy-ties validate: error: out of memory (the data limit of this process or machine); "
        "run it with more memory\n"
    )


@pytest.mark.parametrize("exc", [RuntimeError("something else"), SystemError("a bug"), KeyError("x")])
def test_a_bug_is_one_line_with_exit_70(monkeypatch, validate_raises, exc):
    validate_raises(exc)
    monkeypatch.delenv("ENERGY_TIES_DEBUG", raising=False)
    r = run("validate", ROOT / "datapackage.json")
    assert (r.returncode, r.stdout, r.stderr.count("\n")) == (70, "", 1)
    assert r.stderr.startswith(f"energy-ties validate: internal error: {type(exc).__name__}: ")


def _console(tmp_path, failure: str) -> subprocess.CompletedProcess[str]:
    """``energy-ties validate`` run by the program's entry point, cmd_validate replaced by ``failure``; an atexit
    handler stands for the interpreter's teardown."""
    code = (
        "import atexit, sys; import energy_ties.cli.app as app\n"
        "atexit.register(lambda: sys.stderr.write('teardown ran\\n'))\n"
        f"def fail(args):\n    {failure}\n"
        "app.cmd_validate = fail\n"
        f"sys.argv = ['energy-ties', 'validate', {str(ROOT / 'datapackage.json')!r}]\n"
        "app.console()\n"
    )
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd=tmp_path)


def test_after_memory_ran_out_the_program_ends_without_its_teardown(tmp_path):
    """Arrow's and DuckDB's destructors can abort a process whose memory ran out (exit -6 after the one-line
    error): the program then ends at once, its one line written."""
    done = _console(tmp_path, "raise MemoryError()")
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        "energy-ties validate: error: out of memory (the data limit of this process or machine); "
        "run it with more memory\n"
    )


def test_otherwise_the_program_ends_as_usual(tmp_path):
    done = _console(tmp_path, "print('checked'); return 1")
    assert (done.returncode, done.stdout, done.stderr) == (1, "checked\n", "teardown ran\n")
