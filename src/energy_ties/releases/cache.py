"""The download cache: where releases are kept, how they are checked, unpacked and copied out.

The cache holds ``archives/NAME-X.Y.Z.zip``, ``releases/X.Y.Z/`` and the
last fetched ``index.json``. A release is unpacked into a temporary folder,
its ``datapackage.json`` checked (the requested name and version), given a
marker file holding each file's SHA-256 (written last) and renamed into
place; every call re-checks the files against the marker, so a damaged
release is rebuilt rather than loaded. Temporary files and folders have
names a sweep recognises (``PREFIX-`` and 12 hex digits): what a killed
process left is removed by the next one to take the same lock.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..datapackage import archive
from ..datapackage.jsonio import read_json
from ..datapackage.opening import DESCRIPTOR
from ..errors import ArchiveError, DownloadError, PackageReadError
from ..files import write_text
from .index import archive_name
from .transfer import Deadline

#: Where releases are published; ``ENERGY_TIES_BASE_URL`` or ``base_url=`` point elsewhere.
DEFAULT_BASE_URL = "https://github.com/energy-ties/energy-ties/raw/main/releases/"
#: Seconds one call may spend downloading in all; ``ENERGY_TIES_TIMEOUT`` or ``timeout=`` change it.
DEFAULT_TIMEOUT = 60.0
#: Largest unpacked release accepted (a bound against zip bombs).
MAX_RELEASE_BYTES = 1024**3
#: Largest ``datapackage.json`` of a release that is read to check its name and version.
MAX_DESCRIPTOR_BYTES = 16 * 1024**2
#: Written last into an unpacked release: the archive's SHA-256, the descriptor's name and version, each file's SHA-256.
MARKER = ".release.json"
#: Prefix of the index's temporary files in the cache folder.
INDEX_TMP = ".index"


@dataclass(frozen=True)
class Settings:
    base_url: str
    cache: Path
    offline: bool
    timeout: float = DEFAULT_TIMEOUT


def settings(
    base_url: str | None = None,
    cache: str | os.PathLike | None = None,
    offline: bool | None = None,
    timeout: float | None = None,
) -> Settings:
    """The arguments, else ``ENERGY_TIES_BASE_URL``, ``ENERGY_TIES_CACHE``, ``ENERGY_TIES_OFFLINE``,
    ``ENERGY_TIES_TIMEOUT``, else defaults."""
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
    return Settings(base.rstrip("/") + "/", Path(cache).expanduser().absolute(), bool(offline), _timeout(timeout))


def _timeout(timeout: float | None) -> float:
    """``timeout``, else ``ENERGY_TIES_TIMEOUT``, else the default: a positive, finite number of seconds."""
    value: float | str
    if timeout is not None:
        where, value = "timeout", timeout
    else:
        where, value = "ENERGY_TIES_TIMEOUT", os.environ.get("ENERGY_TIES_TIMEOUT", "").strip()
        if not value:
            return DEFAULT_TIMEOUT
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        seconds = math.nan
    if not 0 < seconds < math.inf:
        raise DownloadError(f"{where} {value!r}: give a positive number of seconds")
    return seconds


def deadline(s: Settings) -> Deadline:
    """The deadline of one call, starting now."""
    return Deadline.after(s.timeout)


@contextmanager
def hold(s: Settings, lock: str, deadline: Deadline, what: str) -> Iterator[None]:
    """Hold the lock ``locks/LOCK`` of the cache, waiting for it no longer than the deadline allows."""
    import filelock

    path = s.cache / "locks" / lock
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        held = filelock.FileLock(path, timeout=max(deadline.remaining(), 0.0))
        held.acquire()
    except filelock.Timeout:
        raise DownloadError(f"{what}: another process held {path} past the {deadline.seconds:g} s timeout") from None
    except OSError as exc:
        raise DownloadError(f"{what}: cannot write to the cache {s.cache} ({exc})") from None
    try:
        yield
    finally:
        held.release()


def leftovers(folder: Path, prefix: str) -> list[Path]:
    """The temporary files and folders in ``folder`` named ``PREFIX-`` and 12 hex digits (not ``PREFIX-rc.1-...``)."""
    start = f"{prefix}-"
    try:
        names = [p for p in folder.iterdir() if p.name.startswith(start)]
    except OSError:
        return []
    return [p for p in names if _is_token(p.name[len(start) :])]


def _is_token(text: str) -> bool:
    return len(text) == 12 and all(c in "0123456789abcdef" for c in text)


def remove(path: Path) -> None:
    """Remove a leftover file or folder, whatever it holds; what cannot be removed is left for next time."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        try:
            path.unlink(missing_ok=True)
        except OSError:
            pass


def new_folder(parent: Path, prefix: str) -> Path:
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


def release_folder(s: Settings, version: str) -> Path:
    return s.cache / "releases" / version


def archive_path(s: Settings, entry: dict, name: str) -> Path:
    return s.cache / "archives" / archive_name(name, entry["version"])


def verified(folder: Path, sha256: str) -> bool:
    """Whether ``folder`` holds exactly the files its marker lists, with their hashes, from the archive ``sha256``,
    and its descriptor was checked to be of the version the folder is named after (a marker written before that
    check existed does not say so: such a release is unpacked again, and checked)."""
    try:
        marker = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if folder.is_symlink() or not isinstance(marker, dict) or marker.get("archive_sha256") != sha256:
        return False
    checked = marker.get("descriptor")
    if not isinstance(checked, dict) or checked.get("version") != folder.name:
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


