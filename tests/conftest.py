"""Fixtures shared by every test folder, and the hypothesis profiles.

Helper functions (paths, package writers, the in-process command line) are in the ``helpers`` package.

The hypothesis profile is chosen by ``HYPOTHESIS_PROFILE`` (``dev`` when unset); CI sets
``HYPOTHESIS_PROFILE=ci``. Tests keep their own ``@settings(max_examples=...)``; the profiles only decide
how hypothesis runs them.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

pytest.register_assert_rewrite("helpers")  # before the first import of helpers: its asserts explain themselves

from helpers import ROOT  # noqa: E402

# Many properties write packages to disk and run the validator, frictionless or the differ on each
# example: their time per example varies with the machine, so no deadline, and no too_slow health check.
_COMMON = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow]}

# dev: the default. Random examples; failures are kept in the local example database (.hypothesis/) and
# replayed first on the next run.
settings.register_profile("dev", **_COMMON)

# ci: no database (a fresh checkout has none, and nothing would keep it), so a failure prints the blob to
# reproduce it with @reproduce_failure. Not derandomized, on purpose: each CI run draws new examples, so
# the properties keep exploring over the project's life instead of re-checking one fixed sample forever;
# a failure is reproducible from its printed blob (and the seed hypothesis prints) all the same.
settings.register_profile("ci", **_COMMON, database=None, print_blob=True, derandomize=False)

settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


@pytest.fixture
def root() -> Path:
    return ROOT


@pytest.fixture(scope="module")
def scratch(request, tmp_path_factory) -> Path:
    """One folder for a whole test module, for properties whose examples each write their files again.

    Hypothesis runs a test's examples one after another, so they may share it; a fresh folder per example
    would create (and later delete) thousands of files for nothing.
    """
    return tmp_path_factory.mktemp(request.module.__name__.rsplit(".", 1)[-1])


# ---------------------------------------------------------------- a release server


@pytest.fixture
def server(tmp_path, monkeypatch):
    """A real HTTP server on 127.0.0.1 serving a copy of releases/; the library set to give up fast."""
    from energy_ties.releases import fetch
    from helpers.server import serve_releases

    monkeypatch.setattr(fetch, "RETRIES", 1)  # one retry,
    monkeypatch.setattr(fetch, "RETRY_PAUSE", 0.0)  # without a pause before it
    monkeypatch.setattr(fetch, "TIMEOUT", 0.5)
    s = serve_releases(tmp_path, monkeypatch)
    s.httpd.stall = 3.0
    yield s
    s.stop()


@pytest.fixture
def cache(tmp_path) -> Path:
    return tmp_path / "cache"
