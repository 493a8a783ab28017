"""Wherever a released version may be named (diff, check-release, load, dictionary), the download settings
are taken from flags and arguments, not only from the environment."""

from __future__ import annotations

import pytest

import energy_ties
from energy_ties.errors import DownloadError
from helpers import ROOT
from helpers.cli import run
from helpers.server import ARCHIVE, VERSION


def flags(server, cache, *more: str) -> list[str]:
    return ["--base-url", server.url, "--cache", str(cache), *more]


def test_diff_of_two_versions_downloads_with_the_flags_given(server, cache, tmp_path):
    same = f"{VERSION} -> {VERSION}: required bump none\nno differences\n"
    r = run("diff", VERSION, VERSION, *flags(server, cache, "--timeout", "30"), cwd=tmp_path)
    assert (r.returncode, r.stdout) == (0, same), r.stderr
    assert server.log.count(ARCHIVE) == 1 and (cache / "releases" / VERSION).is_dir()
    r = run("diff", VERSION, VERSION, "--cache", str(cache), "--offline", cwd=tmp_path)  # the cache alone
    assert (r.returncode, r.stdout) == (0, same) and server.log.count(ARCHIVE) == 1, r.stderr


def test_offline_and_cache_flags_are_obeyed_by_diff_and_check_release(server, tmp_path):
    empty = tmp_path / "empty-cache"
    for argv in (
        ["diff", VERSION, VERSION],  # energy-ties' releases: none in this folder
        ["check-release", str(ROOT), "--against", VERSION, "--base-url", server.url],  # published there
    ):
        r = run(*argv, "--cache", str(empty), "--offline", cwd=tmp_path)
        assert r.returncode == 2 and r.stdout == "" and r.stderr.count("\n") == 1, r.stderr
        assert f"version {VERSION} is not in the cache {empty}" in r.stderr


def test_check_release_against_a_version_uses_the_flags(server, cache):
    r = run("check-release", str(ROOT), "--against", VERSION, *flags(server, cache))
    assert r.returncode == 0 and "release ok" in r.stdout, r.stdout + r.stderr
    assert server.log.count(ARCHIVE) == 1


def test_load_and_dictionary_take_the_download_settings(server, cache):
    tables = energy_ties.load(version=VERSION, base_url=server.url, cache=cache)
    assert set(tables) == set(energy_ties.load(path=ROOT / "datapackage.json", backend="arrow"))
    assert server.log.count(ARCHIVE) == 1
    events = energy_ties.dictionary("events", version=VERSION, cache=cache, offline=True)  # kept: no request
    assert "id" in set(events.iloc[:, 0]) and server.log.count(ARCHIVE) == 1
    with pytest.raises(DownloadError, match="is not in the cache"):
        energy_ties.load("events", version=VERSION, cache=cache.parent / "other", offline=True)
