"""datapackage.json meets the official Data Package v2 profiles, our own package schema, and frictionless."""

from __future__ import annotations

import json

import jsonschema
import pytest

from energy_ties.datapackage.profiles import profile_errors
from energy_ties.dataset.package_schema import package_validator
from helpers import PROFILES, ROOT

DESCRIPTOR = json.loads((ROOT / "datapackage.json").read_text())
needs_profiles = pytest.mark.skipif(not PROFILES.is_dir(), reason="../shared/profiles is not present")


@needs_profiles
def test_descriptor_and_table_schemas_validate_against_the_official_profiles():
    package = json.loads((PROFILES / "datapackage.json").read_text())
    jsonschema.Draft7Validator(package).validate(DESCRIPTOR)
    table = jsonschema.Draft7Validator(json.loads((PROFILES / "tableschema.json").read_text()))
    for resource in DESCRIPTOR["resources"]:
        table.validate(json.loads((ROOT / resource["schema"]).read_text()))


def package_errors(descriptor):
    schema = json.loads((ROOT / "schemas" / "energy-ties-package.json").read_text())
    return [e.message for e in package_validator(schema).iter_errors(descriptor)]


def test_descriptor_meets_our_package_schema():
    assert package_errors(DESCRIPTOR) == []


@pytest.mark.parametrize(
    "change, expected",
    [
        (lambda d: d.update(version="1.0"), "does not match"),
        (lambda d: d.pop("licenses"), "'licenses' is a required property"),
        (lambda d: d.update({"$schema": "https://datapackage.org/profiles/1.0/datapackage.json"}), "was expected"),
        (lambda d: d["resources"].pop(3), "does not contain items matching"),
        (lambda d: d["resources"][0].update(path="/etc/passwd"), "does not match"),
    ],
)
def test_our_package_schema_refuses_broken_descriptors(change, expected):
    descriptor = json.loads(json.dumps(DESCRIPTOR))
    change(descriptor)
    errors = package_errors(descriptor)
    assert any(expected in e for e in errors), errors


def test_frictionless_validates_the_package():
    from frictionless import validate

    report = validate(str(ROOT / "datapackage.json"))
    assert report.valid, report.flatten(["type", "message"])


def test_our_package_schema_admits_the_list_field_type_as_the_profile_check_does():
    descriptor = json.loads(json.dumps(DESCRIPTOR))
    descriptor["resources"][0]["schema"] = {"fields": [{"name": "tags", "type": "list", "delimiter": ";"}]}
    assert list(profile_errors("datapackage", descriptor)) == []
    schema = json.loads((ROOT / "schemas" / "energy-ties-package.json").read_text())
    errors = package_validator(schema).iter_errors(descriptor)
    # our schema still wants the schema as a path; the list field itself is not an error
    assert [list(e.absolute_path) for e in errors] == [["resources", 0, "schema"]]
