"""The release gate: does a package's version match what changed since an earlier release?

``check_release`` compares a package with an earlier release (a path, a zip
or a released version number), asks the differ which bump the changes
demand, and refuses a version that did not increase, an increase smaller
than the demanded bump, or a version the CHANGELOG does not describe.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ..datapackage.opening import open_package
from ..diffing.compare import diff_packages
from ..diffing.model import BUMPS, Diff
from ..errors import ReleaseError, printable
from ..files import read_text
from .changelog import CHANGELOG, section_problem
from .origin import find_origin
from .resolve import Fetch, download, open_source
from .semver import bump_between, is_version, version_key

#: Lines of the diff a Markdown summary shows.
SUMMARY_LINES = 60


@dataclass
class ReleaseCheck:
    """The verdict of :func:`check_release`."""

    old_version: str | None
    new_version: str | None
    required_bump: str
    actual_bump: str
    problems: list[str] = field(default_factory=list)
    diff: Diff | None = None
    note: str = ""  # why nothing was compared (a first release)

    @property
    def ok(self) -> bool:
        return not self.problems

    def verdict(self) -> str:
        """``1.0.0 -> 1.1.0: minor bump; the changes need minor`` (or the note, when nothing was compared)."""
        if self.old_version is None:
            return self.note
        return (
            f"{self.old_version} -> {self.new_version}: {self.actual_bump} bump; the changes need {self.required_bump}"
        )

    def to_markdown(self, max_lines: int = SUMMARY_LINES) -> str:
        """A job summary: the verdict, what refused it, the reasons and the diff (shortened)."""
        out = [f"### Release gate: {'ok' if self.ok else 'refused'}", "", printable(self.verdict()), ""]
        out += [f"- refused: {printable(p)}" for p in self.problems]
        if self.diff is not None and self.diff.changed:
            text = self.diff.to_text().splitlines()
            shown = text[:max_lines] + ([f"... ({len(text) - max_lines} more lines)"] if len(text) > max_lines else [])
            out += ["", "```text", *(line.replace("```", "`` `") for line in shown), "```"]
        return "\n".join(out).strip() + "\n"


def check_release(
    path: str | os.PathLike | None = None,
    against: str | os.PathLike | None = None,
    *,
    base_url: str | None = None,
    cache: str | os.PathLike | None = None,
    offline: bool | None = None,
    timeout: float | None = None,
) -> ReleaseCheck:
    """Check the package at ``path`` (its descriptor, folder or zip; default ``.``) as a release following
    ``against``: a package, a zip, a version of this package's own releases (``1.0.0``, ``v1.0.0``),
    ``git:REVISION``, or (None) the latest release in its index; with none published, nothing is compared.
    ``base_url``, ``cache``, ``offline`` and ``timeout`` are :func:`~energy_ties.download`'s."""
    path = "." if path is None else path
    fetch: Fetch = {"base_url": base_url, "cache": cache, "offline": offline, "timeout": timeout}
    if against is None:
        if find_origin(path, base_url) is None:
            with open_source(path) as new:
                note = f"no earlier release of {new.descriptor.get('name')!r} is published: nothing to compare against"
                return ReleaseCheck(None, new.version, "none", "none", note=note)
        with open_package(download("latest", package=path, **fetch)) as old, open_source(path) as new:
            return _check(diff_packages(old, new), new.root)
    with open_source(against, releases_of=path, **fetch) as old, open_source(path) as new:
        return _check(diff_packages(old, new), new.root)


def _check(d: Diff, root: Path) -> ReleaseCheck:
    """The verdict on ``d``'s versions and on the CHANGELOG in ``root``, the new package's folder."""
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
    elif version_key(new_v) == version_key(old_v):
        if required != "none":
            build = " (build metadata has no precedence)" if new_v != old_v else ""
            check.problems.append(
                f"the package changed since {old_v} but its version did not{build}: the changes need a "
                f"{required} bump ({reasons})"
            )
        return check
    elif BUMPS.index(actual) < BUMPS.index(required):
        check.problems.append(
            f"{old_v} -> {new_v} is a {actual} bump, but the changes need a {required} bump ({reasons})"
        )
    changelog = root / CHANGELOG
    if not os.path.lexists(changelog):
        check.problems.append(f"{changelog}: no {CHANGELOG} beside the descriptor")
        return check
    problem = section_problem(read_text(changelog, root=root), new_v)  # unreadable or not UTF-8: exit 2
    if problem is not None:
        check.problems.append(f"{changelog.name}: {problem}")
    return check
