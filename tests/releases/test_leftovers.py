"""Nothing left behind: what a process killed mid-download or mid-build leaves is swept by the next one,
and ``build-release --check`` reports it until then.

The kills are real: a subprocess downloads from a wild_server that drips, or builds with a write made slow,
and gets SIGKILL (which nothing can catch) or SIGTERM (which unwinds, removing its temporary file).
"""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
from pathlib import Path

from helpers import copy_package
from helpers.server import ENTRY

BUNDLED = ENTRY  # the current version's release
VERSION, ARCHIVE = BUNDLED["version"], BUNDLED["file"]
TOKEN = "[0-9a-f]{12}"
CLI = [sys.executable, "-m", "energy_ties.cli"]
#: build-release with every fsync (the atomic write's, before its rename) announced, then made to hang.
SLOW_BUILD = """
import os, sys, time
def fsync(fd):
    print("writing", flush=True)
    time.sleep(60)
os.fsync = fsync
from energy_ties.cli import main
sys.exit(main(sys.argv[1:]))
"""


def leftovers(cache: Path) -> list[str]:
    return sorted(
        p.relative_to(cache).as_posix()
        for p in cache.rglob("*")
        if p.name.startswith((".tmp", ".old", ".index", "tmp"))
    )


def wait_for(found, proc: subprocess.Popen, seconds: float = 20.0) -> list[Path]:
    """Poll ``found()`` until it returns something, while ``proc`` runs."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if hits := found():
            return hits
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.02)
    raise AssertionError("the subprocess never got there")


def kill_9(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    assert proc.returncode == -signal.SIGKILL


def project(folder: Path, *, releases: bool = False) -> Path:
    """A copy of the repository's data package and changelog (and of its releases, if asked) in ``folder``."""
    return copy_package(folder, extra=("CHANGELOG.md", *(("releases",) if releases else ())))


# ---------------------------------------------------------------- the download cache


