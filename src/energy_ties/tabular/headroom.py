"""How much more memory this process may map under its data limit (``ulimit -d``, ``prlimit --data``), and how
much the machine has free.

Arrow's streaming CSV reader cannot fail safely at its start: when memory runs out while it opens (it reads
and parses a first block on its I/O thread), the generator it drops waits on its own I/O thread, and the
process waits forever (pyarrow 26, seen under ``prlimit --data`` at 280 MiB in a diff of two 300k-row
tables). So a reader is opened only with room for it, and otherwise fails as memory running out does.
"""

from __future__ import annotations

import os

from ..files import PackageReadError, read_text

#: Room the first reader needs beyond its blocks: it starts Arrow's I/O and CPU threads (8 MiB of stack
#: each) and its pools (about 75 MiB of the data limit for a tiny table, measured under prlimit).
READER_BASE = 48 << 20
#: Room a later reader needs beyond its blocks, the threads and pools being there already.
READER_SLACK = 4 << 20
#: Blocks a reader holds at its start: the one read, the one read ahead and the parsed copy of each.
READER_BLOCKS = 4


def _limits() -> dict[str, int]:
    """This process's data and address-space limits that are set, in bytes, by the /proc/self/status line
    counting what each limits (VmData, VmSize)."""
    try:
        import resource

        held = {
            "VmData:": resource.getrlimit(resource.RLIMIT_DATA)[0],
            "VmSize:": resource.getrlimit(resource.RLIMIT_AS)[0],
        }
    except (ImportError, OSError, ValueError):  # no resource module (Windows): no limit known
        return {}
    return {k: v for k, v in held.items() if v != resource.RLIM_INFINITY and v > 0}


def data_limit() -> int | None:
    """The smaller of this process's data and address-space limits, in bytes; None without one."""
    return min(_limits().values(), default=None)


def headroom() -> int | None:
    """Bytes the process may still map before its data or address-space limit (None: no limit, or Linux's
    /proc/self/status does not say how much is mapped)."""
    limits = _limits()
    if not limits:
        return None
    try:
        status = read_text("/proc/self/status", limit=1 << 16)
    except (PackageReadError, OSError):
        return None
    used = {
        line.split()[0]: int(line.split()[1]) << 10 for line in status.splitlines() if line.startswith(tuple(limits))
    }
    left = [limit - used[key] for key, limit in limits.items() if key in used]
    return min(left, default=None)


def free_memory() -> int:
    """Bytes of memory the process may take without pushing anything out: Linux's MemAvailable (free
    memory and the page cache it may drop), within a cgroup's memory.max; elsewhere the free pages; 0 if
    none of these says."""
    found = []
    for path, prefix in (("/proc/meminfo", "MemAvailable:"), ("/sys/fs/cgroup/memory.max", "")):
        try:
            text = read_text(path, limit=1 << 16)
        except (PackageReadError, OSError):
            continue
        for line in text.splitlines():
            words = line[len(prefix) :].split() if line.startswith(prefix) else []
            if words and words[0].isdigit():
                found.append(int(words[0]) * (1024 if prefix else 1))  # MemAvailable is in kB
                break
    if found:
        return min(found)
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, OSError, ValueError):  # sysconf without these names: the least budget
        return 0


def ensure_room_for_reader(block_bytes: int, stored: int | None = None) -> None:
    """Raise MemoryError, as running out would, unless a CSV reader of ``block_bytes`` blocks has room; a
    block holds no more than the ``stored`` bytes of an uncompressed file (None: not known)."""
    room = headroom()
    held = block_bytes if stored is None else min(block_bytes, stored)
    if room is not None and room < (READER_SLACK if _started else READER_BASE) + READER_BLOCKS * held:
        raise MemoryError(f"{room >> 20} MiB left under the data limit, too little to open a CSV reader")


_started: list[bool] = []


def reader_started() -> None:
    """Say that a CSV reader opened: Arrow's threads and pools now exist, and later readers need less room."""
    if not _started:
        _started.append(True)
