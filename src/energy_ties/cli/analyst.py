"""The analyst's commands: ``view`` (a view as a table, CSV or JSON), ``pictures`` (check or --write the
two SVG pictures) and ``export`` (every table into SQLite, DuckDB, Parquet or xlsx)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from ..errors import json_printable, printable
from .output import err, out, print_table, report_stale

VIEW_NAMES = ("events", "claims", "timeline", "quotes", "network", "disagreements")
EXPORT_FORMATS = ("sqlite", "duckdb", "parquet", "xlsx")


def add_commands(sub: Any) -> None:
    """Register view, pictures and export on the ``energy-ties`` parser."""
    s = sub.add_parser("view", help="one of the analyst's views: " + ", ".join(VIEW_NAMES))
    s.add_argument("name", choices=VIEW_NAMES, help="the view")
    s.add_argument("path", nargs="?", help="datapackage.json, folder or .zip (default: the bundled package)")
    s.add_argument("--format", choices=["table", "csv", "json"], default="table", help="table (default), csv or json")
    s.set_defaults(func=cmd_view)

    s = sub.add_parser("pictures", help="check (or --write) the timeline and network pictures (SVG)")
    s.add_argument("path", nargs="?", default="datapackage.json", help="datapackage.json (default: ./datapackage.json)")
    s.add_argument("--out", default="pictures", metavar="DIR", help="where the pictures are (default: ./pictures)")
    s.add_argument("--write", action="store_true", help="rewrite the pictures that are out of date")
    s.set_defaults(func=cmd_pictures)

    s = sub.add_parser("export", help="write every table to SQLite, DuckDB, Parquet (a folder) or xlsx")
    s.add_argument("format", choices=EXPORT_FORMATS, help="the target format")
    s.add_argument("out", help="the file to write (for parquet: the folder)")
    s.add_argument("path", nargs="?", help="datapackage.json, folder or .zip (default: the bundled package)")
    s.add_argument(
        "--metadata", metavar="FILE", help="sqlite: datasette's metadata.json (default: OUT with .metadata.json)"
    )
    s.set_defaults(func=cmd_export)


def _json_value(value: Any) -> Any:
    import pandas as pd

    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value.item() if hasattr(value, "item") else value


def cmd_view(args: argparse.Namespace) -> int:
    from .. import views

    frame = views.VIEWS[args.name](path=args.path)
    if args.format == "csv":
        sys.stdout.write(frame.to_csv(index=False, lineterminator="\n"))
    elif args.format == "json":
        rows = [
            {k: _json_value(v) for k, v in zip(frame.columns, r)} for r in frame.astype(object).itertuples(index=False)
        ]
        print(json_printable(json.dumps(rows, ensure_ascii=False, indent=1)))  # nothing a terminal acts on
    else:
        cells = [
            ["" if _json_value(v) is None else str(v) for v in r] for r in frame.astype(object).itertuples(index=False)
        ]
        print_table(args.name, list(frame.columns), cells)
    return 0


def cmd_pictures(args: argparse.Namespace) -> int:
    from ..api import load
    from ..files import MAX_TEXT_BYTES, read_bytes, write_bytes
    from ..views.pictures import pictures

    folder = Path(args.out)
    stale = []
    for name, data in pictures(load(path=args.path)).items():
        target = folder / name
        if not target.exists() or read_bytes(target, root=folder, limit=MAX_TEXT_BYTES) != data:
            stale.append(target)
            if args.write:
                write_bytes(target, data)
    return report_stale(
        stale,
        args.write,
        "the pictures are out of date; run `energy-ties pictures --write`",
        f"the pictures in {folder} are current",
    )


def cmd_export(args: argparse.Namespace) -> int:
    from ..datapackage.opening import open_package
    from ..exports import export

    target = Path(args.out)
    metadata = None
    if args.format == "sqlite":
        metadata = Path(args.metadata) if args.metadata else target.with_name(target.stem + ".metadata.json")
    elif args.metadata:
        err.print("energy-ties export: --metadata is for sqlite only")
        return 2
    with open_package(args.path) as pkg:
        written = export(pkg, args.format, target, metadata)
    for p in written:
        print(printable(str(p)))
    if metadata is not None:
        out.print(printable(f"browse it with: datasette {target} -m {metadata}"))
    return 0
