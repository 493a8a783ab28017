"""The GitHub Action (action.yml): checked against the published schema for action files, and its steps run
here in order, as the runner would run them, on another package's repository; the job summary it writes is
compared with a known one."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from helpers import ROOT
from helpers.cli import console_script
from helpers.gitpkg import COUNTS_1_1, NAME, bird_counts, write_version

ACTION = yaml.safe_load((ROOT / "action.yml").read_text())
INPUTS = {"path", "texts", "against", "version", "python-version"}
INPUT_SPECS = ACTION["inputs"]


def test_the_action_file_is_valid_for_github():
    import check_jsonschema
    import jsonschema

    schema = Path(check_jsonschema.__file__).parent / "builtin_schemas" / "vendor" / "github-actions.json"
    jsonschema.validate(ACTION, json.loads(schema.read_text()))
    assert set(ACTION["inputs"]) == INPUTS
    assert ACTION["runs"]["using"] == "composite"
    steps = ACTION["runs"]["steps"]
    assert [s.get("uses", s.get("id")) for s in steps] == ["actions/setup-python@v5", "install", "check"]
    for step in steps[1:]:
        assert step["shell"] == "bash"
        script = re.fullmatch(r'bash "\$GITHUB_ACTION_PATH/(action/[a-z]+\.sh)"', step["run"])
        assert script and (ROOT / script[1]).is_file()
        used = {m for v in step.get("env", {}).values() for m in re.findall(r"\$\{\{ inputs\.([a-z-]+) \}\}", v)}
        assert used <= INPUTS
        assert subprocess.run(["bash", "-n", ROOT / script[1]]).returncode == 0


def _expand(value: str, inputs: dict[str, str]) -> str:
    return re.sub(r"\$\{\{ inputs\.([a-z-]+) \}\}", lambda m: inputs[m[1]], value)


def run_steps(workspace: Path, runner: Path, **given: str) -> tuple[subprocess.CompletedProcess, Path]:
    """Run the action's steps in order in ``workspace``: setup-python is the test's own Python, and ``python``
    is a stub that makes a virtual environment holding this energy-ties (pip install is only recorded)."""
    inputs = {
        name: given.get(name.replace("-", "_"), spec.get("default", "")) for name, spec in ACTION["inputs"].items()
    }
    stubs = runner / "stubs"
    stubs.mkdir(parents=True)
    (stubs / "python").write_text(
        "#!/usr/bin/env bash\n"
        f'if [ "$1 $2" = "-m venv" ]; then mkdir -p "$3/bin" && cp "$0" "$3/bin/python" && '
        f'ln -s "{console_script()}" "$3/bin/energy-ties"; exit 0; fi\n'
        f'if [ "$1 $2 $3" = "-m pip install" ]; then echo "$@" >> "{runner / "pip.log"}"; exit 0; fi\n'
        "exit 3\n"
    )
    (stubs / "python").chmod(0o755)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "ENERGY_TIES_"))}
    env |= {
        "GITHUB_ACTION_PATH": str(ROOT),
        "GITHUB_PATH": str(runner / "path"),
        "GITHUB_STEP_SUMMARY": str(runner / "summary.md"),
        "RUNNER_TEMP": str(runner),
        "ENERGY_TIES_CACHE": str(runner / "cache"),
        "PATH": f"{stubs}{os.pathsep}{env['PATH']}",
    }
    done = None
    for step in ACTION["runs"]["steps"]:
        if "uses" in step:
            continue
        added = (runner / "path").read_text().split() if (runner / "path").exists() else []
        step_env = env | {"PATH": os.pathsep.join([*added, env["PATH"]])}
        step_env |= {k: _expand(v, inputs) for k, v in step.get("env", {}).items()}
        done = subprocess.run(
            ["bash", "-e", "-c", step["run"]], cwd=workspace, env=step_env, capture_output=True, text=True, timeout=300
        )
        if done.returncode:
            break
    assert done is not None
    return done, runner / "summary.md"


@pytest.fixture(scope="module")
def released(tmp_path_factory):
    return bird_counts(tmp_path_factory.mktemp("released") / NAME)


def test_the_steps_validate_annotate_and_gate_the_release(released, tmp_path):
    workspace = shutil.copytree(released, tmp_path / "workspace")
    counts = [*COUNTS_1_1, ["4", "2", "gbh", "3", "two\nlines"], ["5", "9", "gbh", "-1", ""]]
    write_version(workspace, "1.1.0", counts, {"1.1.0": ("2026-02-10", "A count added.")})
    done, summary = run_steps(workspace, tmp_path / "runner")
    assert done.returncode == 1, done.stderr
    assert (
        tmp_path / "runner" / "pip.log"
    ).read_text() == f"-m pip install --quiet --disable-pip-version-check {ROOT}\n"
    annotations = [line for line in done.stdout.splitlines() if line.startswith("::error")]
    assert annotations == [  # row 6 is on line 7: the note of row 5 holds a line break
        "::error file=data/counts.csv,line=7,col=9,title=constraint-error::counts:6:n: Constraint error in the "
        'cell "-1" in row "6" and field "n" at position "4": constraint "minimum" is "0"',
        '::error file=data/counts.csv,line=7,title=foreign-key::counts:6:site: Row at position "6" violates the '
        'foreign key: for "site": values "9" not found in the lookup table "sites" as "id"',
        "::error file=datapackage.json,title=release refused::the package changed since 1.1.0 but its version did "
        "not: the changes need a minor bump (rows-added counts)",
    ]
    assert summary.read_text() == KNOWN_SUMMARY


def test_a_valid_release_passes_and_a_version_input_pins_the_install(released, tmp_path):
    sha = "0123456789abcdef0123456789abcdef01234567"  # any commit: pip is a stub here
    done, summary = run_steps(released, tmp_path / "runner", against="v1.0.0", version=sha)
    assert done.returncode == 0, done.stdout + done.stderr
    log = (tmp_path / "runner" / "pip.log").read_text()
    assert log.endswith(f"energy-ties @ git+https://github.com/energy-ties/energy-ties@{sha}\n")
    assert "### Validation: valid" in summary.read_text() and "### Release gate: ok" in summary.read_text()


KNOWN_SUMMARY = """\
## energy-ties: `.`

### Validation: 2 error(s)

`.` (version 1.1.0) is invalid.

| error type | count |
| --- | ---: |
| `constraint-error` | 1 |
| `foreign-key` | 1 |

Errors:

| where | type | resource:row:field | message |
| --- | --- | --- | --- |
| `data/counts.csv:7:9` | `constraint-error` | counts:6:n | Constraint error in the cell "-1" in row "6" and field \
"n" at position "4": constraint "minimum" is "0" |
| `data/counts.csv:7` | `foreign-key` | counts:6:site | Row at position "6" violates the foreign key: for "site": \
values "9" not found in the lookup table "sites" as "id" |

### Release gate: refused

1.1.0 -> 1.1.0: none bump; the changes need minor

- refused: the package changed since 1.1.0 but its version did not: the changes need a minor bump (rows-added counts)

```text
1.1.0 -> 1.1.0: required bump minor
  minor  rows-added counts: 2 rows
counts: changed; rows +2 -0 ~0
  + 4
  + 5
```

"""
