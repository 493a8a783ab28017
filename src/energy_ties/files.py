"""Files the tool writes: atomically, a temporary file in the same folder, fsynced, then renamed over the target.

A reader (or a crash) never sees a half-written file: the target holds either
its old content or its new content.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_bytes(target: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``target``, fsync it and rename it over ``target``; on any
    error the temporary file is removed and ``target`` left as it was.

    The file gets the mode a plain ``open(target, "wb")`` would give it (0666 less the umask), not
    mkstemp's private 0600: these are published files (README, schemas, release archives, the index).
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(fd, 0o666 & ~_umask())
        with open(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text(target: Path, text: str) -> None:
    """``text`` as UTF-8, line endings as given, written atomically."""
    write_bytes(target, text.encode("utf-8"))
