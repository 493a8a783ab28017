"""Download, verify and cache published releases.

Archives are fetched with pooch from a registry built from the release index,
so no byte is used before its SHA-256 matches. The index shipped with the
library is trusted over the remote one for every version it knows: a changed
remote index cannot change what an installed library calls 1.0.0. Only
versions newer than the library come from the remote index.

The cache holds ``archives/NAME-X.Y.Z.zip`` and ``releases/X.Y.Z/``. A
release is unpacked into a temporary folder, given a marker file holding each
file's SHA-256 (written last) and renamed into place; every call re-checks the
files against the marker, so a damaged release is rebuilt rather than loaded.
Processes building the same release take turns on a per-version lock, so the
second finds the first one's verified files.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from . import archive, atomic
from .errors import ArchiveError, DownloadError, PackageReadError
from .package import bundled_index_path, read_json
from .release import INDEX, archive_name, index_problems
from .versioning import is_version, version_key

#: Where releases are published; ``ENERGY_TIES_BASE_URL`` or ``base_url=`` point elsewhere.
DEFAULT_BASE_URL = "https://github.com/energy-ties/energy-ties/raw/main/releases/"
#: Seconds a request may wait for the server (to connect, or between two reads) before failing.
TIMEOUT = 30.0
#: Further attempts after a failed download (pooch waits 1 s, 2 s, ... between them).
RETRIES = 3
#: Seconds to wait for another process that is building the same release.
LOCK_TIMEOUT = 600.0
#: Largest unpacked release accepted (a bound against zip bombs).
MAX_RELEASE_BYTES = 1024**3
#: Written last into an unpacked release: the archive's SHA-256 and each file's.
MARKER = ".release.json"


@dataclass(frozen=True)
class Settings:
    base_url: str
    cache: Path
    offline: bool


def settings(base_url: str | None = None, cache: str | os.PathLike | None = None,
             offline: bool | None = None) -> Settings:
    """The arguments, else ``ENERGY_TIES_BASE_URL``, ``ENERGY_TIES_CACHE``, ``ENERGY_TIES_OFFLINE``, else defaults."""
    base = base_url or os.environ.get("ENERGY_TIES_BASE_URL") or DEFAULT_BASE_URL
    if not base.lower().startswith(("http://", "https://")):
        raise DownloadError(f"base URL {base!r}: releases are fetched over http(s) only")
    if cache is None:
        cache = os.environ.get("ENERGY_TIES_CACHE")
    if not cache:
        import platformdirs

        cache = platformdirs.user_cache_dir("energy-ties")
    if offline is None:
        offline = os.environ.get("ENERGY_TIES_OFFLINE", "").strip().lower() in ("1", "true", "yes", "on")
    return Settings(base.rstrip("/") + "/", Path(cache).expanduser().absolute(), bool(offline))


def _new_folder(parent: Path, prefix: str) -> Path:
    """A new, uniquely named folder in ``parent`` with the usual permissions (mkdtemp's are 0700)."""
    parent.mkdir(parents=True, exist_ok=True)
    while True:
        path = parent / f"{prefix}-{secrets.token_hex(6)}"
        try:
            path.mkdir()
            return path
        except FileExistsError:
            continue


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


# ---------------------------------------------------------------- indexes

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


def remote_index(s: Settings) -> dict | None:
    """The index at ``BASE/index.json``, kept in the cache for offline use; offline, the kept copy (or None)."""
    kept = s.cache / INDEX
    if s.offline:
        try:
            index = read_json(kept)
        except PackageReadError:  # none kept, or damaged: only the bundled index counts
            return None
        return None if index_problems(index) else index
    import pooch

    try:
        tmp = _new_folder(s.cache, ".index")
    except OSError as exc:
        raise DownloadError(f"cannot write to the cache {s.cache} ({exc})") from None
    logger = pooch.get_logger()
    level = logger.level
    try:  # no hash to check it against: fetched afresh into a new folder every time, without pooch's chatter
        logger.setLevel("WARNING")
        fetcher = pooch.create(path=tmp, base_url=s.base_url, registry={INDEX: None}, retry_if_failed=RETRIES)
        path = Path(_fetch(fetcher, INDEX, s, "the release index"))
        index = read_json(path, f"{s.base_url}{INDEX}")
        problems = index_problems(index)
        if problems:
            raise DownloadError(f"{s.base_url}{INDEX}: not a valid release index ({problems[0]})")
        os.replace(path, kept)
        return index
    finally:
        logger.setLevel(level)
        shutil.rmtree(tmp, ignore_errors=True)


def _known(s: Settings, bundled: dict) -> tuple[str, dict[str, dict]]:
    """The releases known here: the remote index's, with the bundled index's entries over them."""
    remote = remote_index(s)
    where = f"{s.cache / INDEX} (offline)" if s.offline else f"{s.base_url}{INDEX}"
    if remote is not None and remote["name"] != bundled["name"]:
        raise DownloadError(f"{where}: is the index of {remote['name']!r}, not of {bundled['name']!r}")
    return where, {**_releases(remote), **_releases(bundled)}


# ---------------------------------------------------------------- cache

def _folder(s: Settings, version: str) -> Path:
    return s.cache / "releases" / version


def _archive_path(s: Settings, entry: dict, name: str) -> Path:
    return s.cache / "archives" / archive_name(name, entry["version"])


def verified(folder: Path, sha256: str) -> bool:
    """Whether ``folder`` holds exactly the files its marker lists, with their hashes, from the archive ``sha256``."""
    try:
        marker = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if folder.is_symlink() or not isinstance(marker, dict) or marker.get("archive_sha256") != sha256:
        return False
    files = marker.get("files")
    found = set()
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in filenames + [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]:
            path = Path(dirpath, name)
            if path.is_symlink():
                return False
            found.add(path.relative_to(folder).as_posix())
    if not isinstance(files, dict) or found != set(files) | {MARKER}:
        return False
    return all(file_sha256(folder / rel) == h for rel, h in files.items())


def _archive_ok(path: Path, sha256: str) -> bool:
    """Whether the archive at ``path`` is there with the SHA-256 ``sha256``."""
    return path.is_file() and file_sha256(path) == sha256


def _cached(s: Settings, entry: dict, name: str) -> bool:
    """Whether the release can be served without the network."""
    return (verified(_folder(s, entry["version"]), entry["sha256"])
            or _archive_ok(_archive_path(s, entry, name), entry["sha256"]))


# ---------------------------------------------------------------- fetching

class _Bar:
    """The progress object pooch drives (``total``, ``update``, ``reset``, ``close``), drawn by rich on stderr."""

    def __init__(self, label: str) -> None:
        from rich.console import Console
        from rich.progress import DownloadColumn, Progress, TransferSpeedColumn

        self._progress = Progress(*Progress.get_default_columns(), DownloadColumn(), TransferSpeedColumn(),
                                  console=Console(stderr=True), transient=True)
        self._task = self._progress.add_task(label, total=None)
        self._started = False

    @property
    def total(self) -> float | None:
        return self._progress.tasks[0].total

    @total.setter
    def total(self, value: int) -> None:  # set when each attempt's response starts, after pooch's log line
        if not self._started:
            self._progress.start()
            self._started = True
        self._progress.reset(self._task, total=value or None)

    def update(self, n: int) -> None:
        self._progress.advance(self._task, n)

    def reset(self) -> None:
        self._progress.reset(self._task)

    def close(self) -> None:
        if self._started:
            self._progress.stop()
            self._started = False


def _fetch(fetcher, name: str, s: Settings, what: str) -> str:
    """``fetcher.fetch(name)`` with every failure turned into a one-line DownloadError."""
    import pooch
    import requests

    url = fetcher.get_url(name)
    tries = f"{RETRIES + 1} attempt(s)"
    bar = _Bar(name) if sys.stderr.isatty() else False
    try:
        return fetcher.fetch(name, downloader=pooch.HTTPDownloader(timeout=TIMEOUT, progressbar=bar,
                                                                   chunk_size=1 << 14))
    except requests.HTTPError as exc:
        raise DownloadError(f"{what}: {url} answered HTTP {exc.response.status_code} {exc.response.reason} "
                            f"({tries})") from None
    except requests.Timeout:
        raise DownloadError(f"{what}: {url} did not answer within {TIMEOUT:g} s ({tries})") from None
    except requests.exceptions.ChunkedEncodingError:
        raise DownloadError(f"{what}: {url}: the connection broke before the whole file arrived ({tries})") from None
    except requests.RequestException as exc:  # keep the reason, not urllib3's nested reprs
        reason = re.search(r"\[Errno -?\d+\] [^'\")\]]+|Read timed out", str(exc))
        raise DownloadError(f"{what}: {url} failed: {reason.group(0) if reason else exc} ({tries})") from None
    except ValueError:  # pooch: the downloaded file does not match the registry's hash
        raise DownloadError(f"{what}: {url} does not match its SHA-256 in the release index "
                            f"({fetcher.registry[name]}); the download was discarded") from None
    except OSError as exc:
        raise DownloadError(f"{what}: cannot write to the cache {s.cache} ({exc})") from None
    finally:
        if bar:
            bar.close()


def _get_archive(s: Settings, entry: dict, name: str) -> Path:
    """The verified archive in the cache: kept, or downloaded (again, when the kept one no longer matches)."""
    path = _archive_path(s, entry, name)
    if s.offline:
        if _archive_ok(path, entry["sha256"]):
            return path
        raise DownloadError(f"version {entry['version']} is not in the cache {s.cache} and downloads are off "
                            "(ENERGY_TIES_OFFLINE): download it once online")
    import pooch

    fetcher = pooch.create(path=path.parent, base_url=s.base_url, registry={path.name: f"sha256:{entry['sha256']}"},
                           retry_if_failed=RETRIES)
    return Path(_fetch(fetcher, path.name, s, f"version {entry['version']}"))


def _unpack(s: Settings, entry: dict, archive_path: Path) -> None:
    """Unpack into a temporary folder, write the marker, and rename it into place."""
    folder = _folder(s, entry["version"])
    tmp = _new_folder(folder.parent, f".tmp-{entry['version']}")
    try:
        try:
            archive.unpack(archive_path, tmp, max_bytes=MAX_RELEASE_BYTES)
        except ArchiveError as exc:
            archive_path.unlink(missing_ok=True)  # verified but unusable: keep nothing of it
            raise ArchiveError(f"version {entry['version']} ({s.base_url}{archive_path.name}): {exc}") from None
        files = {p.relative_to(tmp).as_posix(): file_sha256(p) for p in sorted(tmp.rglob("*")) if p.is_file()}
        marker = {"version": entry["version"], "archive_sha256": entry["sha256"], "files": files}
        atomic.write_text(tmp / MARKER, json.dumps(marker, indent=1, sort_keys=True) + "\n")
        if folder.exists() or folder.is_symlink():  # damaged (we hold the lock): move it aside, then drop it
            old = _new_folder(folder.parent, f".old-{entry['version']}")
            os.replace(folder, old / "damaged")
            shutil.rmtree(old, ignore_errors=True)
        os.replace(tmp, folder)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _sweep(s: Settings, version: str) -> None:
    """Remove what a process that died while building ``version`` left (we hold its lock, so none is live)."""
    for prefix in (".tmp", ".old"):
        for leftover in (s.cache / "releases").glob(f"{prefix}-{version}-*"):
            shutil.rmtree(leftover, ignore_errors=True)


# ---------------------------------------------------------------- public

def _resolve(version: str = "latest", *, base_url: str | None = None, cache: str | os.PathLike | None = None,
            offline: bool | None = None) -> tuple[Settings, str, dict]:
    """(settings, package name, index entry) of ``version``: a version number, or ``latest``."""
    s = settings(base_url, cache, offline)
    if version != "latest" and not is_version(version):
        raise DownloadError(f"{version!r} is not a version: give X.Y.Z (see `energy-ties versions`) or 'latest'")
    bundled = bundled_index()
    name = bundled["name"]
    if version in _releases(bundled):  # known at install time: no index needed, the bundled hash decides
        return s, name, _releases(bundled)[version]
    where, known = _known(s, bundled)
    if version == "latest":  # offline, the newest cached release: check from the top down
        for v in sorted(known, key=version_key, reverse=True):
            if not s.offline or _cached(s, known[v], name):
                return s, name, known[v]
        raise DownloadError(f"no release is in the cache {s.cache} and downloads are off (ENERGY_TIES_OFFLINE): "
                            "download one once online")
    if version not in known:
        listed = ", ".join(sorted(known, key=version_key)) or "none"
        raise DownloadError(f"version {version} is not in the release index {where} (known: {listed})")
    return s, name, known[version]


def download(version: str = "latest", *, base_url: str | None = None, cache: str | os.PathLike | None = None,
             offline: bool | None = None) -> Path:
    """The folder of the unpacked, verified release ``version`` (``latest``: the newest), downloaded if needed.

    ``base_url`` (or ``ENERGY_TIES_BASE_URL``) is where releases are published,
    ``cache`` (or ``ENERGY_TIES_CACHE``) the cache folder, ``offline`` (or
    ``ENERGY_TIES_OFFLINE=1``) serves only what is cached. Raises DownloadError
    (or ArchiveError, for an unsafe archive) with one line naming the version,
    URL or cache folder at fault.
    """
    import filelock

    s, name, entry = _resolve(version, base_url=base_url, cache=cache, offline=offline)
    folder = _folder(s, entry["version"])
    if verified(folder, entry["sha256"]):
        return folder
    lock_path = s.cache / "locks" / f"{entry['version']}.lock"
    try:
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        with filelock.FileLock(lock_path, timeout=LOCK_TIMEOUT):
            if verified(folder, entry["sha256"]):  # another process built it while we waited
                return folder
            _sweep(s, entry["version"])
            _unpack(s, entry, _get_archive(s, entry, name))
    except filelock.Timeout:
        raise DownloadError(f"version {entry['version']}: another process has held {lock_path} for "
                            f"{LOCK_TIMEOUT:g} s") from None
    except OSError as exc:
        raise DownloadError(f"version {entry['version']}: cannot write to the cache {s.cache} ({exc})") from None
    if not verified(folder, entry["sha256"]):
        raise DownloadError(f"version {entry['version']}: {folder} does not verify after unpacking")
    return folder


def versions(*, base_url: str | None = None, cache: str | os.PathLike | None = None,
             offline: bool | None = None) -> list[dict]:
    """Every known release (the bundled index, and the remote one unless offline), newest last, each with
    ``latest`` and ``cached`` (usable offline)."""
    s = settings(base_url, cache, offline)
    bundled = bundled_index()
    _, known = _known(s, bundled)
    ordered = sorted(known.values(), key=lambda r: version_key(r["version"]))
    return [dict(r, latest=r is ordered[-1], cached=_cached(s, r, bundled["name"])) for r in ordered]


def copy_release(folder: Path, dest: str | os.PathLike) -> Path:
    """Copy the verified release in ``folder`` to the new folder ``dest``, atomically, checking every file."""
    dest = Path(dest).absolute()
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise DownloadError(f"{dest}: already exists; give a new or empty folder")
    files = json.loads((folder / MARKER).read_text(encoding="utf-8"))["files"]
    tmp = None
    try:
        tmp = _new_folder(dest.parent, f".{dest.name}")
        for rel, sha in files.items():
            target = tmp / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(folder / rel, target)
            if file_sha256(target) != sha:
                raise DownloadError(f"{folder / rel}: changed while it was copied to {dest}")
        if dest.exists():
            dest.rmdir()  # empty, checked above
        os.replace(tmp, dest)
    except OSError as exc:
        raise DownloadError(f"{dest}: cannot copy the release there ({exc})") from None
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    return dest
