"""Where a descriptor's paths may lead: inside the package folder, or (when allowed) to a remote URL.

Every path a descriptor names (data, schema, dialect) is resolved here and
only here, so the rule "a descriptor never makes us read outside its own
folder" has one implementation: absolute paths, ``..`` and links that lead
outside the package folder are refused, and remote URLs are refused unless
the caller allows them.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..errors import UnsafePathError
from ..files import MAX_REMOTE_BYTES, confine, copy_url

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def is_url(path: str) -> bool:
    return bool(_URL.match(path))


def resolve_inside(root: Path, rel: Any, what: str) -> Path:
    """Resolve the descriptor path ``rel`` against ``root``, refusing anything that leaves it."""
    if not isinstance(rel, str) or not rel:
        raise UnsafePathError(f"{what}: path must be a non-empty string, got {rel!r}")
    if is_url(rel):
        raise UnsafePathError(f"{what}: remote path {rel!r} refused (allow remote data to read it)")
    unified = rel.replace("\\", "/")
    if unified.startswith(("/", "~")) or re.match(r"^[A-Za-z]:", unified):
        raise UnsafePathError(f"{what}: absolute path {rel!r} refused; paths must be relative to the package")
    if ".." in unified.split("/"):
        raise UnsafePathError(f"{what}: path {rel!r} leaves the package folder ('..')")
    try:
        return confine(root, root / unified, what)
    except UnsafePathError:
        raise UnsafePathError(f"{what}: path {rel!r} leads outside the package folder (through a link)") from None


def fetch_remote(url: str, dest_dir: Path, what: str) -> Path:
    """Download ``url`` into ``dest_dir`` for ``allow_remote`` validation: bounded in size and time (see files)."""
    target = dest_dir / f"remote-{len(list(dest_dir.iterdir()))}"
    with open(target, "wb") as out:
        copy_url(url, out, limit=MAX_REMOTE_BYTES, what=what)
    return target
