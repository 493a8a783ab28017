"""energy-ties: facts reported on Mexico's energy diplomacy, as a Frictionless Data Package.

>>> import energy_ties
>>> tables = energy_ties.load()              # every resource, as pandas DataFrames
>>> events = energy_ties.load("events")      # one resource
>>> energy_ties.package_path()               # the bundled datapackage.json, for frictionless users
>>> energy_ties.__version__                  # version of this library
>>> energy_ties.__data_version__             # version of the bundled data package
>>> energy_ties.validate().valid              # validate the bundled package (or any: validate(path))
>>> energy_ties.diff("old/", "new/").required_bump   # what changed between releases, and the bump
>>> energy_ties.download("1.0.0")             # folder of a published release, verified and cached
>>> energy_ties.load(version="1.0.0")         # a published release's tables

The library version and the data package version are separate: the library
follows semantic versioning of its Python API, the data package follows the
Data Package Version rules (see the README).
"""

from __future__ import annotations

import sys
import types
from typing import TYPE_CHECKING

from .errors import EnergyTiesError

if TYPE_CHECKING:  # imported on first use, so that the command line starts without pandas
    from pathlib import Path

    from .diff import apply, diff
    from .download import download
    from .load import load
    from .validate import validate

    __version__: str


def package_path() -> Path:
    """Path of the bundled ``datapackage.json`` (open it with frictionless, or read it yourself)."""
    from .package import bundled_package_path

    return bundled_package_path()


def data_version(path=None) -> str:
    """The ``version`` of a data package's descriptor; the bundled package when ``path`` is None."""
    from .package import open_package

    with open_package(path) as pkg:
        return pkg.version or ""


_LAZY = {"load": ".load", "validate": ".validate", "diff": ".diff", "apply": ".diff", "download": ".download"}


def __getattr__(name: str):
    if name == "__data_version__":
        return data_version()
    if name == "__version__":  # looked up on first use: reading the installed metadata is slow
        from importlib import metadata

        try:
            value = metadata.version("energy-ties")
        except metadata.PackageNotFoundError:  # running from a source tree that is not installed
            value = "0+unknown"
        globals()[name] = value
        return value
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'energy_ties' has no attribute {name!r}")


class _Package(types.ModuleType):
    """Python binds a submodule on its package when it is first imported, so the module
    ``energy_ties.load`` would hide the function ``load`` once anything imported it: keep the function."""

    def __setattr__(self, name: str, value) -> None:
        if name in _LAZY and isinstance(value, types.ModuleType) and hasattr(value, name):
            value = getattr(value, name)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package

__all__ = ["load", "validate", "diff", "apply", "download", "package_path", "data_version", "EnergyTiesError", "__version__"]
