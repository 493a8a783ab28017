"""Exceptions with one-line messages that name the file, row and field at fault.

Every error a user can cause (bad input, bad arguments, a failed download)
is an :class:`EnergyTiesError`; the command line prints its message on one
line and exits non-zero instead of showing a traceback.
"""

from __future__ import annotations


class EnergyTiesError(Exception):
    """Base class: the message is a complete, single-line explanation."""

    exit_code = 2

    def __str__(self) -> str:  # keep messages on one line whatever they quote
        return " ".join(super().__str__().split())


class PackageReadError(EnergyTiesError):
    """A package, descriptor, schema or table cannot be read at all."""


class UnsafePathError(PackageReadError):
    """A descriptor or archive points outside its own folder."""


class ArchiveError(PackageReadError):
    """An archive is malformed, unsafe or too large to unpack."""


class DiffError(EnergyTiesError):
    """Two packages cannot be compared (duplicate keys, missing key columns...)."""


class ReleaseError(EnergyTiesError):
    """A release is inconsistent: version, changelog, archive or index."""

    exit_code = 1


class DownloadError(EnergyTiesError):
    """A release cannot be fetched, verified or found in the cache."""
