"""Reads, writes and requests outside the package: links, FIFOs, devices, JSON Schema references, remote reads."""

from __future__ import annotations

import http.server
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import pytest

from energy_ties import files
from energy_ties.cli import main
from helpers import ROOT, write_package

TABLE = {"fields": [{"name": "n", "type": "integer"}]}


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def run_guarded(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    """The command in a child process, so that a read that blocks fails the test instead of hanging it."""
    code = "import sys; from energy_ties.cli import main; sys.exit(main(sys.argv[1:]))"
    try:
        return subprocess.run(
            [sys.executable, "-c", code, *args], check=False, capture_output=True, text=True, timeout=timeout, cwd=ROOT
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"energy-ties {' '.join(args)} blocked for {timeout} s")


def copy_of_this_package(folder: Path) -> Path:
    for name in ("data", "schemas"):
        shutil.copytree(ROOT / name, folder / name)
    for name in ("datapackage.json", "CHANGELOG.md"):
        shutil.copy(ROOT / name, folder / name)
    return folder


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# ---------------------------------------------------------------- links leading out


def test_a_package_schema_linked_outside_is_refused_not_read(tmp_path, capsys):
    pkg = copy_of_this_package(tmp_path / "pkg")
    outside = tmp_path / "host.json"
    outside.write_text('{"secret": true, "type": "object"}')
    schema = pkg / "schemas" / "energy-ties-package.json"
    schema.unlink()
    schema.symlink_to(outside)
    code, out, err = run(capsys, "validate", str(pkg))
    assert (code, err) == (1, "")
    assert out.splitlines()[0] == (
        f"package: package-error: schemas/energy-ties-package.json: leads outside {pkg} through a link; refused"
    )


def test_a_row_schema_linked_outside_is_refused_by_validate_and_never_packed(tmp_path, capsys):
    pkg = copy_of_this_package(tmp_path / "pkg")
    outside = tmp_path / "host-secret.json"
    outside.write_text((pkg / "schemas" / "rows" / "quotes.json").read_text())  # the very bytes it should hold
    row = pkg / "schemas" / "rows" / "quotes.json"
    row.unlink()
    row.symlink_to(outside)
    code, out, _ = run(capsys, "validate", str(pkg))
    assert code == 1
    assert out.splitlines()[0] == (
        f"quotes: schema-error: schemas/rows/quotes.json: leads outside {pkg} through a link; refused"
    )
    code, out, err = run(capsys, "build-release", str(pkg))
    assert (code, out) == (2, "")
    assert (
        err
        == f"energy-ties build-release: error: schemas/rows/quotes.json: leads outside {pkg} through a link; refused\n"
    )
    assert not (pkg / "releases").exists()


def test_build_release_never_packs_a_data_file_linked_outside(tmp_path, capsys):
    pkg = copy_of_this_package(tmp_path / "pkg")
    outside = tmp_path / "host.csv"
    shutil.copy(pkg / "data" / "quotes.csv", outside)
    (pkg / "data" / "quotes.csv").unlink()
    (pkg / "data" / "quotes.csv").symlink_to(outside)
    code, out, err = run(capsys, "build-release", str(pkg))
    assert code == 2 and out == ""
    assert "leads outside the package folder (through a link)" in err and err.count("\n") == 1
    assert not (pkg / "releases").exists()


def test_schemas_write_never_writes_through_a_rows_folder_linked_outside(tmp_path, capsys):
    pkg = copy_of_this_package(tmp_path / "pkg")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    shutil.rmtree(pkg / "schemas" / "rows")
    (pkg / "schemas" / "rows").symlink_to(outside, target_is_directory=True)
    code, out, err = run(capsys, "schemas", "--write", str(pkg / "datapackage.json"))
    assert (code, out) == (2, "")
    assert err.startswith("energy-ties schemas: error: ") and err.count("\n") == 1
    assert f"its folder: leads outside {pkg} through a link; refused" in err
    assert list(outside.iterdir()) == []


def test_docs_write_refuses_a_readme_linked_outside_its_folder(tmp_path, capsys):
    pkg = copy_of_this_package(tmp_path / "pkg")
    outside = tmp_path / "host.md"
    outside.write_bytes((ROOT / "README.md").read_bytes())
    (pkg / "README.md").symlink_to(outside)
    code, out, err = run(capsys, "docs", "--write", str(pkg / "datapackage.json"), "--readme", str(pkg / "README.md"))
    assert (code, out) == (2, "")
    assert err == f"energy-ties docs: error: {pkg / 'README.md'}: leads outside {pkg} through a link; refused\n"
    assert outside.read_bytes() == (ROOT / "README.md").read_bytes() and (pkg / "README.md").is_symlink()


def test_the_descriptor_linked_outside_its_folder_is_refused(tmp_path, capsys):
    outside = write_package(tmp_path / "real", {"t": (TABLE, "n\n1\n")})
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "datapackage.json").symlink_to(outside)
    code, out, err = run(capsys, "validate", str(tmp_path / "pkg"))
    assert (code, out) == (2, "")
    assert err == (
        f"energy-ties validate: error: {tmp_path / 'pkg'}: datapackage.json: leads outside "
        f"{tmp_path / 'pkg'} through a link; refused\n"
    )


