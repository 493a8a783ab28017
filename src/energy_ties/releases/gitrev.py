"""A package as it stood at a git revision (``--against git:HEAD~1``), read without touching the work tree.

The files are listed with ``git ls-tree`` (whose sizes bound what is read
before a byte of it is) and read with ``git cat-file --batch``, not ``git
archive``, which would leave out files marked ``export-ignore``. Only regular
files of the package's folder are written, each through
:mod:`energy_ties.files`, into a temporary folder removed with the package.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path, PurePosixPath

from ..datapackage.archive import MAX_ENTRIES, MAX_UNPACKED_BYTES
from ..datapackage.model import Package
from ..datapackage.opening import DESCRIPTOR, open_package
from ..errors import DiffError
from ..files import write_bytes

#: What names a revision where a package or version is expected.
PREFIX = "git:"
#: Seconds a git command may take.
TIMEOUT = 120.0


class GitError(DiffError):
    """A revision cannot be read: not a repository, no such revision, no package there."""


def _git(folder: Path, *args: str) -> str:
    try:
        done = subprocess.run(
            ["git", "-C", str(folder), *args],
            capture_output=True,
            timeout=TIMEOUT,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except FileNotFoundError:
        raise GitError("git is not installed: git:REVISION needs it") from None
    except subprocess.TimeoutExpired:
        raise GitError(f"git {args[0]} took more than {TIMEOUT:g} s in {folder}") from None
    if done.returncode:
        said = done.stderr.decode("utf-8", "replace").strip()
        raise GitError(said.splitlines()[-1] if said else f"git {args[0]} failed")
    return done.stdout.decode("utf-8", "surrogateescape")


def _blobs(top: Path, commit: str, prefix: str) -> list[tuple[str, int, str]]:
    """(blob id, size, path under ``prefix``) of the regular files of ``prefix`` at ``commit``, bounded."""
    listing = _git(top, "ls-tree", "-r", "-z", "--full-tree", "--long", commit, "--", prefix or ".")
    blobs, total = [], 0
    for item in filter(None, listing.split("\0")):
        meta, path = item.split("\t", 1)
        mode, kind, blob, size = meta.split()
        if kind != "blob" or mode not in ("100644", "100755"):  # links and submodules are never followed
            continue
        rel = PurePosixPath(path).relative_to(prefix) if prefix else PurePosixPath(path)
        if rel.is_absolute() or ".." in rel.parts or ".git" in rel.parts:
            continue
        total += int(size)
        blobs.append((blob, int(size), rel.as_posix()))
        if len(blobs) > MAX_ENTRIES or total > MAX_UNPACKED_BYTES:
            raise GitError(
                f"git:{commit[:12]}: {prefix or 'the repository'} holds more than {MAX_ENTRIES} files or "
                f"{MAX_UNPACKED_BYTES} bytes; refused"
            )
    return blobs


def _write(top: Path, blobs: list[tuple[str, int, str]], dest: Path) -> None:
    """Each blob read with one ``git cat-file --batch`` and written under ``dest``."""
    proc = subprocess.Popen(
        ["git", "-C", str(top), "cat-file", "--batch"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert proc.stdin is not None and proc.stdout is not None
    try:
        for blob, size, rel in blobs:
            proc.stdin.write(blob.encode("ascii") + b"\n")
            proc.stdin.flush()
            header = proc.stdout.readline().split()
            if len(header) != 3 or header[1] != b"blob" or int(header[2]) != size:
                raise GitError(f"git cat-file: {rel}: not the blob git ls-tree listed")
            data = proc.stdout.read(size)
            proc.stdout.read(1)  # the line end after the content
            write_bytes(dest / rel, data, root=dest)
    finally:
        proc.stdin.close()
        proc.stdout.close()
        try:
            proc.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def open_revision(package: str | os.PathLike, revision: str) -> Package:
    """The package at ``package`` (its descriptor or folder in a git work tree) as it stood at ``revision``."""
    path = Path(package).absolute()
    folder, descriptor = (path, DESCRIPTOR) if path.is_dir() else (path.parent, path.name)
    try:
        top = Path(_git(folder, "rev-parse", "--show-toplevel").strip())
    except GitError:
        raise GitError(f"{folder}: not in a git repository, so git:{revision} names nothing") from None
    try:
        commit = _git(top, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}").strip()
    except GitError:
        raise GitError(f"git:{revision}: no such revision in {top}") from None
    prefix = folder.resolve().relative_to(top.resolve()).as_posix()
    prefix = "" if prefix == "." else prefix
    tmp = tempfile.TemporaryDirectory(prefix="energy-ties-git-")
    try:
        dest = Path(tmp.name)
        _write(top, _blobs(top, commit, prefix), dest)
        if not (dest / descriptor).is_file():
            raise GitError(f"git:{revision}: no {descriptor} in {prefix or 'the top folder'} at that revision")
        pkg = open_package(dest / descriptor)
        pkg.source_label = f"git:{revision}"
        pkg._tmp = tmp
        return pkg
    except BaseException:
        tmp.cleanup()
        raise
