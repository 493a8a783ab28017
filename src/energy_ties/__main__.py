"""``python -m energy_ties``: the command line."""

from .cli.app import console

console()