def archive_ok(path: Path, sha256: str) -> bool:
    """Whether the archive at ``path`` is there with the SHA-256 ``sha256``."""
    return path.is_file() and file_sha256(path) == sha256


def cached(s: Settings, entry: dict, name: str) -> bool:
    """Whether the release can be served without the network."""
    return verified(release_folder(s, entry["version"]), entry["sha256"]) or archive_ok(
        archive_path(s, entry, name), entry["sha256"]
    )


def unpack_release(s: Settings, entry: dict, archive_path: Path, name: str) -> None:
    """Unpack into a temporary folder, check its descriptor, write the marker, and rename it into place.

    An archive that is unsafe, or whose ``datapackage.json`` is missing or names another package or version,
    is refused and removed from the cache: its SHA-256 matched, but it is not the release asked for.
    """
    folder = release_folder(s, entry["version"])
    tmp = new_folder(folder.parent, f".tmp-{entry['version']}")
    try:
        try:
            archive.unpack(archive_path, tmp, max_bytes=MAX_RELEASE_BYTES)
            checked = check_descriptor(tmp, archive_path.name, name, entry["version"])
        except ArchiveError as exc:
            archive_path.unlink(missing_ok=True)  # verified but unusable: keep nothing of it
            raise ArchiveError(f"version {entry['version']} ({s.base_url}{archive_path.name}): {exc}") from None
        files = {p.relative_to(tmp).as_posix(): file_sha256(p) for p in sorted(tmp.rglob("*")) if p.is_file()}
        marker = {"version": entry["version"], "archive_sha256": entry["sha256"], "descriptor": checked, "files": files}
        write_text(tmp / MARKER, json.dumps(marker, indent=1, sort_keys=True) + "\n")
        if folder.exists() or folder.is_symlink():  # damaged (we hold the lock): move it aside, then drop it
            old = new_folder(folder.parent, f".old-{entry['version']}")
            os.replace(folder, old / "damaged")
            shutil.rmtree(old, ignore_errors=True)
        os.replace(tmp, folder)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def check_descriptor(folder: Path, label: str, name: str, version: str) -> dict:
    """``{"name", "version"}`` of the unpacked release in ``folder``; an ArchiveError unless its
    ``datapackage.json`` is there, readable, and gives the package ``name`` and the version ``version``."""
    path = folder / DESCRIPTOR
    if not path.is_file() or path.is_symlink():
        raise ArchiveError(f"{label}: holds no {DESCRIPTOR} at its root; refusing it")
    if path.stat().st_size > MAX_DESCRIPTOR_BYTES:
        raise ArchiveError(f"{label}: its {DESCRIPTOR} is over {MAX_DESCRIPTOR_BYTES} bytes; refusing it")
    try:
        descriptor = read_json(path, f"{label}: {DESCRIPTOR}")
    except RecursionError:
        raise ArchiveError(f"{label}: its {DESCRIPTOR} is nested too deeply; refusing it") from None
    except PackageReadError as exc:  # not JSON, not UTF-8: one line naming the archive's descriptor
        raise ArchiveError(str(exc)) from None
    if not isinstance(descriptor, dict):
        raise ArchiveError(f"{label}: its {DESCRIPTOR} is not a JSON object; refusing it")
    got = {"name": descriptor.get("name"), "version": descriptor.get("version")}
    if got["version"] != version:
        says = "gives no version" if got["version"] is None else f"says version {got['version']!r}"
        raise ArchiveError(f"{label}: its {DESCRIPTOR} {says}, not {version}; refusing it")
    if got["name"] != name:
        raise ArchiveError(f"{label}: its {DESCRIPTOR} names the package {got['name']!r}, not {name!r}; refusing it")
    return got


def sweep(s: Settings, version: str) -> None:
    """Remove what a process killed while fetching or unpacking ``version`` left: its temporary folders in
    ``releases/``, its partial downloads in ``archives/``, and the ``archives/tmp*`` files that earlier
    versions of the library (through pooch) left. We hold the version's lock, so none of these is live."""
    releases, archives = s.cache / "releases", s.cache / "archives"
    for folder, prefix in ((releases, ".tmp"), (releases, ".old"), (archives, ".tmp")):
        for leftover in leftovers(folder, f"{prefix}-{version}"):
            remove(leftover)
    for leftover in archives.glob("tmp*") if archives.is_dir() else []:
        remove(leftover)


def partial_prefix(dest: Path) -> str:
    """The name, less its random suffix, of the folder a copy to ``dest`` is made in before it is renamed."""
    return f".{dest.name}.energy-ties-partial"


def copy_release(folder: Path, dest: str | os.PathLike) -> Path:
    """Copy the verified release in ``folder`` to the new folder ``dest``, atomically, checking every file."""
    dest = Path(dest).absolute()
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise DownloadError(f"{dest}: already exists; give a new or empty folder")
    files = json.loads((folder / MARKER).read_text(encoding="utf-8"))["files"]
    tmp = None
    prefix = partial_prefix(dest)
    for leftover in leftovers(dest.parent, prefix):  # what a copy to the same folder left when it was killed
        remove(leftover)
    try:
        tmp = new_folder(dest.parent, prefix)
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
