"""The tabular engine: CSV into text batches, cells into typed values, constraints and keys.

It knows Table Schemas and dialects, nothing of data packages: a table comes
in as a :class:`~energy_ties.tabular.source.TableSource`.
"""
