"""Row alignment: the sorted-key shortcut pairs rows exactly as the join does."""

from __future__ import annotations

import pyarrow as pa
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


texts = st.text(st.sampled_from("ab\x00é~ 0"), max_size=4) | st.text(max_size=3)


@settings(max_examples=150)
@given(st.lists(texts, unique=True), st.lists(texts, unique=True), st.lists(texts, max_size=3), st.booleans())
def test_the_sorted_key_shortcut_aligns_text_keys_as_the_join_does(old_keys, new_keys, shared, chunked):
    """Text keys in UTF-8 byte order (Arrow's), of any width, with NULs, empty and beyond ASCII; the shortcut
    may decline (None) but never pairs rows otherwise than the join."""
    from energy_ties.diffing.rows import _align, _align_sorted

    def table(keys: list[str]) -> pa.Table:
        ordered = sorted(set(keys), key=lambda k: k.encode())
        t = pa.table({"id": pa.array(ordered, pa.string())})
        return pa.Table.from_batches(t.to_batches(max_chunksize=2)) if chunked and len(t) else t

    a, b = table(old_keys + shared), table(new_keys + shared)
    fast, slow = _align_sorted(a, b, ["id"]), _align(a, b, ["id"])
    plain = all("\x00" not in k and k.isascii() for k in old_keys + new_keys + shared)
    assert fast is not None or not plain
    if fast is not None:
        assert [x.to_pylist() for x in fast] == [x.to_pylist() for x in slow]


unique_keys = st.one_of(
    st.lists(st.text(max_size=3), unique=True).map(lambda v: (v, pa.string())),
    st.lists(st.integers(-50, 50), unique=True).map(lambda v: (v, pa.int64())),
    st.lists(st.dates(), unique=True).map(lambda v: (v, pa.date32())),
)


@settings(max_examples=100)
@given(unique_keys, st.data(), st.booleans())
def test_the_unique_key_lookup_aligns_rows_as_the_join_does(old, data, sort):
    from energy_ties.diffing.rows import _align, _align_unique

    values, t = old
    new = data.draw(st.lists(st.sampled_from(values) if values else st.nothing(), unique=True) | st.just([]))
    new = new + [v for v in data.draw(unique_keys.filter(lambda k: k[1] == t))[0] if v not in values]
    if sort:
        values, new = sorted(values), sorted(new)
    a, b = pa.table({"id": pa.array(values, t)}), pa.table({"id": pa.array(new, t)})
    fast, slow = _align_unique(a, b, ["id"]), _align(a, b, ["id"])
    assert fast is not None
    assert [x.to_pylist() for x in fast] == [x.to_pylist() for x in slow]


def test_the_unique_key_lookup_leaves_repeated_and_null_keys_to_the_join():
    from energy_ties.diffing.rows import _align_unique

    b = pa.table({"id": pa.array(["a", "b"])})
    assert _align_unique(pa.table({"id": pa.array(["a", "a"])}), b, ["id"]) is None
    assert _align_unique(pa.table({"id": pa.array(["a", None])}), b, ["id"]) is None
    assert _align_unique(pa.table({"id": pa.array([1.0, 2.0])}), pa.table({"id": pa.array([1.0])}), ["id"]) is None


@given(st.lists(st.integers(0, 40), unique=True), st.booleans(), st.integers(1, 7))
def test_rows_at_takes_the_rows_take_takes(at, ordered, chunk):
    from energy_ties.diffing.rows import rows_at

    table = pa.Table.from_batches(
        pa.table({"i": list(range(41)), "s": [f"v{i}" for i in range(41)]}).to_batches(max_chunksize=chunk)
    )
    index = pa.array(sorted(at) if ordered else at, pa.int64())
    assert rows_at(table, index).equals(table.take(index))


def test_fields_of_empty_cells_on_both_sides_are_equal():
    from energy_ties.diffing.rows import equal_columns

    assert equal_columns(pa.chunked_array([pa.nulls(3)]), pa.chunked_array([pa.nulls(3)]), 0.0).tolist() == [True] * 3
