"""A real HTTP server on 127.0.0.1 serving a folder (a copy of releases/), well or badly as a test plans it.

``server.plan(name, *modes)`` sets how the next requests of ``name`` are answered, one mode each, then "ok".
Every wait in a handler ends when the server stops. ``server.log`` is read once the server has caught up
with every connection made to it (on a loaded machine its threads may run after the client gave up).
"""

from __future__ import annotations

import hashlib
import json
import select
import shutil
import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from energy_ties.releases.index import index_json

from . import ROOT, zip_entries

VERSION = json.loads((ROOT / "datapackage.json").read_text())["version"]
ARCHIVE = f"energy-ties-{VERSION}.zip"
#: {name: bytes} of the released archive of the current version
RELEASED = zip_entries(ROOT / "releases" / ARCHIVE)
#: Every release releases/index.json lists, oldest first, and the current version's entry among them
INDEXED = json.loads((ROOT / "releases" / "index.json").read_text())["releases"]
ENTRY = next(r for r in INDEXED if r["version"] == VERSION)


class Handler(SimpleHTTPRequestHandler):
    """Answers as the plan says: ok, 404, 500, garbage, truncate, slow, endless, endless-json, drip, stall,
    stall-body, announce:N."""

    def log_message(self, *args):
        pass

    def parse_request(self) -> bool:
        self.server.seen += 1  # a request arrived on an accepted connection (see Server.log)
        return super().parse_request()

    def do_GET(self):
        name = self.path.lstrip("/")
        self.server.log.append(name)
        plan = self.server.plans.get(name)
        mode = plan.pop(0) if plan else "ok"
        path = Path(self.directory) / name
        try:
            self.answer(mode, path)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up, as it should
            pass

    def answer(self, mode: str, path: Path) -> None:
        if mode in ("404", "500") or not path.is_file():
            self.send_error(500 if mode == "500" else 404)
            return
        if mode == "stall":  # headers never come; the client must give up by itself
            self.server.stopping.wait(self.server.stall)
            return
        body = path.read_bytes()
        if mode == "garbage":
            body = bytes(b ^ 0x5A for b in body)
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        if mode.startswith("announce:"):
            self.send_header("Content-Length", mode.split(":")[1])
        elif mode not in ("endless", "endless-json"):
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if mode == "endless":  # the file, then more, for ever: HTTP/1.0, so no length is needed
            self.write(body)
            self.forever(b"\0" * 65536)
        elif mode == "endless-json":  # an index padded without end: valid JSON as far as it goes
            self.write(b'{"name": "energy-ties", "pad": "')
            self.forever(b" " * 65536)
        elif mode == "drip":  # 20 bytes every `server.drip` seconds
            for i in range(0, len(body), 20):
                self.write(body[i : i + 20])
                if self.server.stopping.wait(self.server.drip):
                    return
        elif mode == "truncate":  # HTTP/1.0: the connection closes, short of Content-Length
            self.write(body[: len(body) // 2])
        elif mode == "slow":  # the body in 20 parts, 0.06 s apart
            step = max(1, len(body) // 20)
            for i in range(0, len(body), step):
                self.write(body[i : i + step])
                if self.server.stopping.wait(0.06):
                    return
        elif mode == "stall-body":
            self.write(body[: len(body) // 2])
            self.server.stopping.wait(30)
        else:
            self.write(body)

    def write(self, data: bytes) -> None:
        self.wfile.write(data)
        self.wfile.flush()

    def forever(self, chunk: bytes) -> None:
        while not self.server.stopping.is_set():
            self.write(chunk)


class Quiet(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):  # a client that hung up is what these tests make
        pass

    def get_request(self):
        with self.counting:  # accepted and counted at once: Server.log sees a connection as one or the other
            request = super().get_request()
            self.accepted += 1
        return request


class Server:
    def __init__(self, root: Path):
        self.root = root
        self.httpd = Quiet(("127.0.0.1", 0), partial(Handler, directory=str(root)))
        self.httpd.log, self.httpd.plans, self.httpd.stopping = [], {}, threading.Event()
        self.httpd.counting, self.httpd.accepted, self.httpd.seen = threading.Lock(), 0, 0
        self.httpd.drip, self.httpd.stall = 0.1, 30.0  # seconds between drips; seconds a stall lasts at most
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    @property
    def log(self) -> list[str]:
        """The names requested so far, once no connection waits to be accepted and every accepted one has had
        its request read (for at most 5 s: a connection that never sends one is not waited for longer)."""
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            with self.httpd.counting:
                pending = select.select([self.httpd.socket], [], [], 0)[0]
                if not pending and self.httpd.seen >= self.httpd.accepted:
                    break
            time.sleep(0.005)
        return self.httpd.log

    def plan(self, name: str, *modes: str) -> None:
        self.httpd.plans[name] = list(modes)

    def publish(self, version: str, data: bytes, *, name: str = "energy-ties", sha256: str | None = None) -> str:
        """Serve ``data`` as the archive of ``version`` and list it in the served index (of package ``name``),
        with its SHA-256 or the one given."""
        file = f"{name}-{version}.zip"
        (self.root / file).write_bytes(data)
        index = json.loads((self.root / "index.json").read_text())
        entry = {
            "version": version,
            "date": "2027-01-01",
            "file": file,
            "size": len(data),
            "sha256": sha256 or hashlib.sha256(data).hexdigest(),
        }
        releases = [dict(r, file=f"{name}-{r['version']}.zip") for r in index["releases"] if r["version"] != version]
        (self.root / "index.json").write_text(index_json(name, [*releases, entry]))
        return file

    def stop(self) -> None:
        self.httpd.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()


def serve_releases(tmp_path: Path, monkeypatch) -> Server:
    """A Server of a copy of releases/, with the library's download settings cleared from the environment and
    127.0.0.1 reached without a proxy; the caller stops it."""
    for var in ("ENERGY_TIES_BASE_URL", "ENERGY_TIES_CACHE", "ENERGY_TIES_OFFLINE", "ENERGY_TIES_TIMEOUT"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    served = tmp_path / "served"
    shutil.copytree(ROOT / "releases", served)
    return Server(served)
