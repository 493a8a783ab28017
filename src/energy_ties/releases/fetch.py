"""Fetch release files over HTTP with pooch: the index, and archives checked against their SHA-256.

No byte of an archive is used before its SHA-256 matches the index; every
failure becomes one line naming the URL.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

from ..datapackage.jsonio import read_json
from ..errors import DownloadError, PackageReadError
from .cache import Settings, archive_ok, archive_path, new_folder
from .index import INDEX, index_problems

#: Seconds a request may wait for the server (to connect, or between two reads) before failing.
TIMEOUT = 30.0
#: Further attempts after a failed download (pooch waits 1 s, 2 s, ... between them).
RETRIES = 3


def remote_index(s: Settings) -> dict | None:
    """The index at ``BASE/index.json``, kept in the cache for offline use; offline, the kept copy (or None)."""
    kept = s.cache / INDEX
    if s.offline:
        try:
            index = read_json(kept)
        except PackageReadError:  # none kept, or damaged: only the bundled index counts
            return None
        return None if index_problems(index) else index
    import pooch

    try:
        tmp = new_folder(s.cache, ".index")
    except OSError as exc:
        raise DownloadError(f"cannot write to the cache {s.cache} ({exc})") from None
    logger = pooch.get_logger()
    level = logger.level
    try:  # no hash to check it against: fetched afresh into a new folder every time, without pooch's chatter
        logger.setLevel("WARNING")
        fetcher = pooch.create(path=tmp, base_url=s.base_url, registry={INDEX: None}, retry_if_failed=RETRIES)
        path = Path(fetch(fetcher, INDEX, s, "the release index"))
        index = read_json(path, f"{s.base_url}{INDEX}")
        problems = index_problems(index)
        if problems:
            raise DownloadError(f"{s.base_url}{INDEX}: not a valid release index ({problems[0]})")
        os.replace(path, kept)
        return index
    finally:
        logger.setLevel(level)
        shutil.rmtree(tmp, ignore_errors=True)


class _Bar:
    """The progress object pooch drives (``total``, ``update``, ``reset``, ``close``), drawn by rich on stderr."""

    def __init__(self, label: str) -> None:
        from rich.console import Console
        from rich.progress import DownloadColumn, Progress, TransferSpeedColumn

        self._progress = Progress(
            *Progress.get_default_columns(),
            DownloadColumn(),
            TransferSpeedColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self._task = self._progress.add_task(label, total=None)
        self._started = False

    @property
    def total(self) -> float | None:
        return self._progress.tasks[0].total

    @total.setter
    def total(self, value: int) -> None:  # set when each attempt's response starts, after pooch's log line
        if not self._started:
            self._progress.start()
            self._started = True
        self._progress.reset(self._task, total=value or None)

    def update(self, n: int) -> None:
        self._progress.advance(self._task, n)

    def reset(self) -> None:
        self._progress.reset(self._task)

    def close(self) -> None:
        if self._started:
            self._progress.stop()
            self._started = False


def fetch(fetcher, name: str, s: Settings, what: str) -> str:
    """``fetcher.fetch(name)`` with every failure turned into a one-line DownloadError."""
    import pooch
    import requests

    url = fetcher.get_url(name)
    tries = f"{RETRIES + 1} attempt(s)"
    bar: _Bar | bool = _Bar(name) if sys.stderr.isatty() else False
    try:
        return fetcher.fetch(
            name, downloader=pooch.HTTPDownloader(timeout=TIMEOUT, progressbar=bar, chunk_size=1 << 14)
        )
    except requests.HTTPError as exc:
        status = f"{exc.response.status_code} {exc.response.reason}" if exc.response is not None else "an error"
        raise DownloadError(f"{what}: {url} answered HTTP {status} ({tries})") from None
    except requests.Timeout:
        raise DownloadError(f"{what}: {url} did not answer within {TIMEOUT:g} s ({tries})") from None
    except requests.exceptions.ChunkedEncodingError:
        raise DownloadError(f"{what}: {url}: the connection broke before the whole file arrived ({tries})") from None
    except requests.RequestException as exc:  # keep the reason, not urllib3's nested reprs
        reason = re.search(r"\[Errno -?\d+\] [^'\")\]]+|Read timed out", str(exc))
        raise DownloadError(f"{what}: {url} failed: {reason.group(0) if reason else exc} ({tries})") from None
    except ValueError:  # pooch: the downloaded file does not match the registry's hash
        raise DownloadError(
            f"{what}: {url} does not match its SHA-256 in the release index "
            f"({fetcher.registry[name]}); the download was discarded"
        ) from None
    except OSError as exc:
        raise DownloadError(f"{what}: cannot write to the cache {s.cache} ({exc})") from None
    finally:
        if isinstance(bar, _Bar):
            bar.close()


def get_archive(s: Settings, entry: dict, name: str) -> Path:
    """The verified archive in the cache: kept, or downloaded (again, when the kept one no longer matches)."""
    path = archive_path(s, entry, name)
    if s.offline:
        if archive_ok(path, entry["sha256"]):
            return path
        raise DownloadError(
            f"version {entry['version']} is not in the cache {s.cache} and downloads are off "
            "(ENERGY_TIES_OFFLINE): download it once online"
        )
    import pooch

    fetcher = pooch.create(
        path=path.parent,
        base_url=s.base_url,
        registry={path.name: f"sha256:{entry['sha256']}"},
        retry_if_failed=RETRIES,
    )
    return Path(fetch(fetcher, path.name, s, f"version {entry['version']}"))