# ---------------------------------------------------------------- FIFOs and devices


@pytest.fixture
def fifo_package(tmp_path: Path) -> Path:
    path = write_package(tmp_path / "pkg", {"t": (TABLE, "n\n1\n")})
    os.mkfifo(tmp_path / "pkg" / "fifo.json")
    return path


def test_a_fifo_as_the_descriptor_does_not_block(tmp_path):
    os.mkfifo(tmp_path / "datapackage.json")
    r = run_guarded("validate", str(tmp_path / "datapackage.json"))
    assert r.returncode == 2 and r.stdout == ""
    assert (
        r.stderr
        == f"energy-ties validate: error: {tmp_path / 'datapackage.json'}: is a FIFO, not a regular file; refused\n"
    )
    r = run_guarded("validate", str(tmp_path))
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "is a FIFO, not a regular file" in r.stderr


@pytest.mark.parametrize("key", ["schema", "dialect", "path"])
def test_a_fifo_as_a_schema_dialect_or_data_path_does_not_block(fifo_package, key):
    descriptor = json.loads(fifo_package.read_text())
    descriptor["resources"][0][key] = "fifo.json"
    fifo_package.write_text(json.dumps(descriptor))
    r = run_guarded("validate", str(fifo_package))
    assert r.returncode == 1, r.stderr
    expected = {
        "schema": "t: schema-error: resource 't': schema 'fifo.json' is a FIFO, not a regular file; refused",
        "dialect": "t: dialect-error: resource 't': dialect 'fifo.json' is a FIFO, not a regular file; refused",
        "path": "t: scheme-error: resource 't': data file 'fifo.json' is a FIFO, not a regular file; refused",
    }[key]
    assert expected in r.stdout.splitlines(), r.stdout


def test_a_fifo_named_zip_does_not_block(tmp_path):
    os.mkfifo(tmp_path / "release.zip")
    r = run_guarded("validate", str(tmp_path / "release.zip"))
    assert r.returncode == 2
    assert r.stderr == "energy-ties validate: error: release.zip: is a FIFO, not a regular file; refused\n"


def test_dev_zero_is_refused_at_once(capsys):
    code, out, err = run(capsys, "validate", "/dev/zero")
    assert (code, out) == (2, "")
    assert err == "energy-ties validate: error: /dev/zero: is a character device, not a regular file; refused\n"


def test_a_fifo_among_the_source_texts_is_skipped(tmp_path):
    texts = tmp_path / "texts"
    texts.mkdir()
    os.mkfifo(texts / "fifo.txt")
    r = run_guarded("verify-evidence", "--texts", str(texts))
    assert r.returncode == 1 and "Traceback" not in r.stderr  # no text found: every source is a problem


# ---------------------------------------------------------------- JSON Schema references


def json_schema_package(tmp_path: Path, ref: str) -> Path:
    schema = {"fields": [{"name": "x", "type": "object", "constraints": {"jsonSchema": {"$ref": ref}}}]}
    return write_package(tmp_path / "pkg", {"t": (schema, 'x\n"{""a"": 1}"\n')})


