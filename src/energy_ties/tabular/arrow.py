"""Arrow without pandas: for a process that reads tables and never makes a DataFrame (the command line).

pyarrow asks its pandas shim on nearly every call (``pa.array``, ``pa.scalar``, ``to_numpy``) whether pandas
is installed, and the shim answers by importing it: half a second of start-up, for validating ten rows.
:func:`import_arrow_without_pandas` lets the shim's first question find no pandas; pyarrow then leaves it
alone until something needs pandas (``to_pandas``), which imports it as usual.
"""

from __future__ import annotations

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
