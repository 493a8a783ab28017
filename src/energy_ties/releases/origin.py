"""Where a package's releases are published, so that a version number names a release of that package.

A version number means a release of the package it is compared with, never
of energy-ties by default: ``check-release --against 1.0.0`` in another
package's folder must not fetch energy-ties 1.0.0. In order:

1. a base URL given (``--base-url``, ``ENERGY_TIES_BASE_URL``): its
   ``index.json`` must be the index of the package in play, when there is one;
2. the package's own ``releases/index.json``, beside its descriptor (a
   checkout; the archives are read from that folder, no network needed);
3. the URL in the descriptor's ``releases`` property: the folder (http or
   https) holding its ``index.json`` and archives;
4. for energy-ties (and when no package is in play), its published releases.

A package may also be given by name alone, with a base URL: ``--package bird-counts --base-url URL``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from ..datapackage.jsonio import read_json
from ..datapackage.opening import DESCRIPTOR, locate
from ..errors import DownloadError, PackageReadError
from .cache import DEFAULT_BASE_URL, DEFAULT_PACKAGE
from .index import INDEX, RELEASES

#: The descriptor property naming where a package's releases are published (a folder URL).
RELEASES_PROPERTY = "releases"
#: A package name that can name a folder of the cache (Data Package names are lower-case ``a-z0-9._-``).
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}", re.ASCII)


@dataclass(frozen=True)
class Origin:
    """The releases of one package: ``name`` (None: whatever the index at ``base_url`` says), and either an
    http(s) ``base_url`` or a local ``folder`` holding ``index.json`` and the archives."""

    name: str | None
    base_url: str | None = None
    folder: Path | None = None

    @property
    def where(self) -> str:
        return str(self.folder / INDEX) if self.folder is not None else f"{self.base_url}{INDEX}"


def checked_name(name: object, where: str) -> str:
    """``name`` if it can name a package's folder in the cache; else a one-line DownloadError."""
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise DownloadError(f"{where}: package name {name!r} is not a name releases can be kept under (a-z0-9._-)")
    return name


def given_base_url(base_url: str | None) -> str | None:
    """The base URL asked for: the argument, else ``ENERGY_TIES_BASE_URL``; None when neither is set."""
    return base_url or os.environ.get("ENERGY_TIES_BASE_URL") or None


def package_descriptor(package: str | os.PathLike) -> tuple[Path, dict]:
    """(folder, descriptor) of the package at ``package`` (a descriptor or a folder holding one)."""
    label = os.fspath(package)
    path = Path(label)
    if path.is_dir():
        path = path / DESCRIPTOR
    if path.suffix.lower() == ".zip":
        raise DownloadError(f"{label}: a release archive has no releases of its own; give its package's folder")
    desc_path, tmp, _ = locate(path)
    assert tmp is None  # not a zip
    descriptor = read_json(desc_path, label)
    if not isinstance(descriptor, dict):
        raise PackageReadError(f"{label}: a data package descriptor must be a JSON object")
    return desc_path.parent, descriptor


def find_origin(package: str | os.PathLike | None, base_url: str | None = None) -> Origin | None:
    """Where the releases of ``package`` are (see the module's docstring); None when it names none."""
    given = given_base_url(base_url)
    if package is None:
        return Origin(DEFAULT_PACKAGE, given or DEFAULT_BASE_URL)
    if not os.path.exists(package) and _NAME.fullmatch(os.fspath(package)):  # a package's name, not a path
        name = os.fspath(package)
        if given or name == DEFAULT_PACKAGE:
            return Origin(name, given or DEFAULT_BASE_URL)
        raise DownloadError(f"package {name!r}: give --base-url, where its releases are published, or its folder")
    root, descriptor = package_descriptor(package)
    name = checked_name(descriptor.get("name"), f"{os.fspath(package)}: {DESCRIPTOR}")
    if given:
        return Origin(name, given)
    local = root / RELEASES
    if os.path.lexists(local / INDEX):
        return Origin(name, folder=local)
    named = descriptor.get(RELEASES_PROPERTY)
    if isinstance(named, str) and named.lower().startswith(("http://", "https://")):
        return Origin(name, named.rstrip("/") + "/")
    if named is not None:
        raise DownloadError(
            f"{os.fspath(package)}: {DESCRIPTOR}: {RELEASES_PROPERTY!r} must be the http(s) URL of the folder "
            f"holding its {INDEX}, not {named!r}"
        )
    if name == DEFAULT_PACKAGE:
        return Origin(name, DEFAULT_BASE_URL)
    return None


def origin_of(package: str | os.PathLike | None, base_url: str | None = None) -> Origin:
    """:func:`find_origin`, with a one-line DownloadError naming what to do when the package names no releases."""
    origin = find_origin(package, base_url)
    if origin is None:
        raise DownloadError(
            f"{os.fspath(package or '.')}: the package has no {RELEASES}/{INDEX} beside its descriptor and its "
            f"{DESCRIPTOR} names no {RELEASES_PROPERTY!r} URL, so a version number names none of its releases: "
            "give a path, a .zip, git:REVISION or --base-url"
        )
    return origin
