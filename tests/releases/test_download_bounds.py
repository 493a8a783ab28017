"""Every network read is bounded in size and time, only what can mend is retried, and nothing unchecked is kept.

Each case runs the command line in-process against a real wild_server on 127.0.0.1 and asserts the one line
it prints, its exit code, how long it took (a bound on a hang, generous for CI, not a benchmark), and
what the cache holds afterwards.
"""

from __future__ import annotations

import io
import json
import re
import threading
import time
import tracemalloc
import zipfile

import pytest

import energy_ties
from energy_ties.datapackage import archive
from energy_ties.errors import DownloadError
from energy_ties.releases import cache as dl_cache
from energy_ties.releases import fetch
from helpers import ROOT
from helpers.server import ENTRY, INDEXED

BUNDLED = ENTRY  # the current version's release
VERSION, ARCHIVE, SIZE, SHA256 = BUNDLED["version"], BUNDLED["file"], BUNDLED["size"], BUNDLED["sha256"]
LATE = "did not arrive within the 0.3 s timeout (set by --timeout or ENERGY_TIES_TIMEOUT)"


def options(wild_server, cache, *more: str) -> list[str]:
    return ["--base-url", wild_server.url, "--cache", str(cache), *more]


def timed(run, *argv: str) -> tuple[int, str, str, float]:
    started = time.monotonic()
    code, out, err = run(*argv)
    return code, out, err, time.monotonic() - started


def kept(cache) -> list[str]:
    """What the cache keeps besides locks and unpacked releases: archives and the index."""
    if not cache.exists():
        return []
    return sorted(
        p.relative_to(cache).as_posix()
        for p in cache.rglob("*")
        if p.is_file() and p.relative_to(cache).parts[0] not in ("locks", "releases")
    )


def leftovers(cache) -> list[str]:
    return sorted(
        p.relative_to(cache).as_posix()
        for p in cache.rglob("*")
        if p.name.startswith((".tmp", ".old", ".index", "tmp"))
    )


def release_entries(version: str, changes: dict | None = None) -> dict[str, bytes]:
    """The released archive's files, its descriptor given ``version`` and ``changes`` (None removes a key;
    ``{"descriptor": None}`` removes the descriptor)."""
    changes = changes or {}
    with zipfile.ZipFile(io.BytesIO((ROOT / "releases" / ARCHIVE).read_bytes())) as zf:
        entries = {i.filename: zf.read(i) for i in zf.infolist()}
    if "descriptor" in changes:
        del entries["datapackage.json"]
        return entries
    descriptor = dict(json.loads(entries["datapackage.json"]), version=version)
    for key, value in changes.items():
        if value is None:
            descriptor.pop(key)
        else:
            descriptor[key] = value
    entries["datapackage.json"] = json.dumps(descriptor).encode()
    return entries


@pytest.fixture
def quick(monkeypatch):
    """Short pauses between retries, so that tests of retries stay quick."""
    monkeypatch.setattr(fetch, "RETRY_PAUSE", 0.05)


# ---------------------------------------------------------------- size


def test_an_endless_archive_is_read_no_further_than_its_indexed_size(wild_server, cache, run):
    wild_server.plan(ARCHIVE, "endless")
    code, out, err, took = timed(run, "download", VERSION, *options(wild_server, cache))
    assert (code, out) == (2, "")
    assert err == (
        f"energy-ties download: error: version {VERSION}: {wild_server.url}{ARCHIVE} sent more than the {SIZE} bytes "
        "the release index gives; the download was discarded\n"
    )
    assert took < 5
    assert wild_server.log == [ARCHIVE]  # a body over its bound is final
    assert kept(cache) == [] and leftovers(cache) == []


