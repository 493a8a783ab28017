"""A bare CSV file as a data package of one resource, so that two CSV files can be diffed as packages.

Without a Table Schema every field is a string (values compare as text), and
rows are matched on the fields given as the key, or on whole-row identity.
The file is copied into a temporary folder beside the descriptor written for
it (a package's paths never leave its folder), read within the member cap.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from pathlib import Path

from ..errors import PackageReadError
from ..files import MAX_MEMBER_BYTES, read_bytes, write_bytes, write_text
from ..tabular.csvreader import MAX_HEADER_BYTES
from .model import Package
from .opening import DESCRIPTOR, open_package


def is_csv(source: object) -> bool:
    """Whether ``source`` names an existing ``.csv`` file (not a package)."""
    if source is None:
        return False
    path = Path(os.fspath(source))  # type: ignore[call-overload]
    return path.suffix.lower() == ".csv" and path.is_file()


def _labels(data: bytes, label: str) -> list[str]:
    head = data[:MAX_HEADER_BYTES].decode("utf-8-sig", "replace")
    labels = next(csv.reader(io.StringIO(head, newline="")), [])
    if not labels or any(not x for x in labels):
        raise PackageReadError(f"{label}: the first line must name every column (a header)")
    return labels


def csv_package(source: str | os.PathLike, name: str, key: list[str] | None = None) -> Package:
    """The CSV file ``source`` as a package holding the resource ``name``, keyed on ``key`` when given."""
    label = os.fspath(source)
    data = read_bytes(source, limit=MAX_MEMBER_BYTES, what=label)
    labels = _labels(data, label)
    missing = [k for k in key or [] if k not in labels]
    if missing:
        raise PackageReadError(f"{label}: no column {missing[0]!r} to match rows on (columns: {', '.join(labels)})")
    schema: dict = {"fields": [{"name": x, "type": "string"} for x in labels]}
    if key:
        schema["primaryKey"] = list(key)
    descriptor = {
        "name": name.lower(),
        "resources": [{"name": name, "path": "data.csv", "format": "csv", "encoding": "utf-8", "schema": schema}],
    }
    tmp = tempfile.TemporaryDirectory(prefix="energy-ties-csv-")
    try:
        root = Path(tmp.name)
        write_bytes(root / "data.csv", data, root=root)
        write_text(root / DESCRIPTOR, json.dumps(descriptor), root=root)
        pkg = open_package(root / DESCRIPTOR)
        pkg.source_label = label
        pkg._tmp = tmp
        return pkg
    except BaseException:
        tmp.cleanup()
        raise
