"""Bounded HTTP downloads: a byte cap, one deadline for the whole call, and retries only where they can help.

:func:`fetch_file` streams one URL into a new temporary file beside its
target and renames it into place only when the body is complete, within its
bound and (when a SHA-256 is given) the expected bytes. It never reads more
than the bound (the index's ``size`` for an archive), never runs past the
deadline (a timer shuts the socket down when it comes, so a server that
drips or stalls mid-body cannot hold the call), and retries only what a
second attempt can mend: connection errors, timeouts and HTTP 5xx, after a
short pause, and never past the deadline. An HTTP 4xx, a body over its bound
or with the wrong SHA-256 is final. Every failure is one DownloadError line
naming the URL.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from ..errors import DownloadError

#: Bytes asked of the socket at a time.
CHUNK = 1 << 16
#: Redirects followed (GitHub's raw URLs redirect once) before giving up.
MAX_REDIRECTS = 5
#: The body as sent: a release archive is already compressed, and a cap on encoded bytes would mean little.
HEADERS = {"Accept-Encoding": "identity"}


@dataclass(frozen=True)
class Deadline:
    """The moment a whole call (the index, the archive, every retry and pause) must be over by."""

    seconds: float
    end: float

    @classmethod
    def after(cls, seconds: float) -> Deadline:
        return cls(seconds, time.monotonic() + seconds)

    def remaining(self) -> float:
        return self.end - time.monotonic()

    def passed(self) -> bool:
        return self.remaining() <= 0.005


@dataclass(frozen=True)
class Body:
    """What the body must be: at most ``limit`` bytes (exactly, when ``exact``), with ``sha256`` when given.

    ``bound`` says what the limit is, for messages ("the 58196 bytes the release index gives").
    """

    limit: int
    bound: str
    exact: bool = False
    sha256: str | None = None


@dataclass(frozen=True)
class Policy:
    """``timeout``: seconds of silence (to connect, or for the next bytes) before an attempt fails;
    ``retries``: further attempts after a failure worth retrying; ``pause``: seconds before the first
    retry, growing by as much each time."""

    timeout: float
    retries: int
    pause: float


class _Failed(Exception):
    """One attempt failed: ``text`` follows the URL in the message; ``retry`` says whether to try again;
    ``final`` failures are about the body, not the connection, so the message does not count attempts."""

    def __init__(self, text: str, retry: bool, final: bool = False) -> None:
        super().__init__(text)
        self.text, self.retry, self.final = text, retry, final


class Progress(Protocol):
    """Told the body's announced size (None if unknown) as each attempt starts, then each chunk's length."""

    def start(self, total: int | None) -> None: ...

    def advance(self, n: int) -> None: ...


def fetch_file(
    url: str,
    target: Path,
    tmp_prefix: str,
    body: Body,
    deadline: Deadline,
    policy: Policy,
    what: str,
    progress: Progress | None = None,
) -> None:
    """Download ``url`` to ``target`` (replaced only by a complete, checked body), or raise one DownloadError.

    The body is written to ``target.parent / f"{tmp_prefix}-{12 hex digits}"``, removed on every failure;
    a process killed meanwhile leaves it behind for the caller's sweep, under its lock.
    """
    import requests

    attempts = 0
    with requests.Session() as session:
        while True:
            attempts += 1
            tmp = target.parent / f"{tmp_prefix}-{secrets.token_hex(6)}"
            try:
                _attempt(session, url, tmp, body, deadline, policy, progress)
                os.replace(tmp, target)
                return
            except _Failed as exc:
                failure = exc
            except OSError as exc:  # requests' and urllib3's errors are caught inside: this is the cache
                raise DownloadError(f"{what}: cannot write to the cache {target.parent} ({exc})") from None
            finally:
                tmp.unlink(missing_ok=True)
            pause = policy.pause * attempts
            if not failure.retry or attempts > policy.retries or deadline.remaining() <= pause:
                tries = "" if failure.final else f" ({attempts} attempt(s))"
                raise DownloadError(f"{what}: {url}{failure.text}{tries}")
            time.sleep(pause)


def _attempt(
    session: Any, url: str, tmp: Path, body: Body, deadline: Deadline, policy: Policy, progress: Progress | None
) -> None:
    """One GET of ``url`` into the new file ``tmp``; a _Failed when it cannot be used."""
    import requests
    import urllib3

    resp = None
    timer = None
    try:
        resp = _open(session, url, deadline, policy)
        timer = threading.Timer(max(deadline.remaining(), 0.0), _shutdown, (resp,))
        timer.daemon = True
        timer.start()
        _check_status(resp)
        size, digest = _stream(resp, tmp, body, deadline, progress)
    except (requests.RequestException, urllib3.exceptions.HTTPError) as exc:
        raise _failure(exc, deadline, policy) from None
    finally:
        if timer is not None:
            timer.cancel()
        if resp is not None:
            resp.close()
    if deadline.passed() and size < body.limit:  # shut down at the deadline: a short body is no answer
        raise _late(deadline)
    if body.exact and size < body.limit:
        raise _Failed(": the connection broke before the whole file arrived", retry=True)
    if body.sha256 is not None and digest != body.sha256:
        raise _Failed(
            f" does not match its SHA-256 in the release index ({body.sha256}); the download was discarded",
            retry=False,
            final=True,
        )


def _open(session: Any, url: str, deadline: Deadline, policy: Policy) -> Any:
    """The response to GET ``url``, its headers read, redirects followed, each step within the deadline."""
    from urllib.parse import urljoin

    import urllib3

    for _ in range(MAX_REDIRECTS + 1):
        left = deadline.remaining()
        if left <= 0:
            raise _late(deadline)
        wait = min(policy.timeout, left)  # total: connecting and waiting for the headers, together
        timeout = urllib3.Timeout(total=left, connect=wait, read=wait)
        resp = _within(
            left, deadline, session.get, url, stream=True, timeout=timeout, allow_redirects=False, headers=HEADERS
        )
        if not resp.is_redirect:
            return resp
        location = urljoin(url, resp.headers["location"])
        resp.close()
        if not location.lower().startswith(("http://", "https://")):
            raise _Failed(f" redirects to {location!r}, which is not http(s)", retry=False)
        url = location
    raise _Failed(f" redirects more than {MAX_REDIRECTS} times", retry=False)


def _within(seconds: float, deadline: Deadline, call: Any, *args: Any, **kwargs: Any) -> Any:
    """``call(*args, **kwargs)`` in a worker thread, given at most ``seconds``: the name lookup before a
    connection (``getaddrinfo``) takes no timeout, so a resolver that hangs would otherwise hold the call past
    the deadline. A call still running then is left to end on its own (its thread is a daemon)."""
    outcome: list[Any] = []

    def work() -> None:
        try:
            outcome.append((True, call(*args, **kwargs)))
        except BaseException as exc:  # handed to the caller's thread, which raises it
            outcome.append((False, exc))

    worker = threading.Thread(target=work, daemon=True, name="energy-ties-connect")
    worker.start()
    worker.join(max(seconds, 0.0))
    if not outcome:
        raise _late(deadline)
    ok, value = outcome[0]
    if not ok:
        raise value
    return value


def _check_status(resp: Any) -> None:
    if resp.status_code >= 400:  # 5xx may pass; a 4xx will not
        raise _Failed(f" answered HTTP {resp.status_code} {resp.reason}", retry=resp.status_code >= 500)


def _stream(resp: Any, tmp: Path, body: Body, deadline: Deadline, progress: Progress | None) -> tuple[int, str]:
    """Write the body to ``tmp``, counting and hashing it: (bytes, SHA-256). Stops past the bound or deadline."""
    announced = _announced(resp)
    if announced is not None and (announced > body.limit or (body.exact and announced != body.limit)):
        relation = "not" if body.exact else "over"
        text = f" announces {announced} bytes, {relation} {body.bound}; nothing was kept"
        raise _Failed(text, retry=False, final=True)
    if progress is not None:
        progress.start(announced)
    h = hashlib.sha256()
    size = 0
    with open(tmp, "xb") as fh:
        while chunk := resp.raw.read1(CHUNK, decode_content=True):
            size += len(chunk)
            if size > body.limit:
                raise _Failed(f" sent more than {body.bound}; the download was discarded", retry=False, final=True)
            if deadline.passed():
                raise _late(deadline)
            h.update(chunk)
            fh.write(chunk)
            if progress is not None:
                progress.advance(len(chunk))
        fh.flush()
        os.fsync(fh.fileno())
    return size, h.hexdigest()


def _announced(resp: Any) -> int | None:
    """The Content-Length, when it counts the bytes we will read (no Content-Encoding)."""
    length = resp.headers.get("content-length")
    if resp.headers.get("content-encoding", "identity").lower() != "identity" or length is None:
        return None
    try:
        return int(length)
    except ValueError:
        return None


def _shutdown(resp: Any) -> None:
    """At the deadline: end the blocked read (urllib3's HTTPResponse.shutdown shuts the socket for reading)."""
    try:
        resp.raw.shutdown()
    except (AttributeError, ValueError, RuntimeError, OSError):  # already closed or released
        pass


def _late(deadline: Deadline) -> _Failed:
    text = f" did not arrive within the {deadline.seconds:g} s timeout (set by --timeout or ENERGY_TIES_TIMEOUT)"
    return _Failed(text, retry=False, final=True)


def _failure(exc: Exception, deadline: Deadline, policy: Policy) -> _Failed:
    """What a requests or urllib3 error means, in a few words, and whether another attempt may help."""
    import requests
    import urllib3

    if deadline.passed():
        return _late(deadline)
    cause = exc.args[0] if exc.args else None
    if isinstance(exc, (requests.Timeout, urllib3.exceptions.TimeoutError)) or isinstance(
        cause, urllib3.exceptions.TimeoutError
    ):
        return _Failed(f" did not answer within {policy.timeout:g} s", retry=True)
    if isinstance(exc, (requests.exceptions.ChunkedEncodingError, urllib3.exceptions.ProtocolError)):
        return _Failed(": the connection broke before the whole file arrived", retry=True)
    reason = re.search(r"\[Errno -?\d+\] [^'\")\]]+|Read timed out", str(exc))
    retry = isinstance(exc, requests.ConnectionError) and not isinstance(exc, requests.exceptions.SSLError)
    return _Failed(f" failed: {reason.group(0) if reason else exc}", retry=retry)
