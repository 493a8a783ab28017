"""A data package opened for reading: its descriptor, and each resource with its paths and schema resolved."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import PackageReadError
from ..tabular import compression
from ..tabular.formats import TABLE_FORMATS, table_format
from ..tabular.jsonschemas import NONE as NO_REFERENCES
from ..tabular.jsonschemas import References
from ..tabular.schema import Schema


@dataclass
class Resource:
    """One resource of a package with its paths resolved and its schema read.

    ``problems`` holds (error type, message) pairs for anything that keeps the
    resource from being read (its data's place, its schema, its dialect): the
    validator reports them and reads no table, the loader raises the first.
    ``notes`` holds the descriptor's other problems (a title that is not a
    string, a ``bytes`` that is not an integer): reported, but nothing that
    reads the data needs the property. ``integrity`` is False when ``bytes``
    or ``hash`` cannot be compared with the file.
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
    notes: list[tuple[str, str]] = field(default_factory=list)
    integrity: bool = True

    @property
    def has_schema(self) -> bool:
        """Whether the descriptor gives a schema (when it does not, the validator reads the table without one)."""
        return self.descriptor.get("schema") is not None

    @property
    def is_table(self) -> bool:
        """Whether the validator reads the resource as a table: it is declared ``type: table`` (or v1's
        ``tabular-data-resource``), or it has a schema or a tabular format (CSV, TSV, JSON Lines, a
        spreadsheet), declared or by its files' suffix; a JSON file only when declared a table, and a
        compressed file only when its format is known (``t.zip`` is a file), as frictionless reads them.

        Data Resource v2: "If property `type` is not provided, the resource is considered to be a
        non-specific file. An implementation `MAY` provide some additional interfaces, for example, tabular,
        to non-specific files if `type` can be detected from the data source or format." frictionless reads
        such files as tables; so does this validator.
        """
        d = self.descriptor
        if d.get("type") == "table" or d.get("profile") == "tabular-data-resource":
            return True
        fmt = table_format(self)
        if fmt == "json" or (not fmt and self.compression and not isinstance(self.inline, str)):
            return False
        return self.has_schema or fmt in TABLE_FORMATS

    @property
    def compression(self) -> str:
        if "compression" in self.descriptor:
            return compression.declared(self.descriptor["compression"])
        return compression.of_suffix(self.paths[0]) if self.paths else ""

    @property
    def inner_path(self) -> str | None:
        inner = self.descriptor.get("innerpath")
        return inner if isinstance(inner, str) else None

    @property
    def inline(self) -> Any:
        return self.descriptor.get("data")

    @property
    def encoding(self) -> str:
        if isinstance(self.inline, str):  # text in the descriptor: what it was decoded from does not matter
            return "utf-8"
        enc = self.descriptor.get("encoding") or "utf-8"
        return enc if isinstance(enc, str) else "utf-8"

    @property
    def format(self) -> str:
        fmt = self.descriptor.get("format")
        return fmt if isinstance(fmt, str) else ""

    @property
    def mediatype(self) -> str:
        value = self.descriptor.get("mediatype")
        return value if isinstance(value, str) else ""

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
