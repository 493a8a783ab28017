"""Open a data package from a descriptor (JSON or YAML, a package's or one resource's), a folder or a zip,
without leaving its folder.

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
from ..files import refusal
from ..tabular.csvreader import MAX_COLUMNS
from ..tabular.jsonschemas import References
from ..tabular.schema import Schema
from . import archive, parts
from .jsonio import read_descriptor
from .model import Package, Resource
from .paths import fetch_remote, is_url, resolve_inside

DESCRIPTOR = "datapackage.json"
#: The names a folder's (or a zip's) descriptor is looked for under, in this order.
DESCRIPTORS = (DESCRIPTOR, "datapackage.yaml", "datapackage.yml")


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


def _descriptor_in(folder: Path) -> Path | None:
    for name in DESCRIPTORS:
        if os.path.lexists(folder / name):  # whatever it is: reading it says why it cannot be read (a FIFO...)
            return folder / name
    return None


def _find_descriptor(folder: Path, label: str) -> Path:
    direct = _descriptor_in(folder)
    if direct is not None:
        return direct
    subs = [p for p in folder.iterdir() if p.is_dir() and not p.is_symlink()]
    inner = _descriptor_in(subs[0]) if len(subs) == 1 else None
    if inner is not None:
        return inner
    raise PackageReadError(f"{label}: no {DESCRIPTOR} (or datapackage.yaml) found")


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
        named = label if desc_path.name == Path(label).name else f"{label}: {desc_path.name}"
        descriptor = _read_json(desc_path, named)
        if not isinstance(descriptor, dict):
            raise PackageReadError(f"{label}: a data package descriptor must be a JSON object")
        descriptor = as_package(descriptor, desc_path.name)
        root = desc_path.parent
        remote_dir = None
        if allow_remote:
            if tmp is None:
                tmp = tempfile.TemporaryDirectory(prefix="energy-ties-remote-")
            remote_dir = Path(tmp.name) / ".remote"
            remote_dir.mkdir(exist_ok=True)
        resources = []
        raw = descriptor.get("resources")
        version = parts.profile_version(descriptor)
        for i, rd in enumerate(raw if isinstance(raw, list) else []):
            if isinstance(rd, dict):
                resources.append(_open_resource(root, i, rd, remote_dir, version))
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


def _short(rel: Any, limit: int = 120) -> str:
    text = repr(rel)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def as_package(descriptor: dict, name: str) -> dict:
    """A resource descriptor given on its own (named ``*resource.json``/``.yaml``, or with ``path`` or ``data``
    and no ``resources``, as frictionless tells them apart) as the package of that one resource."""
    if "resources" in descriptor:
        return descriptor
    if not (name.lower().rpartition(".")[0].endswith("resource") or "path" in descriptor or "data" in descriptor):
        return descriptor
    wrapper: dict[str, Any] = {"resources": [descriptor]}
    if isinstance(descriptor.get("$schema"), str):  # its profile's version is the package's
        wrapper["$schema"] = descriptor["$schema"].replace("dataresource.json", "datapackage.json")
    return wrapper


def _read_json(path: Path, label: str) -> Any:
    """read_descriptor, with a descriptor nested too deep for the parser an unreadable one, not a crash."""
    try:
        return read_descriptor(path, label)
    except RecursionError:
        raise PackageReadError(f"{label}: not valid JSON (nested too deeply to be read)") from None


def _file(root: Path, rel: Any, what: str, remote_dir: Path | None) -> tuple[Path | None, tuple[str, str] | None]:
    """A descriptor path resolved inside the package, and the problem that keeps it from being read, if any
    (outside the package: resource-error, as frictionless's "not safe"; not there or not openable: scheme-error)."""
    try:
        path = _resolve(root, rel, what, remote_dir)
        if not path.exists():
            return path, ("scheme-error", f"{what} {_short(rel)} not found")
        why = refusal(path)
        if why is not None:
            return path, ("scheme-error", f"{what} {_short(rel)} {why}")
    except (UnsafePathError, PackageReadError) as exc:
        return None, ("scheme-error" if "remote" in str(exc) else "resource-error", str(exc))
    except ValueError:  # a NUL character, or text no file name can hold (a lone surrogate)
        return None, ("resource-error", f"{what} {_short(rel)} is not a possible file name")
    except OSError as exc:  # a name too long, a folder that cannot be listed...
        return None, ("scheme-error", f"{what} {_short(rel)} cannot be opened ({exc.strerror or exc})")
    return path, None


def _open_resource(root: Path, index: int, rd: dict, remote_dir: Path | None, version: str) -> Resource:
    rd = parts.upgraded(rd)
    given = rd.get("name")
    name = given if isinstance(given, str) else f"resource-{index + 1}"
    res = Resource(name=name, descriptor=rd)
    res.references = References(root=root, base=root, allow_remote=remote_dir is not None)
    what = f"resource {name!r}"
    refused: set[str] = set()
    for kind, message in parts.resource_problems(rd, index, version):
        prop = parts.property_of(message, index)
        refused.add(prop)
        if prop in parts.DATA_PROPERTIES or (prop == "" and "'name'" not in message):
            res.problems.append((kind, message))
        else:
            res.notes.append((kind, message))
    res.integrity = not (refused & parts.INTEGRITY_PROPERTIES)
    if "path" not in refused and rd.get("path") is not None:
        raw = rd["path"]
        for rel in raw if isinstance(raw, list) else [raw]:
            path, problem = _file(root, rel, f"{what}: data file", remote_dir)
            if problem is not None:
                res.problems.append(problem)
            if path is not None:
                res.paths.append(path)
    if "schema" not in refused:
        _open_schema(res, root, index, remote_dir)
    if "dialect" not in refused:
        _open_dialect(res, root, index, remote_dir)
    return res


def _open_schema(res: Resource, root: Path, index: int, remote_dir: Path | None) -> None:
    schema = res.descriptor.get("schema")
    base = f"/resources/{index}/schema"
    if isinstance(schema, str):
        res.schema_path, problem = _file(root, schema, f"resource {res.name!r}: schema", remote_dir)
        if problem is not None or res.schema_path is None:
            res.problems.append(("schema-error", problem[1] if problem else "schema cannot be read"))
            return
        base = schema
        try:
            schema = _read_json(res.schema_path, f"resource {res.name!r} schema {_short(schema)}")
        except PackageReadError as exc:
            res.problems.append(("schema-error", str(exc)))
            return
        if not isinstance(schema, dict):
            res.problems.append(("schema-error", f"{base}: a Table Schema must be a JSON object"))
            return
        if not is_url(res.descriptor["schema"]):  # relative references start from the schema file's folder
            allow = remote_dir is not None
            res.references = References(root=root, base=res.schema_path.parent, allow_remote=allow)
    if isinstance(schema, dict) and _too_wide(schema):
        what = f"resource {res.name!r}"
        if isinstance(res.descriptor.get("schema"), dict):  # inline: the descriptor itself is beyond what is read
            raise PackageReadError(f"{what} schema: more than {MAX_COLUMNS} fields; refused")
        res.problems.append(("schema-error", f"{what} schema: more than {MAX_COLUMNS} fields; refused"))
    elif isinstance(schema, dict):
        res.schema_descriptor = schema
        res.schema = Schema.from_descriptor(schema)
        blocking, unused = parts.schema_problems(schema, base, res.schema)
        res.problems += blocking
        res.notes += unused


def _open_dialect(res: Resource, root: Path, index: int, remote_dir: Path | None) -> None:
    dialect = res.descriptor.get("dialect")
    base = f"/resources/{index}/dialect"
    if isinstance(dialect, str):
        path, problem = _file(root, dialect, f"resource {res.name!r}: dialect", remote_dir)
        if problem is not None or path is None:
            res.problems.append(("dialect-error", problem[1] if problem else "dialect cannot be read"))
            return
        base = dialect
        try:
            dialect = _read_json(path, f"resource {res.name!r} dialect {_short(dialect)}")
        except PackageReadError as exc:
            res.problems.append(("dialect-error", str(exc)))
            return
        if not isinstance(dialect, dict):
            res.problems.append(("dialect-error", f"{base}: a Table Dialect must be a JSON object"))
            return
    if isinstance(dialect, dict):
        res.dialect = dialect
        res.problems += parts.dialect_problems(dialect, base)
