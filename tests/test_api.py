"""The public API: energy_ties' functions, its versions, and the names it keeps for them."""

from __future__ import annotations

import json

import energy_ties


def test_package_path_and_versions():
    path = energy_ties.package_path()
    assert path.name == "datapackage.json" and path.is_file()
    assert energy_ties.__data_version__ == json.loads(path.read_text())["version"]
    assert energy_ties.__version__ != "0+unknown"


def test_the_functions_stay_functions_once_every_module_is_imported():
    import importlib
    import pkgutil
    import subprocess
    import sys

    # importing a submodule binds it on the package: no submodule may be named like a public function
    names = [
        m.name for m in pkgutil.walk_packages(energy_ties.__path__, "energy_ties.") if not m.name.endswith("__main__")
    ]
    public = {
        "load",
        "validate",
        "diff",
        "apply",
        "download",
        "versions",
        "check_release",
        "package_path",
        "data_version",
    }
    assert not {n.split(".")[1] for n in names} & public
    # in a fresh interpreter: here, earlier tests have already looked the functions up
    code = (
        f"import {', '.join(names)}; import energy_ties; "
        "print(energy_ties.load.__name__, type(energy_ties.load).__name__, "
        "type(energy_ties.validate).__name__, "
        f"*sorted({{type(getattr(energy_ties, n)).__name__ for n in {sorted(public)!r}}}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["load", "function", "function", "function"]
    assert {"load", "validate", "diff", "download"} <= set(dir(energy_ties))
    assert importlib.import_module("energy_ties").load is energy_ties.load


def test_dir_lists_the_public_api_for_tab_completion():
    listed = set(dir(energy_ties))
    assert {"load", "validate", "diff", "download", "dictionary", "views", "__version__"} <= listed
    assert not {n for n in listed if n.startswith("_") and not n.startswith("__")}
    assert energy_ties.views.events.__module__ == "energy_ties.views.records"


def test_python_dash_m_energy_ties_runs_a_view():
    import subprocess
    import sys

    r = subprocess.run([sys.executable, "-m", "energy_ties", "view", "quotes", "--format", "csv"], capture_output=True)
    assert r.returncode == 0 and r.stdout.decode().startswith("quote,speaker,speaker_name,text")
