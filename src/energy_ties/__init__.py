"""energy-ties: facts reported on Mexico's energy diplomacy, as a Frictionless Data Package.

>>> import energy_ties
>>> tables = energy_ties.load()              # every resource, as pandas DataFrames
>>> events = energy_ties.load("events")      # one resource
>>> energy_ties.package_path().name          # the bundled datapackage.json, for frictionless users
'datapackage.json'
>>> energy_ties.validate().valid             # validate the bundled package (or any: validate(path))
True
>>> energy_ties.__data_version__ == energy_ties.data_version()
True

``energy_ties.diff("old/", "new/").required_bump`` says what changed between
two releases and the bump it demands; ``energy_ties.download("1.0.0")`` is the
folder of a published release, verified and cached, and
``energy_ties.load(version="1.0.0")`` its tables.

The library version and the data package version are separate: the library
follows semantic versioning of its Python API, the data package follows the
Data Package Version rules (see the README).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import EnergyTiesError

if TYPE_CHECKING:  # the public functions are imported on first use, so that the command line starts fast
    from . import views
    from .api import (
        apply,
        check_release,
        data_version,
        dictionary,
        diff,
        download,
        load,
        package_path,
        validate,
        versions,
    )

#: The public functions, all held by energy_ties.api.
_PUBLIC = (
    "load", "validate", "diff", "apply", "download", "versions", "check_release", "package_path", "data_version",
    "dictionary",
)  # fmt: skip

__all__ = [
    "load", "validate", "diff", "apply", "download", "versions", "check_release", "package_path", "data_version",
    "dictionary", "views", "EnergyTiesError", "__version__", "__data_version__",
]  # fmt: skip


def __getattr__(name: str) -> Any:
    import importlib

    if name in _PUBLIC:
        value = getattr(importlib.import_module("energy_ties.api"), name)
    elif name == "views":  # the analyst's views: energy_ties.views.events(), ...
        value = importlib.import_module("energy_ties.views")
    elif name == "__version__":  # looked up on first use: reading the installed metadata is slow
        value = importlib.import_module("energy_ties.api").library_version()
    elif name == "__data_version__":  # not kept: it is the bundled descriptor's, read each time
        return importlib.import_module("energy_ties.api").data_version()
    else:
        raise AttributeError(f"module 'energy_ties' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