def test_an_endless_index_is_read_no_further_than_the_limit(wild_server, cache, run):
    wild_server.plan("index.json", "endless-json")
    code, out, err, took = timed(run, "versions", *options(wild_server, cache))
    assert (code, out) == (2, "")
    assert err == (
        f"energy-ties versions: error: the release index: {wild_server.url}index.json sent more than the limit of "
        f"{fetch.MAX_INDEX_BYTES} bytes for a release index; the download was discarded\n"
    )
    assert took < 5 and wild_server.log == ["index.json"]
    assert kept(cache) == [] and leftovers(cache) == []


@pytest.mark.parametrize(
    "name, argv, message",
    [
        (
            "index.json",
            ["versions"],
            "the release index: {url}index.json announces 1300000000 bytes, over the limit of 4194304 bytes for a "
            "release index; nothing was kept",
        ),
        (
            ARCHIVE,
            ["download", VERSION],
            f"version {VERSION}: {{url}}{ARCHIVE} announces 1300000000 bytes, not the {SIZE} bytes the release "
            "index gives; nothing was kept",
        ),
    ],
)
def test_an_announced_length_over_the_bound_is_refused_before_reading(wild_server, cache, run, name, argv, message):
    wild_server.plan(name, "announce:1300000000")
    code, out, err, took = timed(run, *argv, *options(wild_server, cache))
    assert (code, out, err) == (2, "", f"energy-ties {argv[0]}: error: {message.format(url=wild_server.url)}\n")
    assert took < 5 and wild_server.log == [name]
    assert kept(cache) == [] and leftovers(cache) == []


def test_an_endless_index_never_takes_its_limit_in_memory(wild_server, cache):
    wild_server.plan("index.json", "endless-json", "endless-json")
    with pytest.raises(DownloadError, match="sent more than the limit"):  # once first: imports take memory too
        energy_ties.versions(base_url=wild_server.url, cache=cache)
    tracemalloc.start()
    try:
        with pytest.raises(DownloadError, match="sent more than the limit"):
            energy_ties.versions(base_url=wild_server.url, cache=cache)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < fetch.MAX_INDEX_BYTES / 4  # streamed to a file in chunks (the old code held 2.6 GB for 1.3 GB)


def test_an_index_just_under_the_limit_is_read_and_kept(wild_server, cache, run):
    index = json.loads((wild_server.root / "index.json").read_text())
    text = json.dumps(index)
    padded = text[:-1] + " " * (fetch.MAX_INDEX_BYTES - len(text)) + "}"
    (wild_server.root / "index.json").write_text(padded)
    code, out, err = run("versions", *options(wild_server, cache))
    assert code == 0, err
    assert (cache / "index.json").stat().st_size == fetch.MAX_INDEX_BYTES
    assert run("versions", *options(wild_server, cache, "--offline"))[:2] == (0, out)


# ---------------------------------------------------------------- time


@pytest.mark.parametrize(
    "name, argv, what",
    [(ARCHIVE, ["download", VERSION], f"version {VERSION}"), ("index.json", ["versions"], "the release index")],
)
def test_a_dripping_body_ends_at_the_deadline(wild_server, cache, run, name, argv, what):
    wild_server.httpd.drip = 0.1  # 20 bytes every 0.1 s: the index alone would take some 1.6 s
    wild_server.plan(name, "drip")
    code, out, err, took = timed(run, *argv, *options(wild_server, cache, "--timeout", "0.3"))
    assert (code, out, err) == (2, "", f"energy-ties {argv[0]}: error: {what}: {wild_server.url}{name} {LATE}\n")
    assert 0.27 < took < 5
    assert wild_server.log == [name]  # the deadline is final: no retry after it
    assert kept(cache) == [] and leftovers(cache) == []


@pytest.mark.parametrize(
    "mode, given",
    [("stall", "flag"), ("stall-body", "flag"), ("stall", "environment"), ("stall", "flag over environment")],
)
def test_a_stalled_server_fails_at_the_deadline(wild_server, cache, run, monkeypatch, mode, given):
    flag = ["--timeout", "0.3"] if given != "environment" else []
    if given != "flag":
        monkeypatch.setenv("ENERGY_TIES_TIMEOUT", "0.3" if given == "environment" else "100")
    wild_server.plan(ARCHIVE, mode)
    code, out, err, took = timed(run, "download", VERSION, *options(wild_server, cache, *flag))
    assert (code, out, err) == (
        2,
        "",
        f"energy-ties download: error: version {VERSION}: {wild_server.url}{ARCHIVE} {LATE}\n",
    )
    assert 0.27 < took < 5  # the old code: 127 s
    assert wild_server.log == [ARCHIVE]
    assert kept(cache) == [] and leftovers(cache) == []


