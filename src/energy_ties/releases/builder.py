"""Release archives: build ``releases/NAME-X.Y.Z.zip`` reproducibly, and check the released ones.

A release is a pure function of the data, the data's schemas and the
changelog history up to X.Y.Z: the descriptor, the data files, the schemas
the data package uses (and the files its dataset profile reads), the pictures
its dataset profile names (those the package has), a README written from the
package, showing the pictures, and the CHANGELOG cut at X.Y.Z. So it can be rebuilt
at any later commit (tool schemas and new changelog entries do not enter it),
and CI checks that it rebuilds to the SHA-256 recorded in the index.
Published releases are immutable: building a released version with other
bytes is refused unless forced. A build killed mid-write leaves a temporary
``releases/.NAME.XXXXXXXX.tmp``: the next build removes it, and ``--check``
reports it (and any file the index does not name) until then.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from ..datapackage.archive import MAX_UNPACKED_BYTES, reproducible_zip
from ..datapackage.dictionary import dictionary
from ..datapackage.jsonio import read_json
from ..datapackage.opening import DESCRIPTOR, open_package
from ..datapackage.paths import resolve_inside
from ..errors import ReleaseError
from ..files import MAX_MEMBER_BYTES, is_regular, read_bytes, read_text, write_bytes, write_text
from ..validation.hooks import profile_files, profile_pictures
from .changelog import CHANGELOG, cut_changelog, release_date
from .index import INDEX, RELEASES, archive_name, index_json, read_index
from .semver import is_version

#: Row JSON Schemas, generated beside the Table Schemas, travel with them.
ROW_SCHEMAS = "schemas/rows/*.json"
_ALT_ESCAPES = str.maketrans({"\\": "\\\\", "[": "\\[", "]": "\\]"})


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _archive_bytes(path: Path, root: Path) -> bytes:
    """A released archive's bytes, read through the path policy (inside ``root``, a regular file, bounded)."""
    return read_bytes(path, root=root, limit=MAX_UNPACKED_BYTES, what=str(path))


def _descriptor(root: Path) -> dict:
    descriptor = read_json(root / DESCRIPTOR, root=root)
    if not isinstance(descriptor, dict):
        raise ReleaseError(f"{root / DESCRIPTOR}: a data package descriptor must be a JSON object")
    return descriptor


def _present(root: Path, named: list[str], what: str) -> list[str]:
    """Those of ``named`` (package-relative paths a profile names) that the package has, as POSIX paths; one
    that leads outside the package is refused."""
    found = []
    for rel in named:
        if os.path.lexists(root / rel):
            resolve_inside(root, rel, f"{what} {rel!r}")
            found.append(PurePosixPath(rel).as_posix())
    return found


def pictures(root: Path) -> dict[str, str]:
    """``{path: what it shows}`` of the pictures the package's dataset profile names and the package has (a
    package without them, such as a release made before its pictures, builds as it did)."""
    with open_package(root / DESCRIPTOR) as pkg:
        named = profile_pictures(pkg)
    return {rel: named[rel] for rel in _present(root, list(named), "profile picture")}


def members(root: Path, descriptor: dict) -> list[str]:
    """The package files a release holds: descriptor, every resource's data, schema and dialect files, the
    row JSON Schemas, the files the package's dataset profile reads and the pictures it names (not the
    tool's own schemas)."""
    found = {DESCRIPTOR}
    for i, res in enumerate(r for r in descriptor.get("resources") or [] if isinstance(r, dict)):
        what = f"{DESCRIPTOR}: resource {res.get('name', i + 1)!r}"
        for key in ("path", "schema", "dialect"):
            value = res.get(key)
            for rel in value if isinstance(value, list) else [value] if isinstance(value, str) else []:
                path = resolve_inside(root, rel, f"{what} {key}")
                if not path.exists():
                    raise ReleaseError(f"{what} {key}: file {rel!r} not found")
                found.add(path.relative_to(root.resolve()).as_posix())
    # as they lie in the package: each is read through the path policy, so a link leading out is refused
    found.update(p.relative_to(root).as_posix() for p in root.glob(ROW_SCHEMAS) if os.path.lexists(p))
    with open_package(root / DESCRIPTOR) as pkg:
        found.update(_present(root, profile_files(pkg), "profile file"))
    found.update(pictures(root))
    return sorted(found)


