"""The energy-ties dataset profile: this package's own rules, registered with validation through its hook.

Applied automatically to a package named ``energy-ties`` (``--profile
energy-ties`` applies them to any). The rules read the package's tables as
text (see :mod:`energy_ties.dataset.tables`) and the package schema in
``schemas/``; with the source texts at hand, every evidence span is checked.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..datapackage.findings import Error
from ..datapackage.model import Package
from ..datapackage.rowschema import row_schema_files
from ..validation.hooks import ProfileResult
from .claims import modality_errors, place_errors, role_errors, status_source_errors, title_errors
from .dates import date_errors
from .evidence import EVIDENCED, evidence_errors, verify_evidence
from .package_schema import PACKAGE_SCHEMA, check_package_schema
from .pages import Page
from .pages import pages as record_pages
from .records import alias_errors, claim_errors, contested_errors, id_errors, quote_errors
from .tables import read_rows

NAME = "energy-ties"

#: The pictures a release carries (drawn by ``energy-ties pictures --write``), with what each shows.
PICTURES = {
    "pictures/timeline.svg": (
        "A timeline of every event the three articles report, one line each in the order their dates allow, "
        "grouped by how much of the date is known; the marker's colour is the article that dates the event, "
        "its shape the event's status."
    ),
    "pictures/network.svg": (
        "Who met or dealt with whom: the people, countries, organisations and companies around a circle, with a "
        "line joining two that took part in the same events, thicker the more events they share."
    ),
}


class EnergyTiesProfile:
    """Evidence, dates, aliases, ids, claims, modality, roles, places, contested events and quotations of the
    energy-ties package."""

    name = NAME

    def applies(self, pkg: Package) -> bool:
        return pkg.descriptor.get("name") == NAME

    def files(self, pkg: Package) -> list[str]:
        return [PACKAGE_SCHEMA]

    def pictures(self, pkg: Package) -> dict[str, str]:
        return dict(PICTURES)

    def check(self, pkg: Package, texts: Path | None) -> ProfileResult:
        result = ProfileResult(checked=["energy-ties-rules"])
        result.errors += missing_row_schemas(pkg)
        result.errors += check_package_schema(pkg)
        t = {name: read_rows(pkg, name, result.errors) for name in ("sources", *EVIDENCED, "evidence")}
        for rule in (
            evidence_errors,
            date_errors,
            alias_errors,
            id_errors,
            claim_errors,
            contested_errors,
            quote_errors,
            modality_errors,
            role_errors,
            status_source_errors,
            place_errors,
        ):
            result.errors += rule(t)
        if texts is not None:
            result.checked.append("evidence-spans")
            if t["sources"] is not None and t["evidence"] is not None:
                found, problems = verify_evidence(texts, t["sources"], t["evidence"])
                result.errors += problems + list(title_errors(t, found))
        return result

    def pages(self, pkg: Package, texts: Path | None) -> list[Page]:
        """The site's entity, event and claim pages (see :mod:`energy_ties.dataset.pages`)."""
        return record_pages(pkg, texts)


def missing_row_schemas(pkg: Package) -> list[Error]:
    """This package commits a row JSON Schema for every Table Schema: a missing one is an error."""
    return [
        Error(
            "row-schema-mismatch",
            res.name,
            None,
            None,
            f"{committed.name}: the row JSON Schema of {res.name} is missing",
        )
        for res, committed, _ in row_schema_files(pkg)
        if not os.path.lexists(committed)
    ]


PROFILE = EnergyTiesProfile()