def test_retries_stop_at_the_deadline(wild_server, cache, run, monkeypatch, quick):
    monkeypatch.setattr(fetch, "TIMEOUT", 0.12)  # each attempt waits 0.12 s for the headers, then is retried
    monkeypatch.setattr(fetch, "RETRIES", 1000)
    wild_server.plan(ARCHIVE, *["stall"] * 1000)
    code, out, err, took = timed(run, "download", VERSION, *options(wild_server, cache, "--timeout", "0.6"))
    assert (code, out) == (2, "")
    prefix = f"energy-ties download: error: version {VERSION}: {wild_server.url}{ARCHIVE} "
    tail = err.removeprefix(prefix)
    assert re.fullmatch(r"did not answer within 0\.12 s \(\d+ attempt\(s\)\)\n", tail) or tail == (
        "did not arrive within the 0.6 s timeout (set by --timeout or ENERGY_TIES_TIMEOUT)\n"
    ), err
    assert 2 <= len(wild_server.log) <= 6 and took < 5
    assert leftovers(cache) == []


def test_a_server_error_is_retried_after_a_short_pause(wild_server, cache, run, quick):
    wild_server.plan(ARCHIVE, "500", "500")
    code, out, err, took = timed(run, "download", VERSION, *options(wild_server, cache))
    assert (code, out, err) == (0, f"{cache / 'releases' / VERSION}\n", "")
    assert wild_server.log == [ARCHIVE] * 3 and took < 5
    assert kept(cache) == [f"archives/{ARCHIVE}"] and leftovers(cache) == []


def test_server_errors_are_retried_three_times(wild_server, cache, run, quick):
    wild_server.plan(ARCHIVE, *["500"] * 10)
    code, out, err = run("download", VERSION, *options(wild_server, cache))
    assert (code, out) == (2, "")
    assert err == (
        f"energy-ties download: error: version {VERSION}: {wild_server.url}{ARCHIVE} answered HTTP 500 "
        "Internal Server Error (4 attempt(s))\n"
    )
    assert wild_server.log == [ARCHIVE] * 4


# ---------------------------------------------------------------- what cannot mend is not retried


def test_a_404_is_final(wild_server, cache, run):
    (wild_server.root / ARCHIVE).unlink()
    code, out, err, took = timed(run, "download", VERSION, *options(wild_server, cache))
    assert (code, out) == (2, "")
    assert err == (
        f"energy-ties download: error: version {VERSION}: {wild_server.url}{ARCHIVE} answered HTTP 404 Not Found "
        "(1 attempt(s))\n"
    )
    assert wild_server.log == [ARCHIVE] and took < 2  # the old code: four attempts, over 6 s
    assert kept(cache) == [] and leftovers(cache) == []


def test_a_hash_mismatch_is_final(wild_server, cache, run):
    wild_server.plan(ARCHIVE, "garbage")
    code, out, err, took = timed(run, "download", VERSION, *options(wild_server, cache))
    assert (code, out) == (2, "")
    assert err == (
        f"energy-ties download: error: version {VERSION}: {wild_server.url}{ARCHIVE} does not match its SHA-256 in the "
        f"release index ({SHA256}); the download was discarded\n"
    )
    assert wild_server.log == [ARCHIVE] and took < 2
    assert kept(cache) == [] and leftovers(cache) == []


# ---------------------------------------------------------------- checked before it is kept


