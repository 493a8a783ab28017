"""The release index, ``releases/index.json``: every released version with its date, file, size and SHA-256."""

from __future__ import annotations

import json
import os
from importlib import resources as importlib_resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..datapackage.jsonio import read_json
from ..errors import ReleaseError
from .semver import version_key

if TYPE_CHECKING:
    import jsonschema

RELEASES = "releases"
INDEX = "index.json"
INDEX_SCHEMA = "release-index.json"


def archive_name(name: str, version: str) -> str:
    return f"{name}-{version}.zip"


def _index_validator() -> jsonschema.Draft202012Validator:
    """The validator of the release index's JSON Schema (shipped with the library), read and built once."""
    import jsonschema  # here: validating a package reads no release index

    text = (importlib_resources.files("energy_ties") / "schemas" / INDEX_SCHEMA).read_text(encoding="utf-8")
    return jsonschema.Draft202012Validator(json.loads(text))


def index_problems(index: Any) -> list[str]:
    """Why ``index`` is not a valid release index (its JSON Schema, then what a schema cannot say)."""
    validator = _index_validator()
    problems = [
        f"{'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}"
        for e in sorted(validator.iter_errors(index), key=lambda e: list(map(str, e.absolute_path)))
    ]
    if problems:
        return problems
    releases = index["releases"]
    versions = [r["version"] for r in releases]
    if len(set(versions)) != len(versions):
        problems.append("releases: a version is listed twice")
    for r in releases:
        if r["file"] != archive_name(index["name"], r["version"]):
            problems.append(
                f"releases: version {r['version']} has file {r['file']!r}, "
                f"expected {archive_name(index['name'], r['version'])!r}"
            )
    if versions != sorted(versions, key=version_key):
        problems.append("releases: not sorted by version")
    highest = max(versions, key=version_key)
    if index["latest"] != highest:
        problems.append(f"latest: {index['latest']} is not the highest version {highest}")
    return problems


def read_index(path: Path) -> dict | None:
    """The index at ``path`` (None when there is none yet); a ReleaseError when it is invalid."""
    if not os.path.lexists(path):
        return None
    index = read_json(path, root=path.parent.parent)
    problems = index_problems(index)
    if problems:
        raise ReleaseError(f"{path}: not a valid release index: {problems[0]}")
    return index


def index_json(name: str, releases: list[dict]) -> str:
    ordered = sorted(releases, key=lambda r: version_key(r["version"]))
    index = {"name": name, "latest": ordered[-1]["version"], "releases": ordered}
    return json.dumps(index, indent=2, ensure_ascii=False) + "\n"
