"""A Keep a Changelog file: its version sections and their dates, and the file as released with one version."""

from __future__ import annotations

import datetime as dt
import re

from ..errors import ReleaseError
from .semver import is_version, version_key

CHANGELOG = "CHANGELOG.md"
_SECTION = re.compile(r"^## \[(?P<label>[^\]]+)\][^\S\n]*(?:-[^\S\n]*(?P<date>\S+))?[^\S\n]*$", re.M)
_LINK = re.compile(r"^\[(?P<label>[^\]]+)\]:[^\S\n]+\S.*\n?", re.M)
_FENCE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})", re.M)


def _fenced(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the fenced code blocks (CommonMark: ``` or ~~~, closed by a fence as long)."""
    spans = []
    opened: re.Match | None = None
    for m in _FENCE.finditer(text):
        if opened is None:
            opened = m
        elif m["fence"][0] == opened["fence"][0] and len(m["fence"]) >= len(opened["fence"]):
            spans.append((opened.start(), m.end()))
            opened = None
    if opened is not None:  # an unclosed fence runs to the end of the text
        spans.append((opened.start(), len(text)))
    return spans


def _sections(text: str) -> tuple[str, list[tuple[str, str | None, str]]]:
    """The text above the first ``## [...]`` heading, and (label, date, section text) for each section."""
    fences = _fenced(text)
    heads = [h for h in _SECTION.finditer(text) if not any(a <= h.start() < b for a, b in fences)]
    if not heads:
        return text, []
    out = []
    for h, nxt in zip(heads, heads[1:] + [None]):
        body = text[h.start() : nxt.start() if nxt else len(text)]
        out.append((h["label"], h["date"], _LINK.sub("", body)))
    return text[: heads[0].start()], out


def release_date(changelog: str, version: str, label: str = CHANGELOG) -> str:
    """The date of ``## [version] - YYYY-MM-DD``; a ReleaseError when the section or its date is missing."""
    for name, date, _ in _sections(changelog)[1]:
        if name != version:
            continue
        try:
            return dt.date.fromisoformat(date or "").isoformat()
        except ValueError:
            raise ReleaseError(
                f"{label}: the heading of version {version} needs a date (## [{version}] - YYYY-MM-DD), got {date!r}"
            ) from None
    raise ReleaseError(
        f"{label}: no section for version {version}; add '## [{version}] - YYYY-MM-DD' before building the release"
    )


def cut_changelog(changelog: str, version: str) -> str:
    """The changelog as released with ``version``: its sections up to ``version``, their links only."""
    head, sections = _sections(changelog)
    key = version_key(version)
    kept = [(name, body) for name, _, body in sections if is_version(name) and version_key(name) <= key]
    names = {name for name, _ in kept}
    links = [m.group(0).rstrip("\n") for m in _LINK.finditer(changelog) if m["label"] in names]
    parts = [head.rstrip("\n")] + [body.strip("\n") for _, body in kept]
    if links:
        parts.append("\n".join(links))
    return "\n\n".join(p for p in parts if p) + "\n"


def changelog_sections(text: str) -> dict[str, str | None]:
    """Versions with a section in a Keep a Changelog text, and each section's date (or None)."""
    return {name: date for name, date, _ in _sections(text)[1] if name.lower() != "unreleased"}


def section_problem(text: str, version: str) -> str | None:
    """Why ``text`` has no usable section for ``version`` (a heading ``## [X.Y.Z] - YYYY-MM-DD``), or None.

    The same test as :func:`release_date`, which build-release applies: what check-release accepts, it builds.
    """
    try:
        release_date(text, version)
    except ReleaseError as exc:
        return str(exc).split(": ", 1)[1]
    return None
