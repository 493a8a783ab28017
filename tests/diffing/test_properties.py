"""diff and apply, stated as properties over generated packages.

- diff(a, a) is empty and demands no bump;
- apply(a, diff(a, b)) gives b's rows;
- diff(b, a) is diff(a, b) turned around: added and removed swap, old and new values swap.
"""

from __future__ import annotations

import json

from hypothesis import given, settings

from energy_ties import apply, diff
from helpers.diffpkg import read_rows, same_rows, tables, write


@settings(max_examples=60)
@given(tables())
def test_a_package_against_itself_is_empty(scratch, t):
    path = write(scratch / "a", *t)
    d = diff(path, path)
    assert not d.changed and d.required_bump == "none" and d.reasons == []


@settings(max_examples=80)
@given(tables(), tables())
def test_apply_rebuilds_the_new_rows(scratch, ta, tb):
    a = write(scratch / "a", *ta)
    b = write(scratch / "b", *tb)
    assert same_rows(apply(a, diff(a, b)), read_rows(b))


def _summary(d):
    out = {}
    for name, r in d.resources.items():
        added = sorted(json.dumps(x, sort_keys=True, default=str) for x in (r.added.to_pylist() if r.added else []))
        removed = sorted(
            json.dumps(x, sort_keys=True, default=str) for x in (r.removed.to_pylist() if r.removed else [])
        )
        cells = sorted(
            json.dumps([m.key, f, o, n], sort_keys=True, default=str)
            for m in r.modified
            for f, (o, n) in m.cells.items()
        )
        out[name] = (added, removed, cells)
    return out


@settings(max_examples=60)
@given(tables(), tables())
def test_diff_the_other_way_swaps_added_removed_old_and_new(scratch, ta, tb):
    a = write(scratch / "a", *ta)
    b = write(scratch / "b", *tb)
    forward, backward = _summary(diff(a, b)), _summary(diff(b, a))
    for name, (added, removed, cells) in forward.items():
        b_added, b_removed, b_cells = backward[name]
        assert (b_added, b_removed) == (removed, added)
        swapped = sorted(
            json.dumps([json.loads(c)[0], json.loads(c)[1], json.loads(c)[3], json.loads(c)[2]], sort_keys=True)
            for c in cells
        )
        assert b_cells == swapped
