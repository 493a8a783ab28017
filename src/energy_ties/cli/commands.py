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

from ..errors import UsageError, json_printable, printable
from ..files import append_text
from .output import err, out, print_table, report_stale

# Each command imports what it needs when it runs, so that ``energy-ties --help`` starts without Arrow.

DESCRIPTOR = "datapackage.json"


def cmd_info(args: argparse.Namespace) -> int:
    from ..api import library_version
    from ..datapackage.opening import open_package
    from ..loading.frames import read_table

    with open_package(args.path) as pkg:
        rows = []
        for r in pkg.resources:
            frame = read_table(r) if r.schema is not None else None
            fields = str(len(r.schema.fields)) if r.schema is not None else "-"
            key = ",".join(r.schema.primary_key) if r.schema is not None else ""
            title = str(r.descriptor.get("title") or "")
            rows.append([r.name, str(len(frame)) if frame is not None else "-", fields, key, title, r.label])
        version = pkg.version or "(none)"
        if out.is_terminal:
            out.print(printable(str(pkg.descriptor.get("title") or pkg.descriptor.get("name"))), style="bold")
        print(printable(f"package {pkg.descriptor.get('name')} version {version} (library {library_version()})"))
        print(f"descriptor {pkg.descriptor_path}")
        for line in _about(pkg.descriptor):
            print(printable(line))
        print_table("resources", ["resource", "rows", "fields", "primary key", "title", "file"], rows)
    return 0


def _about(descriptor: dict) -> list[str]:
    """The descriptor's licences, sources and creation date, a line each (what a reader asks before the rows)."""
    lines = []
    for key in ("licenses", "sources"):
        items = descriptor.get(key)
        for item in items if isinstance(items, list) else []:
            if isinstance(item, dict):
                name = item.get("title") or item.get("name") or ""
                where = item.get("path") or ""
                lines.append(f"{key[:-1]} {name}" + (f" <{where}>" if where else ""))
    if isinstance(descriptor.get("created"), str):
        lines.append(f"created {descriptor['created']}")
    return lines


def package_argument(args: argparse.Namespace) -> str | None:
    """The package a command works on: PATH, else ./datapackage.json; the bundled one only with --bundled."""
    if getattr(args, "bundled", False):
        if args.path is not None:
            raise UsageError("give PATH or --bundled, not both")
        return None
    if args.path is not None:
        return args.path
    if not os.path.lexists(DESCRIPTOR):
        raise UsageError(
            f"no {DESCRIPTOR} in the current folder: give PATH (a descriptor, a folder "
            "or a .zip), or --bundled for the package shipped with energy-ties"
        )
    return DESCRIPTOR


def cmd_validate(args: argparse.Namespace) -> int:
    from ..api import validate

    path = package_argument(args)
    report = validate(
        path,
        texts=args.texts,
        limit_errors=args.limit_errors,
        allow_remote=args.allow_remote,
        profile=args.profile,
    )
    fmt = "json" if args.json else args.format
    locations = _locations(path, report, args.allow_remote) if fmt in ("github", "editor") or args.summary else []
    if args.summary:
        from ..validation.render import to_markdown

        append_text(args.summary, to_markdown(report, locations) + "\n")
    if fmt == "json":
        print(json_printable(report.to_json()))
        return 0 if report.valid else 1
    _print_errors(report, locations, fmt)
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


def _locations(path: str | None, report, allow_remote: bool) -> list:
    """Where each error of the report lies (file, line, column), read again from the package."""
    from ..datapackage.opening import open_package
    from ..validation.locate import locate

    with open_package(path, allow_remote=allow_remote) as pkg:
        return locate(pkg, report.errors)


def _print_errors(report, locations: list, fmt: str) -> None:
    """The errors: a table on a terminal, else one line each (plain, GitHub workflow commands or F:N:K)."""
    from ..validation.render import counts_line, lines

    if not report.errors:
        return
    if fmt == "text" and out.is_terminal:
        if len(report.errors) > 10:
            out.print(printable(counts_line(report)))
        rows = [
            [e.type, e.resource or "", "" if e.row is None else str(e.row), e.field or "", e.message]
            for e in report.errors
        ]
        print_table("errors", ["type", "resource", "row", "field", "message"], rows)
        return
    if fmt == "text":
        locations = [None] * len(report.errors)
    for line in lines(report, locations, "plain" if fmt == "text" else fmt):
        print(line)


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
    return report_stale(
        stale,
        args.write,
        "row JSON Schemas are out of date; run `energy-ties schemas --write`",
        "row JSON Schemas are current",
    )


def cmd_docs(args: argparse.Namespace) -> int:
    from ..datapackage.dictionary import update_readme

    readme = Path(args.readme)
    changed = update_readme(readme, args.path, write=args.write)
    if changed and not args.write:
        out.print(f"{readme}: the data dictionary is out of date; run `energy-ties docs --write`")
        return 1
    out.print(f"{readme}: data dictionary {'rewritten' if changed else 'is current'}")
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
