"""``python -m energy_ties.cli``."""

from .app import main

raise SystemExit(main())
