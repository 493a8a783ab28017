"""The README's two commands are the ones CI runs, and its data dictionary is current."""

from __future__ import annotations

import re

from conftest import ROOT
from energy_ties.datapackage.dictionary import update_readme


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text()
    return re.findall(r"```sh\n(.+?)\n```", text.split("## What the data is")[0])


def test_readme_opens_with_exactly_two_commands():
    commands = readme_commands()
    assert len(commands) == 2
    assert "energy-ties" in commands[0] and "pytest" in commands[1]


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    assert readme_commands()[1] in ci


def test_data_dictionary_is_current():
    assert update_readme(ROOT / "README.md", ROOT / "datapackage.json", write=False) is False
