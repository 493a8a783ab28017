"""A wheel installed without the source tree loads the package offline, from files identical to ours."""

from __future__ import annotations

import json
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from helpers import ROOT, zip_entries

SCRIPT = r"""
import json, hashlib, pathlib, sys
import energy_ties
p = energy_ties.package_path()
tables = energy_ties.load()
files = {str(f.relative_to(p.parent)): hashlib.sha256(f.read_bytes()).hexdigest()
         for f in p.parent.rglob("*") if f.is_file()}
from energy_ties.datapackage.opening import bundled_index_path
print(json.dumps({"module": energy_ties.__file__, "package": str(p), "version": energy_ties.__version__,
                  "index": str(bundled_index_path()),
                  "data_version": energy_ties.__data_version__,
                  "rows": {k: len(v) for k, v in tables.items()}, "files": files}))
"""


def install(wheel: Path, env_dir: Path) -> Path:
    """A fresh virtual environment holding the wheel alone (no index, no dependencies); its interpreter.

    This interpreter's pip installs into it (``pip --python``, pip 22.3 and later), which spares the
    environment a pip of its own (ensurepip takes seconds); an older pip falls back to that.
    """
    venv.EnvBuilder(with_pip=False).create(env_dir)
    py = env_dir / "bin" / "python"
    args = ["install", "--no-index", "--no-deps", str(wheel)]
    if subprocess.run([sys.executable, "-m", "pip", "--python", str(py), *args], capture_output=True).returncode:
        venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
        subprocess.run([str(py), "-m", "pip", *args], check=True, capture_output=True)
    return py


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(tmp / "dist"), str(ROOT)],
        check=True,
        capture_output=True,
    )
    wheel = next((tmp / "dist").glob("energy_ties-*.whl"))
    env_dir = tmp / "venv"
    py = install(wheel, env_dir)
    # the dependencies come from this interpreter's site-packages, through a folder of links that leaves
    # out any energy-ties install there (editable or not), so only the wheel is importable
    deps = tmp / "deps"
    deps.mkdir()
    for entry in Path(sysconfig.get_paths()["purelib"]).iterdir():
        if not entry.name.lower().lstrip("_").startswith("energy_ties") and entry.suffix != ".pth":
            (deps / entry.name).symlink_to(entry)
    out = subprocess.run(
        [str(py), "-c", SCRIPT],
        cwd=tmp,
        capture_output=True,
        text=True,
        check=True,
        env={
            "PYTHONPATH": str(deps),
            "PATH": "/usr/bin:/bin",
            "no_proxy": "*",
            "http_proxy": "http://127.0.0.1:9",
            "https_proxy": "http://127.0.0.1:9",
        },
    )
    return json.loads(out.stdout), env_dir


def test_the_wheel_is_what_gets_imported(installed):
    info, env_dir = installed
    assert info["module"].startswith(str(env_dir)), info["module"]
    assert info["package"].startswith(str(env_dir))


def test_the_wheel_loads_every_resource_offline(installed):
    info, _ = installed
    expected = {r["name"] for r in json.loads((ROOT / "datapackage.json").read_text())["resources"]}
    assert set(info["rows"]) == expected and all(n > 0 for n in info["rows"].values())
    assert info["data_version"] == json.loads((ROOT / "datapackage.json").read_text())["version"]


def test_bundled_files_are_byte_identical_with_the_repository(installed):
    import hashlib

    info, _ = installed
    bundled = {
        k: v
        for k, v in info["files"].items()
        if k.split("/")[0] in ("data", "schemas", "pictures") or k == "datapackage.json"
    }
    ours = {
        str(f.relative_to(ROOT)): hashlib.sha256(f.read_bytes()).hexdigest()
        for top in ("data", "schemas", "pictures")
        for f in (ROOT / top).rglob("*")
        if f.is_file()
    }
    ours["datapackage.json"] = hashlib.sha256((ROOT / "datapackage.json").read_bytes()).hexdigest()
    assert bundled == ours


def test_the_wheel_carries_the_release_index_as_released(installed):
    import hashlib

    info, env_dir = installed
    assert info["index"].startswith(str(env_dir)) and info["index"].endswith("package/releases-index.json")
    ours = hashlib.sha256((ROOT / "releases" / "index.json").read_bytes()).hexdigest()
    assert info["files"]["releases-index.json"] == ours


def test_the_wheel_carries_the_current_release_s_package_files(installed):
    """The bundled package is the latest release's, file for file: all it holds but the README and CHANGELOG
    written for it (so pictures too)."""
    import hashlib

    info, _ = installed
    index = json.loads((ROOT / "releases" / "index.json").read_text())
    latest = next(r for r in index["releases"] if r["version"] == index["latest"])
    released = zip_entries(ROOT / "releases" / latest["file"])
    expected = {k: hashlib.sha256(v).hexdigest() for k, v in released.items() if k not in ("README.md", "CHANGELOG.md")}
    assert {k: v for k, v in info["files"].items() if k != "releases-index.json"} == expected