def _pictures_section(shown: dict[str, str]) -> list[str]:
    """The README's pictures: each an image linked by its path in the archive, with its sentence below."""
    lines = ["", "## Pictures", ""] if shown else []
    for rel, caption in shown.items():
        alt = caption.translate(_ALT_ESCAPES)  # a bracket in the alt text would end it early
        lines += [f"![{alt}]({quote(rel)})", "", caption, ""]
    return lines[:-1]


def data_readme(root: Path, descriptor: dict, date: str) -> str:
    """The README of a release: what the data is, its licence, how to cite it, its dictionary.

    Written from the package, not copied from the repository, whose README
    documents the Python tool and changes with it.
    """
    title = descriptor.get("title") or descriptor.get("name")
    version = descriptor.get("version")
    homepage = descriptor.get("homepage", "")
    authors = ", ".join(c.get("title", "") for c in descriptor.get("contributors") or [] if isinstance(c, dict))
    lines = [
        f"# {title}",
        "",
        descriptor.get("description", ""),
        "",
        f"Version {version}, released {date}. A [Frictionless Data Package](https://datapackage.org/) (v2): "
        f"`{DESCRIPTOR}` describes the tables in `data/`, whose Table Schemas are in `schemas/tables/` "
        "and row JSON Schemas in `schemas/rows/`. `CHANGELOG.md` lists the changes up to this version.",
        "",
        "## Licences",
        "",
    ]
    for lic in descriptor.get("licenses") or []:
        label = f": {lic['title']}" if lic.get("title") else ""
        lines.append(f"- [{lic.get('name')}]({lic.get('path')}){label}")
    lines += [
        "",
        "## How to cite",
        "",
        f"> {authors} ({date[:4]}). *{title}* (data package, version {version}). {homepage}".rstrip(),
        "",
        "## Resources",
        "",
    ]
    for res in descriptor.get("resources") or []:
        lines.append(f"- `{res.get('name')}` (`{res.get('path')}`): {res.get('description', res.get('title', ''))}")
    lines += _pictures_section(pictures(root))
    if any(isinstance(r, dict) and r.get("name") == "evidence" for r in descriptor.get("resources") or []):
        lines += [  # only a package with evidence spans (energy-ties) has something to check them against
            "",
            "## Checking the evidence",
            "",
            "Every span in `evidence` can be checked against the article texts (not included) with the "
            f"energy-ties tool{f' ({homepage})' if homepage else ''}: "
            "`energy-ties verify-evidence datapackage.json --texts DIR`.",
        ]
    lines += [
        "",
        "## Data dictionary",
        "",
        dictionary(root / DESCRIPTOR),
    ]
    return "\n".join(lines).rstrip() + "\n"


def release_files(root: Path) -> tuple[dict, str, dict[str, bytes]]:
    """(descriptor, release date, {archive entry: bytes}) of the release the files in ``root`` make."""
    root = Path(root)
    descriptor = _descriptor(root)
    version = descriptor.get("version")
    if not is_version(version):
        raise ReleaseError(f"{root / DESCRIPTOR}: version {version!r} is not a semantic version X.Y.Z")
    changelog = read_text(root / CHANGELOG, root=root)
    assert isinstance(version, str)  # is_version said so
    date = release_date(changelog, version, str(root / CHANGELOG))
    entries = {m: read_bytes(root / m, root=root, limit=MAX_MEMBER_BYTES, what=m) for m in members(root, descriptor)}
    entries["README.md"] = data_readme(root, descriptor, date).encode("utf-8")
    entries[CHANGELOG] = cut_changelog(changelog, version).encode("utf-8")
    return descriptor, date, entries


