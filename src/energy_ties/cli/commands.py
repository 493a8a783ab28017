"""The commands of ``energy-ties``: each a thin layer over the library's functions.

Exit codes: 0 success (or valid), 1 a check failed (invalid package, wrong
release), 2 the input cannot be read or the arguments are wrong. Errors are
one line on standard error, never a traceback. Tables are drawn with rich in
a terminal and printed as plain lines when the output is piped.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from ..errors import json_printable, printable
from .output import err, out, print_table

# Each command imports what it needs when it runs, so that ``energy-ties --help`` starts without Arrow.


def cmd_info(args: argparse.Namespace) -> int:
    from ..api import library_version
    from ..datapackage.opening import open_package
    from ..loading.frames import read_table

    with open_package(args.path) as pkg:
        rows = []
        for r in pkg.resources:
            frame = read_table(r) if r.schema is not None else None
            rows.append([r.name, str(len(frame)) if frame is not None else "-", r.label])
        version = pkg.version or "(none)"
        if out.is_terminal:
            out.print(printable(str(pkg.descriptor.get("title") or pkg.descriptor.get("name"))), style="bold")
        print(printable(f"package {pkg.descriptor.get('name')} version {version} (library {library_version()})"))
        print(f"descriptor {pkg.descriptor_path}")
        print_table("resources", ["resource", "rows", "file"], rows)
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from ..api import validate

    report = validate(
        args.path,
        texts=args.texts,
        limit_errors=args.limit_errors,
        allow_remote=args.allow_remote,
        profile=args.profile,
    )
    if args.json:
        print(json_printable(report.to_json()))
        return 0 if report.valid else 1
    rows = [
        [e.type, e.resource or "", "" if e.row is None else str(e.row), e.field or "", e.message] for e in report.errors
    ]
    if report.errors:
        if out.is_terminal:
            print_table("errors", ["type", "resource", "row", "field", "message"], rows)
        else:
            for e in report.errors:
                where = ":".join(
                    x for x in (e.resource or "package", "" if e.row is None else str(e.row), e.field or "") if x
                )
                print(printable(f"{where}: {e.type}: {e.message}"))  # one line per error, whatever a name holds
    counted = ", ".join(f"{k} {v}" for k, v in report.rows.items())
    if report.valid:
        out.print(
            printable(
                f"valid: {report.package} (version {report.version}; rows: {counted}; "
                f"checked: {', '.join(report.checked)})"
            )
        )
        return 0
    more = f" (showing {len(report.errors)})" if report.truncated else ""
    out.print(printable(f"invalid: {report.package}: {report.error_count} error(s){more}"))
    return 1


def cmd_verify_evidence(args: argparse.Namespace) -> int:
    if not args.texts:
        err.print(
            "energy-ties verify-evidence: no texts given: pass --texts DIR, a folder holding the source "
            "texts (they are not distributed with the package)"
        )
        return 2
    from ..datapackage.opening import open_package
    from ..dataset.evidence import verify_evidence
    from ..dataset.tables import read_rows

    texts = Path(args.texts)
    if not texts.is_dir():
        err.print(f"energy-ties verify-evidence: {texts}: no such folder")
        return 2
    with open_package(args.path) as pkg:
        sources = read_rows(pkg, "sources")
        evidence = read_rows(pkg, "evidence")
        if sources is None or evidence is None:
            err.print("energy-ties verify-evidence: the sources or evidence table cannot be read; run validate")
            return 1
        found, problems = verify_evidence(texts, sources, evidence)
        for p in problems:
            print(printable(f"{p.resource}:{p.row}:{p.field}: {p.type}: {p.message}"))
        checked = sum(1 for e in evidence if e.get("source") in found)
        if problems:
            out.print(f"{len(problems)} problem(s); {checked} of {len(evidence)} spans checked")
            return 1
        out.print(f"all {checked} evidence spans match their texts ({len(found)} of {len(sources)} sources found)")
        return 0


def cmd_schemas(args: argparse.Namespace) -> int:
    from ..datapackage.opening import open_package
    from ..datapackage.rowschema import row_schema_files
    from ..files import MAX_JSON_BYTES, read_text, write_text

    stale = []
    with open_package(args.path) as pkg:
        for _, target, text in row_schema_files(pkg):
            exists = os.path.lexists(target)
            if not exists or read_text(target, root=pkg.root, limit=MAX_JSON_BYTES) != text:
                stale.append(target)
                if args.write:
                    write_text(target, text, root=pkg.root)
    verb = "rewrote" if args.write else "out of date"
    for s in stale:
        print(printable(f"{verb}: {s}"))
    if stale and not args.write:
        out.print("row JSON Schemas are out of date; run `energy-ties schemas --write`")
        return 1
    if not stale:
        out.print("row JSON Schemas are current")
    return 0


def cmd_docs(args: argparse.Namespace) -> int:
    from ..datapackage.dictionary import update_readme

    readme = Path(args.readme)
    changed = update_readme(readme, args.path, write=args.write)
    if changed and not args.write:
        out.print(f"{readme}: the data dictionary is out of date; run `energy-ties docs --write`")
        return 1
    out.print(f"{readme}: data dictionary {'rewritten' if changed else 'is current'}")
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    from ..api import diff

    d = diff(args.old, args.new, tolerance=args.tolerance)
    if args.format == "json":
        print(json_printable(d.to_json()))
    elif args.format == "markdown":
        print(d.to_markdown(), end="")
    else:
        print(d.to_text())
    return 1 if args.exit_code and d.changed else 0


def cmd_check_release(args: argparse.Namespace) -> int:
    from ..releases.gate import check_release

    against = args.against
    if against is None:
        err.print("energy-ties check-release: --against OLD is required (a package, a release zip or a version)")
        return 2
    check = check_release(args.path, against)
    print(
        f"{check.old_version} -> {check.new_version}: {check.actual_bump} bump; the changes need {check.required_bump}"
    )
    for r in check.diff.reasons if check.diff else []:
        print(printable("  " + r.line()))
    if check.ok:
        out.print("release ok")
        return 0
    for p in check.problems:
        print(printable(f"refused: {p}"))
    return 1


def cmd_build_release(args: argparse.Namespace) -> int:
    from ..releases import builder
    from ..releases.index import RELEASES

    root = Path(args.root)
    if args.check:
        problems = builder.check(root)
        for p in problems:
            print(p)
        if problems:
            out.print(f"{len(problems)} problem(s) with the releases in {root / RELEASES}")
            return 1
        out.print(
            f"releases are consistent: the current version rebuilds to its indexed SHA-256, every "
            f"indexed archive is in {root / RELEASES} with its size and SHA-256, and nothing else is"
        )
        return 0
    entry, action = builder.build(root, force=args.force)
    out.print(
        f"{action}: {root / RELEASES / entry['file']} (version {entry['version']}, "
        f"{entry['date']}, {entry['size']} bytes, SHA-256 {entry['sha256']})"
    )
    return 0


def cmd_site(args: argparse.Namespace) -> int:
    from ..site import build_site, releases_from

    summary = build_site(args.out, releases_from(args.source), texts=args.texts)
    out.print(
        printable(
            f"site: {summary.out} ({summary.releases} release(s), {summary.files} files, {summary.bytes} bytes); "
            f"open {summary.out / 'index.html'}"
        )
    )
    return 0


def cmd_download(args: argparse.Namespace) -> int:
    from ..releases.cache import copy_release
    from ..releases.resolve import download

    folder = download(args.version, **_download_options(args))
    print(copy_release(folder, args.dest) if args.dest else folder)
    return 0


def _download_options(args: argparse.Namespace) -> dict:
    """The download flags, as download() and versions() take them (None: the environment variable decides)."""
    return {"base_url": args.base_url, "cache": args.cache, "offline": args.offline, "timeout": args.timeout}


def cmd_versions(args: argparse.Namespace) -> int:
    from ..releases.resolve import versions

    rows = [
        [
            r["version"],
            r["date"],
            str(r["size"]),
            r["sha256"],
            "latest" if r["latest"] else "",
            "cached" if r["cached"] else "",
        ]
        for r in versions(**_download_options(args))
    ]
    print_table("releases", ["version", "date", "size", "sha256", "latest", "cached"], rows)
    return 0
