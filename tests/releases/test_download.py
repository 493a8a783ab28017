"""download() against a real HTTP server on 127.0.0.1 serving a copy of releases/, well and badly.

Every case ends in the right files or in one clear error, and the cache never
holds anything partial that a later call could take for a good release.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pandas as pd
import pytest

import energy_ties
from energy_ties.datapackage import archive
from energy_ties.errors import ArchiveError, DownloadError
from energy_ties.releases import cache as dl_cache
from energy_ties.releases import resolve
from helpers import ROOT, files
from helpers.cli import run
from helpers.server import ARCHIVE, ENTRY, INDEXED, RELEASED, VERSION


def get(server, cache, version=VERSION, **kw):
    return energy_ties.download(version, base_url=server.url, cache=cache, **kw)


def known(server) -> dict[str, str]:
    """{archive file: SHA-256} the library trusts: the served index's, the bundled index's over them."""
    out = {}
    for index in (server.root / "index.json", ROOT / "releases" / "index.json"):
        out.update({r["file"]: r["sha256"] for r in json.loads(index.read_text())["releases"]})
    return out


def assert_clean(cache: Path, server, versions: set[str] = frozenset()) -> None:
    """No temporary file or folder anywhere; only verified releases; only verified archives."""
    assert [p for p in cache.rglob("*") if p.name.startswith((".tmp", ".old", ".index", "tmp"))] == []
    releases, archives = cache / "releases", cache / "archives"
    assert ({p.name for p in releases.iterdir()} if releases.exists() else set()) == set(versions)
    trusted = known(server)
    for v in versions:
        assert dl_cache.verified(releases / v, trusted[f"energy-ties-{v}.zip"])
    for a in archives.iterdir() if archives.exists() else []:
        assert hashlib.sha256(a.read_bytes()).hexdigest() == trusted[a.name], a


# ---------------------------------------------------------------- good paths


def test_a_good_download_is_the_release_byte_for_byte(server, cache):
    folder = get(server, cache)
    assert folder == cache / "releases" / VERSION
    got = files(folder)
    marker = json.loads(got.pop(dl_cache.MARKER))
    assert got == RELEASED
    assert marker["archive_sha256"] == hashlib.sha256((ROOT / "releases" / ARCHIVE).read_bytes()).hexdigest()
    assert server.log == [ARCHIVE]  # a version the library knows needs no index
    assert_clean(cache, server, {VERSION})
    assert get(server, cache) == folder and server.log == [ARCHIVE]  # served from the cache


def test_load_a_release_by_version(server, cache, monkeypatch):
    monkeypatch.setenv("ENERGY_TIES_BASE_URL", server.url)
    monkeypatch.setenv("ENERGY_TIES_CACHE", str(cache))
    tables = energy_ties.load(version=VERSION)
    bundled = energy_ties.load()  # the bundled package is the same release
    assert list(tables) == list(bundled)
    for name in tables:
        pd.testing.assert_frame_equal(tables[name], bundled[name])
    assert callable(energy_ties.download) and energy_ties.download(VERSION) == cache / "releases" / VERSION


def test_a_newer_version_comes_from_the_remote_index(server, cache):
    entries = dict(RELEASED)
    descriptor = json.loads(entries["datapackage.json"])
    descriptor["version"] = "9.9.9"
    entries["datapackage.json"] = json.dumps(descriptor).encode()
    server.publish("9.9.9", archive.reproducible_zip(entries))
    folder = get(server, cache, "latest")
    assert folder == cache / "releases" / "9.9.9"
    assert json.loads((folder / "datapackage.json").read_text())["version"] == "9.9.9"
    assert server.log == ["index.json", "energy-ties-9.9.9.zip"]
    assert set(energy_ties.load(path=folder)) == set(energy_ties.load())
    rows = resolve.versions(base_url=server.url, cache=cache)
    assert [(r["version"], r["latest"], r["cached"]) for r in rows] == [
        *((e["version"], False, False) for e in INDEXED),
        ("9.9.9", True, True),
    ]


# ---------------------------------------------------------------- bad servers


def test_an_unknown_version_is_one_clear_error(server, cache):
    with pytest.raises(DownloadError) as info:
        get(server, cache, "9.9.9")
    known = ", ".join(e["version"] for e in INDEXED)
    assert str(info.value) == f"version 9.9.9 is not in the release index {server.url}index.json (known: {known})"
    with pytest.raises(DownloadError, match="'v1' is not a version"):
        get(server, cache, "v1")
    assert server.log == ["index.json"]
    assert_clean(cache, server)


def test_a_404_for_an_indexed_archive(server, cache):
    (server.root / ARCHIVE).unlink()
    with pytest.raises(DownloadError) as info:
        get(server, cache)
    # a 4xx is final: not retried
    assert str(info.value) == f"version {VERSION}: {server.url}{ARCHIVE} answered HTTP 404 Not Found (1 attempt(s))"
    assert_clean(cache, server)
    assert not (cache / "archives" / ARCHIVE).exists()


def test_a_server_error_then_success(server, cache):
    server.plan(ARCHIVE, "500")
    folder = get(server, cache)
    assert server.log == [ARCHIVE, ARCHIVE]
    assert files(folder).keys() - {dl_cache.MARKER} == RELEASED.keys()
    assert_clean(cache, server, {VERSION})


@pytest.mark.parametrize(
    "mode, message, tries",
    [
        ("truncate", "the connection broke before the whole file arrived (2 attempt(s))", 2),
        ("garbage", "does not match its SHA-256 in the release index", 1),  # a wrong body is final: not retried
    ],
)
def test_a_bad_body_is_discarded(server, cache, mode, message, tries):
    server.plan(ARCHIVE, *[mode] * tries)
    with pytest.raises(DownloadError, match=re.escape(message)):
        get(server, cache)
    assert server.log == [ARCHIVE] * tries
    assert_clean(cache, server)
    assert not (cache / "archives" / ARCHIVE).exists() and not (cache / "releases" / VERSION).exists()
    assert files(get(server, cache)).keys() - {dl_cache.MARKER} == RELEASED.keys()  # and the next call recovers


def test_a_stalled_server_times_out(server, cache):
    server.plan(ARCHIVE, "stall", "stall")
    started = time.monotonic()
    with pytest.raises(DownloadError, match=f"version {VERSION}: {server.url}{ARCHIVE} did not answer within 0.5 s"):
        get(server, cache)
    assert (
        time.monotonic() - started < 2.9
    )  # two 0.5 s timeouts (and no pause: see conftest), not the server's 3 s stall
    assert_clean(cache, server)


def test_the_bundled_hash_wins_over_a_changed_remote_index(server, cache):
    other = dict(RELEASED, **{"data/sources.csv": RELEASED["data/sources.csv"] + b"\n"})
    server.publish(VERSION, archive.reproducible_zip(other))  # the remote index now vouches for other bytes
    # refused at its Content-Length (another size than the bundled index's), or else at its SHA-256
    refused = r"announces \d+ bytes, not the \d+ bytes the release index gives|does not match its SHA-256"
    with pytest.raises(DownloadError, match=refused):
        get(server, cache)
    assert_clean(cache, server)


# ---------------------------------------------------------------- damaged caches


def test_a_corrupt_cached_archive_is_downloaded_again(server, cache):
    folder = get(server, cache)
    shutil.rmtree(folder)
    cached = cache / "archives" / ARCHIVE
    cached.write_bytes(cached.read_bytes()[:-10])
    with pytest.raises(DownloadError, match=f"version {VERSION} is not in the cache {cache}"):
        get(server, cache, offline=True)  # offline, a corrupt archive is no release
    assert get(server, cache) == folder and server.log == [ARCHIVE, ARCHIVE]
    assert files(folder).keys() - {dl_cache.MARKER} == RELEASED.keys()
    assert_clean(cache, server, {VERSION})


@pytest.mark.parametrize("damage", ["edit", "delete", "add", "marker"])
def test_a_damaged_release_folder_is_rebuilt(server, cache, damage):
    folder = get(server, cache)
    if damage == "edit":
        (folder / "data" / "events.csv").write_text("id\n")
    elif damage == "delete":
        (folder / "datapackage.json").unlink()
    elif damage == "add":
        (folder / "data" / "extra.csv").write_text("x\n")
    else:
        (folder / dl_cache.MARKER).write_text("{")
    assert get(server, cache) == folder
    got = files(folder)
    got.pop(dl_cache.MARKER)
    assert got == RELEASED
    assert server.log == [ARCHIVE]  # rebuilt from the verified archive, without the network
    assert_clean(cache, server, {VERSION})


# ---------------------------------------------------------------- offline


def test_offline_without_a_cache_fails_clearly_and_quietly(server, cache):
    for version in (VERSION, "latest"):
        with pytest.raises(DownloadError) as info:
            get(server, cache, version, offline=True)
        assert str(cache) in str(info.value) and "ENERGY_TIES_OFFLINE" in str(info.value)
    assert server.log == []
    assert_clean(cache, server)


def test_offline_with_a_cache(server, cache):
    folder = get(server, cache)
    shutil.rmtree(folder)  # the archive alone is enough
    assert get(server, cache, offline=True) == folder
    assert get(server, cache, "latest", offline=True) == folder
    assert server.log == [ARCHIVE]
    assert_clean(cache, server, {VERSION})


def test_offline_latest_is_the_highest_cached_version(server, cache):
    for version in ("9.9.9", "9.10.0"):
        entries = dict(RELEASED)
        descriptor = json.loads(entries["datapackage.json"])
        descriptor["version"] = version
        entries["datapackage.json"] = json.dumps(descriptor).encode()
        server.publish(version, archive.reproducible_zip(entries))
    get(server, cache, VERSION)
    folder = get(server, cache, "9.9.9")  # fetches (and keeps) the index listing 9.10.0 too
    assert get(server, cache, "latest", offline=True) == folder  # 9.10.0 is known but not cached


# ---------------------------------------------------------------- concurrency

RACE = """
import json, sys, time
import energy_ties
start = time.time()
folder = energy_ties.download(sys.argv[1], base_url=sys.argv[2], cache=sys.argv[3])
print(json.dumps({"folder": str(folder), "start": start, "end": time.time()}))
"""


def test_two_processes_at_once_end_with_the_same_verified_files(server, cache):
    server.plan(ARCHIVE, "slow")  # about 1.2 s, so that the second process starts during the first's download
    env = {**os.environ, "no_proxy": "127.0.0.1"}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", RACE, VERSION, server.url, str(cache)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outs = []
    for p in procs:
        stdout, stderr = p.communicate(timeout=60)
        assert p.returncode == 0, stderr
        outs.append(json.loads(stdout))
    assert max(o["start"] for o in outs) < min(o["end"] for o in outs)  # they did run at once
    assert outs[0]["folder"] == outs[1]["folder"] == str(cache / "releases" / VERSION)
    assert server.log == [ARCHIVE]  # the second waited for the first, and found its files
    assert dl_cache.verified(
        cache / "releases" / VERSION,
        ENTRY["sha256"],
    )
    assert_clean(cache, server, {VERSION})


# ---------------------------------------------------------------- unsafe archives


def evil_zip(kind: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("datapackage.json", RELEASED["datapackage.json"])
        if kind == "slip":
            zf.writestr("../../escaped.txt", "outside")
        elif kind == "absolute":
            zf.writestr("/tmp/energy-ties-absolute.txt", "outside")
        elif kind == "link":
            info = zipfile.ZipInfo("data/link")
            info.external_attr = 0o120777 << 16
            zf.writestr(info, "../../../etc/passwd")
        elif kind == "bomb":
            zf.writestr("data/zeros.csv", b"0" * (4 * 1024**2))  # 4 MiB that deflate to a few KiB
    return buffer.getvalue()


@pytest.mark.parametrize(
    "kind, message",
    [
        ("slip", "escapes the archive folder"),
        ("absolute", "absolute path"),
        ("link", "is a link"),
        ("bomb", "over the limit of 1048576"),
    ],
)
def test_an_unsafe_archive_is_refused_and_dropped(server, cache, tmp_path, monkeypatch, kind, message):
    monkeypatch.setattr(dl_cache, "MAX_RELEASE_BYTES", 1024**2)
    data = evil_zip(kind)
    assert len(data) < 1024**2
    server.publish("9.9.9", data)
    with pytest.raises(ArchiveError) as info:
        get(server, cache, "9.9.9")
    assert str(info.value).startswith(f"version 9.9.9 ({server.url}energy-ties-9.9.9.zip): energy-ties-9.9.9.zip: ")
    assert message in str(info.value)
    assert not (tmp_path / "escaped.txt").exists() and not (cache / "escaped.txt").exists()
    assert not Path("/tmp/energy-ties-absolute.txt").exists()
    assert not (cache / "archives" / "energy-ties-9.9.9.zip").exists()
    assert_clean(cache, server)


# ---------------------------------------------------------------- progress


def test_a_progress_bar_only_on_a_terminal(server, cache):
    import pty

    env = {"ENERGY_TIES_BASE_URL": server.url, "ENERGY_TIES_CACHE": str(cache), "COLUMNS": "100", "TERM": "xterm"}
    server.plan(ARCHIVE, "slow")
    master, slave = pty.openpty()
    chunks = []
    reader = threading.Thread(target=lambda: _drain(master, chunks), daemon=True)
    reader.start()
    r = subprocess.run(
        [sys.executable, "-m", "energy_ties.cli", "download", VERSION],
        stdout=subprocess.PIPE,
        stderr=slave,
        env={**os.environ, **env},
        text=True,
        timeout=60,
    )
    os.close(slave)
    reader.join(5)
    os.close(master)
    shown = b"".join(chunks).decode("utf-8", "replace")
    assert r.returncode == 0 and r.stdout == f"{cache / 'releases' / VERSION}\n"
    assert ARCHIVE in shown and "━" in shown and "%" in shown  # rich's bar, drawn while downloading
    shutil.rmtree(cache)
    r = run("download", VERSION, env=env)  # stderr not a terminal: no bar
    assert r.returncode == 0 and "━" not in r.stderr and "%" not in r.stderr


def _drain(fd: int, chunks: list[bytes]) -> None:
    while True:
        try:
            data = os.read(fd, 4096)
        except OSError:
            return
        if not data:
            return
        chunks.append(data)
