"""Write files atomically: a temporary file in the same folder, fsynced, then renamed over the target.

A reader (or a crash) never sees a half-written file: the target holds either
its old content or its new content.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_bytes(target: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``target`` (mode 0600, as mkstemp makes it), fsync it and
    rename it over ``target``; on any error the temporary file is removed and ``target`` left as it was."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
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
