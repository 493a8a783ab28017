"""Validation: descriptor, tables and keys checked as frictionless checks them, and the report.

Nothing here knows a particular dataset: a dataset's own rules plug in through
:mod:`energy_ties.validation.hooks`.
"""