def build(root: Path, *, force: bool = False) -> tuple[dict, str]:
    """Build the release of the package in ``root`` and record it in the index.

    Returns the index entry and what happened: ``"built"``, ``"unchanged"``
    (the same bytes are already released) or ``"replaced"`` (with ``force``).
    The archive is written before the index, both atomically, so the index
    never names an archive that is not there.
    """
    root = Path(root)
    descriptor, date, entries = release_files(root)
    name, version = descriptor.get("name") or "package", descriptor["version"]
    data = reproducible_zip(entries)
    entry = {
        "version": version,
        "date": date,
        "file": archive_name(name, version),
        "size": len(data),
        "sha256": sha256(data),
    }
    folder = root / RELEASES
    index = read_index(folder / INDEX)
    sweep(folder)
    if index is not None and index["name"] != name:
        raise ReleaseError(f"{folder / INDEX}: is the index of {index['name']!r}, not of {name!r}")
    releases = index["releases"] if index else []
    old: dict | None = next((r for r in releases if r["version"] == version), None)
    archive = folder / entry["file"]
    if old == entry and is_regular(archive) and sha256(_archive_bytes(archive, root)) == entry["sha256"]:
        return entry, "unchanged"
    replaced = old is not None and old["sha256"] != entry["sha256"]
    if old is not None and replaced and not force:
        raise ReleaseError(
            f"version {version} is already released with SHA-256 {old['sha256']}, and these files build to "
            f"{entry['sha256']}: released versions are immutable; bump the version in {DESCRIPTOR} "
            "(or pass --force to replace the release)"
        )
    write_bytes(archive, data, root=root)
    write_text(folder / INDEX, index_json(name, [r for r in releases if r["version"] != version] + [entry]), root=root)
    return entry, "replaced" if replaced else "built"


def check(root: Path) -> list[str]:
    """Why the releases in ``root`` are not consistent (empty when they are): the current version's
    files rebuild to its indexed hash, and every indexed archive is there with its size and SHA-256."""
    root = Path(root)
    folder = root / RELEASES
    try:
        index = read_index(folder / INDEX)
    except ReleaseError as exc:
        return [str(exc), *strays(folder, None)]
    if index is None:
        return [f"{folder / INDEX}: missing; run `energy-ties build-release`", *strays(folder, None)]
    problems = []
    descriptor, _, entries = release_files(root)
    version = descriptor["version"]
    current = next((r for r in index["releases"] if r["version"] == version), None)
    if current is None:
        problems.append(
            f"version {version} (in {DESCRIPTOR}) is not in {folder / INDEX}; run `energy-ties build-release`"
        )
    else:
        rebuilt = sha256(reproducible_zip(entries))
        if rebuilt != current["sha256"]:
            problems.append(
                f"version {version}: the files rebuild to SHA-256 {rebuilt}, the index says "
                f"{current['sha256']}: released files changed without a new version"
            )
    for r in index["releases"]:
        path = folder / r["file"]
        if not os.path.lexists(path):
            problems.append(f"{path}: missing (version {r['version']} is in the index)")
            continue
        data = _archive_bytes(path, root)
        got = sha256(data)
        if len(data) != r["size"] or got != r["sha256"]:
            problems.append(
                f"{path}: {len(data)} bytes with SHA-256 {got}, the index says "
                f"{r['size']} bytes with SHA-256 {r['sha256']}"
            )
    return problems + strays(folder, index)


def _temporary(path: Path) -> bool:
    """Whether ``path`` is a temporary file of an atomic write (``.NAME.XXXXXXXX.tmp``), left by a killed build."""
    return path.name.startswith(".") and path.name.endswith(".tmp") and path.is_file() and not path.is_symlink()


def sweep(folder: Path) -> None:
    """Remove the temporary files a build killed mid-write left in ``folder`` (``git add releases/`` would
    commit them). Only those: another file the index does not name is the maintainer's to remove."""
    for path in sorted(folder.iterdir()) if folder.is_dir() else []:
        if _temporary(path):
            path.unlink(missing_ok=True)


def strays(folder: Path, index: dict | None) -> list[str]:
    """What in ``folder`` should not be there: temporary files of an interrupted build, and (when the index
    could be read) any file or folder it does not name."""
    named = {INDEX} | ({r["file"] for r in index["releases"]} if index else set())
    problems = []
    for path in sorted(folder.iterdir()) if folder.is_dir() else []:
        if _temporary(path):
            problems.append(
                f"{path}: a temporary file left by an interrupted build; remove it (`energy-ties build-release` does)"
            )
        elif index is not None and path.name not in named:
            problems.append(f"{path}: not named by {INDEX}; remove it, or build its release")
    return problems
