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
