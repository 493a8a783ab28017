"""Dataset profiles: a data package's own rules, plugged into validation without validation knowing them.

A profile is any object with a ``name``, an ``applies(package)`` test (for
``profile="auto"``), a ``check(package, texts)`` that returns the errors of
its rules and the names of the checks it ran, and ``files(package)``: the
package files its rules read, which a release must carry. It may also have
``pictures(package)``: ``{package-relative path: one sentence saying what it
shows}``, pictures of the data that a release carries and its README shows
(optional, so a profile written before it still registers). Register one with
:func:`register_profile`, or advertise it to every installation with an entry
point in the ``energy_ties.profiles`` group::

    [project.entry-points."energy_ties.profiles"]
    bird-counts = "bird_counts.rules:PROFILE"

Validation itself never imports a profile: it only calls what was registered.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, runtime_checkable

from ..datapackage.findings import Error
from ..datapackage.model import Package
from ..errors import EnergyTiesError

ENTRY_POINTS = "energy_ties.profiles"


@dataclass
class ProfileResult:
    """What a profile's check found, and the names of the checks it ran (listed in the report)."""

    errors: list[Error] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)


@runtime_checkable
class DatasetProfile(Protocol):
    """The hook a dataset's own rules implement."""

    name: str

    def applies(self, pkg: Package) -> bool:
        """Whether the rules apply to ``pkg`` when the profile is chosen automatically."""
        ...

    def check(self, pkg: Package, texts: Path | None) -> ProfileResult:
        """The rules' errors on ``pkg``; ``texts`` is a folder of source texts, when given."""
        ...

    def files(self, pkg: Package) -> list[str]:
        """Package-relative paths of the files the rules read beyond the descriptor's own."""
        ...


_registered: dict[str, DatasetProfile] = {}
_discovered = False


def register_profile(profile: DatasetProfile) -> None:
    """Make ``profile`` available to validation (a profile of the same name is replaced)."""
    if not isinstance(profile, DatasetProfile):
        raise TypeError(f"{profile!r} does not implement the DatasetProfile hook")
    _registered[profile.name] = profile


def _discover() -> None:
    """Load the profiles advertised as entry points, once."""
    global _discovered
    if _discovered:
        return
    _discovered = True
    from importlib.metadata import entry_points

    for ep in entry_points(group=ENTRY_POINTS):
        if ep.name not in _registered:
            register_profile(ep.load())


def registered() -> dict[str, DatasetProfile]:
    """Every known profile, by name."""
    _discover()
    return dict(_registered)


def chosen(pkg: Package, selection: str) -> list[DatasetProfile]:
    """The profiles to apply: ``auto`` (those whose ``applies`` says so), ``none``, or one by name."""
    profiles = registered()
    if selection == "none":
        return []
    if selection == "auto":
        return [p for p in profiles.values() if p.applies(pkg)]
    if selection not in profiles:
        known = ", ".join(sorted(profiles)) or "none registered"
        raise EnergyTiesError(f"unknown profile {selection!r} (known: {known})")
    return [profiles[selection]]


def profile_files(pkg: Package, selection: str = "auto") -> list[str]:
    """The files the chosen profiles' rules read (sorted, without repeats)."""
    files: Iterable[str] = (f for p in chosen(pkg, selection) for f in p.files(pkg))
    return sorted(set(files))


def profile_pictures(pkg: Package, selection: str = "auto") -> dict[str, str]:
    """The pictures the chosen profiles name, ``{path: what it shows}`` in the order they name them (the first
    profile to name a path gives its sentence); a profile without a ``pictures`` method names none."""
    found: dict[str, str] = {}
    for p in chosen(pkg, selection):
        named = getattr(p, "pictures", None)
        for path, caption in (named(pkg) if callable(named) else {}).items():
            found.setdefault(path, caption)
    return found
