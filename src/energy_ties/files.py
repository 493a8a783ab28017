"""Every file the tool reads or writes goes through here: the path policy, the size caps, atomic writes.

The policy, whatever the file's role (descriptor, data, schema, dialect, row
schema, package schema, changelog, release member, output):

- its path, links resolved, must stay inside the folder it belongs to (the
  package folder for a package's files); a link that leads out is refused,
  never followed (:func:`confine`);
- it must be a regular file: a FIFO, a device, a socket or a folder is
  refused before anything waits on it (the check is made with ``stat`` before
  opening, and again with ``fstat`` on a descriptor opened with
  ``O_NONBLOCK | O_NOFOLLOW``, so that neither a FIFO nor a link swapped in
  meanwhile can block or redirect the read);
- a file read whole is read to at most its cap, plus one byte to tell that it
  is larger; streaming readers (the CSV reader) bound their own memory;
- a write goes to a temporary file beside the target, fsynced and renamed over
  it, so a reader or a crash never sees a half-written file; a target whose
  folder resolves outside the root is refused before any folder is made.

Remote reads (only where the caller allows them) go through :func:`copy_url`,
bounded in size and in time. Every refusal is one line naming the file.
"""

from __future__ import annotations

import errno
import io
import os
import stat
import tempfile
import time
from pathlib import Path
from typing import Any, BinaryIO

from .errors import PackageReadError, UnsafePathError

#: Cap on a JSON file read whole (descriptor, Table Schema, dialect, JSON Schema, index): a 40,000-field
#: Table Schema is about 3 MB, and 64 MiB still parses in about a second without holding gigabytes.
MAX_JSON_BYTES = 64 << 20
#: Cap on a text file read whole (CHANGELOG.md, README.md, a source text): ours are tens of kilobytes.
MAX_TEXT_BYTES = 16 << 20
#: Cap on one release member read whole to be zipped: a release is built in memory, and the whole release
#: is refused beyond 1 GiB unpacked anyway (the archive bound).
MAX_MEMBER_BYTES = 1 << 30
#: Cap on what one zip archive or one compressed file inflates to (unpacked or read as it inflates).
MAX_UNPACKED_BYTES = 2 * 1024**3
#: Largest ratio of inflated to compressed size accepted for one zip entry or compressed file: deflate cannot
#: exceed about 1032, repetitive CSV compresses 10 to 50 times, and a run of NUL bytes (a bomb) about 1000 times.
MAX_RATIO = 200
#: Below this many inflated bytes the ratio is not checked (tiny files compress oddly).
RATIO_FLOOR = 16 << 20
#: Cap on a remote file fetched with ``allow_remote`` (data, schema, dialect, a JSON Schema ``$ref``).
MAX_REMOTE_BYTES = 512 << 20
#: Seconds a remote server may take to connect or to send the next bytes before the request is abandoned.
REMOTE_TIMEOUT = 30.0
#: Seconds one remote file may take in all, so that a server trickling bytes cannot hold validation forever.
REMOTE_DEADLINE = 300.0

