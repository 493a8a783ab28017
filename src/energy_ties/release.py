"""Release archives and the release index.

A release is ``releases/energy-ties-X.Y.Z.zip``, a pure function of the data,
the data's schemas and the changelog history up to X.Y.Z: the descriptor, the
data files, the schemas the data package uses, a README written from the
package and the CHANGELOG cut at X.Y.Z. So it can be rebuilt at any later
commit (tool schemas and new changelog entries do not enter it), and CI checks
that it rebuilds to the SHA-256 recorded in ``releases/index.json``. Published
releases are immutable: building a released version with other bytes is
refused unless forced.
"""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path
from typing import Any

from .archive import reproducible_zip
from .errors import ReleaseError
from .package import DESCRIPTOR, read_json, resolve_inside
from .versioning import CHANGELOG, cut_changelog, is_version, release_date, version_key

RELEASES = "releases"
INDEX = "index.json"
INDEX_SCHEMA = "release-index.json"
#: The data package's own schemas besides the Table Schemas its resources name.
DATA_SCHEMAS = ("schemas/rows/*.json", "schemas/energy-ties-package.json")

def archive_name(name: str, version: str) -> str:
    return f"{name}-{version}.zip"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# ---------------------------------------------------------------- the archive

def _descriptor(root: Path) -> dict:
    descriptor = read_json(root / DESCRIPTOR)
    if not isinstance(descriptor, dict):
        raise ReleaseError(f"{root / DESCRIPTOR}: a data package descriptor must be a JSON object")
    return descriptor


def members(root: Path, descriptor: dict) -> list[str]:
    """The package files a release holds: descriptor, every resource's data, schema and dialect
    files, and the data package's own schemas (not the tool schemas: reports, diffs, this index)."""
    found = {DESCRIPTOR}
    for i, res in enumerate(r for r in descriptor.get("resources") or [] if isinstance(r, dict)):
        what = f"{DESCRIPTOR}: resource {res.get('name', i + 1)!r}"
        for key in ("path", "schema", "dialect"):
            value = res.get(key)
            for rel in value if isinstance(value, list) else [value] if isinstance(value, str) else []:
                path = resolve_inside(root, rel, f"{what} {key}")
                if not path.is_file():
                    raise ReleaseError(f"{what} {key}: file {rel!r} not found")
                found.add(path.relative_to(root.resolve()).as_posix())
    for pattern in DATA_SCHEMAS:
        found.update(p.relative_to(root).as_posix() for p in root.glob(pattern) if p.is_file())
    return sorted(found)


def data_readme(root: Path, descriptor: dict, date: str) -> str:
    """The README of a release: what the data is, its licence, how to cite it, its dictionary.

    Written from the package, not copied from the repository, whose README
    documents the Python tool and changes with it.
    """
    from .docs import dictionary

    title = descriptor.get("title") or descriptor.get("name")
    version = descriptor.get("version")
    homepage = descriptor.get("homepage", "")
    authors = ", ".join(c.get("title", "") for c in descriptor.get("contributors") or [] if isinstance(c, dict))
    lines = [f"# {title}", "", descriptor.get("description", ""), "",
             f"Version {version}, released {date}. A [Frictionless Data Package](https://datapackage.org/) (v2): "
             f"`{DESCRIPTOR}` describes the tables in `data/`, whose Table Schemas are in `schemas/tables/` "
             "and row JSON Schemas in `schemas/rows/`. `CHANGELOG.md` lists the changes up to this version.",
             "", "## Licences", ""]
    for lic in descriptor.get("licenses") or []:
        label = f": {lic['title']}" if lic.get("title") else ""
        lines.append(f"- [{lic.get('name')}]({lic.get('path')}){label}")
    lines += ["", "## How to cite", "",
              f"> {authors} ({date[:4]}). *{title}* (data package, version {version}). {homepage}".rstrip(),
              "", "## Resources", ""]
    for res in descriptor.get("resources") or []:
        lines.append(f"- `{res.get('name')}` (`{res.get('path')}`): {res.get('description', res.get('title', ''))}")
    lines += ["", "## Checking the evidence", "",
              "Every span in `evidence` can be checked against the article texts (not included) with the "
              "energy-ties tool: `pip install energy-ties`, then "
              "`energy-ties verify-evidence datapackage.json --texts DIR`.",
              "", "## Data dictionary", "", dictionary(root / DESCRIPTOR)]
    return "\n".join(lines).rstrip() + "\n"


def release_files(root: Path) -> tuple[dict, str, dict[str, bytes]]:
    """(descriptor, release date, {archive entry: bytes}) of the release the files in ``root`` make."""
    root = Path(root)
    descriptor = _descriptor(root)
    version = descriptor.get("version")
    if not is_version(version):
        raise ReleaseError(f"{root / DESCRIPTOR}: version {version!r} is not a semantic version X.Y.Z")
    try:
        changelog = (root / CHANGELOG).read_text(encoding="utf-8")
    except OSError as exc:
        raise ReleaseError(f"{root / CHANGELOG}: cannot be read ({exc.strerror})") from None
    date = release_date(changelog, version, str(root / CHANGELOG))
    entries = {m: (root / m).read_bytes() for m in members(root, descriptor)}
    entries["README.md"] = data_readme(root, descriptor, date).encode("utf-8")
    entries[CHANGELOG] = cut_changelog(changelog, version).encode("utf-8")
    return descriptor, date, entries


