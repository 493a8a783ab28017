"""Fixtures of the release tests: a release server on 127.0.0.1 that misbehaves on request, at the library's
default settings, and the command line run in-process with its output captured at the file descriptors.

The server (helpers.server) serves a copy of ``releases/``.
"""

from __future__ import annotations

import pytest

from energy_ties.cli import main
from helpers.server import serve_releases


@pytest.fixture
def wild_server(tmp_path, monkeypatch):
    """A 127.0.0.1 server that misbehaves in more ways (endless, dripping, oversize bodies), at default settings."""
    s = serve_releases(tmp_path, monkeypatch)
    yield s
    s.stop()


@pytest.fixture
def run(capfd):
    """``run(*argv)``: (exit code, stdout, stderr) of ``energy-ties ARGV``, run in-process. Captured at the file
    descriptors, so that a library's logging to the real stderr would show as well as our own line."""

    def run(*argv: str) -> tuple[int, str, str]:
        capfd.readouterr()
        code = main(list(argv))
        out, err = capfd.readouterr()
        return code, out, err

    return run
