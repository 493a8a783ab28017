"""energy-ties download and versions, against a real HTTP server on 127.0.0.1; offline, one line and exit 2."""

from __future__ import annotations

import json

from helpers import ROOT, files
from helpers.cli import run
from helpers.server import ARCHIVE, ENTRY, INDEXED, RELEASED, VERSION


def test_cli_download_versions_and_offline(server, cache, tmp_path):
    env = {"ENERGY_TIES_BASE_URL": server.url, "ENERGY_TIES_CACHE": str(cache)}
    r = run("download", VERSION, env=env | {"ENERGY_TIES_OFFLINE": "1"})
    assert r.returncode == 2 and r.stdout == "" and r.stderr.count("\n") == 1 and "Traceback" not in r.stderr
    assert f"version {VERSION} is not in the cache {cache}" in r.stderr
    r = run("versions", env=env)
    assert r.returncode == 0, r.stderr
    latest = json.loads((ROOT / "releases" / "index.json").read_text())["latest"]
    assert latest == VERSION
    assert r.stdout.splitlines() == [
        "version\tdate\tsize\tsha256\tlatest\tcached",
        *(f"{e['version']}\t{e['date']}\t{e['size']}\t{e['sha256']}\t{'latest' * (e is ENTRY)}\t" for e in INDEXED),
    ]
    dest = tmp_path / "copy"
    r = run("download", VERSION, "--dest", dest, env=env)
    assert r.returncode == 0 and r.stdout == f"{dest}\n", r.stderr
    assert files(dest) == RELEASED
    r = run("download", VERSION, "--dest", dest, env=env)
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "already exists" in r.stderr
    r = run("versions", env=env | {"ENERGY_TIES_OFFLINE": "1"})
    lines = r.stdout.splitlines()[1:]
    assert [line.endswith("\tlatest\tcached") for line in lines] == [e is ENTRY for e in INDEXED]
    assert server.log.count(ARCHIVE) == 1
