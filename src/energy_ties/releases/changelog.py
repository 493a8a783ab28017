"""A Keep a Changelog file: its version sections and their dates, and the file as released with one version."""

from __future__ import annotations

import datetime as dt
import re

from ..errors import ReleaseError
from .semver import is_version, version_key

CHANGELOG = "CHANGELOG.md"
_SECTION = re.compile(r"^## \[(?P<label>[^\]]+)\][^\S\n]*(?:-[^\S\n]*(?P<date>\S+))?[^\S\n]*$", re.M)
_LINK = re.compile(r"^\[(?P<label>[^\]]+)\]:[^\S\n]+\S.*\n?", re.M)


def _sections(text: str) -> tuple[str, list[tuple[str, str | None, str]]]:
    """The text above the first ``## [...]`` heading, and (label, date, section text) for each section."""
    heads = list(_SECTION.finditer(text))
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
