"""The analyst's views: one call per common question, each a flat, typed DataFrame built from the tables.

Names are resolved and ids kept beside them; several values in one cell are
joined by ``"; "``. Every view takes the tables (``energy_ties.load()``), or
``path=`` / ``version=`` as ``load`` does, or nothing (the bundled package),
and carries its column descriptions in ``attrs["fields"]``. The views know
this dataset's tables, so they sit above the engine: nothing below imports them.
"""

from .records import claims, events
from .story import disagreements, network, quotes, timeline

#: The views by name, in the order the README documents them (``energy-ties view NAME``).
VIEWS = {
    "events": events,
    "claims": claims,
    "timeline": timeline,
    "quotes": quotes,
    "network": network,
    "disagreements": disagreements,
}

__all__ = ["VIEWS", "claims", "disagreements", "events", "network", "quotes", "timeline"]
