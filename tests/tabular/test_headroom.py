"""Room under a data limit: what /proc/self/status and the limit say, and a reader refused without room."""

from __future__ import annotations

import resource
import subprocess
import sys

import pytest

LIMIT = 600 << 20

CHILD = """
import json
from energy_ties.tabular.headroom import READER_BASE, READER_BLOCKS, data_limit, ensure_room_for_reader, headroom
before = headroom()
held = bytearray(100 << 20)  # 100 MiB, mapped and touched
after = headroom()
refused = []
for block in (1 << 20, ((before or 1 << 40) - READER_BASE) // READER_BLOCKS + (1 << 20)):
    try:
        ensure_room_for_reader(block)
        refused.append(False)
    except MemoryError as exc:
        refused.append(str(exc))
print(json.dumps({"limit": data_limit(), "before": before, "after": after, "refused": refused}))
"""


def _child(limit: int | None) -> dict:
    import json

    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))

    r = subprocess.run(
        [sys.executable, "-c", CHILD],
        capture_output=True,
        text=True,
        check=True,
        preexec_fn=limited if limit else None,
    )
    return json.loads(r.stdout)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc/self/status is Linux's")
def test_headroom_is_the_limit_less_what_is_mapped_and_a_reader_needs_room():
    got = _child(LIMIT)
    assert got["limit"] == LIMIT
    assert 0 < got["before"] < LIMIT
    assert got["before"] - got["after"] >= 100 << 20  # the bytearray counts against the limit
    assert got["refused"][0] is False
    assert got["refused"][1].endswith("MiB left under the data limit, too little to open a CSV reader")


def test_without_a_limit_nothing_is_refused():
    if any(resource.getrlimit(r)[0] != resource.RLIM_INFINITY for r in (resource.RLIMIT_DATA, resource.RLIMIT_AS)):
        pytest.skip("this process runs under a data or address-space limit")
    got = _child(None)
    assert got == {"limit": None, "before": None, "after": None, "refused": [False, False]}


def test_the_room_asked_is_the_blocks_a_file_can_fill_and_less_once_a_reader_started(monkeypatch):
    from energy_ties.tabular import headroom as h

    block, small = 16 << 20, 5_000
    monkeypatch.setattr(h, "_started", [])
    monkeypatch.setattr(h, "headroom", lambda: h.READER_BASE + 3 * block)
    with pytest.raises(MemoryError):
        h.ensure_room_for_reader(block)  # four blocks and the threads' room do not fit
    with pytest.raises(MemoryError):
        h.ensure_room_for_reader(block, stored=block * 2)  # the file fills every block
    h.ensure_room_for_reader(block, stored=small)  # a 5 kB file holds 5 kB a block
    monkeypatch.setattr(h, "headroom", lambda: h.READER_SLACK + 4 * small)
    with pytest.raises(MemoryError):
        h.ensure_room_for_reader(block, stored=small)  # the first reader starts Arrow's threads
    h.reader_started()
    h.ensure_room_for_reader(block, stored=small)
    monkeypatch.setattr(h, "headroom", lambda: None)  # no limit: never refused
    monkeypatch.setattr(h, "_started", [])
    h.ensure_room_for_reader(1 << 40)
