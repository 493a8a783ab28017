"""Read a JSON (or YAML) descriptor file with every failure turned into one line naming the file.

YAML is read with PyYAML's safe loader only (no Python objects), to the same size cap as JSON; anchors
and aliases are expanded, but a document whose expansion exceeds MAX_YAML_NODES values is refused (a few
hundred bytes of nested aliases can stand for billions of values), and timestamps become the ISO 8601
strings JSON would have held.
"""

from __future__ import annotations

import datetime
import json
import os
from pathlib import Path
from typing import Any

from ..errors import PackageReadError
from ..files import MAX_JSON_BYTES, read_bytes

#: Suffixes of descriptors read as YAML (frictionless reads ``.yaml``; ``.yml`` is the other usual spelling).
YAML_SUFFIXES = (".yaml", ".yml")
#: Most values a YAML document may expand to (its aliases counted each time they are used): a 40,000-field
#: Table Schema holds about 300,000; counting this many takes about a second.
MAX_YAML_NODES = 2_000_000


def parse_json(raw: bytes, label: str) -> Any:
    """Parse JSON bytes (UTF-8, with or without a BOM), turning every failure into a one-line PackageReadError."""
    text = _utf8(raw, label)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise PackageReadError(f"{label}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    except RecursionError:
        raise PackageReadError(f"{label}: nested too deeply to be read") from None


def _utf8(raw: bytes, label: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PackageReadError(f"{label}: not UTF-8 (byte {exc.start})") from None


def parse_yaml(raw: bytes, label: str) -> Any:
    """Parse a YAML document safely into JSON's values (see the module's docstring)."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        value = yaml.load(_utf8(raw, label), Loader=loader)  # noqa: S506  # a safe loader: plain data only
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
        raise PackageReadError(f"{label}: not valid YAML ({where}{exc.problem})") from None
    except yaml.YAMLError as exc:
        raise PackageReadError(f"{label}: not valid YAML ({str(exc).splitlines()[0]})") from None
    except RecursionError:
        raise PackageReadError(f"{label}: nested too deeply to be read") from None
    return _as_json(value, label, [MAX_YAML_NODES])


def _as_json(value: Any, label: str, budget: list[int], depth: int = 0) -> Any:
    """``value`` with YAML's extra types made JSON's, and its expansion counted against ``budget``."""
    budget[0] -= 1
    if budget[0] < 0:
        raise PackageReadError(f"{label}: expands to more than {MAX_YAML_NODES} values (aliases); refused")
    if depth > 500:
        raise PackageReadError(f"{label}: nested too deeply to be read")
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if not isinstance(k, str):
                raise PackageReadError(f"{label}: the key {k!r} is not a string (descriptor keys are strings)")
            out[k] = _as_json(v, label, budget, depth + 1)
        return out
    if isinstance(value, list):
        return [_as_json(v, label, budget, depth + 1) for v in value]
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, bytes):  # !!binary
        raise PackageReadError(f"{label}: binary values have no JSON form")
    return value


def is_yaml(path: Path) -> bool:
    return path.suffix.lower() in YAML_SUFFIXES


def read_json(path: Path, label: str | None = None, *, root: os.PathLike | str | None = None) -> Any:
    """Parse a JSON file inside ``root`` (by default its own folder): a regular file of at most MAX_JSON_BYTES."""
    label = label or str(path)
    return parse_json(read_bytes(path, root=root, limit=MAX_JSON_BYTES, what=label), label)


def read_descriptor(path: Path, label: str | None = None, *, root: os.PathLike | str | None = None) -> Any:
    """A descriptor file (package, resource, schema, dialect): YAML when its name ends ``.yaml``/``.yml``,
    else JSON; read as :func:`read_json` reads."""
    if not is_yaml(path):
        return read_json(path, label, root=root)
    label = label or str(path)
    return parse_yaml(read_bytes(path, root=root, limit=MAX_JSON_BYTES, what=label), label)