_CHUNK = 1 << 16
_KINDS = (
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def confine(root: os.PathLike | str, path: os.PathLike | str, what: str | None = None) -> Path:
    """``path`` with every link resolved, refused (UnsafePathError) unless it stays inside ``root``.

    The path need not exist; ``root`` is resolved too, so a root that is itself reached through a
    link is fine: only what lies below it is confined.
    """
    what = what or os.fspath(path)
    try:
        base = Path(root).resolve()
        target = Path(path).resolve()
    except (OSError, RuntimeError) as exc:  # a loop of links
        raise UnsafePathError(f"{what}: the path cannot be resolved ({exc})") from None
    if target != base and base not in target.parents:
        given = Path(os.path.abspath(root))
        plain = Path(os.path.abspath(path))  # without resolving links
        how = "leads outside" if plain == given or given in plain.parents else "is outside"
        link = " through a link" if how == "leads outside" else ""
        raise UnsafePathError(f"{what}: {how} {os.fspath(root) or '.'}{link}; refused")
    return target


def is_regular(path: os.PathLike | str) -> bool:
    """Whether ``path`` (links followed) is a regular file; never opens it, so never blocks."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def refusal(path: os.PathLike | str) -> str | None:
    """Why ``path`` (links followed) cannot be read as a file, or None when it is a regular file; never blocks."""
    try:
        return _mode_problem(os.stat(path).st_mode)
    except (OSError, ValueError):
        return "cannot be read"


def _mode_problem(mode: int) -> str | None:
    """Why a file of this mode is not read, or None for a regular file."""
    if stat.S_ISDIR(mode):
        return "is a folder, expected a file"
    if not stat.S_ISREG(mode):
        return f"is {_kind(mode)}, not a regular file; refused"
    return None


def _refuse_mode(mode: int, what: str) -> None:
    problem = _mode_problem(mode)
    if problem is not None:
        raise PackageReadError(f"{what}: {problem}")


def _open_fd(target: Path, what: str) -> int:
    """A read-only descriptor of the regular file ``target`` (already resolved), opened so as never to block."""
    try:
        _refuse_mode(os.stat(target).st_mode, what)  # before opening: a device is never even opened
        fd = os.open(
            target,
            os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0),
        )
    except FileNotFoundError:
        raise PackageReadError(f"{what}: file not found") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # the last part became a link after it was resolved
            raise UnsafePathError(f"{what}: is a link; refused") from None
        raise PackageReadError(f"{what}: cannot be read ({exc.strerror})") from None
    try:
        _refuse_mode(os.fstat(fd).st_mode, what)  # the file opened is the file checked
    except BaseException:
        os.close(fd)
        raise
    return fd


def open_regular(
    path: os.PathLike | str, *, root: os.PathLike | str | None = None, what: str | None = None
) -> io.BufferedReader:
    """A binary reader of the regular file ``path``, confined to ``root`` (by default its own folder).

    For streaming readers, which bound their own memory; it is never a FIFO or a device.
    """
    what = what or os.fspath(path)
    target = confine(root if root is not None else Path(path).parent, path, what)
    return open(_open_fd(target, what), "rb")


def read_bytes(
    path: os.PathLike | str, *, root: os.PathLike | str | None = None, limit: int, what: str | None = None
) -> bytes:
    """The bytes of the regular file ``path`` inside ``root`` (by default its own folder), at most ``limit``."""
    what = what or os.fspath(path)
    with open_regular(path, root=root, what=what) as fh:
        try:
            data = _read_at_most(fh, limit + 1)
        except OSError as exc:
            raise PackageReadError(f"{what}: cannot be read ({exc.strerror})") from None
    if len(data) > limit:
        raise PackageReadError(f"{what}: larger than {limit} bytes; refused")
    return data


def _read_at_most(fh: Any, n: int) -> bytes:
    """Up to ``n`` bytes, read in 256 KiB chunks: ``read(n)`` would allocate all ``n`` at once, for a small file too."""
    chunks, total = [], 0
    while total < n:
        chunk = fh.read(min(1 << 18, n - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


def read_text(
    path: os.PathLike | str,
    *,
    root: os.PathLike | str | None = None,
    limit: int = MAX_TEXT_BYTES,
    what: str | None = None,
) -> str:
    """A UTF-8 text file read as :func:`read_bytes` reads it; bad UTF-8 is a one-line PackageReadError."""
    what = what or os.fspath(path)
    raw = read_bytes(path, root=root, limit=limit, what=what)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PackageReadError(f"{what}: not UTF-8 (byte {exc.start})") from None


def copy_url(url: str, out: BinaryIO, *, limit: int = MAX_REMOTE_BYTES, what: str | None = None) -> int:
    """Copy the http(s) resource ``url`` into ``out``: at most ``limit`` bytes, within REMOTE_TIMEOUT per
    read and REMOTE_DEADLINE in all. Returns the number of bytes; any failure is one PackageReadError."""
    import urllib.request  # here: slow to import, and only remote reads need it

    what = what or url
    if not url.lower().startswith(("http://", "https://")):
        raise UnsafePathError(f"{what}: only http(s) URLs can be fetched, not {url!r}")
    if os.environ.get("ENERGY_TIES_OFFLINE", "").strip().lower() in ("1", "true", "yes", "on"):  # as downloads read it
        raise PackageReadError(f"{what}: {url} not fetched: ENERGY_TIES_OFFLINE is set")
    deadline = time.monotonic() + REMOTE_DEADLINE
    total = 0
    try:
        with urllib.request.urlopen(url, timeout=REMOTE_TIMEOUT) as resp:
            while chunk := resp.read1(_CHUNK):  # what has arrived: a trickling server meets the deadline
                total += len(chunk)
                if total > limit:
                    raise PackageReadError(f"{what}: remote file {url} is larger than {limit} bytes; refused")
                if time.monotonic() > deadline:
                    raise PackageReadError(f"{what}: remote file {url} took longer than {REMOTE_DEADLINE:g} s")
                out.write(chunk)
    except TimeoutError:
        raise PackageReadError(f"{what}: cannot fetch {url} (no answer within {REMOTE_TIMEOUT:g} s)") from None
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "reason", None) or exc
        if isinstance(reason, TimeoutError):
            raise PackageReadError(f"{what}: cannot fetch {url} (no answer within {REMOTE_TIMEOUT:g} s)") from None
        raise PackageReadError(f"{what}: cannot fetch {url} ({reason})") from None
    return total


def read_url(url: str, *, limit: int = MAX_REMOTE_BYTES, what: str | None = None) -> bytes:
    """The bytes of an http(s) resource, fetched as :func:`copy_url` fetches it."""
    buffer = io.BytesIO()
    copy_url(url, buffer, limit=limit, what=what)
    return buffer.getvalue()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_bytes(target: os.PathLike | str, data: bytes, *, root: os.PathLike | str | None = None) -> None:
    """Write ``data`` to a temporary file beside ``target``, fsync it and rename it over ``target``; on any
    error the temporary file is removed and ``target`` left as it was.

    With ``root``, a target whose folder resolves outside it (a folder that is a link leading out) is
    refused before any folder is made. A target that is itself a link is replaced by the file, never
    written through. The file gets the mode a plain ``open(target, "wb")`` would give it (0666 less the
    umask), not mkstemp's private 0600: these are published files (README, schemas, release archives).
    """
    target = Path(target)
    what = os.fspath(target)
    if root is not None:
        confine(root, target.parent, f"{what}: its folder")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        if root is not None:
            confine(root, target.parent, f"{what}: its folder")  # made, or found, inside
        if target.is_dir() and not target.is_symlink():
            raise UnsafePathError(f"{what}: is a folder; refusing to write over it")
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise PackageReadError(f"{what}: cannot be written ({exc.strerror})") from None
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(fd, 0o666 & ~_umask())
        with open(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise PackageReadError(f"{what}: cannot be written ({exc.strerror or exc})") from None
        raise


def write_text(target: os.PathLike | str, text: str, *, root: os.PathLike | str | None = None) -> None:
    """``text`` as UTF-8, line endings as given, written atomically (see :func:`write_bytes`)."""
    write_bytes(target, text.encode("utf-8"), root=root)


def append_text(target: os.PathLike | str, text: str) -> None:
    """Append ``text`` (UTF-8) to the regular file ``target``, creating it: for logs another program reads as
    they grow, such as GitHub's job summary (``$GITHUB_STEP_SUMMARY``), which an atomic rename would not suit.
    A FIFO, a device, a folder or a link at ``target`` is refused before anything is written."""
    what = os.fspath(target)
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(target, flags | getattr(os, "O_CLOEXEC", 0), 0o666)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise UnsafePathError(f"{what}: is a link; refused") from None
        raise PackageReadError(f"{what}: cannot be written ({exc.strerror})") from None
    try:
        _refuse_mode(os.fstat(fd).st_mode, what)
        data = memoryview(text.encode("utf-8"))
        while data:
            data = data[os.write(fd, data) :]
    except OSError as exc:
        raise PackageReadError(f"{what}: cannot be written ({exc.strerror})") from None
    finally:
        os.close(fd)


def scratch_dir(prefix: str) -> Path:
    """A new private folder (mode 0700) under the system's temporary folder, for work that spills to disk
    (the key columns DuckDB holds past the memory budget); the caller removes it with :func:`remove_scratch`."""
    try:
        return Path(tempfile.mkdtemp(prefix=prefix))
    except OSError as exc:
        raise PackageReadError(f"cannot make a scratch folder for spilled key columns ({exc.strerror})") from None


def remove_scratch(folder: Path) -> None:
    """Remove a folder made by :func:`scratch_dir`, with everything in it."""
    import shutil

    shutil.rmtree(folder, ignore_errors=True)
