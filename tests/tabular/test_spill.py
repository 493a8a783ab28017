"""Key columns compared in DuckDB on disk give the report the in-memory Arrow path gives.

``validate(key_memory=N)`` moves a table's key columns to DuckDB once N bytes are held; a budget of a few
bytes forces that path on the generated faulty tables of helpers/faulty.py (duplicate and null primary
keys, unique fields, foreign keys into and within tables, numbers beyond 64 bits held as text, NaN), and
small Arrow blocks make the move happen part way through a table, where batches already held in memory
join those sent on.
"""

from __future__ import annotations

import pyarrow as pa
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from energy_ties.tabular.keys import KeyColumns, increasing
from energy_ties.tabular.spill import KeyStore, lean_allocators
from helpers.batches import bom_in_a_tiny_block, has_quoted_crlf, report
from helpers.faulty import case, write


@settings(max_examples=150)
@given(generated=case(), budget=st.sampled_from([0, 1, 300, 3000]), block=st.sampled_from([None, 7, 64]))
def test_keys_in_duckdb_give_the_in_memory_report(scratch, generated, budget, block):
    assume(block is None or not (has_quoted_crlf(generated) or bom_in_a_tiny_block(generated, block)))
    path = write(scratch, *generated)
    expected = report(path, block_bytes=block)
    got = report(path, block_bytes=block, key_memory=budget)
    assert got[1] == expected[1]
    assert got[0] == expected[0]


keys = st.one_of(
    st.lists(st.integers(-3, 3), max_size=12).map(lambda v: pa.array(v, pa.int64())),
    st.lists(st.sampled_from(["", "a", "ab", "b", "é"]), max_size=12).map(lambda v: pa.array(v, pa.string())),
    st.lists(st.floats(-2, 2, allow_nan=False), max_size=12).map(lambda v: pa.array(v, pa.float64())),
)


@given(st.lists(keys, min_size=1, max_size=3).filter(lambda cs: len({len(c) for c in cs}) == 1), st.integers(0, 12))
def test_increasing_is_the_sorted_strictly_test_of_python_tuples(cols, cut):
    n = len(cols[0])
    table = pa.table({**{f"k{i}": c for i, c in enumerate(cols)}, "row": pa.array(range(n), pa.int64())})
    tuples = list(zip(*(c.to_pylist() for c in cols)))
    expected = all(a < b for a, b in zip(tuples, tuples[1:]))
    cut = min(cut, n)
    first, second = table.slice(0, cut), table.slice(cut)
    whole = increasing(first, None, len(cols)) and (
        not second.num_rows or increasing(second, first.slice(cut - 1) if cut else None, len(cols))
    )
    assert whole == expected


def test_a_column_whose_batches_differ_in_type_is_text_in_duckdb_as_in_memory():
    with KeyStore(budget=0) as store:
        spilled, held = KeyColumns(("n",), ("number",), store), KeyColumns(("n",), ("number",))
        for kc in (spilled, held):
            kc.add({"n": pa.array([1, 2], pa.int64())}, pa.array([2, 3]).to_numpy())
            kc.add({"n": pa.array(["18446744073709551616", "1"])}, pa.array([4, 5]).to_numpy())
        assert spilled.spilled is not None and held.spilled is None
        back = pa.concat_tables(spilled.spilled.batches('SELECT * FROM {t} ORDER BY "row"'))
        assert back.to_pylist() == held.table().to_pylist()


def test_lean_allocators_hand_arrow_the_system_pool_and_give_the_old_one_back():
    before = pa.default_memory_pool().backend_name
    with lean_allocators():
        assert pa.default_memory_pool().backend_name == "system"
        kept = pa.array(range(1000))  # a buffer made inside outlives the switch
    assert pa.default_memory_pool().backend_name == before
    assert kept.sum().as_py() == sum(range(1000))


def test_small_pages_turn_huge_pages_off_inside_and_back_on_after():
    import ctypes
    import sys

    import pytest

    from energy_ties.tabular.spill import small_pages

    if not sys.platform.startswith("linux"):
        pytest.skip("prctl is Linux's")
    prctl = ctypes.CDLL(None).prctl
    before = prctl(42, 0, 0, 0, 0)  # PR_GET_THP_DISABLE
    with small_pages():
        assert prctl(42, 0, 0, 0, 0) == 1
    assert prctl(42, 0, 0, 0, 0) == before
