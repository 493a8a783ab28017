"""Open a data package from a descriptor, a folder or a zip, without leaving its folder.

Paths are resolved by :mod:`energy_ties.datapackage.paths`; problems that
keep one resource from being read are recorded on it (the validator reports
them, the loader raises them), so that only an unreadable descriptor stops
the whole package.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from ..errors import PackageReadError, UnsafePathError
from ..files import is_regular
from ..tabular.csvreader import MAX_COLUMNS
from ..tabular.jsonschemas import References
from ..tabular.schema import Schema
from . import archive
from .jsonio import read_json
from .model import Package, Resource
from .paths import fetch_remote, is_url, resolve_inside

DESCRIPTOR = "datapackage.json"


def _bundled(packaged: str, checkout: str, what: str) -> Path:
    """A file shipped in the wheel's ``package/`` folder, or its source tree copy when run from a checkout."""
    here = Path(__file__).resolve().parents[1]  # the energy_ties folder
    for candidate in (here / "package" / packaged, here.parents[1] / checkout):
        if candidate.is_file():
            return candidate
    raise PackageReadError(f"{here / 'package' / packaged}: the bundled {what} is missing; reinstall energy-ties")


def bundled_package_path() -> Path:
    """The ``datapackage.json`` shipped with the library (or the source tree's, when run from a checkout)."""
    return _bundled(DESCRIPTOR, DESCRIPTOR, "data package")


def bundled_index_path() -> Path:
    """The release index as it stood when the library was released (``releases/index.json`` in a checkout)."""
    return _bundled("releases-index.json", "releases/index.json", "release index")


def _find_descriptor(folder: Path, label: str) -> Path:
    direct = folder / DESCRIPTOR
    if os.path.lexists(direct):  # whatever it is: reading it says why it cannot be read (a FIFO, a link out...)
        return direct
    subs = [p for p in folder.iterdir() if p.is_dir() and not p.is_symlink()]
    if len(subs) == 1 and os.path.lexists(subs[0] / DESCRIPTOR):
        return subs[0] / DESCRIPTOR
    raise PackageReadError(f"{label}: no {DESCRIPTOR} found")


def locate(source: str | os.PathLike | None) -> tuple[Path, tempfile.TemporaryDirectory | None, str]:
    """Turn a user's PATH (descriptor, folder, zip, or None for the bundled package) into a descriptor path."""
    if source is None:
        path = bundled_package_path()
        return path, None, str(path)
    label = os.fspath(source)
    path = Path(label)
    if not path.exists():
        raise PackageReadError(f"{label}: no such file or folder")
    if path.is_dir():
        return _find_descriptor(path, label), None, label
    if path.suffix.lower() == ".zip":
        tmp = tempfile.TemporaryDirectory(prefix="energy-ties-")
        try:
            archive.unpack(path, Path(tmp.name))
            return _find_descriptor(Path(tmp.name), label), tmp, label
        except BaseException:
            tmp.cleanup()
            raise
    return path, None, label


def open_package(source: str | os.PathLike | None = None, *, allow_remote: bool = False) -> Package:
    """Open a package; raises PackageReadError only when the descriptor itself cannot be read."""
    desc_path, tmp, label = locate(source)
    try:
        descriptor = read_json(desc_path, label if desc_path.name == Path(label).name else f"{label}: {DESCRIPTOR}")
        if not isinstance(descriptor, dict):
            raise PackageReadError(f"{label}: a data package descriptor must be a JSON object")
        root = desc_path.parent
        remote_dir = None
        if allow_remote:
            if tmp is None:
                tmp = tempfile.TemporaryDirectory(prefix="energy-ties-remote-")
            remote_dir = Path(tmp.name) / ".remote"
            remote_dir.mkdir(exist_ok=True)
        resources = []
        raw = descriptor.get("resources")
        for i, rd in enumerate(raw if isinstance(raw, list) else []):
            if isinstance(rd, dict):
                resources.append(_open_resource(root, i, rd, remote_dir))
        return Package(
            root=root,
            descriptor_path=desc_path,
            descriptor=descriptor,
            resources=resources,
            source_label=label,
            _tmp=tmp,
        )
    except BaseException:
        if tmp is not None:
            tmp.cleanup()
        raise


def _resolve(root: Path, rel: Any, what: str, remote_dir: Path | None) -> Path:
    if isinstance(rel, str) and is_url(rel) and remote_dir is not None:
        if not rel.lower().startswith(("http://", "https://")):
            raise UnsafePathError(f"{what}: only http(s) URLs can be fetched, not {rel!r}")
        return fetch_remote(rel, remote_dir, what)
    return resolve_inside(root, rel, what)


def _too_wide(schema: dict) -> bool:
    fields = schema.get("fields")
    return isinstance(fields, list) and len(fields) > MAX_COLUMNS


def _open_resource(root: Path, index: int, rd: dict, remote_dir: Path | None) -> Resource:
    given = rd.get("name")
    name = given if isinstance(given, str) else f"resource-{index + 1}"
    res = Resource(name=name, descriptor=rd)
    res.references = References(root=root, base=root, allow_remote=remote_dir is not None)
    what = f"resource {name!r}"
    # data paths
    raw_paths = rd.get("path")
    if raw_paths is not None:
        for rel in raw_paths if isinstance(raw_paths, list) else [raw_paths]:
            try:
                path = _resolve(root, rel, f"{what} path", remote_dir)
            except (UnsafePathError, PackageReadError) as exc:
                res.problems.append(("scheme-error" if "remote" in str(exc) else "resource-error", str(exc)))
                continue
            if not path.exists():
                res.problems.append(("scheme-error", f"{what}: data file {rel!r} not found"))
            elif not is_regular(path):
                res.problems.append(("scheme-error", f"{what}: data file {rel!r} is not a regular file; refused"))
            res.paths.append(path)
    elif "data" not in rd:
        res.problems.append(("resource-error", f"{what}: has neither 'path' nor 'data'"))
    if rd.get("format") is not None and not isinstance(rd["format"], str):
        res.problems.append(("resource-error", f"{what}: format must be a string, got {rd['format']!r}"))
    # schema, inline or by path
    schema = rd.get("schema")
    if isinstance(schema, str):
        try:
            res.schema_path = _resolve(root, schema, f"{what} schema", remote_dir)
            schema = read_json(res.schema_path, f"{what} schema {schema!r}")
            if not is_url(rd["schema"]):  # relative references start from the schema file's folder
                res.references = References(root=root, base=res.schema_path.parent, allow_remote=remote_dir is not None)
        except PackageReadError as exc:
            res.problems.append(("schema-error", str(exc)))
            schema = None
    if isinstance(schema, dict) and _too_wide(schema):
        if isinstance(rd.get("schema"), dict):  # inline: the descriptor itself is beyond what is read
            raise PackageReadError(f"{what} schema: more than {MAX_COLUMNS} fields; refused")
        res.problems.append(("schema-error", f"{what} schema: more than {MAX_COLUMNS} fields; refused"))
    elif isinstance(schema, dict):
        res.schema_descriptor = schema
        res.schema = Schema.from_descriptor(schema)
    elif schema is not None:
        res.problems.append(("schema-error", f"{what}: schema must be an object or a path"))
    dialect = rd.get("dialect")
    if isinstance(dialect, str):
        try:
            dialect = read_json(_resolve(root, dialect, f"{what} dialect", remote_dir), f"{what} dialect")
        except PackageReadError as exc:
            res.problems.append(("dialect-error", str(exc)))
            dialect = {}
    res.dialect = dialect if isinstance(dialect, dict) else {}
    return res
