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
from pathlib import Path

from ..datapackage.jsonio import read_json
from ..datapackage.model import Package
from ..datapackage.opening import bundled_index_path, open_package
from ..errors import DownloadError
from .cache import Settings, cached, deadline, hold, release_folder, settings, sweep, unpack_release, verified
from .fetch import get_archive, remote_index
from .index import INDEX, index_problems
from .semver import is_version, version_key
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


def _known(s: Settings, bundled: dict, until: Deadline) -> tuple[str, dict[str, dict]]:
    """The releases known here: the remote index's, with the bundled index's entries over them."""
    remote = remote_index(s, bundled["name"], until)
    where = f"{s.cache / INDEX} (offline)" if s.offline else f"{s.base_url}{INDEX}"
    return where, {**_releases(remote), **_releases(bundled)}


def _resolve(s: Settings, version: str, until: Deadline) -> tuple[str, dict]:
    """(package name, index entry) of ``version``: a version number, or ``latest``."""
    if version != "latest" and not is_version(version):
        raise DownloadError(f"{version!r} is not a version: give X.Y.Z (see `energy-ties versions`) or 'latest'")
    bundled = bundled_index()
    name = bundled["name"]
    if version in _releases(bundled):  # known at install time: no index needed, the bundled hash decides
        return name, _releases(bundled)[version]
    where, known = _known(s, bundled, until)
    if version == "latest":  # offline, the newest cached release: check from the top down
        for v in sorted(known, key=version_key, reverse=True):
            if not s.offline or cached(s, known[v], name):
                return name, known[v]
        raise DownloadError(
            f"no release is in the cache {s.cache} and downloads are off (ENERGY_TIES_OFFLINE): "
            "download one once online"
        )
    if version not in known:
        listed = ", ".join(sorted(known, key=version_key)) or "none"
        raise DownloadError(f"version {version} is not in the release index {where} (known: {listed})")
    return name, known[version]


def download(
    version: str = "latest",
    *,
    base_url: str | None = None,
    cache: str | os.PathLike | None = None,
    offline: bool | None = None,
    timeout: float | None = None,
) -> Path:
    """The folder of the unpacked, verified release ``version`` (``latest``: the newest), downloaded if needed.

    ``base_url`` (or ``ENERGY_TIES_BASE_URL``) is where releases are published,
    ``cache`` (or ``ENERGY_TIES_CACHE``) the cache folder, ``offline`` (or
    ``ENERGY_TIES_OFFLINE=1``) serves only what is cached, ``timeout`` (or
    ``ENERGY_TIES_TIMEOUT``, default 60) the seconds the whole call may spend
    on the network and waiting for another process fetching the same release.
    Raises DownloadError (or ArchiveError, for an unsafe archive or one that is
    not the release asked for) with one line naming the version, URL or cache
    folder at fault.
    """
    s = settings(base_url, cache, offline, timeout)
    until = deadline(s)
    name, entry = _resolve(s, version, until)
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


def versions(
    *,
    base_url: str | None = None,
    cache: str | os.PathLike | None = None,
    offline: bool | None = None,
    timeout: float | None = None,
) -> list[dict]:
    """Every known release (the bundled index, and the remote one unless offline), newest last, each with
    ``latest`` and ``cached`` (usable offline). The arguments are :func:`download`'s."""
    s = settings(base_url, cache, offline, timeout)
    bundled = bundled_index()
    _, known = _known(s, bundled, deadline(s))
    ordered = sorted(known.values(), key=lambda r: version_key(r["version"]))
    return [dict(r, latest=r is ordered[-1], cached=cached(s, r, bundled["name"])) for r in ordered]


def open_source(source: str | os.PathLike | None) -> Package:
    """A package from a path, a folder, a zip or a released version number (downloaded and verified first)."""
    if source is not None and not os.path.exists(os.fspath(source)) and is_version(os.fspath(source)):
        return open_package(download(os.fspath(source)))
    return open_package(source)
