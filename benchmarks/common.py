"""Shared by the benchmark scripts: run a command in a child process and measure it.

Wall time is measured around the child; peak memory is the child's own
maximum resident set size, read from ``os.wait4`` (so each command is
measured alone, including its interpreter start-up and imports).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass


@dataclass
class Run:
    name: str
    seconds: float
    peak_mb: float
    returncode: int
    stdout: str
    stderr: str
    cpu_seconds: float = 0.0  # the child's user + system time: steadier than wall time on a busy machine


def measure(name: str, argv: list[str], *, timeout: float | None = None, env: dict | None = None) -> Run:
    """Run ``argv``; its wall time, peak RSS in MiB, exit code and output."""
    out_path = f"/tmp/bench-{os.getpid()}-{abs(hash(name))}.out"
    err_path = out_path + ".err"
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=err, env=env)
        deadline = None if timeout is None else start + timeout
        while True:
            # with no timeout, wait blocking: polling would add up to 10 ms to a run of a tenth of a second
            pid, status, usage = os.wait4(proc.pid, 0 if deadline is None else os.WNOHANG)
            if pid:
                break
            if deadline is not None and time.perf_counter() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.01)
        seconds = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    with open(out_path, encoding="utf-8", errors="replace") as fh:
        stdout = fh.read()
    with open(err_path, encoding="utf-8", errors="replace") as fh:
        stderr = fh.read()
    os.unlink(out_path)
    os.unlink(err_path)
    cpu = usage.ru_utime + usage.ru_stime
    return Run(name, seconds, usage.ru_maxrss / 1024, code, stdout, stderr, cpu)


def table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = lambda r: "  ".join(str(c).ljust(w) for c, w in zip(r, widths))  # noqa: E731
    return "\n".join([line(header), line(["-" * w for w in widths]), *map(line, rows)])


def bin_of(name: str) -> str:
    """A console script installed beside this interpreter."""
    return os.path.join(os.path.dirname(sys.executable), name)
