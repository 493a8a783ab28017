"""A throwaway git repository holding another data package, ``bird-counts``: three tables with keys (sites,
species, counts pointing at both), released twice (tags v1.0.0 and v1.1.0, archives and index built by
``energy-ties build-release``), as a maintainer of another package would have it."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from . import csv_text, write_file
from .cli import run

NAME = "bird-counts"
SCHEMAS = {
    "sites": {
        "fields": [{"name": "id", "type": "integer"}, {"name": "name", "type": "string"}],
        "primaryKey": ["id"],
    },
    "species": {
        "fields": [{"name": "code", "type": "string"}, {"name": "name", "type": "string"}],
        "primaryKey": ["code"],
    },
    "counts": {
        "fields": [
            {"name": "id", "type": "integer"},
            {"name": "site", "type": "integer"},
            {"name": "species", "type": "string"},
            {"name": "n", "type": "integer", "constraints": {"minimum": 0}},
            {"name": "note", "type": "string"},
        ],
        "primaryKey": ["id"],
        "foreignKeys": [
            {"fields": ["site"], "reference": {"resource": "sites", "fields": ["id"]}},
            {"fields": ["species"], "reference": {"resource": "species", "fields": ["code"]}},
        ],
    },
}
SITES = [["1", "Marsh"], ["2", "Ridge"]]
SPECIES = [["gbh", "Great blue heron"], ["osp", "Osprey"]]
COUNTS_1_0 = [["1", "1", "gbh", "4", ""], ["2", "2", "osp", "1", "seen at dawn"]]
COUNTS_1_1 = [*COUNTS_1_0, ["3", "1", "osp", "2", ""]]

GIT_ENV = {
    "GIT_AUTHOR_NAME": "test",
    "GIT_AUTHOR_EMAIL": "test@example.org",
    "GIT_COMMITTER_NAME": "test",
    "GIT_COMMITTER_EMAIL": "test@example.org",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
}


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, **GIT_ENV}
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, env=env, check=True)
    return done.stdout


def write_version(repo: Path, version: str, counts: list[list[str]], changes: dict[str, str], **extra) -> None:
    """The package's files at ``version``: descriptor, the three tables, and a CHANGELOG of ``changes``."""
    data = {"sites": SITES, "species": SPECIES, "counts": counts}
    resources = []
    for name, schema in SCHEMAS.items():
        header = [f["name"] for f in schema["fields"]]
        (repo / "data").mkdir(parents=True, exist_ok=True)
        write_file(repo / "data" / f"{name}.csv", csv_text(header, data[name]))
        resources.append({"name": name, "path": f"data/{name}.csv", "format": "csv", "schema": schema})
    descriptor = {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": NAME,
        "title": "Bird counts",
        "version": version,
        "licenses": [{"name": "CC0-1.0", "path": "https://creativecommons.org/publicdomain/zero/1.0/"}],
        "resources": resources,
        **extra,
    }
    write_file(repo / "datapackage.json", json.dumps(descriptor, indent=2) + "\n")
    sections = "".join(f"## [{v}] - {date}\n\n- {what}\n\n" for v, (date, what) in changes.items())
    write_file(repo / "CHANGELOG.md", f"# Changelog\n\n{sections}")


def release(repo: Path, version: str) -> None:
    """Build the release of the files as they are, commit everything and tag it ``vVERSION``."""
    r = run("build-release", repo)
    assert r.returncode == 0, r.stderr
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", f"release {version}")
    git(repo, "tag", f"v{version}")


def bird_counts(repo: Path) -> Path:
    """The repository, with releases 1.0.0 and 1.1.0 (three rows of counts) committed and tagged."""
    repo.mkdir(parents=True)
    git(repo, "init", "-q", "-b", "main")
    first = {"1.0.0": ("2026-01-10", "First release.")}
    write_version(repo, "1.0.0", COUNTS_1_0, first)
    release(repo, "1.0.0")
    write_version(repo, "1.1.0", COUNTS_1_1, {"1.1.0": ("2026-02-10", "A count added.")} | first)
    release(repo, "1.1.0")
    return repo
