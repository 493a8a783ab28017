"""Release discipline: does a new version number match what changed, and is it in the CHANGELOG?

``check_release`` compares a package with an earlier release (a path, a zip
or a released version number), asks :func:`energy_ties.diff.diff` which bump
the changes demand, and refuses a version that did not increase, an increase
smaller than the demanded bump, or a version the CHANGELOG does not describe.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from .diff import BUMPS, Diff, diff, open_source
from .errors import ReleaseError

_VERSION = re.compile(r"^(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$")


def parse(version: str) -> tuple:
    """A sortable form of a semantic version (pre-releases sort before their release)."""
    m = _VERSION.match(version or "")
    if not m:
        raise ReleaseError(f"{version!r} is not a semantic version (MAJOR.MINOR.PATCH)")
    major, minor, patch, pre = m.groups()
    pre_key = tuple((0, int(p)) if p.isdigit() else (1, p) for p in pre.split(".")) if pre else None
    return (int(major), int(minor), int(patch), (0, pre_key) if pre_key else (1,))


def bump_between(old: str, new: str) -> str:
    """Which bump takes ``old`` to ``new``: major, minor, patch, or none (same or lower)."""
    a, b = parse(old), parse(new)
    if b <= a:
        return "none"
    if b[0] > a[0]:
        return "major"
    if b[1] > a[1]:
        return "minor"
    return "patch"


def changelog_sections(path: Path) -> dict[str, str | None]:
    """Versions with a section in a Keep a Changelog file, and each section's date (or None)."""
    out: dict[str, str | None] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^## \[([^\]]+)\](?:\s*-\s*(\d{4}-\d{2}-\d{2}))?", line)
        if m and m.group(1).lower() != "unreleased":
            out[m.group(1)] = m.group(2)
    return out


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
    d = diff(against, path)
    old_v, new_v = d.old_version, d.new_version
    if not old_v or not new_v:
        raise ReleaseError("both packages need a version to compare releases")
    required = d.required_bump
    actual = bump_between(old_v, new_v)
    check = ReleaseCheck(old_v, new_v, required, actual, diff=d)
    reasons = "; ".join(f"{r.rule} {'.'.join(x for x in (r.resource, r.field) if x)}".strip()
                        for r in d.reasons if r.bump == required)
    if parse(new_v) < parse(old_v):
        check.problems.append(f"version went down: {old_v} -> {new_v}")
    elif new_v == old_v:
        if required != "none":
            check.problems.append(f"the package changed since {old_v} but its version did not: the changes need a "
                                  f"{required} bump ({reasons})")
        return check
    elif BUMPS.index(actual) < BUMPS.index(required):
        check.problems.append(f"{old_v} -> {new_v} is a {actual} bump, but the changes need a {required} bump "
                              f"({reasons})")
    with open_source(path) as pkg:
        changelog = pkg.root / "CHANGELOG.md"
        if not changelog.is_file():
            check.problems.append(f"{changelog}: no CHANGELOG.md beside the descriptor")
        elif new_v not in changelog_sections(changelog):
            check.problems.append(f"{changelog.name} has no section for {new_v} (expected a heading '## [{new_v}] - DATE')")
    return check