def test_an_index_of_another_package_is_refused_before_it_is_kept(wild_server, cache, run):
    assert run("versions", *options(wild_server, cache))[0] == 0
    before = (cache / "index.json").read_bytes()
    wild_server.publish("9.0.2", archive.reproducible_zip(release_entries("9.0.2", {"name": "other"})), name="other")
    refused = f"{wild_server.url}index.json: is the index of 'other', not of 'energy-ties'; it was not kept\n"
    for argv in (["versions"], ["download", "9.0.2"], ["download", "latest"]):
        code, out, err = run(*argv, *options(wild_server, cache))
        assert (code, out, err) == (2, "", f"energy-ties {argv[0]}: error: {refused}")
    assert (cache / "index.json").read_bytes() == before  # the kept index is the good one still
    code, out, err = run("versions", *options(wild_server, cache, "--offline"))
    assert code == 0 and VERSION in [line.split("\t")[0] for line in out.splitlines()[1:]], err
    assert leftovers(cache) == []


@pytest.mark.parametrize(
    "body, says",
    [
        ("[" * 400_000 + "]" * 400_000, "nested too deeply to be read"),
        (
            '{"name": "energy-ties", ',
            "not valid JSON (line 1, column 25: Expecting property name enclosed in double quotes)",
        ),
        (
            '{"name": "energy-ties"}',
            "not a valid release index ((top): 'latest' is a required property); it was not kept",
        ),
    ],
)
def test_an_index_that_is_not_one_is_refused_in_one_line_and_not_kept(wild_server, cache, run, body, says):
    assert run("versions", *options(wild_server, cache))[0] == 0
    before = (cache / "index.json").read_bytes()
    (wild_server.root / "index.json").write_text(body)
    code, out, err = run("versions", *options(wild_server, cache))
    assert (code, out, err) == (2, "", f"energy-ties versions: error: {wild_server.url}index.json: {says}\n")
    assert (cache / "index.json").read_bytes() == before and leftovers(cache) == []


def test_a_kept_index_of_another_package_is_ignored_offline(wild_server, cache, run):
    wild_server.publish("9.0.2", archive.reproducible_zip(release_entries("9.0.2", {"name": "other"})), name="other")
    cache.mkdir()
    (cache / "index.json").write_bytes((wild_server.root / "index.json").read_bytes())  # as earlier versions kept it
    code, out, err = run("versions", *options(wild_server, cache, "--offline"))
    assert (code, err) == (0, "")
    assert [line.split("\t")[0] for line in out.splitlines()] == ["version", *(e["version"] for e in INDEXED)]
    assert wild_server.log == []


@pytest.mark.parametrize(
    "changes, says",
    [
        ({"version": "9.0.1"}, "its datapackage.json says version '9.0.1', not 9.0.2"),
        ({"version": None}, "its datapackage.json gives no version, not 9.0.2"),
        ({"descriptor": None}, "holds no datapackage.json at its root"),
        ({"name": "other"}, "its datapackage.json names the package 'other', not 'energy-ties'"),
    ],
)
def test_an_archive_that_is_not_the_release_asked_for_is_refused(wild_server, cache, run, changes, says):
    file = wild_server.publish("9.0.2", archive.reproducible_zip(release_entries("9.0.2", changes)))
    code, out, err = run("download", "9.0.2", *options(wild_server, cache))
    assert (code, out) == (2, "")
    assert err == f"energy-ties download: error: version 9.0.2 ({wild_server.url}{file}): {file}: {says}; refusing it\n"
    assert not (cache / "releases" / "9.0.2").exists()
    assert kept(cache) == ["index.json"] and leftovers(cache) == []  # the archive is dropped too


def test_the_release_asked_for_is_accepted_and_its_check_recorded(wild_server, cache, run):
    wild_server.publish("9.0.2", archive.reproducible_zip(release_entries("9.0.2")))
    code, out, err = run("download", "9.0.2", *options(wild_server, cache))
    assert (code, out, err) == (0, f"{cache / 'releases' / '9.0.2'}\n", "")
    marker = json.loads((cache / "releases" / "9.0.2" / dl_cache.MARKER).read_text())
    assert marker["descriptor"] == {"name": "energy-ties", "version": "9.0.2"}


