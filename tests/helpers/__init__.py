"""Helpers shared by every test folder (``pythonpath = ["tests"]`` in pyproject.toml makes them importable).

The repository's paths, and small data packages written to temporary folders. Fixtures and the hypothesis
profiles live in ``tests/conftest.py``; the in-process command line in :mod:`helpers.cli`.
"""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
TEXTS = SHARED / "sources"
PROFILES = SHARED / "profiles" / "datapackage-2.0"
# the version of the package in the checkout, whose data/ files are those of that release
CURRENT = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))["version"]

DIALECT = {"delimiter": ",", "quoteChar": '"', "doubleQuote": True, "skipInitialSpace": False, "header": True}


def write_file(path: Path, data: str | bytes) -> Path:
    """Write ``path`` as a new file (UTF-8 for text), removing any file already there.

    Properties write their packages again into one folder, example after example. Rewriting a file in
    place truncates it, and on ext4 (auto_da_alloc) a truncated file's new data is flushed to disk on
    close: milliseconds per file. A new file costs a fraction of that.
    """
    path.unlink(missing_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def _quote(cell: str) -> str:
    # csv.writer leaves a lone "\r" unquoted when the line terminator is "\n": quote it ourselves
    if any(ch in cell for ch in ',"\r\n'):
        return '"' + cell.replace('"', '""') + '"'
    return cell


def csv_text(header: list[str], rows: list[list[str]]) -> str:
    """RFC 4180 CSV with "\n" line ends; every cell holding a delimiter, quote or line break is quoted."""
    # a row of one empty cell is written '""', as csv.writer does: an empty line would be a row of no cells
    return "".join((",".join(_quote(c) for c in r) if r != [""] else '""') + "\n" for r in [header, *rows])


def write_package(folder: Path, resources: dict[str, tuple[dict, str | bytes]], **extra) -> Path:
    """Write a package of CSV resources {name: (table schema, csv text)}; returns the descriptor path."""
    folder.mkdir(parents=True, exist_ok=True)
    res = []
    for name, (schema, data) in resources.items():
        path = folder / f"{name}.csv"
        write_file(path, data)
        res.append(
            {
                "name": name,
                "path": f"{name}.csv",
                "format": "csv",
                "encoding": "utf-8",
                "dialect": dict(DIALECT),
                "schema": schema,
            }
        )
    descriptor = {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": "test",
        "resources": res,
        **extra,
    }
    return write_file(folder / "datapackage.json", json.dumps(descriptor))


def set_dialect(descriptor: Path, resource: int = 0, **dialect) -> Path:
    """Update the dialect of one resource of a written package; returns the descriptor path."""
    package = json.loads(descriptor.read_text())
    package["resources"][resource]["dialect"].update(dialect)
    return write_file(descriptor, json.dumps(package))


def copy_package(folder: Path, *, extra: tuple[str, ...] = ()) -> Path:
    """A writable copy of the repository's data package (data/, schemas/, datapackage.json and the pictures
    its releases carry) in ``folder``.

    ``extra`` names more top-level files or folders to copy (CHANGELOG.md, releases, ...).
    """
    folder.mkdir(parents=True, exist_ok=True)
    for top in ("data", "schemas", "datapackage.json", "pictures", *extra):
        source = ROOT / top
        if source.is_dir():
            shutil.copytree(source, folder / top)
        else:
            shutil.copy(source, folder / top)
    return folder


def zip_entries(data: bytes | Path) -> dict[str, bytes]:
    """{name: bytes} of a zip archive (its bytes or its path)."""
    with zipfile.ZipFile(io.BytesIO(data) if isinstance(data, bytes) else data) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


def files(folder: Path) -> dict[str, bytes]:
    """{relative posix path: bytes} of every file under ``folder``."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
