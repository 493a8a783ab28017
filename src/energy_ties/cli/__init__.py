"""The ``energy-ties`` command line; ``main(argv)`` runs it in-process and returns the exit code."""

from .app import main, parser

__all__ = ["main", "parser"]
