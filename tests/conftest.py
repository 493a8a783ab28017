"""Shared helpers: the repository's paths, and small packages written to temporary folders."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
TEXTS = SHARED / "sources"
PROFILES = SHARED / "profiles" / "datapackage-2.0"

settings.register_profile("default", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("ci", deadline=None, max_examples=200, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def _quote(cell: str) -> str:
    # csv.writer leaves a lone "\r" unquoted when the line terminator is "\n": quote it ourselves
    if any(ch in cell for ch in ',"\r\n'):
        return '"' + cell.replace('"', '""') + '"'
    return cell


def csv_text(header: list[str], rows: list[list[str]]) -> str:
    """RFC 4180 CSV with "\n" line ends; every cell holding a delimiter, quote or line break is quoted."""
    # a row of one empty cell is written '""', as csv.writer does: an empty line would be a row of no cells
    return "".join((",".join(_quote(c) for c in r) if r != [""] else '""') + "\n" for r in [header, *rows])


def write_package(folder: Path, resources: dict[str, tuple[dict, str | bytes]], **extra) -> Path:
    """Write a package of CSV resources {name: (table schema, csv text)}; returns the descriptor path."""
    folder.mkdir(parents=True, exist_ok=True)
    res = []
    for name, (schema, data) in resources.items():
        path = folder / f"{name}.csv"
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
        res.append({"name": name, "path": f"{name}.csv", "format": "csv", "encoding": "utf-8",
                    "dialect": {"delimiter": ",", "quoteChar": '"', "doubleQuote": True,
                                "skipInitialSpace": False, "header": True},
                    "schema": schema})
    descriptor = {"$schema": "https://datapackage.org/profiles/2.0/datapackage.json", "name": "test",
                  "resources": res, **extra}
    target = folder / "datapackage.json"
    target.write_text(json.dumps(descriptor), encoding="utf-8")
    return target


@pytest.fixture
def root() -> Path:
    return ROOT
