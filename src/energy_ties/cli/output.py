"""What the command line prints: rich tables on a terminal, plain tab-separated lines when piped."""

from __future__ import annotations

from typing import Any

from ..errors import printable


class _Console:
    """A rich Console made on first use: importing rich is a tenth of the start-up of a small validation."""

    def __init__(self, **options: Any):
        self._options = options
        self._console: Any = None

    def __getattr__(self, name: str) -> Any:
        if self._console is None:
            from rich.console import Console

            self._console = Console(**self._options)
        return getattr(self._console, name)


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
