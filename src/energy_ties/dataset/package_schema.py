"""The energy-ties package's own JSON Schema for its descriptor (semantic version, licences, the resources).

The schema applies the official v2 profile too (``allOf``); the generic
descriptor check reports those errors already, so they are left out here
rather than counted twice.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from ..datapackage.findings import Error
from ..datapackage.jsonio import read_json
from ..datapackage.model import Package
from ..datapackage.profiles import PROFILE_NAMES, V2, patched_profile, pointer, sorted_errors
from ..errors import PackageReadError
from ..tabular import jsonschemas
from ..tabular.jsonschemas import References, SchemaProblem

#: Where the package schema sits in the package, relative to the descriptor.
if TYPE_CHECKING:
    import jsonschema

PACKAGE_SCHEMA = "schemas/energy-ties-package.json"


def check_package_schema(pkg: Package) -> list[Error]:
    """Errors of the descriptor against ``schemas/energy-ties-package.json`` beyond the official profile."""
    path = pkg.root / PACKAGE_SCHEMA
    if not os.path.lexists(path):
        return [Error("package-error", None, None, None, f"{PACKAGE_SCHEMA} is missing")]
    try:
        schema = read_json(path, PACKAGE_SCHEMA, root=pkg.root)
    except PackageReadError as exc:
        return [Error("package-error", None, None, None, str(exc))]
    if not isinstance(schema, dict):
        return [Error("package-error", None, None, None, f"{PACKAGE_SCHEMA}: a JSON Schema must be an object")]
    try:
        validator = package_validator(schema, pkg.root)
    except SchemaProblem as exc:
        return [Error("package-error", None, None, None, f"{PACKAGE_SCHEMA}: {exc}")]
    official = {"$ref": V2 + "datapackage.json"}
    out = []
    for err in sorted_errors(validator, pkg.descriptor):
        where = err.schema_path
        if len(where) > 1 and where[0] == "allOf" and schema["allOf"][where[1]] == official:
            continue
        out.append(Error("package-error", None, None, None, f"{pointer(err.absolute_path)}: {err.message[:200]}"))
    return out


def package_validator(schema: dict, root: Path | None = None) -> jsonschema.protocols.Validator:
    """A validator for our package schema, resolving the official profile it builds on offline; any other
    reference only inside the package ``root`` (see :mod:`energy_ties.tabular.jsonschemas`)."""
    from referencing import Resource  # here, not above: a package of someone else never needs jsonschema
    from referencing.jsonschema import DRAFT7

    known = [
        (V2 + f"{name}.json", Resource.from_contents(patched_profile(name), default_specification=DRAFT7))
        for name in PROFILE_NAMES
    ]
    refs = References(root=root, base=None if root is None else root / "schemas")
    return jsonschemas.validator(schema, refs, format_checker=True, known=known)
