"""The row JSON Schemas are what the generator makes of the Table Schemas, and follow them when they change."""

from __future__ import annotations

import json

import pytest

from energy_ties.datapackage import rowschema
from helpers import ROOT

RESOURCES = [p.stem for p in sorted((ROOT / "schemas" / "tables").glob("*.json"))]


def table_schema(name: str) -> dict:
    d = json.loads((ROOT / "schemas" / "tables" / f"{name}.json").read_text())
    d.pop("foreignKeys", None)  # references are checked across tables, not row by row
    return d


@pytest.mark.parametrize("name", RESOURCES)
def test_committed_row_schema_is_what_the_generator_makes(name):
    table = json.loads((ROOT / "schemas" / "tables" / f"{name}.json").read_text())
    committed = (ROOT / "schemas" / "rows" / f"{name}.json").read_text()
    assert committed == rowschema.dumps(rowschema.row_schema(table, name))


def test_generator_output_changes_when_the_table_schema_does():
    table = table_schema("entities")
    before = rowschema.row_schema(table, "entities")
    # a required field gets a maximum length: its property says so, and nothing else changes
    assert table["fields"][2]["name"] == "name" and before["properties"]["name"] == {
        "description": "canonical name",
        "type": "string",
        "not": {"enum": [""]},
    }
    table["fields"][2]["constraints"] = {"required": True, "maxLength": 3}
    after = rowschema.row_schema(table, "entities")
    assert after["properties"]["name"] == {
        "description": "canonical name",
        "type": "string",
        "maxLength": 3,
        "not": {"enum": [""]},
    }
    assert {k: v for k, v in after.items() if k != "properties"} == {
        k: v for k, v in before.items() if k != "properties"
    }
    assert {k: v for k, v in after["properties"].items() if k != "name"} == {
        k: v for k, v in before["properties"].items() if k != "name"
    }
    # an optional field made required loses its null branch, and keeps its pattern
    assert table["fields"][5]["name"] == "wikidata"
    pattern = "^(?:Q[1-9][0-9]*)$"
    assert before["properties"]["wikidata"] == {
        "description": "Wikidata QID, only where confirmed",
        "anyOf": [{"type": "null"}, {"type": "string", "pattern": pattern, "not": {"enum": [""]}}],
    }
    table["fields"][5]["constraints"]["required"] = True
    assert rowschema.row_schema(table, "entities")["properties"]["wikidata"] == {
        "description": "Wikidata QID, only where confirmed",
        "type": "string",
        "pattern": pattern,
        "not": {"enum": [""]},
    }