class Server:
    """A server on 127.0.0.1 that answers every GET with ``body``, or never answers at all (``stall``)."""

    def __init__(self, body: bytes = b"", stall: bool = False):
        self.requests: list[str] = []
        self.stall = stall
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                server.requests.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        if stall:
            self.sock = socket.socket()
            self.sock.bind(("127.0.0.1", 0))
            self.sock.listen(5)
            self.port = self.sock.getsockname()[1]
            self.conns: list[socket.socket] = []
            threading.Thread(target=self._accept, daemon=True).start()
        else:
            self.httpd = http.server.HTTPServer(("127.0.0.1", 0), Handler)
            self.port = self.httpd.server_address[1]
            threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True).start()  # shutdown polls

    def _accept(self) -> None:
        try:
            while True:
                conn, _ = self.sock.accept()
                self.requests.append("connect")
                self.conns.append(conn)  # held open, never answered
        except OSError:
            pass

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def close(self) -> None:
        if self.stall:
            for c in self.conns:
                c.close()
            self.sock.close()
        else:
            self.httpd.shutdown()
            self.httpd.server_close()


@pytest.fixture
def server():
    s = Server(json.dumps({"type": "object", "required": ["b"]}).encode())
    yield s
    s.close()


def test_a_remote_ref_is_never_fetched_without_allow_remote(tmp_path, capsys, server, monkeypatch):
    monkeypatch.delenv("ENERGY_TIES_OFFLINE", raising=False)
    path = json_schema_package(tmp_path, server.url("/s.json"))
    code, out, err = run(capsys, "validate", str(path))
    assert (code, err) == (1, "")
    assert out.splitlines()[0] == (
        f"t:x: field-error: constraint 'jsonSchema': $ref '{server.url('/s.json')}' cannot be resolved: "
        "remote references are refused (--allow-remote fetches them)"
    )
    assert server.requests == []


def test_a_remote_ref_is_fetched_with_allow_remote_and_decides(tmp_path, capsys, server, monkeypatch):
    monkeypatch.delenv("ENERGY_TIES_OFFLINE", raising=False)
    path = json_schema_package(tmp_path, server.url("/s.json"))
    code, out, _ = run(capsys, "validate", str(path), "--allow-remote")
    assert code == 1
    assert out.splitlines()[0].startswith('t:2:x: constraint-error: Constraint error in the cell "{"a": 1}"')
    assert server.requests == ["/s.json"]


def test_offline_means_no_request_even_with_allow_remote(tmp_path, capsys, server, monkeypatch):
    monkeypatch.setenv("ENERGY_TIES_OFFLINE", "1")
    path = json_schema_package(tmp_path, server.url("/s.json"))
    code, out, _ = run(capsys, "validate", str(path), "--allow-remote")
    assert code == 1
    assert out.splitlines()[0].endswith(f"{server.url('/s.json')} not fetched: ENERGY_TIES_OFFLINE is set")
    assert server.requests == []


