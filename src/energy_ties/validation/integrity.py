"""A resource's ``bytes`` and ``hash`` compared with its files, as frictionless compares them.

frictionless reads a ``hash`` without an algorithm as MD5 and compares MD5
and SHA-256 hashes only (another algorithm's hash is not compared), and
compares ``bytes`` when it is not 0. Both are of the files as stored, all
parts of a multipart resource one after the other. The errors, ``hash-count``
then ``byte-count``, come after every other error of the resource.
"""

from __future__ import annotations

import hashlib

from ..datapackage.model import Resource
from .report import Collector, Error

#: The algorithms frictionless compares.
ALGORITHMS = ("md5", "sha256")


def _declared_hash(value: object) -> tuple[str, str] | None:
    """(algorithm, lower-case hex digest) of a ``hash`` to compare, or None."""
    if not isinstance(value, str) or not value:
        return None
    algorithm, _, digest = value.rpartition(":")
    algorithm = algorithm.lower() or "md5"
    return (algorithm, digest.lower()) if algorithm in ALGORITHMS else None


def check_integrity(res: Resource, collector: Collector) -> None:
    """Compare the declared ``bytes`` and ``hash`` with the resource's files (when both can be read)."""
    if not res.integrity or res.problems or not res.paths:
        return
    size = res.descriptor.get("bytes")
    expected_size = size if isinstance(size, int) and not isinstance(size, bool) and size else None
    declared = _declared_hash(res.descriptor.get("hash"))
    if expected_size is None and declared is None:
        return
    digest = hashlib.new(declared[0]) if declared else None
    actual_size = 0
    try:
        for path in res.paths:
            with open(path, "rb") as fh:
                while chunk := fh.read(1 << 20):
                    actual_size += len(chunk)
                    if digest is not None:
                        digest.update(chunk)
    except OSError as exc:
        collector.add(Error("scheme-error", res.name, None, None, f"{res.label}: cannot be read ({exc.strerror})"))
        return
    if declared is not None and digest is not None and digest.hexdigest() != declared[1]:
        collector.add(
            Error(
                "hash-count",
                res.name,
                None,
                None,
                f'{res.label}: the data does not match the expected hash: expected is "{declared[1]}" '
                f'and actual is "{digest.hexdigest()}"',
            )
        )
    if expected_size is not None and actual_size != expected_size:
        collector.add(
            Error(
                "byte-count",
                res.name,
                None,
                None,
                f'{res.label}: the data does not match the expected byte count: expected is "{expected_size}" '
                f'and actual is "{actual_size}"',
            )
        )
