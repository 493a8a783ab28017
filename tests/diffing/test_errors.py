"""Packages diff cannot compare: a clear error naming the table, the key and the side."""

from __future__ import annotations

import copy

import pytest

from energy_ties import diff
from energy_ties.errors import DiffError, EnergyTiesError
from helpers.diffpkg import ITEMS, write


def test_duplicate_keys_on_either_side_are_a_clear_error(tmp_path):
    a = write(tmp_path / "a", {1: {"name": "x", "amount": 1.0, "day": None, "kind": "a"}}, [])
    b = write(tmp_path / "b", {1: {"name": "x", "amount": 1.0, "day": None, "kind": "a"}}, [])
    (b.parent / "items.csv").write_text("id,name,amount,day,kind\n1,x,1.0,,a\n1,y,2.0,,b\n")
    with pytest.raises(DiffError, match="items: 1 duplicate primary key value.*new package.*{'id': 1}"):
        diff(a, b)
    with pytest.raises(DiffError, match="old package"):
        diff(b, a)


def test_a_key_column_missing_from_the_data_is_a_clear_error(tmp_path):
    a = write(tmp_path / "a", {1: {"name": "x", "amount": 1.0, "day": None, "kind": "a"}}, [])
    b = write(tmp_path / "b", {1: {"name": "x", "amount": 1.0, "day": None, "kind": "a"}}, [])
    (b.parent / "items.csv").write_text("name,amount,day,kind\nx,1.0,,a\n")
    with pytest.raises(EnergyTiesError, match="items.csv: row 1: the header has no column 'id'"):
        diff(a, b)


def test_incompatible_key_types_are_a_clear_error(tmp_path):
    a = write(tmp_path / "a", {1: {"name": "x", "amount": 1.0, "day": None, "kind": "a"}}, [])
    schema = copy.deepcopy(ITEMS)
    schema["fields"][0]["type"] = "string"
    b = write(tmp_path / "b", {1: {"name": "x", "amount": 1.0, "day": None, "kind": "a"}}, [], items_schema=schema)
    with pytest.raises(DiffError, match="key column 'id' has type int64 in the old package and string in the new"):
        diff(a, b)


def test_running_out_of_memory_is_a_one_line_error(tmp_path, monkeypatch):
    import pyarrow as pa

    from energy_ties.diffing import spilled

    a = write(tmp_path / "a", {1: {"name": "x", "amount": 1.0, "day": None, "kind": "a"}}, [])
    b = write(tmp_path / "b", {1: {"name": "x", "amount": 1.0, "day": None, "kind": "a"}}, [])

    def exhausted(*args, **kwargs):
        raise pa.ArrowMemoryError("malloc of size 4194368 failed")

    monkeypatch.setattr(spilled, "typed_batches", exhausted)
    with pytest.raises(
        DiffError, match="^not enough memory to compare .* holds up to [0-9.]+ MiB of their rows, and the"
    ):
        diff(a, b)
