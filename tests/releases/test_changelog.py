"""CHANGELOG.md: a release's section and date, and the changelog cut at a version."""

from __future__ import annotations

import pytest

from energy_ties.errors import ReleaseError
from energy_ties.releases import changelog


def test_cut_changelog_keeps_earlier_versions_and_their_links_only():
    log = (
        "# Changelog\n\nIntro.\n\n## [Unreleased]\n\n- u\n\n## [1.10.0] - 2027-03-01\n\n- ten\n\n"
        "## [1.2.0] - 2027-02-01\n\n- two\n\n## [1.0.0] - 2026-11-22\n\n- one\n\n"
        "[Unreleased]: https://x/compare/v1.10.0...HEAD\n[1.10.0]: https://x/v1.10.0\n"
        "[1.2.0]: https://x/v1.2.0\n[1.0.0]: https://x/v1.0.0\n"
    )
    assert changelog.cut_changelog(log, "1.2.0") == (
        "# Changelog\n\nIntro.\n\n## [1.2.0] - 2027-02-01\n\n- two\n\n## [1.0.0] - 2026-11-22\n\n- one\n\n"
        "[1.2.0]: https://x/v1.2.0\n[1.0.0]: https://x/v1.0.0\n"
    )
    assert changelog.release_date(log, "1.10.0") == "2027-03-01"
    with pytest.raises(ReleaseError, match=r"no section for version 1\.1\.0"):
        changelog.release_date(log, "1.1.0")
    with pytest.raises(ReleaseError, match="needs a date"):
        changelog.release_date("## [2.0.0]\n", "2.0.0")
