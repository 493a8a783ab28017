"""Read a JSON file with every failure turned into one line naming the file."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from ..errors import PackageReadError
from ..files import MAX_JSON_BYTES, read_bytes


def parse_json(raw: bytes, label: str) -> Any:
    """Parse JSON bytes (UTF-8, with or without a BOM), turning every failure into a one-line PackageReadError."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PackageReadError(f"{label}: not UTF-8 (byte {exc.start})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise PackageReadError(f"{label}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    except RecursionError:
        raise PackageReadError(f"{label}: nested too deeply to be read") from None


def read_json(path: Path, label: str | None = None, *, root: os.PathLike | str | None = None) -> Any:
    """Parse a JSON file inside ``root`` (by default its own folder): a regular file of at most MAX_JSON_BYTES."""
    label = label or str(path)
    return parse_json(read_bytes(path, root=root, limit=MAX_JSON_BYTES, what=label), label)
