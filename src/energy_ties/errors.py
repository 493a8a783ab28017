"""Exceptions with one-line messages that name the file, row and field at fault.

Every error a user can cause (bad input, bad arguments, a failed download)
is an :class:`EnergyTiesError`; the command line prints its message on one
line and exits non-zero instead of showing a traceback.
"""

from __future__ import annotations

import re
from typing import Any

# DEL, C1 controls (0x9b is a one-byte ANSI escape), the Unicode line and paragraph separators and the
# bidirectional overrides: what a terminal acts on or reorders, beyond the C0 controls
_BEYOND_C0 = "\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
# with C0 too: what would break a line or reach the terminal as a command
_UNPRINTABLE = re.compile(f"[\x00-\x1f{_BEYOND_C0}]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(m: re.Match) -> str:
    ch = m.group(0)
    return _NAMED.get(ch) or (f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}")


def printable(text: str) -> str:
    """``text`` as one line that the terminal shows as it is: line breaks, tabs, ANSI escapes and other
    control characters written as Python escapes (``\\n``, ``\\x1b``)."""
    return _UNPRINTABLE.sub(_escape, text)


# what JSON may hold raw but a terminal would act on (json.dumps already escapes C0)
_JSON_UNSAFE = re.compile(f"[{_BEYOND_C0}]")


def json_printable(document: str) -> str:
    """A JSON document with the characters a terminal would act on written as JSON escapes (``\\u009b``): the
    same JSON value, safe to print.

    >>> json_printable('{"a": "\x9b31m"}')
    '{"a": "\\\\u009b31m"}'
    """
    if document.isascii() and "\x7f" not in document:  # DEL is the one such character in ASCII: no search
        return document
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", document)


class EnergyTiesError(Exception):
    """Base class: the message is a complete, single-line explanation."""

    exit_code = 2

    def __str__(self) -> str:  # keep messages on one line whatever they quote, and free of control characters
        return printable(" ".join(super().__str__().split()))


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


class UsageError(EnergyTiesError):
    """The arguments cannot be acted on (a missing default file, options that exclude each other)."""


class MissingExtraError(EnergyTiesError):
    """An optional dependency is not installed; the message names the extra that installs it."""


def require_extra(module: str, extra: str) -> Any:
    """Import ``module``, or raise :class:`MissingExtraError` naming the extra that installs it."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingExtraError(f"{module} is not installed: pip install 'energy-ties[{extra}]'") from None