def test_a_release_unpacked_before_the_check_is_unpacked_again_and_checked(wild_server, cache, run):
    folder = energy_ties.download(VERSION, base_url=wild_server.url, cache=cache)
    marker = json.loads((folder / dl_cache.MARKER).read_text())
    del marker["descriptor"]  # as earlier versions wrote it
    (folder / dl_cache.MARKER).write_text(json.dumps(marker))
    assert not dl_cache.verified(folder, SHA256)
    code, out, err = run("download", VERSION, "--cache", str(cache), "--offline")
    assert (code, out, err) == (0, f"{folder}\n", "")
    assert json.loads((folder / dl_cache.MARKER).read_text())["descriptor"]["version"] == VERSION
    assert wild_server.log == [ARCHIVE]  # from the cached archive, without the network


# ---------------------------------------------------------------- settings


def test_flags_override_the_environment(wild_server, cache, run, monkeypatch, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    monkeypatch.setenv("ENERGY_TIES_BASE_URL", "http://127.0.0.1:9/")  # the discard port: nothing answers
    monkeypatch.setenv("ENERGY_TIES_CACHE", str(elsewhere))
    monkeypatch.setenv("ENERGY_TIES_OFFLINE", "1")
    monkeypatch.setenv("ENERGY_TIES_TIMEOUT", "0.000001")
    code, out, err = run("download", VERSION, *options(wild_server, cache, "--no-offline", "--timeout", "30"))
    assert (code, out, err) == (0, f"{cache / 'releases' / VERSION}\n", "")
    assert not elsewhere.exists() and wild_server.log == [ARCHIVE]
    code, out, err = run("versions", *options(wild_server, cache, "--no-offline", "--timeout", "30"))
    rows = out.splitlines()[1:]
    assert code == 0 and [r for r in rows if r.endswith("\tlatest\tcached")] == [
        r for r in rows if r.startswith(f"{VERSION}\t")
    ], err
    monkeypatch.delenv("ENERGY_TIES_OFFLINE")
    served = run("download", VERSION, "--cache", str(cache), "--offline")  # --offline, no variable
    assert served == (0, f"{cache / 'releases' / VERSION}\n", "")


def test_a_bad_timeout_is_one_line(wild_server, cache, run, monkeypatch, capfd):
    monkeypatch.setenv("ENERGY_TIES_TIMEOUT", "soon")
    code, out, err = run("download", VERSION, *options(wild_server, cache))
    assert (code, out) == (2, "")
    assert err == "energy-ties download: error: ENERGY_TIES_TIMEOUT 'soon': give a positive number of seconds\n"
    with pytest.raises(DownloadError, match=r"^timeout -1: give a positive number of seconds$"):
        energy_ties.download(VERSION, base_url=wild_server.url, cache=cache, timeout=-1)
    with pytest.raises(SystemExit) as info:
        run("download", VERSION, "--timeout", "0")
    assert info.value.code == 2
    assert "argument --timeout: must be a positive number of seconds" in capfd.readouterr().err
    assert wild_server.log == []


def test_a_name_lookup_that_hangs_meets_the_deadline(wild_server, cache, run, monkeypatch):
    import socket

    released = threading.Event()
    real = socket.getaddrinfo

    def hanging(*args, **kwargs):  # a resolver that never answers (getaddrinfo takes no timeout)
        released.wait(30)
        return real(*args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", hanging)
    try:
        code, out, err, took = timed(run, "download", VERSION, *options(wild_server, cache, "--timeout", "0.3"))
    finally:
        released.set()
    assert (code, out) == (2, "")
    assert err == (
        f"energy-ties download: error: version {VERSION}: {wild_server.url}{ARCHIVE} did not arrive within the 0.3 s "
        "timeout (set by --timeout or ENERGY_TIES_TIMEOUT)\n"
    ), err
    assert took < 10 and leftovers(cache) == []
