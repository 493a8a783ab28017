"""Under a data limit, with key columns spilled to DuckDB, validation gives the report it gives without.

The size CI can afford (400,000 rows, keys out of order so that DuckDB's group-by and anti-join do the
work); the 20,000,000-row run under 1 GiB is benchmarks/memory_limit.py.
"""

from __future__ import annotations

import json
import random
import resource
import subprocess
import sys

from energy_ties.validation.pipeline import validate

ROWS = 400_000
LIMIT = 1 << 30  # RLIMIT_DATA, as `prlimit --data=1073741824`

CHILD = """
import sys
from energy_ties.validation.pipeline import validate
sys.stdout.write(validate(sys.argv[1], profile="none", key_memory=1 << 20, limit_errors=100000).to_json())
"""


def _package(folder) -> None:
    rnd = random.Random(3)
    ids = list(range(1, ROWS + 1))
    rnd.shuffle(ids)
    for i in rnd.sample(range(ROWS), 50):  # repeated keys
        ids[i] = ids[(i + 1) % ROWS]
    regions = [f"R{i}" for i in range(20)]
    lines = ["id,region,amount"]
    for n, i in enumerate(ids):
        region = "R99" if n % 40_000 == 7 else rnd.choice(regions)  # a few dangling references
        lines.append(f"{i},{region},{rnd.random():.4f}")
    (folder / "items.csv").write_text("\n".join(lines) + "\n")
    (folder / "regions.csv").write_text("code\n" + "\n".join(regions) + "\n")
    items = {
        "fields": [
            {"name": "id", "type": "integer"},
            {"name": "region", "type": "string"},
            {"name": "amount", "type": "number"},
        ],
        "primaryKey": ["id"],
        "foreignKeys": [{"fields": ["region"], "reference": {"resource": "regions", "fields": ["code"]}}],
    }
    resources = [
        {"name": "items", "path": "items.csv", "schema": items},
        {"name": "regions", "path": "regions.csv", "schema": {"fields": [{"name": "code", "type": "string"}]}},
    ]
    (folder / "datapackage.json").write_text(json.dumps({"name": "big", "resources": resources}))


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_DATA, (LIMIT, LIMIT))


def test_spilled_keys_under_a_data_limit_give_the_in_memory_report(tmp_path):
    _package(tmp_path)
    path = str(tmp_path / "datapackage.json")
    child = subprocess.run(
        [sys.executable, "-c", CHILD, path], capture_output=True, text=True, preexec_fn=_limited, timeout=600
    )
    assert child.returncode == 0, child.stderr[-2000:]
    expected = validate(path, profile="none", limit_errors=100000)
    assert child.stdout == expected.to_json()
    assert {e.type for e in expected.errors} == {"primary-key", "foreign-key"}
