"""What the table reader needs to know of a table, whatever holds it (a data package resource, a file)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

from .schema import Schema


class TableSource(Protocol):
    """A table to read: its files (or inline rows), how they are encoded, and the schema that types them."""

    @property
    def name(self) -> str: ...

    @property
    def paths(self) -> list[Path]: ...

    @property
    def schema(self) -> Schema | None: ...

    @property
    def dialect(self) -> dict: ...

    @property
    def inline(self) -> Any: ...

    @property
    def encoding(self) -> str: ...

    @property
    def format(self) -> str: ...

    @property
    def label(self) -> str:
        """How errors name the table: its file names, or its name."""
        ...
