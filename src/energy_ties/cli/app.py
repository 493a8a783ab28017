"""The ``energy-ties`` command line: a thin layer over the library's functions.

Exit codes: 0 success (or valid), 1 a check failed (invalid package, wrong
release), 2 the input cannot be read or the arguments are wrong. Errors are
one line on standard error, never a traceback. Tables are drawn with rich in
a terminal and printed as plain lines when the output is piped.
"""

from __future__ import annotations

import argparse
import functools
import math
import os
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from ..errors import EnergyTiesError, printable
from .analyst import add_commands as _analyst_commands
from .commands import cmd_docs, cmd_info, cmd_schemas, cmd_site, cmd_validate, cmd_verify_evidence
from .releasing import cmd_build_release, cmd_cache, cmd_check_release, cmd_diff, cmd_download, cmd_versions


class _Version(argparse.Action):
    """``--version``, reading the installed version only when asked: the lookup is slow."""

    def __call__(self, parser, namespace, values, option_string=None):
        from ..api import library_version

        print(f"energy-ties {library_version()}")
        parser.exit()


@functools.cache
def parser() -> argparse.ArgumentParser:
    """The command line's parser, built once per process: its defaults are constants (environment variables
    are read when a command runs), and parsing leaves it unchanged, so a program calling main() again reuses it."""
    p = argparse.ArgumentParser(prog="energy-ties", description=__doc__.splitlines()[0])
    p.add_argument(
        "--version", action=_Version, nargs=0, default=argparse.SUPPRESS, help="show program's version number and exit"
    )
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _package_commands(sub)
    _release_commands(sub)
    _download_commands(sub)
    _analyst_commands(sub)  # view, pictures, export
    return p


def _package_commands(sub: Any) -> None:
    """Commands on one package: info, validate, verify-evidence, schemas, docs."""
    s = sub.add_parser("info", help="package version, resources and row counts")
    s.add_argument("path", nargs="?", help="datapackage.json, folder or .zip (default: the bundled package)")
    s.set_defaults(func=cmd_info)

    s = sub.add_parser("validate", help="validate a data package (exit 0 valid, 1 invalid, 2 unreadable)")
    s.add_argument("path", nargs="?", help="datapackage.json, folder or .zip (default: ./datapackage.json)")
    s.add_argument("--bundled", action="store_true", help="validate the package shipped with energy-ties instead")
    s.add_argument(
        "--format",
        choices=["text", "json", "github", "editor"],
        default="text",
        help="text (default), json (as --json), github (::error workflow commands: annotations on the file "
        "and line) or editor (FILE:LINE:COLUMN: lines, as compilers print them)",
    )
    s.add_argument(
        "--json", action="store_true", help="print one JSON report (energy_ties/schemas/validation-report.json)"
    )
    s.add_argument("--summary", metavar="FILE", help="append a Markdown summary to FILE ($GITHUB_STEP_SUMMARY)")
    s.add_argument("--texts", metavar="DIR", help="folder of source texts: also verify every evidence span")
    s.add_argument("--limit-errors", type=_positive, default=1000, metavar="N", help="report at most N errors")
    s.add_argument("--allow-remote", action="store_true", help="fetch data and schemas given as http(s) URLs")
    s.add_argument(
        "--profile",
        choices=["auto", "energy-ties", "none"],
        default="auto",
        help="apply energy-ties' own rules: auto (to the energy-ties package), always, or never",
    )
    s.set_defaults(func=cmd_validate)

    s = sub.add_parser("verify-evidence", help="check every evidence span against the source texts")
    s.add_argument("path", nargs="?", help="datapackage.json, folder or .zip (default: the bundled package)")
    s.add_argument("--texts", metavar="DIR", help="folder holding the source texts")
    s.set_defaults(func=cmd_verify_evidence)

    s = sub.add_parser("schemas", help="check (or --write) the row JSON Schemas generated from the Table Schemas")
    s.add_argument("path", nargs="?", default="datapackage.json", help="datapackage.json (default: ./datapackage.json)")
    s.add_argument("--write", action="store_true", help="rewrite the out-of-date row schemas")
    s.set_defaults(func=cmd_schemas)

    s = sub.add_parser("docs", help="check (or --write) the README's data dictionary")
    s.add_argument("path", nargs="?", default="datapackage.json", help="datapackage.json (default: ./datapackage.json)")
    s.add_argument("--readme", default="README.md", help="the README to check (default: ./README.md)")
    s.add_argument("--write", action="store_true", help="rewrite the data dictionary section")
    s.set_defaults(func=cmd_docs)


