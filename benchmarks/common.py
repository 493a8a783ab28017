"""Shared by the benchmark scripts: run a command in a child process and measure it.

Wall time is measured around the child; peak memory is the child's own
maximum resident set size, read from ``os.wait4`` (so each command is
measured alone, including its interpreter start-up and imports).
"""

from __future__ import annotations

import os
import statistics
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


def medians(got: dict[str, list[Run]], of: str = "seconds") -> dict[str, float]:
    """Each tool's median of one measure of its runs: wall ``seconds`` or ``cpu_seconds``."""
    return {name: statistics.median(getattr(r, of) for r in runs) for name, runs in got.items()}


def verdict(goal: str, got: dict[str, list], peers: list[str], ours: str = "energy-ties") -> str:
    """One line: whether ours took less median wall time than every peer that ran, and if not by how much.

    Beside it, each tool's median CPU time over its median wall time (the cores it kept busy): with about
    the same CPU time, a tool that parallelises more of its work finishes first."""
    wall, cpu = medians(got), medians(got, "cpu_seconds")
    ran = [p for p in peers if p in got and all(r.returncode == 0 for r in got[p])]
    if not ran or ours not in got:
        return f"  {goal}: not measured (a tool did not run)"
    behind = [p for p in ran if wall[p] <= wall[ours]]
    cores = ", ".join(f"{n} {cpu[n] / wall[n]:.2f}" for n in [ours, *ran])
    if not behind:
        nearest = min(ran, key=lambda p: wall[p])
        return f"  {goal}: met, {wall[nearest] / wall[ours]:.2f}x {nearest}'s time (cores busy: {cores})"
    worst = min(behind, key=lambda p: wall[p])
    return (
        f"  {goal}: MISSED, {worst} takes {wall[worst] / wall[ours]:.2f}x our time "
        f"({wall[worst]:.2f} s against {wall[ours]:.2f} s; CPU s {cpu[worst]:.2f} against {cpu[ours]:.2f}; "
        f"cores busy: {cores})"
    )
