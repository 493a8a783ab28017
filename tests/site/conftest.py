"""The site of this repository's releases, built once per test process by the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import ROOT
from helpers.cli import run


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """``energy-ties site OUT --from ROOT``'s folder: tests only read it (a test that changes a site copies it)."""
    out = tmp_path_factory.mktemp("built") / "site"
    r = run("site", str(out), "--from", str(ROOT))
    assert r.returncode == 0, r.stderr
    return out
