"""What the command line prints: rich tables on a terminal, plain tab-separated lines when piped."""

from __future__ import annotations

import os
import sys
from typing import Any

from ..errors import printable


class _Console:
    """Plain lines when the stream is not a terminal, a rich Console made on first use when it is.

    Importing rich is a tenth of the start-up of a small validation, and piped output (CI, scripts) is
    plain text anyway; written plainly it is also never re-read as emoji codes such as ``:flag:``.
    """

    _FORCING = ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE")

    def __init__(self, stderr: bool = False, **options: Any):
        self._stderr = stderr
        self._options = options
        self._console: Any = None

    @property
    def _stream(self) -> Any:
        return sys.stderr if self._stderr else sys.stdout

    def _plain(self) -> bool:
        """Whether rich would see no terminal here (the checks rich makes, without importing it)."""
        if any(os.environ.get(name) for name in self._FORCING):
            return False
        isatty = getattr(self._stream, "isatty", None)
        return not (isatty and isatty())

    @property
    def is_terminal(self) -> bool:
        return False if self._plain() else self._rich().is_terminal

    def print(self, *objects: Any, **options: Any) -> None:
        if self._plain() and all(isinstance(o, str) for o in objects):
            self._stream.write(" ".join(objects) + "\n")
        else:
            self._rich().print(*objects, **options)

    def _rich(self) -> Any:
        if self._console is None:
            from rich.console import Console

            self._console = Console(stderr=self._stderr, **self._options)
        return self._console

    def __getattr__(self, name: str) -> Any:
        return getattr(self._rich(), name)


out: Any = _Console(highlight=False, soft_wrap=True, markup=False)
err: Any = _Console(stderr=True, highlight=False, soft_wrap=True, markup=False)


def print_table(title: str, columns: list[str], rows: list[list[str]]) -> None:
    """A rich table on a terminal, tab-separated lines otherwise."""
    rows = [[printable(cell) for cell in r] for r in rows]  # a cell is data: it never breaks the line or the table
    if out.is_terminal:
        from rich.table import Table

        t = Table(title=title, show_lines=False)
        for c in columns:
            t.add_column(c, overflow="fold")
        for r in rows:
            t.add_row(*r)
        out.print(t)
    else:
        print("\t".join(columns))
        for r in rows:
            print("\t".join(r))


def report_stale(stale: list, written: bool, stale_message: str, current_message: str) -> int:
    """What a check-or-``--write`` command prints about the generated files that were out of date, and its
    exit code: 1 when some are stale and were not rewritten."""
    for s in stale:
        print(printable(f"{'rewrote' if written else 'out of date'}: {s}"))
    if stale and not written:
        out.print(stale_message)
        return 1
    if not stale:
        out.print(current_message)
    return 0
