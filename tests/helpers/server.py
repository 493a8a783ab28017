"""A real HTTP server on 127.0.0.1 serving a copy of releases/, well or badly as a test plans it."""

from __future__ import annotations

import hashlib
import json
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
    """Serves the folder, or misbehaves as the server's plan says for the next request of a file."""

    def log_message(self, *args):
        pass

    def do_GET(self):
        name = self.path.lstrip("/")
        self.server.log.append(name)
        plan = self.server.plans.get(name)
        mode = plan.pop(0) if plan else "ok"
        path = Path(self.directory) / name
        if mode in ("404", "500") or not path.is_file():
            self.send_error(404 if mode == "404" or not path.is_file() else 500)
            return
        body = path.read_bytes()
        if mode == "stall":  # headers never come; the client must give up by itself
            time.sleep(self.server.stall)
            return
        if mode == "garbage":
            body = bytes(b ^ 0x5A for b in body)
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if mode == "truncate":
            self.wfile.write(body[: len(body) // 2])
            return  # HTTP/1.0: the connection closes, short of Content-Length
        step = max(1, len(body) // 20) if mode == "slow" else len(body)
        for i in range(0, len(body), step):
            self.wfile.write(body[i : i + step])
            self.wfile.flush()
            if mode == "slow":
                time.sleep(0.06)


class Server:
    def __init__(self, root: Path):
        self.root = root
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(Handler, directory=str(root)))
        self.httpd.log, self.httpd.plans, self.httpd.stall = [], {}, 3.0
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        # a short poll: shutdown() waits up to one poll interval, at the end of every test
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.02,), daemon=True)
        self.thread.start()

    @property
    def log(self) -> list[str]:
        return self.httpd.log

    def plan(self, name: str, *modes: str) -> None:
        self.httpd.plans[name] = list(modes)

    def publish(self, version: str, data: bytes, *, sha256: str | None = None) -> None:
        """Serve ``data`` as the archive of ``version`` and list it in the served index."""
        name = f"energy-ties-{version}.zip"
        (self.root / name).write_bytes(data)
        index = json.loads((self.root / "index.json").read_text())
        entry = {
            "version": version,
            "date": "2027-01-01",
            "file": name,
            "size": len(data),
            "sha256": sha256 or hashlib.sha256(data).hexdigest(),
        }
        releases = [r for r in index["releases"] if r["version"] != version] + [entry]
        (self.root / "index.json").write_text(index_json("energy-ties", releases))

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
