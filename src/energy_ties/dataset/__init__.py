"""The energy-ties dataset profile: the rules, views and pictures that know this dataset.

Nothing below this layer imports it: it plugs into validation through
:func:`energy_ties.validation.hooks.register_profile` (and the
``energy_ties.profiles`` entry point).
"""

from .profile import PROFILE, EnergyTiesProfile

__all__ = ["PROFILE", "EnergyTiesProfile"]
