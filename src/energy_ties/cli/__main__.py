"""``python -m energy_ties.cli``."""

from .app import console

console()
