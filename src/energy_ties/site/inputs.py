"""What the site is built from: the releases of a project's ``releases/index.json``, or one package."""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from ..datapackage.opening import open_package
from ..errors import EnergyTiesError
from ..files import open_regular
from ..releases.index import INDEX, RELEASES, read_index


@dataclass(frozen=True)
class Release:
    """One release: its version and date, where its package is, and its archive (file name, size, SHA-256)
    when it was published as one; ``source`` is anything :func:`energy_ties.datapackage.opening.open_package`
    opens (a zip, a folder, a descriptor)."""

    version: str
    source: Path
    date: str | None = None
    file: str | None = None
    size: int | None = None
    sha256: str | None = None

    @property
    def slug(self) -> str:
        """The release's folder on the site: its version, with anything but letters, digits, ``.-+`` replaced."""
        return slug(self.version)


def slug(text: str) -> str:
    """A file name for ``text`` that names nothing else: each byte of any other character than lower-case letters,
    digits and ``._+-`` as ``~XX`` hex (``person:x`` is ``person~3ax``); never hidden, never empty."""
    out = re.sub(r"[^a-z0-9._+-]", lambda m: "".join(f"~{b:02x}" for b in m.group().encode()), text)
    return "~" + out if out.startswith(".") or not out else out


def releases_from(source: str | os.PathLike) -> list[Release]:
    """Every release in ``source/releases/index.json``, oldest first; or, when ``source`` has no index, the
    package ``source`` itself (a folder, descriptor or zip) as the only release."""
    root = Path(source)
    index = read_index(root / RELEASES / INDEX) if root.is_dir() else None
    if index is not None:
        return [
            Release(r["version"], root / RELEASES / r["file"], r["date"], r["file"], r["size"], r["sha256"])
            for r in index["releases"]
        ]
    with open_package(root) as pkg:
        version = pkg.version or "unversioned"
    if root.is_file() and root.suffix == ".zip":
        digest, size = _digest(root)
        return [Release(version, root, None, root.name, size, digest)]
    return [Release(version, root)]


def _digest(path: Path) -> tuple[str, int]:
    h = hashlib.sha256()
    size = 0
    with open_regular(path) as fh:
        while chunk := fh.read(1 << 16):
            h.update(chunk)
            size += len(chunk)
    return h.hexdigest(), size


def check_order(releases: list[Release]) -> None:
    """Versions must be distinct: each names a folder of the site."""
    seen: set[str] = set()
    for r in releases:
        if r.slug in seen:
            raise EnergyTiesError(f"release {r.version}: listed twice")
        seen.add(r.slug)
