"""Reproducible zips: the bytes depend only on the names and contents, and unpack to the same files."""

from __future__ import annotations

import os

from hypothesis import given, settings
from hypothesis import strategies as st

from energy_ties.datapackage import archive
from energy_ties.files import write_bytes

names = st.lists(
    st.text("abcxyz_-.", min_size=1, max_size=6).filter(lambda s: s not in (".", "..")), min_size=1, max_size=3
).map("/".join)


@settings(max_examples=40)
@given(files=st.dictionaries(names, st.binary(max_size=300), min_size=1, max_size=6), seed=st.randoms())
def test_archive_bytes_depend_only_on_names_and_contents(tmp_path_factory, files, seed):
    # a name that is also a folder of another name cannot be written to disk
    files = {n: c for n, c in files.items() if not any(o.startswith(n + "/") for o in files)}
    outs = []
    for _ in range(2):
        root = tmp_path_factory.mktemp("files")
        order = list(files)
        seed.shuffle(order)  # written in another order, with other times and modes
        for n in order:
            (root / n).parent.mkdir(parents=True, exist_ok=True)
            (root / n).write_bytes(files[n])
            os.utime(root / n, (seed.randrange(1, 2**31), seed.randrange(1, 2**31)))
            (root / n).chmod(seed.choice([0o600, 0o644, 0o755]))
        write_bytes(root / "out.zip", archive.reproducible_zip({n: (root / n).read_bytes() for n in order}))
        outs.append((root / "out.zip").read_bytes())
    assert outs[0] == outs[1]
    unpacked = tmp_path_factory.mktemp("unpacked")
    archive.unpack(root / "out.zip", unpacked)
    assert {p.relative_to(unpacked).as_posix(): p.read_bytes() for p in unpacked.rglob("*") if p.is_file()} == files
