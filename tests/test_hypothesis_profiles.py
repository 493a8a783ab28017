"""The hypothesis profile HYPOTHESIS_PROFILE names (``dev`` when unset) is the one the tests run with.

.ci/run sets HYPOTHESIS_PROFILE=ci: under it this checks that the CI settings really are in effect.
"""

from __future__ import annotations

import os

from hypothesis import settings

SETTINGS = ("database", "print_blob", "derandomize", "deadline", "suppress_health_check", "max_examples")


def test_the_profile_named_by_the_environment_is_in_effect():
    name = os.environ.get("HYPOTHESIS_PROFILE", "dev")
    wanted = settings.get_profile(name)
    current = settings()  # a fresh settings object takes the loaded profile's values
    assert {k: getattr(current, k) for k in SETTINGS} == {k: getattr(wanted, k) for k in SETTINGS}
    if name == "ci":
        assert current.database is None and current.print_blob and current.deadline is None
