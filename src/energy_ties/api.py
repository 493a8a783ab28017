"""The public functions: each composes the layers below it, and the command line calls the same ones.

Here, and only here, a version number becomes a package (downloaded and
verified by :mod:`energy_ties.releases`), and the energy-ties dataset profile
is registered with validation.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .datapackage.opening import bundled_package_path, open_package
from .dataset import PROFILE
from .releases.resolve import download, open_source, versions
from .validation.hooks import register_profile
from .validation.pipeline import validate

if TYPE_CHECKING:  # diffing and the release gate are imported when used: validating starts without them
    import pyarrow as pa

    from .diffing.model import Diff
    from .releases.gate import ReleaseCheck

register_profile(PROFILE)

__all__ = [
    "apply",
    "check_release",
    "data_version",
    "diff",
    "download",
    "library_version",
    "load",
    "package_path",
    "validate",
    "versions",
    "ReleaseCheck",
]

Source = str | os.PathLike | None


def package_path() -> Path:
    """Path of the bundled ``datapackage.json`` (open it with frictionless, or read it yourself)."""
    return bundled_package_path()


def data_version(path: Source = None) -> str:
    """The ``version`` of a data package's descriptor; the bundled package when ``path`` is None."""
    with open_package(path) as pkg:
        return pkg.version or ""


def library_version() -> str:
    """The installed library's version (``0+unknown`` when running from a source tree not installed)."""
    from importlib import metadata

    try:
        return metadata.version("energy-ties")
    except metadata.PackageNotFoundError:
        return "0+unknown"


def load(resource: str | None = None, *, path: Source = None, version: str | None = None) -> Any:
    """Every table of the package as ``{name: DataFrame}``, or one table when ``resource`` names it.

    ``path`` loads another package (descriptor, folder or zip); ``version`` loads
    a published release, downloading and verifying it first. With neither, the
    package bundled with the library is loaded, offline.
    """
    from .loading.frames import frames  # pandas is imported only by those who load

    if version is not None:
        if path is not None:
            raise ValueError("give either path or version, not both")
        path = download(version)
    with open_package(path) as pkg:
        return frames(pkg, resource)


def diff(old: Source, new: Source, *, tolerance: float = 0.0) -> Diff:
    """Compare package ``old`` with package ``new`` (paths, folders, zips or released versions).

    ``tolerance`` is an absolute tolerance for numbers: values closer than it are equal.
    Raises DiffError when the packages cannot be compared (duplicate keys, a key
    column missing, an unreadable table).
    """
    from .diffing.compare import diff_packages

    with open_source(old) as a, open_source(new) as b:
        return diff_packages(a, b, tolerance)


def apply(old: Source | dict[str, pa.Table], d: Diff) -> dict[str, pa.Table]:
    """The new package's rows, rebuilt from the old package (or its rows, as typed Arrow tables) and a diff.

    Rows common to both keep their old order, with their changed values; rows
    the new package added follow, in the new package's order.
    """
    from .diffing.compare import read_rows
    from .diffing.patch import apply_diff

    if isinstance(old, dict):
        return apply_diff(old, d)
    with open_source(old) as pkg:
        return apply_diff(read_rows(pkg), d)


def check_release(path: Source, against: str | os.PathLike) -> ReleaseCheck:
    """Check the package at ``path`` as a release following ``against`` (see :mod:`energy_ties.releases.gate`)."""
    from .releases.gate import check_release as gate

    return gate(path, against)


def __getattr__(name: str) -> Any:
    """``Diff`` and ``ReleaseCheck``, imported on first use."""
    if name == "Diff":
        from .diffing.model import Diff

        return Diff
    if name == "ReleaseCheck":
        from .releases.gate import ReleaseCheck

        return ReleaseCheck
    raise AttributeError(f"module 'energy_ties.api' has no attribute {name!r}")
