"""``python -m energy_ties``: the command line."""

from .cli import main

raise SystemExit(main())
