"""The command line's rich consoles write to whatever sys.stdout / sys.stderr is, and tell a pipe from a terminal.

This is what lets the command-line tests run ``main(argv)`` in-process (helpers.cli.run) and see what a
pipe would get.
"""

from __future__ import annotations

import contextlib
import io

from energy_ties.cli import output


class Terminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def test_the_consoles_follow_redirected_streams(monkeypatch):
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE"):
        monkeypatch.delenv(name, raising=False)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        assert output.out.file is out and output.err.file is err
        assert not output.out.is_terminal and not output.err.is_terminal
        output.out.print("to out")
        output.err.print("to err")
        output.print_table("t", ["a", "b"], [["1", "2"]])
    assert out.getvalue() == "to out\na\tb\n1\t2\n" and err.getvalue() == "to err\n"


def test_on_a_terminal_tables_are_drawn(monkeypatch):
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE"):
        monkeypatch.delenv(name, raising=False)
    screen = Terminal()
    with contextlib.redirect_stdout(screen):
        assert output.out.is_terminal
        output.print_table("t", ["a", "b"], [["1", "2"]])
    assert "a\tb" not in screen.getvalue() and "┃" in screen.getvalue() and "1" in screen.getvalue()


def test_piped_output_is_plain_text_written_without_rich():
    """A pipe gets the text as it is (an emoji code stays a code), and rich is not imported for it."""
    import os
    import subprocess
    import sys

    code = (
        "import sys; from energy_ties.cli.output import out, err; out.print('a :thumbs_up: b'); err.print('e');"
        "print('rich' in sys.modules)"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TTY_COMPATIBLE")}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert done.stdout == "a :thumbs_up: b\nFalse\n" and done.stderr == "e\n"
