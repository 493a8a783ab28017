"""releases/index.json: its JSON Schema and index_problems refuse what download must not trust."""

from __future__ import annotations

import json

import jsonschema
import pytest

from energy_ties.releases import index as release_index
from helpers import ROOT

INDEX_SCHEMA = json.loads((ROOT / "src" / "energy_ties" / "schemas" / "release-index.json").read_text())


def test_index_schema_refuses_what_download_must_not_trust():
    good = json.loads((ROOT / "releases" / "index.json").read_text())
    jsonschema.validate(good, INDEX_SCHEMA)
    assert release_index.index_problems(good) == []
    for path, bad in [
        (("releases", 0, "sha256"), "ABC"),
        (("releases", 0, "file"), "../energy-ties-1.0.0.zip"),
        (("releases", 0, "version"), "1.0"),
        (("releases", 0, "size"), -1),
        (("latest",), "latest"),
    ]:
        index = json.loads(json.dumps(good))
        target = index
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = bad
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(index, INDEX_SCHEMA)
        assert release_index.index_problems(index)
    twice = dict(good, releases=good["releases"] * 2)
    assert "listed twice" in " ".join(release_index.index_problems(twice))
    other = dict(good, releases=[dict(good["releases"][0], file="energy-ties-9.9.9.zip")])
    assert "expected 'energy-ties-1.0.0.zip'" in " ".join(release_index.index_problems(other))
