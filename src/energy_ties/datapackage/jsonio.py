"""Read a JSON file with every failure turned into one line naming the file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..errors import PackageReadError


def read_json(path: Path, label: str | None = None) -> Any:
    """Parse a JSON file, turning every failure into a one-line PackageReadError."""
    label = label or str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise PackageReadError(f"{label}: file not found") from None
    except IsADirectoryError:
        raise PackageReadError(f"{label}: is a folder, expected a JSON file") from None
    except OSError as exc:
        raise PackageReadError(f"{label}: cannot be read ({exc.strerror})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PackageReadError(f"{label}: not UTF-8 (byte {exc.start})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise PackageReadError(f"{label}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
