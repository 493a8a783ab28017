"""Zip archives: unpack safely, and write reproducibly.

Unpacking refuses anything that could write outside the target folder
(absolute names, ``..``, links) and stops archives that decompress beyond a
bound, counting the bytes actually produced rather than trusting the header.
Writing sorts entries and fixes timestamps and permissions so that the same
files always give the same bytes, and therefore the same SHA-256.
"""

from __future__ import annotations

import io
import stat
import zipfile
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

from ..errors import ArchiveError
from ..files import MAX_RATIO, MAX_UNPACKED_BYTES, RATIO_FLOOR, open_regular

#: Default ceiling on the number of entries of one archive.
MAX_ENTRIES = 10_000
#: Timestamp written into every entry of a reproducible archive (the zip epoch).
FIXED_DATE = (1980, 1, 1, 0, 0, 0)
_CHUNK = 1 << 16
#: What reading an entry may raise: RuntimeError for an encrypted one, NotImplementedError for a compression
#: method zipfile lacks.
_ENTRY_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, RuntimeError, NotImplementedError)


def safe_member_path(name: str, archive: str) -> PurePosixPath | None:
    """The relative path an entry would unpack to, or an ArchiveError if it escapes.

    Directory entries return None (folders are created as files need them).
    """
    unified = name.replace("\\", "/")
    if unified.startswith("/") or (len(unified) > 1 and unified[1] == ":"):
        raise ArchiveError(f"{archive}: entry {name!r} has an absolute path; refusing to unpack")
    parts = [p for p in unified.split("/") if p not in ("", ".")]
    if any(p == ".." for p in parts):
        raise ArchiveError(f"{archive}: entry {name!r} escapes the archive folder ('..'); refusing to unpack")
    if not parts or unified.endswith("/"):
        return None
    return PurePosixPath(*parts)


def _check_ratio(info: zipfile.ZipInfo, size: int, label: str) -> None:
    """Refuse an entry that inflates beyond MAX_RATIO times its compressed size (past RATIO_FLOOR bytes)."""
    if size > RATIO_FLOOR and size > MAX_RATIO * max(info.compress_size, 1):
        raise ArchiveError(
            f"{label}: entry {info.filename!r} inflates more than {MAX_RATIO} times its compressed size "
            f"({info.compress_size} bytes); refusing to unpack a likely zip bomb"
        )


def _is_link(info: zipfile.ZipInfo) -> bool:
    mode = info.external_attr >> 16
    return stat.S_ISLNK(mode)


def unpack(archive: Path, dest: Path, *, max_bytes: int = MAX_UNPACKED_BYTES, max_entries: int = MAX_ENTRIES) -> None:
    """Unpack ``archive`` into the existing, empty folder ``dest``.

    Raises ArchiveError for a malformed archive, an unsafe entry or an archive
    that unpacks to more than ``max_bytes``. On error ``dest`` may hold part of
    the archive: callers unpack into a temporary folder and rename it into place
    only on success.
    """
    label = archive.name
    fh = open_regular(archive, what=label)  # a FIFO or a device is refused, never waited on
    try:
        zf = zipfile.ZipFile(fh)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        fh.close()
        raise ArchiveError(f"{label}: not a readable zip archive ({exc})") from None
    with fh, zf:
        infos = zf.infolist()
        if len(infos) > max_entries:
            raise ArchiveError(f"{label}: {len(infos)} entries exceed the limit of {max_entries}")
        plans = []
        declared = 0
        for info in infos:
            rel = safe_member_path(info.filename, label)
            if _is_link(info):
                raise ArchiveError(f"{label}: entry {info.filename!r} is a link; refusing to unpack")
            if rel is None:
                continue
            _check_ratio(info, info.file_size, label)
            declared += info.file_size
            plans.append((info, rel))
        if declared > max_bytes:
            raise ArchiveError(
                f"{label}: unpacks to {declared} bytes, over the limit of {max_bytes}; refusing to unpack"
            )
        written = 0
        for info, rel in plans:
            target = dest.joinpath(*rel.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                with zf.open(info) as src, open(target, "xb") as out:
                    entry = 0
                    while True:
                        chunk = src.read(_CHUNK)
                        if not chunk:
                            break
                        entry += len(chunk)
                        _check_ratio(info, entry, label)  # the bytes produced, whatever the header claims
                        written += len(chunk)
                        if written > max_bytes:
                            raise ArchiveError(
                                f"{label}: unpacks to more than {max_bytes} bytes (entry "
                                f"{info.filename!r}); refusing to unpack"
                            )
                        out.write(chunk)
            except FileExistsError:
                raise ArchiveError(f"{label}: entry {info.filename!r} appears twice") from None
            except _ENTRY_ERRORS as exc:
                raise ArchiveError(f"{label}: entry {info.filename!r} is corrupt ({exc})") from None


def reproducible_zip(entries: Mapping[str, bytes]) -> bytes:
    """The bytes of a zip holding ``entries`` ({POSIX name: content}).

    Entries are sorted, dated 1980-01-01, mode 0644, deflated at level 9, so the
    bytes depend on the names and contents only. Built in memory, so a release
    can be hashed (and checked against its index) without writing it.
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=FIXED_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = (stat.S_IFREG | 0o644) << 16
            info.create_system = 3  # Unix, so the mode bits are honoured everywhere
            zf.writestr(info, entries[name], compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return buffer.getvalue()
