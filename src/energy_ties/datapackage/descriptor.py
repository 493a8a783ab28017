"""The descriptor's errors: those the opener found in each part (see :mod:`energy_ties.datapackage.parts`), and
those only the whole package shows (names used twice, foreign keys to resources that do not exist)."""

from __future__ import annotations

from collections import Counter

from .findings import Error
from .model import Package
from .parts import package_problems


def _repeated(names: list[str]) -> list[str]:
    """The names used more than once, sorted."""
    return sorted(n for n, count in Counter(names).items() if count > 1)


def check_package(pkg: Package) -> list[Error]:
    """Every descriptor error of a package: its own properties, then resource by resource."""
    out = [Error(kind, None, None, None, message) for kind, message in package_problems(pkg.descriptor)]
    names = [r.name for r in pkg.resources]
    for dup in _repeated(names):
        out.append(Error("package-error", None, None, None, f"resource name {dup!r} is used more than once"))
    known = set(names)
    for res in pkg.resources:
        for kind, message in [*res.problems, *res.notes]:
            out.append(Error(kind, res.name, None, None, message))
        if res.problems or res.schema is None:
            continue
        for fk in res.schema.foreign_keys:
            if fk.resource is not None and fk.resource not in known:
                what = ", ".join(fk.fields)
                message = f"foreign key on {what} references unknown resource {fk.resource!r}"
                # frictionless: a resource-error ("... as resource ... does not exist")
                out.append(Error("resource-error", res.name, None, ",".join(fk.fields), message))
    return out
