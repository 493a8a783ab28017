"""energy_ties.files: atomic writes that leave files as a plain write would."""

from __future__ import annotations

import os

import pytest

from energy_ties.files import write_bytes


@pytest.mark.skipif(not hasattr(os, "fchmod"), reason="POSIX file modes")
@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002])
def test_atomic_writes_get_the_mode_a_plain_open_gives(tmp_path, umask):
    old = os.umask(umask)
    try:
        write_bytes(tmp_path / "atomic", b"x")
        (tmp_path / "plain").write_bytes(b"x")
    finally:
        os.umask(old)
    assert (tmp_path / "atomic").stat().st_mode == (tmp_path / "plain").stat().st_mode
    assert (tmp_path / "atomic").read_bytes() == b"x" and sorted(p.name for p in tmp_path.iterdir()) == [
        "atomic",
        "plain",
    ]
