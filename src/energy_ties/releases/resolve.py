"""Which release a version number names, and getting it: ``download``, ``versions`` and ``open_source``.

The index shipped with the library is trusted over the remote one for every
version it knows: a changed remote index cannot change what an installed
library calls 1.0.0. Only versions newer than the library come from the
remote index. Processes building the same release take turns on a
per-version lock, so the second finds the first one's verified files; the
first to take it sweeps what a killed process left. One deadline covers the
whole call: the index, the archive, every retry, and the wait for the lock.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import TypedDict

from ..datapackage.jsonio import read_json
from ..datapackage.model import Package
from ..datapackage.opening import bundled_index_path, open_package
from ..errors import DownloadError
from .cache import (
    DEFAULT_BASE_URL,
    DEFAULT_PACKAGE,
    Settings,
    cached,
    deadline,
    hold,
    release_folder,
    settings,
    sweep,
    unpack_release,
    verified,
)
from .fetch import get_archive, remote_index
from .gitrev import PREFIX as GIT_PREFIX
from .gitrev import open_revision
from .index import INDEX, index_problems
from .origin import Origin, origin_of
from .semver import is_version, requested, version_key
from .transfer import Deadline


def _releases(index: dict | None) -> dict[str, dict]:
    return {r["version"]: r for r in index["releases"]} if index else {}


def bundled_index() -> dict:
    """The index shipped with the library."""
    path = bundled_index_path()
    index = read_json(path)
    problems = index_problems(index)
    if problems:
        raise DownloadError(f"{path}: the bundled release index is invalid ({problems[0]}); reinstall energy-ties")
    return index


def _known(s: Settings, origin: Origin, until: Deadline) -> tuple[str, str, dict[str, dict]]:
    """(package name, where its index is, the releases known): the index's, and for energy-ties the bundled
    index's entries over them."""
    index = remote_index(s, origin.name, until)
    name = origin.name or (index["name"] if index else DEFAULT_PACKAGE)
    if origin.folder is not None:
        where = str(origin.folder / INDEX)
    else:
        where = f"{s.for_package(name).cache / INDEX} (offline)" if s.offline else f"{s.base_url}{INDEX}"
    known = _releases(index)
    bundled = bundled_index()
    if name == bundled["name"]:
        known.update(_releases(bundled))
    return name, where, known


def _resolve(s: Settings, origin: Origin, version: str, until: Deadline) -> tuple[str, dict]:
    """(package name, index entry) of ``version``: a version number (``v1.0.0`` as well), or ``latest``."""
    asked = version
    version = requested(version)
    if version != "latest" and not is_version(version):
        raise DownloadError(f"{asked!r} is not a version: give X.Y.Z (see `energy-ties versions`) or 'latest'")
    bundled = bundled_index()
    if origin.name == bundled["name"] and version in _releases(bundled):  # the bundled hash decides
        return bundled["name"], _releases(bundled)[version]
    name, where, known = _known(s, origin, until)
    if version == "latest":  # offline, the newest cached release: check from the top down
        for v in sorted(known, key=version_key, reverse=True):
            if not s.offline or s.local is not None or cached(s.for_package(name), known[v], name):
                return name, known[v]
        if not s.offline or s.local is not None:
            raise DownloadError(f"{where}: lists no release of {name}")
        raise DownloadError(
            f"no release is in the cache {s.for_package(name).cache} and downloads are off (ENERGY_TIES_OFFLINE): "
            "download one once online"
        )
    if version not in known:
        listed = ", ".join(sorted(known, key=version_key)) or "none"
        raise DownloadError(f"version {version} is not in the release index {where} (known: {listed})")
    return name, known[version]


def _settings(origin: Origin, cache: str | os.PathLike | None, offline: bool | None, timeout: float | None) -> Settings:
    s = settings(origin.base_url or DEFAULT_BASE_URL, cache, offline, timeout)
    s = replace(s, local=origin.folder)
    return s.for_package(origin.name) if origin.name else s


class Fetch(TypedDict, total=False):
    """How a release named by its version is fetched: :func:`download`'s settings, passed on as they are."""

    base_url: str | None
    cache: str | os.PathLike | None
    offline: bool | None
    timeout: float | None


