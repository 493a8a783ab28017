"""The command line validates without importing pandas, and pandas still comes when something needs it.

A small package is checked in Python (energy_ties.validation.small): neither pandas nor pyarrow is
imported. A larger table takes the Arrow path, and pyarrow then starts without pandas all the same.
"""

from __future__ import annotations

import json
import subprocess
import sys

from helpers import write_file

SCRIPT = """
import sys
from energy_ties.cli import main
code = main(["validate", sys.argv[1]])
print(code, "pandas" in sys.modules, "pyarrow" in sys.modules, "numpy" in sys.modules)
"""
#: the same, every table taking the Arrow path (as a table over the small-table threshold does)
ARROW_SCRIPT = SCRIPT.replace(
    "from energy_ties.cli import main",
    "from energy_ties.cli import main\n"
    "from energy_ties.validation import pipeline\n"
    "pipeline.validate.__kwdefaults__['small_bytes'] = 0",
)


def _package(folder):
    """Ten rows with a primary key, and a lookup table they reference."""
    folder.mkdir(parents=True, exist_ok=True)
    write_file(folder / "t.csv", "id,name,day\n" + "".join(f"{i},n{i},2024-01-{i:02d}\n" for i in range(1, 11)))
    write_file(folder / "names.csv", "name\n" + "".join(f"n{i}\n" for i in range(1, 11)))
    fields = [{"name": "id", "type": "integer"}, {"name": "name", "type": "string"}, {"name": "day", "type": "date"}]
    fk = {"fields": ["name"], "reference": {"resource": "names", "fields": ["name"]}}
    res = {"name": "t", "path": "t.csv", "schema": {"fields": fields, "primaryKey": ["id"], "foreignKeys": [fk]}}
    names = {"name": "names", "path": "names.csv", "schema": {"fields": [{"name": "name"}], "primaryKey": ["name"]}}
    return write_file(folder / "datapackage.json", json.dumps({"name": "small", "resources": [res, names]}))


def _fresh(code: str, *args: str) -> str:
    """Run ``code`` in a new interpreter (this one has long imported pandas); its last line of output."""
    result = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_validating_a_small_package_imports_neither_pandas_nor_pyarrow(tmp_path):
    assert _fresh(SCRIPT, str(_package(tmp_path))) == "0 False False False"


def test_a_bad_cell_and_a_missing_reference_are_reported_without_them_too(tmp_path):
    path = _package(tmp_path)
    write_file(tmp_path / "t.csv", "id,name,day\n1,a,2024-13-01\nx,n1,2024-01-02\n1,n2,2024-01-03\n")
    assert _fresh(SCRIPT, str(path)) == "1 False False False"


def test_the_arrow_path_starts_pyarrow_without_pandas(tmp_path):
    path = _package(tmp_path)
    write_file(tmp_path / "t.csv", "id,name,day\n1,a,2024-13-01\n")
    assert _fresh(ARROW_SCRIPT, str(path)) == "1 False True True"


def test_after_arrow_started_without_pandas_to_pandas_still_works():
    code = (
        "import sys\n"
        "from energy_ties.tabular.arrow import import_arrow_without_pandas\n"
        "import_arrow_without_pandas()\n"
        "import pyarrow as pa\n"
        "before = 'pandas' in sys.modules\n"
        "frame = pa.table({'a': [1, None]}).to_pandas()\n"
        "print(before, list(frame['a'].isna()))\n"
    )
    assert _fresh(code) == "False [False, True]"


def test_a_command_that_makes_data_frames_still_gets_pandas(tmp_path):
    # pandas imports pyarrow itself: the first import of pyarrow happens inside pandas's, which must finish
    code = SCRIPT.replace('main(["validate", sys.argv[1]])', 'main(["info", sys.argv[1]])')
    assert _fresh(code, str(_package(tmp_path))) == "0 True True True"