# ---------------------------------------------------------------- the index

@functools.lru_cache(maxsize=None)
def _index_validator():
    """The validator of the release index's JSON Schema (shipped with the library), read and built once."""
    import jsonschema

    from .package import bundled_package_path

    return jsonschema.Draft202012Validator(read_json(bundled_package_path().parent / "schemas" / INDEX_SCHEMA))


def index_problems(index: Any) -> list[str]:
    """Why ``index`` is not a valid release index (its JSON Schema, then what a schema cannot say)."""
    validator = _index_validator()
    problems = [f"{'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}"
                for e in sorted(validator.iter_errors(index), key=lambda e: list(map(str, e.absolute_path)))]
    if problems:
        return problems
    releases = index["releases"]
    versions = [r["version"] for r in releases]
    if len(set(versions)) != len(versions):
        problems.append("releases: a version is listed twice")
    for r in releases:
        if r["file"] != archive_name(index["name"], r["version"]):
            problems.append(f"releases: version {r['version']} has file {r['file']!r}, "
                            f"expected {archive_name(index['name'], r['version'])!r}")
    if versions != sorted(versions, key=version_key):
        problems.append("releases: not sorted by version")
    highest = max(versions, key=version_key)
    if index["latest"] != highest:
        problems.append(f"latest: {index['latest']} is not the highest version {highest}")
    return problems


def read_index(path: Path) -> dict | None:
    """The index at ``path`` (None when there is none yet); a ReleaseError when it is invalid."""
    if not path.exists():
        return None
    index = read_json(path)
    problems = index_problems(index)
    if problems:
        raise ReleaseError(f"{path}: not a valid release index: {problems[0]}")
    return index


def index_json(name: str, releases: list[dict]) -> str:
    ordered = sorted(releases, key=lambda r: version_key(r["version"]))
    index = {"name": name, "latest": ordered[-1]["version"], "releases": ordered}
    return json.dumps(index, indent=2, ensure_ascii=False) + "\n"


# ---------------------------------------------------------------- build and check

def build(root: Path, *, force: bool = False) -> tuple[dict, str]:
    """Build the release of the package in ``root`` and record it in the index.

    Returns the index entry and what happened: ``"built"``, ``"unchanged"``
    (the same bytes are already released) or ``"replaced"`` (with ``force``).
    The archive is written before the index, both atomically, so the index
    never names an archive that is not there.
    """
    from .atomic import write_bytes, write_text

    root = Path(root)
    descriptor, date, entries = release_files(root)
    name, version = descriptor.get("name") or "package", descriptor["version"]
    data = reproducible_zip(entries)
    entry = {"version": version, "date": date, "file": archive_name(name, version),
             "size": len(data), "sha256": sha256(data)}
    folder = root / RELEASES
    index = read_index(folder / INDEX)
    if index is not None and index["name"] != name:
        raise ReleaseError(f"{folder / INDEX}: is the index of {index['name']!r}, not of {name!r}")
    releases = index["releases"] if index else []
    old = next((r for r in releases if r["version"] == version), None)
    archive = folder / entry["file"]
    if old == entry and archive.is_file() and sha256(archive.read_bytes()) == entry["sha256"]:
        return entry, "unchanged"
    replaced = old is not None and old["sha256"] != entry["sha256"]
    if replaced and not force:
        raise ReleaseError(
            f"version {version} is already released with SHA-256 {old['sha256']}, and these files build to "
            f"{entry['sha256']}: released versions are immutable; bump the version in {DESCRIPTOR} "
            "(or pass --force to replace the release)")
    write_bytes(archive, data)
    write_text(folder / INDEX, index_json(name, [r for r in releases if r["version"] != version] + [entry]))
    return entry, "replaced" if replaced else "built"


def check(root: Path) -> list[str]:
    """Why the releases in ``root`` are not consistent (empty when they are): the current version's
    files rebuild to its indexed hash, and every indexed archive is there with its size and SHA-256."""
    root = Path(root)
    folder = root / RELEASES
    try:
        index = read_index(folder / INDEX)
    except ReleaseError as exc:
        return [str(exc)]
    if index is None:
        return [f"{folder / INDEX}: missing; run `energy-ties build-release`"]
    problems = []
    descriptor, _, entries = release_files(root)
    version = descriptor["version"]
    current = next((r for r in index["releases"] if r["version"] == version), None)
    if current is None:
        problems.append(f"version {version} (in {DESCRIPTOR}) is not in {folder / INDEX}; "
                        "run `energy-ties build-release`")
    else:
        rebuilt = sha256(reproducible_zip(entries))
        if rebuilt != current["sha256"]:
            problems.append(f"version {version}: the files rebuild to SHA-256 {rebuilt}, the index says "
                            f"{current['sha256']}: released files changed without a new version")
    for r in index["releases"]:
        path = folder / r["file"]
        if not path.is_file():
            problems.append(f"{path}: missing (version {r['version']} is in the index)")
            continue
        data = path.read_bytes()
        got = sha256(data)
        if len(data) != r["size"] or got != r["sha256"]:
            problems.append(f"{path}: {len(data)} bytes with SHA-256 {got}, the index says "
                            f"{r['size']} bytes with SHA-256 {r['sha256']}")
    return problems
