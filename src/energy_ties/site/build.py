"""Build the site: home, then for each release its tables, its records and its diff against the one before.

The site is written into a new folder beside ``out`` and renamed into place
when whole, so a build killed half-way leaves ``out`` as it was (and the next
build removes what it left). ``out`` must be new, empty, or a site built
before (it holds :data:`MARKER`). Nothing in the output depends on the clock,
the machine or the order of a set: two builds of the same releases are the
same bytes.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..datapackage.model import Package
from ..datapackage.opening import open_package
from ..diffing.compare import diff_packages
from ..errors import EnergyTiesError
from ..files import MAX_MEMBER_BYTES, read_bytes
from ..releases.cache import leftovers, new_folder, partial_prefix, remove
from ..validation.hooks import chosen, profile_pictures
from .diffpage import diff_page
from .inputs import Release, check_order, releases_from, slug
from .render import Site
from .tables import Table, read_tables

__all__ = ["MARKER", "Release", "Summary", "build_site", "releases_from"]

#: The file that marks a folder as a site this command built, and so one it may replace.
MARKER = ".energy-ties-site"


@dataclass
class Summary:
    """What a build wrote."""

    out: Path
    releases: int
    files: int
    bytes: int


@dataclass
class Built:
    """One release as the home page lists it."""

    release: Release
    title: str
    tables: list[Table]
    kinds: dict[str, int]
    bump: str | None  # the bump its changes demand against the release before (None: the first)
    download: str | None
    loads_by_version: bool
    pictures: list[tuple[str, str]] = field(default_factory=list)  # (path from the site's root, what it shows)


@dataclass
class Context:
    site: Site
    texts: Path | None
    loadable: set[str]  # package names whose releases `load(version=...)` can fetch
    built: list[Built] = field(default_factory=list)


def record_pages(pkg: Package, texts: Path | None) -> list[Any]:
    """The record pages the applicable profiles offer (those with a ``pages(pkg, texts)`` method), in order."""
    out: list[Any] = []
    for profile in chosen(pkg, "auto"):
        pages = getattr(profile, "pages", None)
        if callable(pages):
            out += pages(pkg, texts)
    return out


#: Pictures a release ships in its ``pictures/`` folder: SVG files, shown as images (an ``<img>`` runs no script).
PICTURES, MAX_PICTURES, MAX_PICTURE_BYTES = "pictures", 16, 8 << 20


def _pictures(site: Site, rel: Release, pkg: Package) -> list[tuple[str, str]]:
    """Copy the SVG pictures of ``pkg`` (its ``pictures/*.svg``, any package's) into the release's folder, each
    with the sentence a profile gives it (``pictures(pkg)``): those a profile names first, in its order."""
    folder = pkg.root / PICTURES
    if folder.is_symlink() or not folder.is_dir():
        return []
    captions = {k.removeprefix(PICTURES + "/"): v for k, v in profile_pictures(pkg).items()}
    present = {p.name for p in folder.iterdir() if p.suffix == ".svg" and not p.is_symlink()}
    names = [n for n in captions if n in present] + sorted(present - set(captions))
    out = []
    for name in names[:MAX_PICTURES]:
        target = f"{rel.slug}/{PICTURES}/{slug(name)}"
        site.write(target, read_bytes(folder / name, root=pkg.root, limit=MAX_PICTURE_BYTES))
        out.append((target, captions.get(name, "")))
    return out


def _links(rel: Release, pages: Iterable[Any]) -> dict[str, str]:
    """Each record id to its page, relative to the site's root (the first page of an id wins)."""
    links: dict[str, str] = {}
    for p in pages:
        links.setdefault(p.id, f"{rel.slug}/{slug(p.kind)}/{slug(p.id)}.html")
    return links


def _release(ctx: Context, rel: Release, pkg: Package, previous: tuple[Release, Package] | None) -> None:
    site = ctx.site
    tables = read_tables(pkg)
    pages = record_pages(pkg, ctx.texts)
    links = _links(rel, pages)
    titles = {p.id: p.title for p in pages}
    common = {"release": rel, "links": links, "titles": titles}
    bump = None
    if previous is not None:
        d = diff_packages(previous[1], pkg)
        bump = d.required_bump
        site.page(f"{rel.slug}/diff.html", "diff.html", diff=diff_page(d), previous=previous[0], **common)
    for t in tables:
        site.page(f"{rel.slug}/data/{slug(t.name)}.html", "resource.html", table=t, **common)
    for p in pages:
        site.page(links[p.id], "record.html", page=p, texts=ctx.texts is not None, **common)
    kinds: dict[str, int] = {}
    for p in pages:
        kinds[p.kind] = kinds.get(p.kind, 0) + 1
    download = None
    if rel.file and rel.source.is_file():
        download = f"downloads/{slug(rel.file)}"
        site.write(download, read_bytes(rel.source, limit=MAX_MEMBER_BYTES))
    title = str(pkg.descriptor.get("title") or pkg.descriptor.get("name") or "")
    built = Built(rel, title, tables, kinds, bump, download, pkg.descriptor.get("name") in ctx.loadable)
    built.pictures = _pictures(site, rel, pkg)
    ctx.built.append(built)
    by_kind = {k: [p for p in pages if p.kind == k] for k in kinds}
    site.page(
        f"{rel.slug}/index.html",
        "release.html",
        built=built,
        previous=previous[0] if previous else None,
        by_kind=by_kind,
        **common,
    )


def _home(ctx: Context, pkg: Package) -> None:
    d = pkg.descriptor
    latest = ctx.built[-1]
    people = [c.get("title") for c in d.get("contributors") or [] if isinstance(c, dict) and c.get("title")]
    year = (latest.release.date or "")[:4]
    cite = {
        "authors": ", ".join(map(str, people)) or str(d.get("name") or ""),
        "year": year,
        "title": latest.title,
        "version": latest.release.version,
        "url": d.get("homepage") if isinstance(d.get("homepage"), str) else "",
        "key": slug(str(d.get("name") or "data")).replace("-", "_").replace(".", "_"),
    }
    licenses = [x for x in d.get("licenses") or [] if isinstance(x, dict)]
    keywords = [str(k) for k in d.get("keywords") or [] if isinstance(k, (str, int, float))]
    ctx.site.page(
        "index.html",
        "home.html",
        descriptor=d,
        latest=latest,
        built=list(reversed(ctx.built)),
        cite=cite,
        licenses=licenses,
        keywords=keywords,
    )


def _loadable() -> set[str]:
    """The package names whose versions this library downloads by number (its bundled release index)."""
    from ..releases.resolve import bundled_index

    try:
        return {bundled_index()["name"]}
    except EnergyTiesError:
        return set()


def _build(folder: Path, releases: list[Release], texts: Path | None) -> Summary:
    site = Site(folder, "")
    ctx = Context(site, texts, _loadable())
    with ExitStack() as stack:
        previous: tuple[Release, Package] | None = None
        for rel in releases:
            pkg = stack.enter_context(open_package(rel.source))
            if not site.title:
                site.title = str(pkg.descriptor.get("title") or pkg.descriptor.get("name") or "Data package")
            _release(ctx, rel, pkg, previous)
            if previous is not None:
                previous[1].close()  # only the one before is compared with the next
            previous = (rel, pkg)
        assert previous is not None
        _home(ctx, previous[1])
    site.static()
    site.write(MARKER, b"A site built by `energy-ties site`; the next build replaces this folder.\n")
    return Summary(folder, len(releases), site.files, site.bytes)


def _check_out(out: Path) -> None:
    if not out.exists() and not out.is_symlink():
        return
    if out.is_symlink() or not out.is_dir():
        raise EnergyTiesError(f"{out}: exists and is not a folder; give a new folder for the site")
    if any(out.iterdir()) and not (out / MARKER).is_file():
        raise EnergyTiesError(f"{out}: is not empty and not a site built by energy-ties site; give a new folder")


def build_site(out: str | os.PathLike, releases: list[Release], *, texts: str | os.PathLike | None = None) -> Summary:
    """Write the site of ``releases`` (oldest first) to the folder ``out``, replacing a site built there before.

    ``texts``, a folder of the source texts, lets the record pages show each evidence span in its sentence;
    without it the site holds no text of the sources.
    """
    if not releases:
        raise EnergyTiesError("no releases to build a site of")
    check_order(releases)
    if texts is not None and not Path(texts).is_dir():
        raise EnergyTiesError(f"{texts}: no such folder (the source texts)")
    out = Path(out).absolute()
    _check_out(out)
    prefix = partial_prefix(out)
    for leftover in leftovers(out.parent, prefix):  # what a build killed half-way left
        remove(leftover)
    tmp = new_folder(out.parent, prefix)
    try:
        summary = _build(tmp, releases, Path(texts) if texts is not None else None)
        if out.exists():
            old = new_folder(out.parent, prefix)
            os.replace(out, old)
            os.replace(tmp, out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, out)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    summary.out = out
    return summary