def _release_commands(sub: Any) -> None:
    """Commands across releases: diff, check-release, build-release, site."""
    s = sub.add_parser("diff", help="what changed between two packages, and the version bump it demands")
    s.add_argument("old", help="datapackage.json, folder, release .zip or released version number")
    s.add_argument("new", help="datapackage.json, folder, release .zip or released version number")
    s.add_argument(
        "--format",
        choices=["text", "json", "markdown"],
        default="text",
        help="text (default), json (energy_ties/schemas/diff.json) or markdown (a CHANGELOG section)",
    )
    s.add_argument("--exit-code", action="store_true", help="exit 1 when the packages differ (as git diff)")
    s.add_argument(
        "--key",
        action="append",
        metavar="FIELD",
        help="for two CSV files: the field (repeat it, or FIELD,FIELD) rows are matched on",
    )
    s.add_argument(
        "--tolerance", type=_tolerance, default=0.0, metavar="X", help="numbers closer than X (finite, >= 0) are equal"
    )
    s.add_argument("--base-url", metavar="URL", help="where released versions are published (ENERGY_TIES_BASE_URL)")
    _fetch_options(s)
    s.set_defaults(func=cmd_diff)

    s = sub.add_parser("check-release", help="refuse a version that does not match its changes")
    s.add_argument("path", nargs="?", default=".", help="the new package (default: the current folder)")
    s.add_argument(
        "--against",
        metavar="OLD",
        help="the previous release: a package, a .zip, a version of this package's releases (1.0.0 or v1.0.0), "
        "or git:REVISION (git:HEAD~1, git:v1.0.0); default: the latest release in its releases/index.json",
    )
    s.add_argument(
        "--format", choices=["text", "github"], default="text", help="github: refusals as ::error workflow commands"
    )
    s.add_argument("--summary", metavar="FILE", help="append a Markdown summary to FILE ($GITHUB_STEP_SUMMARY)")
    s.add_argument(
        "--base-url", metavar="URL", help="where this package's releases are published (ENERGY_TIES_BASE_URL)"
    )
    _fetch_options(s)
    s.set_defaults(func=cmd_check_release)

    s = sub.add_parser("build-release", help="build releases/NAME-VERSION.zip and record it in releases/index.json")
    s.add_argument(
        "root",
        nargs="?",
        default=".",
        help="the project folder, holding datapackage.json, CHANGELOG.md and releases/ (default: .)",
    )
    s.add_argument(
        "--check",
        action="store_true",
        help="check instead: the current version rebuilds to its indexed hash, every archive matches, no stray files",
    )
    s.add_argument("--force", action="store_true", help="replace a released version whose files have changed")
    s.set_defaults(func=cmd_build_release)


def _download_commands(sub: Any) -> None:
    """Commands on published releases and the cache: download, versions, cache."""
    s = sub.add_parser("download", help="download, verify and cache a release; print its folder")
    s.add_argument("version", nargs="?", default="latest", help="X.Y.Z, vX.Y.Z or latest (default: latest)")
    s.add_argument("--dest", metavar="DIR", help="also copy the verified release to the new folder DIR")
    _download_options(s)
    s.set_defaults(func=cmd_download)

    s = sub.add_parser("site", help="write a static site of every release: tables, diffs, records and evidence")
    s.add_argument("out", help="the folder to write (new, empty, or a site built there before, which is replaced)")
    s.add_argument(
        "--from",
        dest="source",
        default=".",
        metavar="PATH",
        help="a project folder with releases/index.json (every release), or one package (default: .)",
    )
    s.add_argument("--texts", metavar="DIR", help="folder of source texts: show each evidence span in its sentence")
    s.set_defaults(func=cmd_site)

    s = sub.add_parser("versions", help="the published releases: version, date, size, SHA-256, latest, cached")
    s.add_argument("--json", action="store_true", help="print one JSON document (energy_ties/schemas/versions.json)")
    _download_options(s)
    s.set_defaults(func=cmd_versions)

    s = sub.add_parser("cache", help="the releases kept in the download cache; --clear removes them")
    s.add_argument("--clear", action="store_true", help="remove every release, archive and index kept there")
    s.add_argument("--cache", metavar="DIR", help="the cache folder (ENERGY_TIES_CACHE)")
    s.set_defaults(func=cmd_cache)


def _download_options(s: argparse.ArgumentParser) -> None:
    """Where releases come from and go, and how long to try: each flag overrides its environment variable."""
    s.add_argument(
        "--package",
        metavar="PATH",
        help="whose releases: the package at PATH (its releases/index.json or its descriptor's 'releases' URL), "
        "or a package's name with --base-url; default: energy-ties",
    )
    s.add_argument("--base-url", metavar="URL", help="where releases are published (ENERGY_TIES_BASE_URL)")
    _fetch_options(s)


def _fetch_options(s: argparse.ArgumentParser) -> None:
    """How a released version is fetched, wherever a version number may be given; each flag overrides its
    environment variable."""
    s.add_argument("--cache", metavar="DIR", help="the cache folder (ENERGY_TIES_CACHE)")
    s.add_argument(
        "--offline",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="serve only what is cached, never touch the network (ENERGY_TIES_OFFLINE)",
    )
    s.add_argument(
        "--timeout",
        type=_seconds,
        metavar="SECONDS",
        help="give up downloading after this many seconds in all, retries included (ENERGY_TIES_TIMEOUT; default 60)",
    )


