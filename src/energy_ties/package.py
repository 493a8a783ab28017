"""Open a data package from a descriptor, a folder or a zip, without leaving its folder.

Every path a descriptor names (data, schema, dialect) is resolved here and only
here, so the rule "a descriptor never makes us read outside its own folder"
has one implementation: absolute paths, ``..`` and links that lead outside the
package folder are refused, and remote URLs are refused unless the caller
allows them.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import archive
from .errors import PackageReadError, UnsafePathError
from .tableschema import Schema

DESCRIPTOR = "datapackage.json"
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
#: Largest remote file fetched with ``allow_remote``.
MAX_REMOTE_BYTES = 512 * 1024**2


def _bundled(packaged: str, checkout: str, what: str) -> Path:
    """A file shipped in the wheel's ``package/`` folder, or its source tree copy when run from a checkout."""
    here = Path(__file__).resolve().parent
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


def read_json(path: Path, label: str | None = None) -> Any:
    """Parse a JSON file, turning every failure into a one-line PackageReadError."""
    label = label or str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise PackageReadError(f"{label}: file not found") from None
    except IsADirectoryError:
        raise PackageReadError(f"{label}: is a folder, expected a JSON file") from None
    except OSError as exc:
        raise PackageReadError(f"{label}: cannot be read ({exc.strerror})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PackageReadError(f"{label}: not UTF-8 (byte {exc.start})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise PackageReadError(f"{label}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None


def is_url(path: str) -> bool:
    return bool(_URL.match(path))


def resolve_inside(root: Path, rel: Any, what: str) -> Path:
    """Resolve the descriptor path ``rel`` against ``root``, refusing anything that leaves it."""
    if not isinstance(rel, str) or not rel:
        raise UnsafePathError(f"{what}: path must be a non-empty string, got {rel!r}")
    if is_url(rel):
        raise UnsafePathError(f"{what}: remote path {rel!r} refused (allow remote data to read it)")
    unified = rel.replace("\\", "/")
    if unified.startswith("/") or unified.startswith("~") or re.match(r"^[A-Za-z]:", unified):
        raise UnsafePathError(f"{what}: absolute path {rel!r} refused; paths must be relative to the package")
    if ".." in unified.split("/"):
        raise UnsafePathError(f"{what}: path {rel!r} leaves the package folder ('..')")
    target = (root / unified).resolve()
    base = root.resolve()
    if target != base and base not in target.parents:
        raise UnsafePathError(f"{what}: path {rel!r} leads outside the package folder (through a link)")
    return target


def fetch_remote(url: str, dest_dir: Path, what: str) -> Path:
    """Download ``url`` into ``dest_dir`` (bounded in size) for ``allow_remote`` validation."""
    import urllib.request  # here, not at the top: it is slow to import and only remote data needs it

    target = dest_dir / f"remote-{len(list(dest_dir.iterdir()))}"
    try:
        with urllib.request.urlopen(url, timeout=60) as resp, open(target, "wb") as out:
            total = 0
            while chunk := resp.read(1 << 16):
                total += len(chunk)
                if total > MAX_REMOTE_BYTES:
                    raise PackageReadError(f"{what}: remote file {url} is larger than {MAX_REMOTE_BYTES} bytes")
                out.write(chunk)
    except (OSError, ValueError) as exc:
        raise PackageReadError(f"{what}: cannot fetch {url} ({exc})") from None
    return target


@dataclass
class Resource:
    """One resource of a package with its paths resolved and its schema read.

    ``problems`` holds (error type, message) pairs for anything that keeps the
    resource from being read: the validator reports them, the loader raises.
    """

    name: str
    descriptor: dict
    paths: list[Path] = field(default_factory=list)
    schema: Schema | None = None
    schema_descriptor: dict | None = None
    schema_path: Path | None = None
    dialect: dict = field(default_factory=dict)
    problems: list[tuple[str, str]] = field(default_factory=list)

    @property
    def inline(self) -> Any:
        return self.descriptor.get("data")

    @property
    def encoding(self) -> str:
        enc = self.descriptor.get("encoding") or "utf-8"
        return enc if isinstance(enc, str) else "utf-8"

    @property
    def label(self) -> str:
        if self.paths:
            return "+".join(p.name for p in self.paths)
        return self.name


@dataclass
class Package:
    """A package opened for reading; use as a context manager to clean up unpacked archives."""

    root: Path
    descriptor_path: Path
    descriptor: dict
    resources: list[Resource]
    source_label: str
    _tmp: tempfile.TemporaryDirectory | None = None

    def __enter__(self) -> "Package":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    @property
    def version(self) -> str | None:
        v = self.descriptor.get("version")
        return v if isinstance(v, str) else None

    def resource(self, name: str) -> Resource:
        for r in self.resources:
            if r.name == name:
                return r
        known = ", ".join(r.name for r in self.resources)
        raise PackageReadError(f"{self.source_label}: no resource named {name!r} (resources: {known})")


def _find_descriptor(folder: Path, label: str) -> Path:
    direct = folder / DESCRIPTOR
    if direct.is_file():
        return direct
    subs = [p for p in folder.iterdir() if p.is_dir()]
    if len(subs) == 1 and (subs[0] / DESCRIPTOR).is_file():
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
        return Package(root=root, descriptor_path=desc_path, descriptor=descriptor,
                       resources=resources, source_label=label, _tmp=tmp)
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


def _open_resource(root: Path, index: int, rd: dict, remote_dir: Path | None) -> Resource:
    name = rd.get("name") if isinstance(rd.get("name"), str) else f"resource-{index + 1}"
    res = Resource(name=name, descriptor=rd)
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
            if not path.is_file():
                res.problems.append(("scheme-error", f"{what}: data file {rel!r} not found"))
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
        except PackageReadError as exc:
            res.problems.append(("schema-error", str(exc)))
            schema = None
    if isinstance(schema, dict):
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

