"""Semantic versions (semver.org 2.0.0): recognise one, order them, and name the bump between two."""

from __future__ import annotations

import re
from typing import Any

_SEMVER = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$",
    re.ASCII,
)


def is_version(text: Any) -> bool:
    return isinstance(text, str) and bool(_SEMVER.match(text))


def requested(text: str) -> str:
    """A version as a person may write it, ``v1.0.0`` as git tags are written, as the index lists it (``1.0.0``)."""
    if text[:1] in ("v", "V") and is_version(text[1:]):
        return text[1:]
    return text


def version_key(version: str) -> tuple:
    """Sort key in semantic version precedence (pre-releases before the release, numbers numerically).

    Build metadata (``+...``) has no precedence (semver 2.0.0, item 10): ``1.0.0+fix`` has the key of ``1.0.0``.
    """
    m = _SEMVER.match(version)
    if m is None:
        raise ValueError(f"{version!r} is not a semantic version")
    major, minor, patch, pre, _build = m.groups()
    pre_key: tuple = (
        (1,) if pre is None else (0, *((0, int(p), "") if p.isdigit() else (1, 0, p) for p in pre.split(".")))
    )
    return int(major), int(minor), int(patch), pre_key


def bump_between(old: str, new: str) -> str:
    """Which bump takes ``old`` to ``new``: major, minor, patch, or none (same precedence, or lower)."""
    a, b = version_key(old), version_key(new)
    if b <= a:
        return "none"
    if b[0] > a[0]:
        return "major"
    if b[1] > a[1]:
        return "minor"
    return "patch"