def test_kill_9_during_an_archive_download_leaves_a_partial_file_that_the_next_call_sweeps(wild_server, cache, run):
    wild_server.plan(ARCHIVE, "drip")
    argv = ["download", VERSION, "--base-url", wild_server.url, "--cache", str(cache)]
    proc = subprocess.Popen([*CLI, *argv], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        wait_for(lambda: list((cache / "archives").glob(".tmp-*")), proc)
    finally:
        kill_9(proc)
    (partial,) = leftovers(cache)
    assert re.fullmatch(rf"archives/\.tmp-{re.escape(VERSION)}-{TOKEN}", partial)
    (cache / "archives" / "tmpk3j_x9q2").write_bytes(b"half")  # what pooch, in earlier versions, left
    assert run(*argv) == (0, f"{cache / 'releases' / VERSION}\n", "")
    assert leftovers(cache) == []
    assert sorted(p.name for p in (cache / "archives").iterdir()) == [ARCHIVE]


def test_kill_9_during_the_index_fetch_leaves_a_partial_file_that_the_next_fetch_sweeps(wild_server, cache, run):
    wild_server.httpd.drip = 0.25
    wild_server.plan("index.json", "drip")
    argv = ["versions", "--base-url", wild_server.url, "--cache", str(cache)]
    proc = subprocess.Popen([*CLI, *argv], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        wait_for(lambda: list(cache.glob(".index-*")), proc)
    finally:
        kill_9(proc)
    assert [re.fullmatch(rf"\.index-{TOKEN}", n) is not None for n in leftovers(cache)] == [True]
    old = cache / ".index-0123456789ab"  # the folder the pooch code made, with pooch's temporary file
    old.mkdir()
    (old / "tmpab12cd34").write_text("{")
    code, out, err = run(*argv)
    assert (code, err) == (0, ""), err
    assert leftovers(cache) == [] and (cache / "index.json").is_file()


def test_the_sweep_takes_what_the_version_left_and_nothing_of_another(wild_server, cache, run):
    for name in (f".tmp-{VERSION}-0123456789ab", f".old-{VERSION}-ba9876543210", f".tmp-{VERSION}-rc.1-00112233aabb"):
        (cache / "releases" / name / "data").mkdir(parents=True)  # as a process killed mid-unpack leaves them
    (cache / "archives").mkdir()
    (cache / "archives" / f".tmp-{VERSION}-rc.1-445566778899").write_bytes(b"half")
    assert run("download", VERSION, "--base-url", wild_server.url, "--cache", str(cache))[0] == 0
    # another version's folders are its own lock's business: they may be live
    assert leftovers(cache) == [
        f"archives/.tmp-{VERSION}-rc.1-445566778899",
        f"releases/.tmp-{VERSION}-rc.1-00112233aabb",
    ]


# ---------------------------------------------------------------- build-release


def test_kill_9_during_a_build_leaves_a_stray_that_check_reports_and_the_next_build_removes(tmp_path, run):
    root = project(tmp_path / "project")
    proc = subprocess.Popen(
        [sys.executable, "-c", SLOW_BUILD, "build-release", str(root)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline() == "writing\n"
    finally:
        kill_9(proc)
    (stray,) = (root / "releases").iterdir()
    assert re.fullmatch(rf"\.{re.escape(ARCHIVE)}\.\w+\.tmp", stray.name)
    assert stray.stat().st_size > 0  # written, not yet renamed
    code, out, err = run("build-release", "--check", str(root))
    assert (code, err) == (1, "")
    assert out.splitlines() == [
        f"{root / 'releases' / 'index.json'}: missing; run `energy-ties build-release`",
        f"{stray}: a temporary file left by an interrupted build; remove it (`energy-ties build-release` does)",
        f"2 problem(s) with the releases in {root / 'releases'}",
    ]
    code, out, err = run("build-release", str(root))
    assert (code, err) == (0, "") and out.startswith("built: ")
    assert sorted(p.name for p in (root / "releases").iterdir()) == [ARCHIVE, "index.json"]
    assert run("build-release", "--check", str(root))[0] == 0


def test_sigterm_during_a_build_removes_its_temporary_file(tmp_path):
    root = project(tmp_path / "project", releases=True)
    before = {p.name: p.read_bytes() for p in (root / "releases").iterdir()}
    with (root / "data" / "sources.csv").open("a") as fh:  # a change, so that build --force writes
        fh.write("\n")
    proc = subprocess.Popen(
        [sys.executable, "-c", SLOW_BUILD, "build-release", "--force", str(root)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stdout.readline() == "writing\n"
    assert any(p.name.endswith(".tmp") for p in (root / "releases").iterdir())
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=10)
    assert (proc.returncode, out, err) == (128 + signal.SIGTERM, "", "energy-ties: terminated\n")
    assert {p.name: p.read_bytes() for p in (root / "releases").iterdir()} == before  # as it was: nothing half done


def test_check_reports_a_file_the_index_does_not_name_and_build_leaves_it(tmp_path, run):
    root = project(tmp_path / "project", releases=True)
    (root / "releases" / "notes.txt").write_text("draft\n")
    (root / "releases" / "energy-ties-0.9.0.zip").write_bytes(b"never released")
    code, out, err = run("build-release", "--check", str(root))
    assert (code, err) == (1, "")
    assert out.splitlines() == [
        f"{root / 'releases' / 'energy-ties-0.9.0.zip'}: not named by index.json; remove it, or build its release",
        f"{root / 'releases' / 'notes.txt'}: not named by index.json; remove it, or build its release",
        f"2 problem(s) with the releases in {root / 'releases'}",
    ]
    code, out, err = run("build-release", str(root))
    assert (code, err) == (0, "") and out.startswith("unchanged: ")
    assert (root / "releases" / "notes.txt").is_file()  # not a leftover of ours: the maintainer's to remove
    assert (root / "releases" / "energy-ties-0.9.0.zip").is_file()


#: download --dest with the copy into the destination made to hang after its first file.
SLOW_COPY = """
import shutil, sys, time
real = shutil.copyfile
def copyfile(src, dst, **kw):
    real(src, dst, **kw)
    print("copied", flush=True)
    time.sleep(60)
shutil.copyfile = copyfile
from energy_ties.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_kill_9_during_download_dest_leaves_a_partial_folder_that_the_next_copy_sweeps(
    wild_server, cache, run, tmp_path
):
    argv = ["download", VERSION, "--base-url", wild_server.url, "--cache", str(cache)]
    assert run(*argv)[0] == 0  # in the cache: the copy is all that is left to do
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    dest = tmp_path / "copy"
    (tmp_path / ".copy.notes").write_text("mine")  # the user's own files beside it stay
    (tmp_path / ".copy.energy-ties-partial-rc.1").mkdir()
    proc = subprocess.Popen(
        [sys.executable, "-c", SLOW_COPY, *argv, "--dest", str(dest)], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline() == b"copied\n"
    finally:
        kill_9(proc)
    partial = [p.name for p in tmp_path.iterdir() if re.fullmatch(rf"\.copy\.energy-ties-partial-{TOKEN}", p.name)]
    assert len(partial) == 1 and not dest.exists()
    assert run(*argv, "--dest", str(dest)) == (0, f"{dest}\n", "")
    assert sorted(p.name for p in tmp_path.iterdir()) == [".copy.energy-ties-partial-rc.1", ".copy.notes", "copy"]
