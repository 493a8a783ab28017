"""The ``energy-ties`` command line: a thin layer over the library's functions.

Exit codes: 0 success (or valid), 1 a check failed (invalid package, wrong
release), 2 the input cannot be read or the arguments are wrong. Errors are
one line on standard error, never a traceback. Tables are drawn with rich in
a terminal and printed as plain lines when the output is piped.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Sequence

from rich.console import Console
from rich.table import Table

from .errors import EnergyTiesError

out = Console(highlight=False, soft_wrap=True, markup=False)
err = Console(stderr=True, highlight=False, soft_wrap=True, markup=False)


def _table(title: str, columns: list[str], rows: list[list[str]]) -> None:
    """A rich table on a terminal, tab-separated lines otherwise."""
    if out.is_terminal:
        t = Table(title=title, show_lines=False)
        for c in columns:
            t.add_column(c, overflow="fold")
        for r in rows:
            t.add_row(*r)
        out.print(t)
    else:
        print("\t".join(columns))
        for r in rows:
            print("\t".join(r))


# ---------------------------------------------------------------- commands

def cmd_info(args: argparse.Namespace) -> int:
    from . import __version__
    from .load import read_table
    from .package import open_package

    with open_package(args.path) as pkg:
        rows = []
        for r in pkg.resources:
            frame = read_table(r) if r.schema is not None else None
            rows.append([r.name, str(len(frame)) if frame is not None else "-", r.label])
        version = pkg.version or "(none)"
        if out.is_terminal:
            out.print(str(pkg.descriptor.get("title") or pkg.descriptor.get("name")), style="bold")
        print(f"package {pkg.descriptor.get('name')} version {version} (library {__version__})")
        print(f"descriptor {pkg.descriptor_path}")
        _table("resources", ["resource", "rows", "file"], rows)
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from .validate import report_json, validate

    report = validate(args.path, texts=args.texts, limit_errors=args.limit_errors,
                      allow_remote=args.allow_remote, profile=args.profile)
    if args.json:
        print(report_json(report))
        return 0 if report.valid else 1
    rows = [[e.type, e.resource or "", "" if e.row is None else str(e.row), e.field or "", e.message]
            for e in report.errors]
    if report.errors:
        if out.is_terminal:
            _table("errors", ["type", "resource", "row", "field", "message"], rows)
        else:
            for e in report.errors:
                where = ":".join(x for x in (e.resource or "package", "" if e.row is None else str(e.row),
                                             e.field or "") if x)
                print(f"{where}: {e.type}: {e.message}")
    counted = ", ".join(f"{k} {v}" for k, v in report.rows.items())
    if report.valid:
        out.print(f"valid: {report.package} (version {report.version}; rows: {counted}; checked: "
                  f"{', '.join(report.checked)})")
        return 0
    more = f" (showing {len(report.errors)})" if report.truncated else ""
    out.print(f"invalid: {report.package}: {report.error_count} error(s){more}")
    return 1


def cmd_verify_evidence(args: argparse.Namespace) -> int:
    if not args.texts:
        err.print("energy-ties verify-evidence: no texts given: pass --texts DIR, a folder holding the source "
                  "texts (they are not distributed with the package)")
        return 2
    from . import rules
    from .package import open_package

    texts = Path(args.texts)
    if not texts.is_dir():
        err.print(f"energy-ties verify-evidence: {texts}: no such folder")
        return 2
    with open_package(args.path) as pkg:
        sources = rules.read_rows(pkg, "sources")
        evidence = rules.read_rows(pkg, "evidence")
        if sources is None or evidence is None:
            err.print("energy-ties verify-evidence: the sources or evidence table cannot be read; run validate")
            return 1
        found, problems = rules.verify_evidence(texts, sources, evidence)
        for p in problems:
            print(f"{p.resource}:{p.row}:{p.field}: {p.type}: {p.message}")
        checked = sum(1 for e in evidence if e.get("source") in found)
        if problems:
            out.print(f"{len(problems)} problem(s); {checked} of {len(evidence)} spans checked")
            return 1
        out.print(f"all {checked} evidence spans match their texts ({len(found)} of {len(sources)} sources found)")
        return 0


def cmd_schemas(args: argparse.Namespace) -> int:
    from .package import open_package
    from .rowschema import row_schema_files

    stale = []
    with open_package(args.path) as pkg:
        for _, target, text in row_schema_files(pkg):
            if not target.is_file() or target.read_text(encoding="utf-8") != text:
                stale.append(target)
                if args.write:
                    from .atomic import write_text

                    write_text(target, text)
    verb = "rewrote" if args.write else "out of date"
    for s in stale:
        print(f"{verb}: {s}")
    if stale and not args.write:
        out.print("row JSON Schemas are out of date; run `energy-ties schemas --write`")
        return 1
    if not stale:
        out.print("row JSON Schemas are current")
    return 0


def cmd_docs(args: argparse.Namespace) -> int:
    from .docs import update_readme

    readme = Path(args.readme)
    changed = update_readme(readme, args.path, write=args.write)
    if changed and not args.write:
        out.print(f"{readme}: the data dictionary is out of date; run `energy-ties docs --write`")
        return 1
    out.print(f"{readme}: data dictionary {'rewritten' if changed else 'is current'}")
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    from .diff import diff

    d = diff(args.old, args.new, tolerance=args.tolerance)
    if args.format == "json":
        print(d.to_json())
    elif args.format == "markdown":
        print(d.to_markdown(), end="")
    else:
        print(d.to_text())
    return 1 if args.exit_code and d.changed else 0


def cmd_check_release(args: argparse.Namespace) -> int:
    from .versioning import check_release

    against = args.against
    if against is None:
        err.print("energy-ties check-release: --against OLD is required (a package, a release zip or a version)")
        return 2
    check = check_release(args.path, against)
    print(f"{check.old_version} -> {check.new_version}: {check.actual_bump} bump; the changes need "
          f"{check.required_bump}")
    for r in check.diff.reasons if check.diff else []:
        print("  " + r.line())
    if check.ok:
        out.print("release ok")
        return 0
    for p in check.problems:
        print(f"refused: {p}")
    return 1


def cmd_build_release(args: argparse.Namespace) -> int:
    from . import release

    root = Path(args.root)
    if args.check:
        problems = release.check(root)
        for p in problems:
            print(p)
        if problems:
            out.print(f"{len(problems)} problem(s) with the releases in {root / release.RELEASES}")
            return 1
        out.print(f"releases are consistent: the current version rebuilds to its indexed SHA-256, and every "
                  f"indexed archive is in {root / release.RELEASES} with its size and SHA-256")
        return 0
    entry, action = release.build(root, force=args.force)
    out.print(f"{action}: {root / release.RELEASES / entry['file']} (version {entry['version']}, "
              f"{entry['date']}, {entry['size']} bytes, SHA-256 {entry['sha256']})")
    return 0


def cmd_download(args: argparse.Namespace) -> int:
    from .download import copy_release, download

    folder = download(args.version)
    print(copy_release(folder, args.dest) if args.dest else folder)
    return 0


def cmd_versions(args: argparse.Namespace) -> int:
    from .download import versions

    rows = [[r["version"], r["date"], str(r["size"]), r["sha256"], "latest" if r["latest"] else "",
             "cached" if r["cached"] else ""] for r in versions()]
    _table("releases", ["version", "date", "size", "sha256", "latest", "cached"], rows)
    return 0


# ---------------------------------------------------------------- parser

class _Version(argparse.Action):
    """``--version``, reading the installed version only when asked: the lookup is slow."""

    def __call__(self, parser, namespace, values, option_string=None):
        from . import __version__

        print(f"energy-ties {__version__}")
        parser.exit()


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="energy-ties", description=__doc__.splitlines()[0])
    p.add_argument("--version", action=_Version, nargs=0, default=argparse.SUPPRESS,
                   help="show program's version number and exit")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    s = sub.add_parser("info", help="package version, resources and row counts")
    s.add_argument("path", nargs="?", help="datapackage.json, folder or .zip (default: the bundled package)")
    s.set_defaults(func=cmd_info)

    s = sub.add_parser("validate", help="validate a data package (exit 0 valid, 1 invalid, 2 unreadable)")
    s.add_argument("path", nargs="?", help="datapackage.json, folder or .zip (default: the bundled package)")
    s.add_argument("--json", action="store_true", help="print one JSON report (schemas/validation-report.json)")
    s.add_argument("--texts", metavar="DIR", help="folder of source texts: also verify every evidence span")
    s.add_argument("--limit-errors", type=_positive, default=1000, metavar="N", help="report at most N errors")
    s.add_argument("--allow-remote", action="store_true", help="fetch data and schemas given as http(s) URLs")
    s.add_argument("--profile", choices=["auto", "energy-ties", "none"], default="auto",
                   help="apply energy-ties' own rules: auto (to the energy-ties package), always, or never")
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

    s = sub.add_parser("diff", help="what changed between two packages, and the version bump it demands")
    s.add_argument("old", help="datapackage.json, folder, release .zip or released version number")
    s.add_argument("new", help="datapackage.json, folder, release .zip or released version number")
    s.add_argument("--format", choices=["text", "json", "markdown"], default="text",
                   help="text (default), json (schemas/diff.json) or markdown (a CHANGELOG section)")
    s.add_argument("--exit-code", action="store_true", help="exit 1 when the packages differ (as git diff)")
    s.add_argument("--tolerance", type=float, default=0.0, metavar="X", help="numbers closer than X are equal")
    s.set_defaults(func=cmd_diff)

    s = sub.add_parser("check-release", help="refuse a version that does not match its changes")
    s.add_argument("path", nargs="?", default=".", help="the new package (default: the current folder)")
    s.add_argument("--against", metavar="OLD", help="the previous release: package, .zip or version number")
    s.set_defaults(func=cmd_check_release)

    s = sub.add_parser("build-release", help="build releases/NAME-VERSION.zip and record it in releases/index.json")
    s.add_argument("root", nargs="?", default=".",
                   help="the project folder, holding datapackage.json, CHANGELOG.md and releases/ (default: .)")
    s.add_argument("--check", action="store_true",
                   help="check instead: the current version rebuilds to its indexed hash, every archive matches")
    s.add_argument("--force", action="store_true", help="replace a released version whose files have changed")
    s.set_defaults(func=cmd_build_release)

    s = sub.add_parser("download", help="download, verify and cache a release; print its folder")
    s.add_argument("version", nargs="?", default="latest", help="X.Y.Z or latest (default: latest)")
    s.add_argument("--dest", metavar="DIR", help="also copy the verified release to the new folder DIR")
    s.set_defaults(func=cmd_download)

    s = sub.add_parser("versions", help="the published releases: version, date, size, SHA-256, latest, cached")
    s.set_defaults(func=cmd_versions)
    return p


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except EnergyTiesError as exc:
        err.print(f"energy-ties {args.command}: error: {exc}", markup=False)
        return exc.exit_code
    except KeyboardInterrupt:
        err.print("energy-ties: interrupted")
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug, not bad input: say so in one line unless debugging
        if os.environ.get("ENERGY_TIES_DEBUG"):
            raise
        err.print(f"energy-ties {args.command}: internal error: {type(exc).__name__}: {exc} "
                  "(set ENERGY_TIES_DEBUG=1 for a traceback, and please report it)")
        return 70


if __name__ == "__main__":
    sys.exit(main())
