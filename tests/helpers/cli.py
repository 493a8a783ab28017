"""The command line, run in-process (``energy_ties.cli.main(argv)``) or, for the entry points, as a process.

``run`` is what nearly every command-line test uses: no interpreter start-up, no import of pandas and
Arrow per call. It gives what a process would: the exit code (argparse's SystemExit included) and the
text written to standard output and standard error, which are redirected to buffers that are not
terminals, so the output is the plain one a pipe gets. The rich consoles of ``energy_ties.cli.output``
are created at import without a file: rich then writes to whatever ``sys.stdout`` / ``sys.stderr`` is at
the time of each print, which ``run`` checks before every call.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

#: Environment variables with which rich treats any output as a terminal (or not): unset while running
TERMINAL_OVERRIDES = ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE")


@dataclass
class Result:
    """What a run of the command line left: as subprocess.CompletedProcess has it."""

    returncode: int
    stdout: str
    stderr: str


@contextlib.contextmanager
def _environment(env: Mapping[str, str | None] | None) -> Iterator[None]:
    changes = dict.fromkeys(TERMINAL_OVERRIDES) | dict(env or {})
    saved = {name: os.environ.get(name) for name in changes}
    try:
        for name, value in changes.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@contextlib.contextmanager
def _cwd(folder: str | os.PathLike | None) -> Iterator[None]:
    if folder is None:
        yield
        return
    before = os.getcwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)


def run(*argv: object, cwd: str | os.PathLike | None = None, env: Mapping[str, str | None] | None = None) -> Result:
    """``energy-ties ARGV...`` in this process, in ``cwd``, with ``env`` set (a None value unsets a variable)."""
    from energy_ties.cli import main, output

    stdout, stderr = io.StringIO(), io.StringIO()
    with _environment(env), _cwd(cwd), contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        # the consoles must write where print() writes, and see a pipe, not a terminal
        if output.out.file is not stdout or output.err.file is not stderr:
            raise RuntimeError("energy_ties.cli.output's consoles do not follow sys.stdout / sys.stderr")
        if output.out.is_terminal or output.err.is_terminal:
            raise RuntimeError("energy_ties.cli.output's consoles take a StringIO for a terminal")
        try:
            code = main([str(a) for a in argv])
        except SystemExit as exc:  # argparse: bad arguments (2), --help and --version (0)
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return Result(code, stdout.getvalue(), stderr.getvalue())


def console_script() -> Path:
    """The installed ``energy-ties`` console script: beside this interpreter (a virtualenv's bin/), else on PATH."""
    beside = Path(sys.executable).parent / "energy-ties"
    found = beside if beside.is_file() else shutil.which("energy-ties")
    if found is None:
        raise FileNotFoundError("no energy-ties console script beside the interpreter or on PATH")
    return Path(found)


def run_process(
    command: list[str],
    *,
    cwd: str | os.PathLike | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess:
    """A real process, its output captured (piped, so not a terminal)."""
    environ = {k: v for k, v in os.environ.items() if k not in TERMINAL_OVERRIDES} | dict(env or {})
    return subprocess.run(command, cwd=cwd, env=environ, capture_output=True, text=True, timeout=timeout)