def test_a_stalled_server_times_out_in_one_line(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("ENERGY_TIES_OFFLINE", raising=False)
    monkeypatch.setattr(files, "REMOTE_TIMEOUT", 0.3)
    stalled = Server(stall=True)
    try:
        path = json_schema_package(tmp_path, stalled.url("/s.json"))
        code, out, err = run(capsys, "validate", str(path), "--allow-remote")
    finally:
        stalled.close()
    assert (code, err) == (1, "")
    assert out.splitlines()[0] == (
        f"t:x: field-error: constraint 'jsonSchema': $ref '{stalled.url('/s.json')}' cannot be resolved: "
        f"{stalled.url('/s.json')}: cannot fetch {stalled.url('/s.json')} (no answer within 0.3 s)"
    )
    assert stalled.requests == ["connect"]


def test_stalled_remote_data_times_out_too(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("ENERGY_TIES_OFFLINE", raising=False)
    monkeypatch.setattr(files, "REMOTE_TIMEOUT", 0.3)
    stalled = Server(stall=True)
    try:
        path = write_package(tmp_path / "pkg", {"t": (TABLE, "n\n1\n")})
        descriptor = json.loads(path.read_text())
        descriptor["resources"][0]["path"] = stalled.url("/t.csv")
        path.write_text(json.dumps(descriptor))
        code, out, _ = run(capsys, "validate", str(path), "--allow-remote")
    finally:
        stalled.close()
    assert code == 1
    assert f"cannot fetch {stalled.url('/t.csv')} (no answer within 0.3 s)" in out.splitlines()[0]


def test_a_file_ref_outside_the_package_is_refused_not_read(tmp_path, capsys):
    outside = tmp_path / "outside.json"
    outside.write_text('{"type": "object"}')
    path = json_schema_package(tmp_path, outside.as_uri())
    code, out, _ = run(capsys, "validate", str(path))
    assert code == 1
    assert out.splitlines()[0] == (
        f"t:x: field-error: constraint 'jsonSchema': $ref '{outside.as_uri()}' cannot be resolved: "
        f"{outside}: is outside {path.parent}; refused"
    )


@pytest.mark.parametrize("ref", ["file:///dev/zero", "../outside.json", "ftp://127.0.0.1/x.json"])
def test_devices_parents_and_other_schemes_are_refused(tmp_path, capsys, ref):
    (tmp_path / "outside.json").write_text('{"type": "object"}')
    path = json_schema_package(tmp_path, ref)
    code, out, _ = run(capsys, "validate", str(path))
    assert code == 1
    line = out.splitlines()[0]
    assert line.startswith(f"t:x: field-error: constraint 'jsonSchema': $ref '{ref}' cannot be resolved: ")
    assert line.endswith(("refused", "the 'ftp' scheme is refused"))


def test_a_ref_inside_the_package_resolves(tmp_path, capsys):
    path = json_schema_package(tmp_path, "defs/obj.json#/$defs/needs-b")
    (path.parent / "defs").mkdir()
    (path.parent / "defs" / "obj.json").write_text(json.dumps({"$defs": {"needs-b": {"$ref": "more.json"}}}))
    (path.parent / "defs" / "more.json").write_text(json.dumps({"type": "object", "required": ["b"]}))
    code, out, _ = run(capsys, "validate", str(path))
    assert code == 1
    assert out.splitlines()[0].startswith('t:2:x: constraint-error: Constraint error in the cell "{"a": 1}"')


# ---------------------------------------------------------------- archives


def test_a_zip_bomb_entry_is_refused_before_it_fills_the_disk(tmp_path, capsys, monkeypatch):
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("datapackage.json", json.dumps({"name": "b", "resources": []}))
        with zf.open("data.csv", "w", force_zip64=True) as entry:
            block = bytes(1 << 20)
            for _ in range(64):  # 64 MiB of NUL bytes: about 64 KiB compressed
                entry.write(block)
    unpacked: list[int] = []
    real = zipfile.ZipExtFile.read

    def spy(self, n=-1):
        data = real(self, n)
        unpacked.append(len(data))
        return data

    monkeypatch.setattr(zipfile.ZipExtFile, "read", spy)
    code, out, err = run(capsys, "validate", str(bomb))
    assert (code, out) == (2, "")
    assert err.startswith("energy-ties validate: error: bomb.zip: entry 'data.csv' inflates more than 200 times")
    assert sum(unpacked) <= (16 << 20) + (1 << 16) + 4096  # stopped just past the ratio's floor


def test_reading_a_capped_file_never_reads_past_the_cap(tmp_path):
    big = tmp_path / "big.json"
    big.write_bytes(b" " * 1000)
    with pytest.raises(files.PackageReadError, match="larger than 999 bytes; refused"):
        files.read_bytes(big, limit=999)
    assert files.read_bytes(big, limit=1000) == b" " * 1000


def test_a_trickling_server_meets_the_deadline(tmp_path, capsys, monkeypatch):
    import time

    monkeypatch.delenv("ENERGY_TIES_OFFLINE", raising=False)
    monkeypatch.setattr(files, "REMOTE_TIMEOUT", 0.6)
    monkeypatch.setattr(files, "REMOTE_DEADLINE", 0.5)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(1)
    port = sock.getsockname()[1]

    def trickle():
        conn, _ = sock.accept()
        conn.recv(4096)
        conn.sendall(b"HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n")
        try:
            for _ in range(40):  # a byte every 0.1 s: never silent for REMOTE_TIMEOUT, never done
                conn.sendall(b" ")
                time.sleep(0.1)
        except OSError:
            pass
        conn.close()

    thread = threading.Thread(target=trickle, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}/s.json"
    try:
        code, out, _ = run(capsys, "validate", str(json_schema_package(tmp_path, url)), "--allow-remote")
    finally:
        sock.close()
    assert code == 1
    assert out.splitlines()[0].endswith(f"{url}: remote file {url} took longer than 0.5 s")
