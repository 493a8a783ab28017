"""The layout rules of the code base: small modules, short functions, one-way imports, typed and linted.

The import contracts themselves are import-linter's (``lint-imports``, configured in pyproject.toml and run
by .ci/run); here, the sizes a reader can hold in mind, and the package shipping its type marker.
"""

from __future__ import annotations

import ast
from pathlib import Path

from helpers import ROOT

SRC = ROOT / "src" / "energy_ties"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def modules() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


def test_no_module_is_over_400_lines():
    long = {p.relative_to(SRC).as_posix(): n for p in modules() if (n := p.read_text().count("\n")) > MAX_MODULE_LINES}
    assert long == {}


def test_no_function_is_over_60_lines():
    long = {}
    for p in modules():
        for node in ast.walk(ast.parse(p.read_text())):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    long[f"{p.relative_to(SRC).as_posix()}:{node.name}"] = length
    assert long == {}


def test_every_subpackage_says_what_it_holds():
    for init in SRC.glob("*/__init__.py"):
        assert ast.get_docstring(ast.parse(init.read_text())), init


def test_the_package_ships_its_type_marker():
    assert (SRC / "py.typed").is_file()
