"""The public functions: each composes the layers below it, and the command line calls the same ones.

Here, and only here, a version number becomes a package (downloaded and
verified by :mod:`energy_ties.releases`), and the energy-ties dataset profile
is registered with validation.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, overload

from .datapackage.bare import csv_package, is_csv
from .datapackage.opening import bundled_package_path, open_package
from .dataset import PROFILE
from .releases.resolve import Fetch, download, open_source, versions
from .validation.hooks import register_profile
from .validation.pipeline import validate

if TYPE_CHECKING:  # diffing and the release gate are imported when used: validating starts without them
    import pandas as pd
    import pyarrow as pa
    from typing_extensions import Unpack  # typing.Unpack from Python 3.11 on

    from .diffing.model import Diff
    from .releases.gate import ReleaseCheck

register_profile(PROFILE)

__all__ = [
    "apply",
    "check_release",
    "data_version",
    "dictionary",
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


@overload
def load(
    resource: str,
    *,
    path: Source = None,
    version: str | None = None,
    backend: Literal["pandas"] = "pandas",
    **fetch: Unpack[Fetch],
) -> pd.DataFrame: ...
@overload
def load(
    resource: None = None,
    *,
    path: Source = None,
    version: str | None = None,
    backend: Literal["pandas"] = "pandas",
    **fetch: Unpack[Fetch],
) -> dict[str, pd.DataFrame]: ...
@overload
def load(
    resource: str, *, path: Source = None, version: str | None = None, backend: Literal["arrow"], **fetch: Unpack[Fetch]
) -> pa.Table: ...
@overload
def load(
    resource: None = None,
    *,
    path: Source = None,
    version: str | None = None,
    backend: Literal["arrow"],
    **fetch: Unpack[Fetch],
) -> dict[str, pa.Table]: ...
@overload
def load(
    resource: str | None = None,
    *,
    path: Source = None,
    version: str | None = None,
    backend: str,
    **fetch: Unpack[Fetch],
) -> Any: ...


def load(
    resource: str | None = None,
    *,
    path: Source = None,
    version: str | None = None,
    backend: str = "pandas",
    **fetch: Unpack[Fetch],
) -> Any:
    """Every table of the package as ``{name: DataFrame}``, or one table when ``resource`` names it.

    ``path`` loads another package (descriptor, folder or zip); ``version`` loads
    a published release, downloading and verifying it first. With neither, the
    package bundled with the library is loaded, offline. ``backend`` is
    ``"pandas"`` (DataFrames carrying their data dictionary in ``attrs``),
    ``"arrow"`` (``pyarrow.Table``) or ``"polars"`` (the ``polars`` extra); each
    gets the Table Schema's types. ``base_url``, ``cache``, ``offline`` and
    ``timeout`` are :func:`download`'s, for ``version``.
    """
    from .loading.backends import BACKENDS, tables
    from .loading.frames import frames  # pandas is imported only by those who load

    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {', '.join(BACKENDS)}, not {backend!r}")
    if version is not None:
        if path is not None:
            raise ValueError("give either path or version, not both")
        path = download(version, **fetch)
    with open_package(path) as pkg:
        return frames(pkg, resource) if backend == "pandas" else tables(pkg, resource, backend)


def dictionary(
    resource: str, *, path: Source = None, version: str | None = None, **fetch: Unpack[Fetch]
) -> pd.DataFrame:
    """The data dictionary of one resource as a DataFrame: a row per field, with its type, keys,
    constraints, categories and description (the README's dictionary, for a notebook)."""
    from .loading.dictionary import dictionary_frame

    if version is not None:
        path = download(version, **fetch)
    with open_package(path) as pkg:
        return dictionary_frame(pkg.resource(resource))


def diff(
    old: Source, new: Source, *, tolerance: float = 0.0, key: list[str] | None = None, **fetch: Unpack[Fetch]
) -> Diff:
    """Compare package ``old`` with package ``new`` (paths, folders, zips, released versions, ``git:REV``),
    or two bare CSV files (rows matched on the fields ``key``, or on whole-row identity).

    A version number names a release of the other package (see ``download``'s ``package``); with two
    versions, of the package in the current folder, or energy-ties'. ``tolerance`` is an absolute tolerance
    for numbers: values closer than it are equal. Raises DiffError when the packages cannot be compared
    (duplicate keys, a key column missing, an unreadable table). ``base_url``, ``cache``, ``offline`` and
    ``timeout`` are :func:`download`'s, for version numbers.
    """
    from .diffing.compare import diff_packages
    from .errors import DiffError

    if is_csv(old) and is_csv(new):
        name = re.sub(r"[^a-z0-9._-]+", "-", Path(os.fspath(old)).stem.lower()).strip("-") or "table"  # type: ignore[arg-type]
        with csv_package(old, name, key) as a, csv_package(new, name, key) as b:  # type: ignore[arg-type]
            return diff_packages(a, b, tolerance)
    if key:
        raise DiffError("a key (--key) is given only to compare two CSV files; packages have their primary keys")
    with (
        open_source(old, releases_of=_package_of(new), **fetch) as a,
        open_source(new, releases_of=_package_of(old), **fetch) as b,
    ):
        return diff_packages(a, b, tolerance)


def _package_of(source: Source) -> Source:
    """The package whose releases a version number beside ``source`` names: ``source``, when it is a package
    folder or descriptor; else the one in the current folder, if any (else None: energy-ties')."""
    if source is not None and os.path.exists(os.fspath(source)) and not os.fspath(source).lower().endswith(".zip"):
        return source
    return "datapackage.json" if os.path.isfile("datapackage.json") else None


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


def check_release(
    path: Source = None, against: str | os.PathLike | None = None, **fetch: Unpack[Fetch]
) -> ReleaseCheck:
    """Check the package at ``path`` (default ``.``) as a release following ``against`` (default: its latest
    release); see :func:`energy_ties.releases.gate.check_release`."""
    from .releases.gate import check_release as gate

    return gate(path, against, **fetch)


def __getattr__(name: str) -> Any:
    """``Diff`` and ``ReleaseCheck``, imported on first use."""
    if name == "Diff":
        from .diffing.model import Diff

        return Diff
    if name == "ReleaseCheck":
        from .releases.gate import ReleaseCheck

        return ReleaseCheck
    raise AttributeError(f"module 'energy_ties.api' has no attribute {name!r}")
