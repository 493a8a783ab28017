"""Releases: semantic versions and the changelog, archives and their index, downloads and the release gate."""
