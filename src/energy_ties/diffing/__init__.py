"""Diffing: what changed between two data packages, the version bump it demands, and the diff as a patch."""
