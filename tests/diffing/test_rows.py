"""Row alignment: the sorted-key shortcut pairs rows exactly as the join does."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st


@settings(max_examples=60)
@given(st.lists(st.integers(-50, 50), unique=True), st.lists(st.integers(-50, 50), unique=True))
def test_the_sorted_key_shortcut_aligns_rows_as_the_join_does(old_keys, new_keys):
    import pyarrow as pa

    from energy_ties.diffing.rows import _align, _align_sorted

    a = pa.table({"id": pa.array(sorted(old_keys), pa.int64())})
    b = pa.table({"id": pa.array(sorted(new_keys), pa.int64())})
    fast, slow = _align_sorted(a, b, ["id"]), _align(a, b, ["id"])
    assert fast is not None
    assert [x.to_pylist() for x in fast] == [x.to_pylist() for x in slow]
