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

from ..errors import PackageReadError, UnsafePathError

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
#: Largest remote file fetched with ``allow_remote``.
MAX_REMOTE_BYTES = 512 * 1024**2


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
    target = (root / unified).resolve()
    base = root.resolve()
    if target != base and base not in target.parents:
        raise UnsafePathError(f"{what}: path {rel!r} leads outside the package folder (through a link)")
    return target


def fetch_remote(url: str, dest_dir: Path, what: str) -> Path:
    """Download ``url`` into ``dest_dir`` (bounded in size) for ``allow_remote`` validation."""
    import urllib.request  # here, not at the top: it is slow to import and only remote data needs it

    target = dest_dir / f"remote-{len(list(dest_dir.iterdir()))}"
    try:
        with urllib.request.urlopen(url, timeout=60) as resp, open(target, "wb") as out:
            total = 0
            while chunk := resp.read(1 << 16):
                total += len(chunk)
                if total > MAX_REMOTE_BYTES:
                    raise PackageReadError(f"{what}: remote file {url} is larger than {MAX_REMOTE_BYTES} bytes")
                out.write(chunk)
    except (OSError, ValueError) as exc:
        raise PackageReadError(f"{what}: cannot fetch {url} ({exc})") from None
    return target
