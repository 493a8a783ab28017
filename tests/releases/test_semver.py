"""Semantic versions: the spec's order, and what is not a version."""

from __future__ import annotations

from energy_ties.releases import semver


def test_semantic_version_order_is_the_specs():
    # the example of semver.org, item 11
    ordered = [
        "1.0.0-alpha",
        "1.0.0-alpha.1",
        "1.0.0-alpha.beta",
        "1.0.0-beta",
        "1.0.0-beta.2",
        "1.0.0-beta.11",
        "1.0.0-rc.1",
        "1.0.0",
        "1.2.0",
        "1.10.0",
        "2.0.0",
    ]
    assert sorted(reversed(ordered), key=semver.version_key) == ordered  # noqa: C414 (reversed input, so the key has work to do)
    assert not semver.is_version("1.0") and not semver.is_version("01.0.0") and not semver.is_version("../1.0.0")
