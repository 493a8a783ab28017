"""energy-ties download and versions, against a real HTTP server on 127.0.0.1; offline, one line and exit 2."""

from __future__ import annotations

import json

from helpers import ROOT, files
from helpers.cli import run
from helpers.server import ARCHIVE, RELEASED, VERSION


def test_cli_download_versions_and_offline(server, cache, tmp_path):
    env = {"ENERGY_TIES_BASE_URL": server.url, "ENERGY_TIES_CACHE": str(cache)}
    r = run("download", VERSION, env=env | {"ENERGY_TIES_OFFLINE": "1"})
    assert r.returncode == 2 and r.stdout == "" and r.stderr.count("\n") == 1 and "Traceback" not in r.stderr
    assert f"version {VERSION} is not in the cache {cache}" in r.stderr
    r = run("versions", env=env)
    assert r.returncode == 0, r.stderr
    entry = json.loads((ROOT / "releases" / "index.json").read_text())["releases"][0]
    assert r.stdout.splitlines() == [
        "version\tdate\tsize\tsha256\tlatest\tcached",
        f"{VERSION}\t{entry['date']}\t{entry['size']}\t{entry['sha256']}\tlatest\t",
    ]
    dest = tmp_path / "copy"
    r = run("download", VERSION, "--dest", dest, env=env)
    assert r.returncode == 0 and r.stdout == f"{dest}\n", r.stderr
    assert files(dest) == RELEASED
    r = run("download", VERSION, "--dest", dest, env=env)
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "already exists" in r.stderr
    r = run("versions", env=env | {"ENERGY_TIES_OFFLINE": "1"})
    assert r.stdout.splitlines()[1].endswith("\tlatest\tcached")
    assert server.log.count(ARCHIVE) == 1
