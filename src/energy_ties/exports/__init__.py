"""Exports: any data package's tables into the formats analysts open (SQLite, DuckDB, Parquet, xlsx).

Every resource is written with its Table Schema's types, keys and
descriptions, as far as the format can declare them; every file is written
through :mod:`energy_ties.files`, atomically. Engine-level: it knows Table
Schemas, not this dataset, and sits beside ``releases`` and ``dataset``.
"""

from .writers import FORMATS, export

__all__ = ["FORMATS", "export"]
