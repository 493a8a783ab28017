"""A data package opened for reading: its descriptor, and each resource with its paths and schema resolved."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import PackageReadError
from ..tabular.jsonschemas import NONE as NO_REFERENCES
from ..tabular.jsonschemas import References
from ..tabular.schema import Schema


@dataclass
class Resource:
    """One resource of a package with its paths resolved and its schema read.

    ``problems`` holds (error type, message) pairs for anything that keeps the
    resource from being read: the validator reports them, the loader raises.
    """

    name: str
    descriptor: dict
    paths: list[Path] = field(default_factory=list)
    schema: Schema | None = None
    schema_descriptor: dict | None = None
    schema_path: Path | None = None
    dialect: dict = field(default_factory=dict)
    problems: list[tuple[str, str]] = field(default_factory=list)
    references: References = NO_REFERENCES  # where its jsonSchema constraints' $refs may lead

    @property
    def inline(self) -> Any:
        return self.descriptor.get("data")

    @property
    def encoding(self) -> str:
        enc = self.descriptor.get("encoding") or "utf-8"
        return enc if isinstance(enc, str) else "utf-8"

    @property
    def format(self) -> str:
        fmt = self.descriptor.get("format")
        return fmt if isinstance(fmt, str) else ""

    @property
    def label(self) -> str:
        if self.paths:
            return "+".join(p.name for p in self.paths)
        return self.name

    def readable(self) -> Resource:
        """This resource, if nothing keeps it from being read as a table; else its first problem, raised."""
        if self.problems:
            raise PackageReadError(self.problems[0][1])
        return self


@dataclass
class Package:
    """A package opened for reading; use as a context manager to clean up unpacked archives."""

    root: Path
    descriptor_path: Path
    descriptor: dict
    resources: list[Resource]
    source_label: str
    _tmp: tempfile.TemporaryDirectory | None = None

    def __enter__(self) -> Package:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    @property
    def version(self) -> str | None:
        v = self.descriptor.get("version")
        return v if isinstance(v, str) else None

    def resource(self, name: str) -> Resource:
        for r in self.resources:
            if r.name == name:
                return r
        known = ", ".join(r.name for r in self.resources)
        raise PackageReadError(f"{self.source_label}: no resource named {name!r} (resources: {known})")
