"""The bundled Data Package v2 profiles are the official ones, and a profile violation is one error."""

from __future__ import annotations

import json

import pytest

from energy_ties.datapackage.profiles import profile
from helpers import PROFILES, ROOT, copy_package

DESCRIPTOR = json.loads((ROOT / "datapackage.json").read_text())
needs_profiles = pytest.mark.skipif(not PROFILES.is_dir(), reason="../shared/profiles is not present")


@needs_profiles
@pytest.mark.parametrize("name", ["datapackage", "dataresource", "tableschema", "tabledialect"])
def test_bundled_profiles_are_the_official_ones(name):
    assert profile(name) == json.loads((PROFILES / f"{name}.json").read_text())


def test_one_profile_violation_is_one_error(tmp_path):
    from energy_ties import validate

    copy_package(tmp_path)
    descriptor = json.loads(json.dumps(DESCRIPTOR))
    descriptor["keywords"] = "notalist"  # the official profile says an array; our schema applies that profile too
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    report = validate(tmp_path)
    assert [(e.type, e.message) for e in report.errors] == [
        ("package-error", "/keywords: 'notalist' is not of type 'array'")
    ]
    assert report.error_count == 1
