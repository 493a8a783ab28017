"""The commands across releases: diff, check-release, build-release, download, versions, cache.

Exit codes as in :mod:`energy_ties.cli.commands`: 0 success, 1 a check
failed, 2 the input cannot be read or the arguments are wrong.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
from pathlib import Path

from ..errors import json_printable, printable
from ..files import append_text
from .output import out, print_table


def cmd_diff(args: argparse.Namespace) -> int:
    from ..api import diff

    key = [k for given in args.key or [] for k in given.split(",") if k] or None
    with _collector_paused():
        d = diff(args.old, args.new, tolerance=args.tolerance, key=key, **_fetch(args))
        if args.format == "json":
            print(json_printable(d.to_json()))
        elif args.format == "markdown":
            print(d.to_markdown(), end="")
        else:
            print(d.to_text())
    return 1 if args.exit_code and d.changed else 0


@contextlib.contextmanager
def _collector_paused():
    """Python's cycle collector off while inside (as it was on leaving): a diff's change records are tens of
    thousands of dicts without cycles, and each full collection walks them all and every module's objects
    (about 0.08 s of collections, the GIL held, in a diff of two 1M-row releases)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def cmd_check_release(args: argparse.Namespace) -> int:
    from ..releases.gate import check_release

    check = check_release(args.path, args.against, **_fetch(args))
    if args.summary:
        append_text(args.summary, check.to_markdown() + "\n")
    print(printable(check.verdict()))
    for r in check.diff.reasons if check.diff else []:
        print(printable("  " + r.line()))
    if check.ok:
        out.print("release ok")
        return 0
    for p in check.problems:
        if args.format == "github":
            print(_annotation(args.path, p))
        else:
            print(printable(f"refused: {p}"))
    return 1


def _annotation(path: str, problem: str) -> str:
    """A refusal as a workflow command on the file it concerns: the changelog, or the descriptor (the version)."""
    from ..validation.locate import Location, shown
    from ..validation.render import github_command

    folder = Path(path) if Path(path).is_dir() else Path(path).parent
    file = "CHANGELOG.md" if problem.startswith(("CHANGELOG.md", str(folder / "CHANGELOG.md"))) else "datapackage.json"
    return github_command("error", printable(problem), Location(shown(folder / file)), "release refused")


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


def cmd_download(args: argparse.Namespace) -> int:
    from ..releases.cache import copy_release
    from ..releases.resolve import download

    folder = download(args.version, **_download_options(args))
    print(copy_release(folder, args.dest) if args.dest else folder)
    return 0


def _fetch(args: argparse.Namespace) -> dict:
    """How released versions are fetched, from the flags (None: the environment variable decides)."""
    return {"base_url": args.base_url, "cache": args.cache, "offline": args.offline, "timeout": args.timeout}


def _download_options(args: argparse.Namespace) -> dict:
    """The download flags, as download() and versions() take them."""
    return {"package": args.package, **_fetch(args)}


def cmd_versions(args: argparse.Namespace) -> int:
    from ..releases.resolve import releases_of

    name, where, releases = releases_of(**_download_options(args))
    if args.json:
        listed = {"package": name, "index": where, "releases": releases}
        print(json_printable(json.dumps(listed, indent=2, ensure_ascii=False)))
        return 0
    rows = [
        [
            r["version"],
            r["date"],
            str(r["size"]),
            r["sha256"],
            "latest" if r["latest"] else "",
            "cached" if r["cached"] else "",
        ]
        for r in releases
    ]
    print_table("releases", ["version", "date", "size", "sha256", "latest", "cached"], rows)
    return 0


def cmd_cache(args: argparse.Namespace) -> int:
    from ..releases import cachedir
    from ..releases.cache import settings

    s = settings(cache=args.cache)
    if args.clear:
        freed = cachedir.clear(s)
        out.print(printable(f"cleared {s.cache}: {freed} bytes freed"))
        return 0
    rows = [
        [r["package"], r["version"], "yes" if r["unpacked"] else "no", str(r["bytes"])] for r in cachedir.contents(s)
    ]
    out.print(printable(f"cache {s.cache}"))
    print_table("cached releases", ["package", "version", "unpacked", "bytes"], rows)
    return 0