def _tolerance(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not math.isfinite(value) or value < 0:
        raise argparse.ArgumentTypeError(f"{text!r}: must be a finite number, zero or more")
    return value


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError("must be a positive number of seconds")
    return value


class Terminated(BaseException):
    """SIGTERM, raised where the command is, so that it unwinds as on Ctrl-C: every temporary file removed."""


@contextmanager
def _terminate_unwinds() -> Iterator[None]:
    """While the command runs, SIGTERM raises :class:`Terminated` (only the main thread can take signals)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGTERM"):
        yield
        return

    def stop(signum: int, frame: Any) -> None:
        raise Terminated

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _escaping_output() -> list[tuple[Any, str | None]]:
    """Make standard output and error write what they cannot encode (a lone surrogate in a field name) as a
    backslash escape, which is also the JSON escape of it; returns what to restore."""
    saved: list[tuple[Any, str | None]] = []
    stream: Any
    for stream in (sys.stdout, sys.stderr):
        try:
            saved.append((stream, stream.errors))
            stream.reconfigure(errors="backslashreplace")
        except (AttributeError, ValueError, OSError):
            saved.pop()
    return saved


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    saved = _escaping_output()
    try:
        return _run(args)
    finally:
        for stream, errors in saved:
            try:
                stream.reconfigure(errors=errors)
            except (AttributeError, ValueError, OSError):
                pass


#: The commands that read tables without making DataFrames: they start faster without pandas (see arrow.py).
_WITHOUT_PANDAS = {"validate", "diff", "check-release", "info", "verify-evidence", "schemas", "docs"}


def _say(line: str) -> None:
    """One line on stderr, written plainly: an error must reach the user even when memory has run out (rich,
    imported on first use, may then fail to import) and must not be reflowed or given emoji."""
    try:
        sys.stderr.write(line + "\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass


def _run(args: argparse.Namespace) -> int:
    try:
        with _terminate_unwinds():
            if args.command in _WITHOUT_PANDAS:
                from ..tabular.arrow import without_pandas_when_imported

                without_pandas_when_imported()
            return args.func(args)
    except EnergyTiesError as exc:
        _say(f"energy-ties {args.command}: error: {exc}")
        return exc.exit_code
    except KeyboardInterrupt:
        _say("energy-ties: interrupted")
        return 130
    except Terminated:
        _say("energy-ties: terminated")
        return 128 + signal.SIGTERM
    except BrokenPipeError:
        return 0
    except Exception as exc:
        if not _out_of_memory(exc):
            return _internal_error(args.command, exc)
        _ran_out.append(args.command)
        _say(
            f"energy-ties {args.command}: error: out of memory (the data limit of this process or machine); "
            "run it with more memory"
        )
        return 2


#: The commands of this process that ran out of memory (see :func:`console`).
_ran_out: list[str] = []


def console() -> None:
    """The ``energy-ties`` program: :func:`main`, then exit with its code. After memory ran out the process ends
    at once, its output flushed: tearing the interpreter down would run C++ destructors (Arrow's, DuckDB's)
    that can then abort after the one-line error ("terminate called without an active exception", seen
    under ``prlimit --data``). Every file the command wrote or began was already finished or removed as the
    error unwound.

    NumPy's OpenBLAS is kept to one thread unless the environment says otherwise: nothing here calls BLAS,
    yet its threads, started at import, spin beside the work (about 0.2 s of CPU in a diff of two 1M-row
    releases, 0.08 s in importing NumPy alone, on a 2-core machine)."""
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # before NumPy is first imported (by the command)
    code = main()
    if _ran_out:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        os._exit(code)
    sys.exit(code)


#: How running out of memory shows when it is not a MemoryError: a thread whose stack cannot be mapped
#: (Python's, or Arrow's), a library whose segments cannot be mapped, CPython's compiler failing silently.
_MEMORY_SIGNS = (
    (RuntimeError, "can't start new thread"),
    (ImportError, "failed to map segment from shared object"),
    (SystemError, "returned NULL without setting an exception"),
    (Exception, "Failed to launch worker thread"),
)


def _out_of_memory(exc: BaseException) -> bool:
    """Whether ``exc`` is the machine's or the process's memory limit (not a bug: the input cannot be read
    here)."""
    if isinstance(exc, MemoryError):
        return True
    return any(isinstance(exc, kind) and sign in str(exc) for kind, sign in _MEMORY_SIGNS)


def _internal_error(command: str, exc: Exception) -> int:
    """A bug, not bad input: said in one line (exit 70) unless debugging."""
    if os.environ.get("ENERGY_TIES_DEBUG"):
        raise exc
    _say(
        f"energy-ties {command}: internal error: {type(exc).__name__}: {printable(str(exc))} "
        "(set ENERGY_TIES_DEBUG=1 for a traceback, and please report it)"
    )
    return 70


if __name__ == "__main__":
    console()
