"""Benchmark: the test suite's wall time against an older checkout's, side by side on this machine.

Issue 8 asked for the suite "in well under half its present time". Later work added many tests, so
two figures are printed: the whole suite, and the tests the old checkout had, run as they are now (every
current test whose function name the old checkout's suite also collects: tests moved to new modules
keep their names). The two checkouts run alternately, ``--runs`` times each, with HYPOTHESIS_PROFILE=ci
as .ci/run sets it; each runs its own pytest configuration (the old one serial, this one on every core).

    python benchmarks/suite_time.py OLD_CHECKOUT [--runs 2]

OLD_CHECKOUT is a git worktree with its own .venv, e.g.
``git worktree add /tmp/old 66936d1 && cd /tmp/old && python3 -m venv .venv && .venv/bin/pip install ".[test]"``.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from common import table  # noqa: E402

HERE = Path(__file__).resolve().parent.parent


def collected(checkout: Path, *more: str) -> list[str]:
    """The test ids pytest collects in ``checkout`` (serially, to list them)."""
    python = str(checkout / ".venv" / "bin" / "python")
    argv = [python, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"]
    if "xdist" in (checkout / "pyproject.toml").read_text():
        argv += ["-n", "0"]
    out = subprocess.run(argv + list(more), cwd=checkout, capture_output=True, text=True, check=True).stdout
    return [line for line in out.splitlines() if "::" in line]


def without_parameters(test_id: str) -> str:
    """``file::function[params]`` as ``file::function``."""
    return re.sub(r"\[.*", "", test_id)


def function_of(test_id: str) -> str:
    """The test function's name: the id's last part, less its parameters."""
    return without_parameters(test_id).rsplit("::", maxsplit=1)[-1]


def shared_tests(old: list[str], new: list[str]) -> list[str]:
    """The current tests whose function the old suite has, as file::function (pytest runs every parameter
    of each): ids with parameters can hold spaces, which a command line would split."""
    names = {function_of(t) for t in old}
    return sorted({without_parameters(t) for t in new if function_of(t) in names})


def timed(checkout: Path, tests: list[str]) -> tuple[float, str]:
    """Wall seconds of one pytest run in ``checkout`` and its summary line."""
    env = dict(os.environ, HYPOTHESIS_PROFILE="ci")
    argv = [str(checkout / ".venv" / "bin" / "python"), "-m", "pytest", "-q", "-p", "no:cacheprovider", *tests]
    start = time.perf_counter()
    r = subprocess.run(argv, cwd=checkout, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    return seconds, (r.stdout.strip().splitlines() or ["(no output)"])[-1].strip("= ")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("old", type=Path, help="the older checkout, with its own .venv")
    ap.add_argument("--runs", type=int, default=2)
    args = ap.parse_args()
    old_ids, new_ids = collected(args.old), collected(HERE)
    shared = shared_tests(old_ids, new_ids)
    print(f"old suite: {len(old_ids)} tests; this one: {len(new_ids)}, with {len(shared)} test functions the old has")
    suites = {"old suite": (args.old, []), "the old suite's tests now": (HERE, shared), "whole suite now": (HERE, [])}
    got: dict[str, list[tuple[float, str]]] = {name: [] for name in suites}
    for _ in range(args.runs):
        for name, (checkout, tests) in suites.items():
            got[name].append(timed(checkout, tests))
    base = statistics.median(s for s, _ in got["old suite"])
    rows = []
    for name, runs in got.items():
        med = statistics.median(s for s, _ in runs)
        rows.append([name, f"{med:.1f}", " ".join(f"{s:.1f}" for s, _ in runs), f"{med / base:.2f}", runs[-1][1]])
    print(table(rows, ["run", "median s", "runs s", "time / old suite", "pytest's summary (last run)"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
