"""What the download cache holds, and emptying it (``energy-ties cache [--clear]``).

Only what the library writes there is listed or removed: ``archives/``,
``releases/``, ``locks/``, the kept ``index.json`` and its temporary files,
and the same under ``packages/NAME/`` for packages other than energy-ties.
A cache folder given by the user may hold other files: they stay.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from ..errors import DownloadError
from .cache import INDEX_TMP, MARKER, Settings, leftovers
from .index import INDEX

#: What the library writes in a package's cache folder.
OWNED = ("archives", "releases", "locks", INDEX)


def _folders(s: Settings) -> list[tuple[str, Path]]:
    """(package name, its folder) of every package with releases in the cache."""
    top = s.top or s.cache
    found = [("energy-ties", top)]
    others = top / "packages"
    if others.is_dir() and not others.is_symlink():
        found += [(p.name, p) for p in sorted(others.iterdir()) if p.is_dir() and not p.is_symlink()]
    return found


def _size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def contents(s: Settings) -> list[dict]:
    """One record per cached release: package, version, whether it is unpacked, its bytes on disk."""
    rows: list[dict] = []
    for name, folder in _folders(s):
        versions: dict[str, dict] = {}
        releases = folder / "releases"
        for p in sorted(releases.iterdir()) if releases.is_dir() else []:
            if (p / MARKER).is_file() and not p.is_symlink():
                versions[p.name] = {"package": name, "version": p.name, "unpacked": True, "bytes": _size(p)}
        archives = folder / "archives"
        for p in sorted(archives.glob(f"{name}-*.zip")) if archives.is_dir() else []:
            version = p.name[len(name) + 1 : -len(".zip")]
            row = versions.setdefault(version, {"package": name, "version": version, "unpacked": False, "bytes": 0})
            row["bytes"] += p.stat().st_size
        rows += versions.values()
    return rows


def clear(s: Settings) -> int:
    """Remove everything the library keeps in the cache; returns the bytes freed."""
    freed = 0
    try:
        for _, folder in reversed(_folders(s)):  # packages/NAME first, then the top
            for part in [*(folder / o for o in OWNED), *leftovers(folder, INDEX_TMP)]:
                if not os.path.lexists(part):
                    continue
                freed += _size(part) if not part.is_symlink() else 0
                if part.is_dir() and not part.is_symlink():
                    shutil.rmtree(part)
                else:
                    part.unlink()
            if folder != (s.top or s.cache):
                try:
                    folder.rmdir()
                except OSError:  # something else is in it: it stays
                    pass
        packages = (s.top or s.cache) / "packages"
        if packages.is_dir() and not any(packages.iterdir()):
            packages.rmdir()
    except OSError as exc:
        raise DownloadError(f"the cache {s.top or s.cache}: cannot be cleared ({exc})") from None
    return freed
