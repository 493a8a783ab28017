"""Fetch release files over HTTP: the index, bounded and checked before it is kept, and archives.

An archive is read up to its indexed size and no further, and no byte of it
is used before its SHA-256 matches the index. The index is read up to
:data:`MAX_INDEX_BYTES`, and kept in the cache (for offline use) only once it
is a valid index of this package. Every failure becomes one line naming the
URL; :mod:`.transfer` bounds each download in size and time.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import sys
from pathlib import Path

from ..datapackage.jsonio import read_json
from ..errors import DownloadError, PackageReadError, ReleaseError
from ..files import read_bytes, write_bytes
from .cache import DEFAULT_PACKAGE, INDEX_TMP, Settings, archive_ok, archive_path, hold, leftovers, remove
from .index import INDEX, index_problems, read_index
from .origin import checked_name
from .transfer import Body, Deadline, Policy, fetch_file

#: Seconds of silence (to connect, or for the next bytes) before an attempt fails and may be retried.
TIMEOUT = 10.0
#: Further attempts after a connection error, a timeout or an HTTP 5xx (never after a 4xx or a wrong body).
RETRIES = 3
#: Seconds to pause before the first retry (then twice, three times as long), never past the deadline.
RETRY_PAUSE = 0.5
#: The largest release index read: an index of a few thousand releases takes a tenth of it.
MAX_INDEX_BYTES = 4 * 1024**2


def policy() -> Policy:
    """The retry policy, read when a download starts (so that the constants above can be changed)."""
    return Policy(TIMEOUT, RETRIES, RETRY_PAUSE)


def remote_index(s: Settings, name: str | None, deadline: Deadline) -> dict | None:
    """The index at ``BASE/index.json``, kept in the cache for offline use; offline, the kept copy (or None).

    The fetched index is checked (a valid index of the package ``name``, or of any package when ``name`` is
    None) before it replaces the kept one, so a bad one is refused without spoiling later offline calls. With
    a local releases/ folder (a checkout's), its index is read, checked the same way, and not kept.
    """
    if s.local is not None:
        return _local_index(s.local / INDEX, name)
    if s.offline:
        kept_name = name or DEFAULT_PACKAGE
        return _kept_index(s.for_package(kept_name).cache / INDEX, kept_name)
    url = f"{s.base_url}{INDEX}"
    with hold(s, "index.lock", deadline, "the release index"):
        sweep_index(s)
        fetched = s.cache / f"{INDEX_TMP}-{secrets.token_hex(6)}"  # swept as fetch_file's own
        try:
            body = Body(MAX_INDEX_BYTES, f"the limit of {MAX_INDEX_BYTES} bytes for a release index")
            fetch_file(url, fetched, INDEX_TMP, body, deadline, policy(), "the release index")
            index = _checked(fetched, url, name)
            kept = s.for_package(index["name"]).cache / INDEX
            kept.parent.mkdir(parents=True, exist_ok=True)
            os.replace(fetched, kept)
        except OSError as exc:
            raise DownloadError(f"the release index: cannot write to the cache {s.cache} ({exc})") from None
        finally:
            fetched.unlink(missing_ok=True)
    return index


def _local_index(path: Path, name: str | None) -> dict:
    """The index of a local releases/ folder, checked as a fetched one is."""
    try:
        index = read_index(path)
    except ReleaseError as exc:
        raise DownloadError(str(exc)) from None
    if index is None:
        raise DownloadError(f"{path}: no release index there")
    if name is not None and index["name"] != name:
        raise DownloadError(f"{path}: is the index of {index['name']!r}, not of {name!r}")
    return index


def _checked(fetched: Path, url: str, name: str | None) -> dict:
    """The index in the file ``fetched`` if it is a valid release index of the package ``name`` (any); else one
    DownloadError (or PackageReadError, when it is not JSON)."""
    try:
        index = read_json(fetched, url)
        problems = index_problems(index)
    except RecursionError:
        raise DownloadError(f"{url}: nested too deeply to be a release index") from None
    if problems:
        raise DownloadError(f"{url}: not a valid release index ({problems[0]}); it was not kept")
    assert isinstance(index, dict)  # the schema said so
    checked_name(index["name"], url)
    if name is not None and index["name"] != name:
        raise DownloadError(f"{url}: is the index of {index['name']!r}, not of {name!r}; it was not kept")
    return index


def _kept_index(kept: Path, name: str) -> dict | None:
    """The kept index, if it is a valid index of ``name`` no larger than the bound; else None (damaged, or
    kept by an earlier version of the library that checked less): only the bundled index counts then."""
    try:
        if kept.stat().st_size > MAX_INDEX_BYTES:
            return None
        index = read_json(kept)
        return None if index_problems(index) or index["name"] != name else index
    except (OSError, PackageReadError, RecursionError):
        return None


def sweep_index(s: Settings) -> None:
    """Remove what a process killed while fetching the index left (we hold the index lock, so none is live)."""
    for leftover in leftovers(s.cache, INDEX_TMP):
        remove(leftover)


def get_archive(s: Settings, entry: dict, name: str, deadline: Deadline) -> Path:
    """The verified archive in the cache: kept, or downloaded (again, when the kept one no longer matches)."""
    path = archive_path(s, entry, name)
    if archive_ok(path, entry["sha256"]):
        return path
    if s.local is not None:
        return _copy_local(s.local, entry, path)
    if s.offline:
        raise DownloadError(
            f"version {entry['version']} is not in the cache {s.cache} and downloads are off "
            "(ENERGY_TIES_OFFLINE): download it once online"
        )
    what = f"version {entry['version']}"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DownloadError(f"{what}: cannot write to the cache {s.cache} ({exc})") from None
    body = Body(entry["size"], f"the {entry['size']} bytes the release index gives", True, entry["sha256"])
    bar = _Bar(path.name) if sys.stderr.isatty() else None
    try:
        fetch_file(f"{s.base_url}{path.name}", path, f".tmp-{entry['version']}", body, deadline, policy(), what, bar)
    finally:
        if bar is not None:
            bar.close()
    return path


def _copy_local(folder: Path, entry: dict, path: Path) -> Path:
    """The archive from a local releases/ folder, checked against its index entry, copied into the cache."""
    source = folder / entry["file"]
    what = f"version {entry['version']} ({source})"
    data = read_bytes(source, root=folder, limit=entry["size"], what=what)
    got = hashlib.sha256(data).hexdigest()
    if len(data) != entry["size"] or got != entry["sha256"]:
        raise DownloadError(
            f"{what}: {len(data)} bytes with SHA-256 {got}, the release index says "
            f"{entry['size']} bytes with SHA-256 {entry['sha256']}"
        )
    try:
        write_bytes(path, data)
    except PackageReadError as exc:
        raise DownloadError(f"{what}: cannot write to the cache ({exc})") from None
    return path


class _Bar:
    """A progress bar drawn by rich on stderr (a terminal only), started when the body starts."""

    def __init__(self, label: str) -> None:
        from rich.console import Console
        from rich.progress import DownloadColumn, Progress, TransferSpeedColumn

        self._progress = Progress(
            *Progress.get_default_columns(),
            DownloadColumn(),
            TransferSpeedColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self._task = self._progress.add_task(label, total=None)
        self._started = False

    def start(self, total: int | None) -> None:  # each attempt starts the bar again
        if not self._started:
            self._progress.start()
            self._started = True
        self._progress.reset(self._task, total=total or None)

    def advance(self, n: int) -> None:
        self._progress.advance(self._task, n)

    def close(self) -> None:
        if self._started:
            self._progress.stop()
            self._started = False
