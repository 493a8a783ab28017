"""Release discipline: semantic versions, the CHANGELOG's sections, and whether a version matches its changes.

``check_release`` compares a package with an earlier release (a path, a zip
or a released version number), asks :func:`energy_ties.diff.diff` which bump
the changes demand, and refuses a version that did not increase, an increase
smaller than the demanded bump, or a version the CHANGELOG does not describe.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import ReleaseError

if TYPE_CHECKING:
    from .diff import Diff

CHANGELOG = "CHANGELOG.md"
_SEMVER = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$", re.ASCII)
_SECTION = re.compile(r"^## \[(?P<label>[^\]]+)\][^\S\n]*(?:-[^\S\n]*(?P<date>\S+))?[^\S\n]*$", re.M)
_LINK = re.compile(r"^\[(?P<label>[^\]]+)\]:[^\S\n]+\S.*\n?", re.M)


def is_version(text: Any) -> bool:
    return isinstance(text, str) and bool(_SEMVER.match(text))


def version_key(version: str) -> tuple:
    """Sort key in semantic version precedence (pre-releases before the release, numbers numerically)."""
    m = _SEMVER.match(version)
    if m is None:
        raise ValueError(f"{version!r} is not a semantic version")
    major, minor, patch, pre, build = m.groups()
    pre_key: tuple = (1,) if pre is None else (0, *((0, int(p), "") if p.isdigit() else (1, 0, p)
                                                    for p in pre.split(".")))
    return int(major), int(minor), int(patch), pre_key, build or ""


def _sections(text: str) -> tuple[str, list[tuple[str, str | None, str]]]:
    """The text above the first ``## [...]`` heading, and (label, date, section text) for each section."""
    heads = list(_SECTION.finditer(text))
    if not heads:
        return text, []
    out = []
    for h, nxt in zip(heads, heads[1:] + [None]):
        body = text[h.start():nxt.start() if nxt else len(text)]
        out.append((h["label"], h["date"], _LINK.sub("", body)))
    return text[:heads[0].start()], out


def release_date(changelog: str, version: str, label: str = CHANGELOG) -> str:
    """The date of ``## [version] - YYYY-MM-DD``; a ReleaseError when the section or its date is missing."""
    for name, date, _ in _sections(changelog)[1]:
        if name != version:
            continue
        try:
            dt.date.fromisoformat(date or "")
        except ValueError:
            raise ReleaseError(f"{label}: the heading of version {version} needs a date "
                               f"(## [{version}] - YYYY-MM-DD), got {date!r}") from None
        return date
    raise ReleaseError(f"{label}: no section for version {version}; add '## [{version}] - YYYY-MM-DD' "
                       "before building the release")


def cut_changelog(changelog: str, version: str) -> str:
    """The changelog as released with ``version``: its sections up to ``version``, their links only."""
    head, sections = _sections(changelog)
    key = version_key(version)
    kept = [(name, body) for name, _, body in sections if is_version(name) and version_key(name) <= key]
    names = {name for name, _ in kept}
    links = [m.group(0).rstrip("\n") for m in _LINK.finditer(changelog) if m["label"] in names]
    parts = [head.rstrip("\n")] + [body.strip("\n") for _, body in kept]
    if links:
        parts.append("\n".join(links))
    return "\n\n".join(p for p in parts if p) + "\n"




def bump_between(old: str, new: str) -> str:
    """Which bump takes ``old`` to ``new``: major, minor, patch, or none (same or lower)."""
    a, b = version_key(old), version_key(new)
    if b <= a:
        return "none"
    if b[0] > a[0]:
        return "major"
    if b[1] > a[1]:
        return "minor"
    return "patch"


def changelog_sections(text: str) -> dict[str, str | None]:
    """Versions with a section in a Keep a Changelog text, and each section's date (or None)."""
    return {name: date for name, date, _ in _sections(text)[1] if name.lower() != "unreleased"}


@dataclass
class ReleaseCheck:
    """The verdict of :func:`check_release`."""

    old_version: str | None
    new_version: str | None
    required_bump: str
    actual_bump: str
    problems: list[str] = field(default_factory=list)
    diff: Diff | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def check_release(path: str | os.PathLike | None, against: str | os.PathLike) -> ReleaseCheck:
    """Check the package at ``path`` (its descriptor, folder or zip) as a release following ``against``."""
    from .diff import diff_packages, open_source

    with open_source(against) as old, open_source(path) as new:
        return _check(diff_packages(old, new), new.root)


def _check(d: Diff, root: Path) -> ReleaseCheck:
    """The verdict on ``d``'s versions and on the CHANGELOG in ``root``, the new package's folder."""
    from .diff import BUMPS

    old_v, new_v = d.old_version, d.new_version
    if not old_v or not new_v:
        raise ReleaseError("both packages need a version to compare releases")
    if not (is_version(old_v) and is_version(new_v)):
        raise ReleaseError(f"versions must be semantic versions (MAJOR.MINOR.PATCH): {old_v!r}, {new_v!r}")
    required = d.required_bump
    actual = bump_between(old_v, new_v)
    check = ReleaseCheck(old_v, new_v, required, actual, diff=d)
    reasons = "; ".join(r.label for r in d.reasons if r.bump == required)
    if version_key(new_v) < version_key(old_v):
        check.problems.append(f"version went down: {old_v} -> {new_v}")
    elif new_v == old_v:
        if required != "none":
            check.problems.append(f"the package changed since {old_v} but its version did not: the changes need a "
                                  f"{required} bump ({reasons})")
        return check
    elif BUMPS.index(actual) < BUMPS.index(required):
        check.problems.append(f"{old_v} -> {new_v} is a {actual} bump, but the changes need a {required} bump "
                              f"({reasons})")
    changelog = root / CHANGELOG
    if not changelog.is_file():
        check.problems.append(f"{changelog}: no {CHANGELOG} beside the descriptor")
    elif new_v not in changelog_sections(changelog.read_text(encoding="utf-8")):
        check.problems.append(f"{changelog.name} has no section for {new_v} (expected a heading '## [{new_v}] - DATE')")
    return check