def download(
    version: str = "latest",
    *,
    package: str | os.PathLike | None = None,
    base_url: str | None = None,
    cache: str | os.PathLike | None = None,
    offline: bool | None = None,
    timeout: float | None = None,
) -> Path:
    """The folder of the unpacked, verified release ``version`` (``latest``: the newest), downloaded if needed.

    ``package`` (a descriptor or its folder) says whose release: its own
    ``releases/index.json``, or the URL its descriptor's ``releases`` names;
    without it, energy-ties'. ``base_url`` (or ``ENERGY_TIES_BASE_URL``) is
    where releases are published (an index of any package, or of ``package``'s),
    ``cache`` (or ``ENERGY_TIES_CACHE``) the cache folder, ``offline`` (or
    ``ENERGY_TIES_OFFLINE=1``) serves only what is cached, ``timeout`` (or
    ``ENERGY_TIES_TIMEOUT``, default 60) the seconds the whole call may spend
    on the network and waiting for another process fetching the same release.
    Raises DownloadError (or ArchiveError, for an unsafe archive or one that is
    not the release asked for) with one line naming the version, URL or cache
    folder at fault.
    """
    origin = origin_of(package, base_url)
    s = _settings(origin, cache, offline, timeout)
    until = deadline(s)
    name, entry = _resolve(s, origin, version, until)
    s = s.for_package(name)
    folder = release_folder(s, entry["version"])
    if verified(folder, entry["sha256"]):
        return folder
    what = f"version {entry['version']}"
    with hold(s, f"{entry['version']}.lock", until, what):
        if verified(folder, entry["sha256"]):  # another process built it while we waited
            return folder
        try:
            sweep(s, entry["version"])
            unpack_release(s, entry, get_archive(s, entry, name, until), name)
        except OSError as exc:
            raise DownloadError(f"{what}: cannot write to the cache {s.cache} ({exc})") from None
    if not verified(folder, entry["sha256"]):
        raise DownloadError(f"{what}: {folder} does not verify after unpacking")
    return folder


def releases_of(
    *,
    package: str | os.PathLike | None = None,
    base_url: str | None = None,
    cache: str | os.PathLike | None = None,
    offline: bool | None = None,
    timeout: float | None = None,
) -> tuple[str, str, list[dict]]:
    """(package name, where its index is, every known release, newest last, with ``latest`` and ``cached``)."""
    origin = origin_of(package, base_url)
    s = _settings(origin, cache, offline, timeout)
    name, where, known = _known(s, origin, deadline(s))
    s = s.for_package(name)
    ordered = sorted(known.values(), key=lambda r: version_key(r["version"]))
    return name, where, [dict(r, latest=r is ordered[-1], cached=cached(s, r, name)) for r in ordered]


def versions(
    *,
    package: str | os.PathLike | None = None,
    base_url: str | None = None,
    cache: str | os.PathLike | None = None,
    offline: bool | None = None,
    timeout: float | None = None,
) -> list[dict]:
    """Every known release (the bundled index, and the remote one unless offline), newest last, each with
    ``latest`` and ``cached`` (usable offline). The arguments are :func:`download`'s."""
    return releases_of(package=package, base_url=base_url, cache=cache, offline=offline, timeout=timeout)[2]


def open_source(
    source: str | os.PathLike | None,
    *,
    releases_of: str | os.PathLike | None = None,
    base_url: str | None = None,
    cache: str | os.PathLike | None = None,
    offline: bool | None = None,
    timeout: float | None = None,
) -> Package:
    """A package from a path, a folder, a zip, a released version number (``1.0.0``, ``v1.0.0``: a release of
    the package ``releases_of``, downloaded and verified first) or ``git:REVISION`` (the package
    ``releases_of`` as it stood at that revision of its repository). ``base_url``, ``cache``, ``offline`` and
    ``timeout`` are :func:`download`'s, for a version number."""
    text = os.fspath(source) if source is not None else None
    if text is not None and text.startswith(GIT_PREFIX):
        return open_revision(releases_of if releases_of is not None else ".", text[len(GIT_PREFIX) :])
    if text is not None and not os.path.exists(text) and is_version(requested(text)):
        fetched = download(
            requested(text), package=releases_of, base_url=base_url, cache=cache, offline=offline, timeout=timeout
        )
        return open_package(fetched)
    return open_package(source)
