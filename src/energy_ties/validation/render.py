"""A validation report as lines other tools read: GitHub workflow commands, ``file:line:column`` lines, Markdown.

GitHub turns ``::error file=F,line=N,col=K::message`` printed by a step into
an annotation on that line of the file; editors (Vim's quickfix, Emacs's
compilation mode, VS Code's problem matchers) read ``F:N:K: message``, the
GNU form. Locations come from :mod:`energy_ties.validation.locate`.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..datapackage.findings import Error
from ..errors import printable
from .locate import Location
from .report import Report

#: Errors listed in a Markdown summary (the counts by type cover the rest).
SUMMARY_ERRORS = 20
#: More errors than this, and the counts by type are printed before the list.
LONG_LIST = 10


def escape_data(text: str) -> str:
    """A workflow command's message, as GitHub's toolkit escapes it (``%``, CR, LF)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property value: also ``:`` and ``,``, which end a property."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_command(level: str, message: str, location: Location | None = None, title: str | None = None) -> str:
    """``::LEVEL file=F,line=N,col=K,title=T::MESSAGE``, each part escaped as GitHub reads it."""
    props = []
    if location is not None:
        props.append(f"file={escape_property(location.file)}")
        if location.line is not None:
            props.append(f"line={location.line}")
            if location.column is not None:
                props.append(f"col={location.column}")
    if title:
        props.append(f"title={escape_property(title)}")
    return f"::{level}{' ' + ','.join(props) if props else ''}::{escape_data(message)}"


def _where(e: Error) -> str:
    """``resource:row:field``, the parts there are (``package`` for a package-level error)."""
    parts = (e.resource or "package", "" if e.row is None else str(e.row), e.field or "")
    return ":".join(p for p in parts if p)


def error_line(e: Error, location: Location, fmt: str) -> str:
    """One error as one line: ``github`` (a workflow command), ``editor`` (``F:N:K: ...``) or ``plain``."""
    if fmt == "github":
        return github_command("error", printable(f"{_where(e)}: {e.message}"), location, e.type)
    if fmt == "editor":
        place = ":".join(str(x) for x in (location.line, location.column) if x is not None)
        return printable(f"{location.file}{':' + place if place else ''}: {e.type}: {_where(e)}: {e.message}")
    return printable(f"{_where(e)}: {e.type}: {e.message}")


def counts_line(report: Report) -> str:
    """``3982 error(s): type-error 3000, primary-key 982`` (every error found, not only those listed)."""
    by_type = ", ".join(f"{t} {n}" for t, n in report.types.items())
    return f"{report.error_count} error(s) by type: {by_type}"


def lines(report: Report, locations: Sequence[Location], fmt: str) -> list[str]:
    """The report's errors in ``fmt``, after the counts by type when the list is long."""
    out = [counts_line(report)] if len(report.errors) > LONG_LIST else []
    return out + [error_line(e, loc, fmt) for e, loc in zip(report.errors, locations)]


def _cell(text: object) -> str:
    """A Markdown table cell: one line, pipes escaped, long text shortened."""
    value = printable(str(text)).replace("|", "\\|")
    return value if len(value) <= 200 else value[:199] + "…"


def to_markdown(report: Report, locations: Sequence[Location], first: int = SUMMARY_ERRORS) -> str:
    """A job summary: the verdict, the counts by type and the first errors with their file and line."""
    name = f"`{_cell(report.package)}` (version {_cell(report.version or 'none')})"
    if report.valid:
        rows = sum(report.rows.values())
        return f"### Validation: valid\n\n{name}: {rows} rows in {len(report.rows)} resources, no errors.\n"
    out = [f"### Validation: {report.error_count} error(s)", "", f"{name} is invalid.", ""]
    out += ["| error type | count |", "| --- | ---: |"]
    out += [f"| `{_cell(t)}` | {n} |" for t, n in report.types.items()]
    shown = list(zip(report.errors, locations))[:first]
    out += ["", f"First {len(shown)} of {report.error_count}:" if report.error_count > len(shown) else "Errors:", ""]
    out += ["| where | type | resource:row:field | message |", "| --- | --- | --- | --- |"]
    for e, loc in shown:
        place = ":".join(str(x) for x in (loc.file, loc.line, loc.column) if x is not None)
        out.append(f"| `{_cell(place)}` | `{e.type}` | {_cell(_where(e))} | {_cell(e.message)} |")
    return "\n".join(out) + "\n"
