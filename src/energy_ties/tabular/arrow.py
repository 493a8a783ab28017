"""Arrow without pandas: for a process that reads tables and never makes a DataFrame (the command line).

pyarrow asks its pandas shim on nearly every call (``pa.array``, ``pa.scalar``, ``to_numpy``) whether pandas
is installed, and the shim answers by importing it: half a second of start-up, for validating ten rows.
:func:`import_arrow_without_pandas` lets the shim's first question find no pandas; pyarrow then leaves it
alone until something needs pandas (``to_pandas``), which imports it as usual.
:func:`without_pandas_when_imported` does the same at the moment pyarrow is first imported, if ever: a
small table is checked without Arrow, and then neither pyarrow nor numpy is loaded.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
from typing import Any


class _NoPandas:
    """A meta path finder under which ``import pandas`` fails."""

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> None:
        if name == "pandas" or name.startswith("pandas."):
            raise ModuleNotFoundError(f"{name} is not imported while pyarrow starts")


def import_arrow_without_pandas() -> None:
    """Import pyarrow, its pandas shim having found no pandas; nothing is done when either is already imported
    (the shim may have been asked already, and pandas objects may be about)."""
    if "pandas" in sys.modules or "pyarrow" in sys.modules:
        return
    block = _NoPandas()
    sys.meta_path.insert(0, block)
    try:
        import pyarrow as pa

        pa.array([0])  # the shim's first question: it tries pandas once, finds none and remembers
    finally:
        sys.meta_path.remove(block)


class _ArrowStarter(importlib.abc.Loader):
    """A loader that starts pyarrow under the pandas block, the shim's first question included."""

    def __init__(self, loader: Any):
        self.loader = loader

    def create_module(self, spec: Any) -> Any:
        return self.loader.create_module(spec)

    def exec_module(self, module: Any) -> None:
        if "pandas" in sys.modules:  # pandas is here (or on its way, importing pyarrow): nothing to keep out
            self.loader.exec_module(module)
            return
        block = _NoPandas()
        sys.meta_path.insert(0, block)
        try:
            self.loader.exec_module(module)
            module.array([0])
        finally:
            sys.meta_path.remove(block)


class _FirstArrowImport:
    """A meta path finder that hands the first ``import pyarrow`` to :class:`_ArrowStarter`, then leaves."""

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> Any:
        if name != "pyarrow":
            return None
        sys.meta_path.remove(self)
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is not None and spec.loader is not None:
            spec.loader = _ArrowStarter(spec.loader)
        return spec


def without_pandas_when_imported() -> None:
    """Have pyarrow start as :func:`import_arrow_without_pandas` starts it, when (and if) it is first imported."""
    if "pyarrow" in sys.modules or any(isinstance(f, _FirstArrowImport) for f in sys.meta_path):
        return
    sys.meta_path.insert(0, _FirstArrowImport())
