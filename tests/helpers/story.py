"""A small hand-made package in the energy-ties layout, whose views are known by heart.

Two sources, a and b. Pat (minister of X-land) visits Quinn (president of Y-land) on a square in
X-land's capital: a dates the meeting 2 May (no year), b 'yesterday'. The signing at the meeting is
contested (a: occurred; b, Pat: to be signed), and a and b give Pat different titles. X-land reformed
something in 2013 and levies a 25% tariff on steel from 12 March. An organisation published the signing.

``layout="2.0.0"`` keeps the dates in a ``dates`` resource (one row per record, source and bound);
``layout="1.0.0"`` in ``start*``/``end*`` columns of events and claims (one version: a's).
"""

from __future__ import annotations

from pathlib import Path

from . import csv_text, write_package

A, B = "source:a", "source:b"
ROLES = ["host", "visitor", "signatory", "publisher", "target"]
PREDICATES = ["has-status", "holds-office", "located-in", "imposes-tariff-on"]
STATUS = ["occurred", "planned", "contested"]

ENTITIES = [
    ["country:x", "country", "X-land"],
    ["country:y", "country", "Y-land"],
    ["city:c", "city", "Capital"],
    ["place:sq", "place", "Square"],
    ["person:p", "person", "Pat"],
    ["person:q", "person", "Quinn"],
    ["organisation:o", "organisation", "Org"],
]
EVENTS = [  # id, kind, label, location, status, part_of
    ["event:meet", "meeting", "Pat meets Quinn", "place:sq", "occurred", ""],
    ["event:sign", "signing", "Signing of a memorandum", "", "contested", "event:meet"],
    ["event:old", "reform", "An old reform", "country:x", "occurred", ""],
]
PARTICIPANTS = [  # event, entity, role
    ["event:meet", "person:p", "visitor"],
    ["event:meet", "person:q", "host"],
    ["event:sign", "person:p", "signatory"],
    ["event:sign", "person:q", "signatory"],
    ["event:sign", "organisation:o", "publisher"],
    ["event:old", "country:x", "target"],
]
CLAIMS = [  # id, subject, predicate, object_entity, object_value, quantity, unit, qualifier, event, modality, by
    ["claim:p-minister", "person:p", "holds-office", "country:x", "Minister", "", "", "", "", "asserted", ""],
    ["claim:p-secretary", "person:p", "holds-office", "country:x", "Secretary", "", "", "", "", "asserted", ""],
    ["claim:q-president", "person:q", "holds-office", "country:y", "President", "", "", "", "", "asserted", ""],
    ["claim:c-in-x", "city:c", "located-in", "country:x", "", "", "", "", "", "asserted", ""],
    ["claim:sq-in-c", "place:sq", "located-in", "city:c", "", "", "", "", "", "asserted", ""],
    ["claim:sign-done", "", "has-status", "", "occurred", "", "", "", "event:sign", "asserted", ""],
    ["claim:sign-planned", "", "has-status", "", "planned", "", "", "", "event:sign", "planned", "person:p"],
    ["claim:tariff", "country:x", "imposes-tariff-on", "", "steel", "25", "percent", "exact", "", "asserted", ""],
]
DATES = [  # resource, record, source, bound, date, precision, basis, anchor
    ["events", "event:meet", A, "start", "XXXX-05-02", "day", "stated", ""],
    ["events", "event:meet", B, "start", "", "day", "inferred", "publication-day-minus-1"],
    ["events", "event:old", A, "start", "2013", "year", "stated", ""],
    ["claims", "claim:tariff", B, "start", "XXXX-03-12", "day", "stated", ""],
]
EVIDENCE = {  # (resource, record): sources
    **{("entities", e[0]): [A] for e in ENTITIES},
    ("events", "event:meet"): [A, B],
    ("events", "event:sign"): [A, B],
    ("events", "event:old"): [A],
    **{("event_participants", f"participation:{i}"): [A] for i in range(len(PARTICIPANTS))},
    **{("claims", c[0]): [A] for c in CLAIMS},
    ("claims", "claim:p-secretary"): [B],
    ("claims", "claim:sign-planned"): [B],
    ("claims", "claim:tariff"): [B],
    ("quotes", "quote:pat"): [A],
}


def _field(name: str, categories: list[str] | None = None, type_: str = "string") -> dict:
    f: dict = {"name": name, "type": type_, "description": f"the {name}"}
    if categories is not None:
        f["categories"] = categories
    return f


def _schema(*fields: dict, **keys) -> dict:
    return {"fields": list(fields), "primaryKey": ["id"], **keys}


def _dates_columns(resource: str, record: str) -> list[str]:
    """The eight 1.0.0 date cells of a record: source a's version of its start (else b's), no end."""
    rows = [d for d in DATES if d[0] == resource and d[1] == record]
    if not rows:
        return ["", "", "unknown", "", "", "", "unknown", ""]
    d = rows[0]
    return [d[4], d[5], d[6], d[7], "", "", "unknown", ""]


def write_story(folder: Path, layout: str = "2.0.0") -> Path:
    """Write the package; returns its descriptor."""
    old = layout == "1.0.0"
    date_fields = [_field(f"{b}{s}") for b in ("start", "end") for s in ("", "_precision", "_basis", "_relative")]
    ev_fields = [_field("id"), _field("kind"), _field("label"), _field("location"), _field("status", STATUS)]
    ev_fields += [_field("part_of"), *(date_fields if old else []), _field("note")]
    cl_fields = [_field(n) for n in ("id", "subject")]
    cl_fields += [_field("predicate", [{"value": p, "label": f"means {p}"} for p in PREDICATES])]
    cl_fields += [_field("object_entity"), _field("object_value"), _field("quantity", type_="number")]
    cl_fields += [_field("unit", ["percent"]), _field("quantity_qualifier", ["exact", "about"]), _field("event")]
    cl_fields += [_field("modality", ["asserted", "planned"]), _field("asserted_by")]
    cl_fields += [*(date_fields if old else []), _field("note")]
    events = [[*e, *(_dates_columns("events", e[0]) if old else []), ""] for e in EVENTS]
    claims = [[*c, *(_dates_columns("claims", c[0]) if old else []), ""] for c in CLAIMS]
    dates = [[f"date:{i}", *d, ""] for i, d in enumerate(DATES)]
    evidence = [
        [f"evidence:{n}", resource, record, s, "0", "1", "x", "stated"]
        for n, ((resource, record), sources) in enumerate(EVIDENCE.items())
        for s in sources
    ]
    evidence = [[f"{e[0]}.{i}", *e[1:]] for i, e in enumerate(evidence)]
    ev_names = ["id", "resource", "record", "source", "start", "end", "sha256", "basis"]
    resources = {
        "sources": (_schema(_field("id")), csv_text(["id"], [[A], [B]])),
        "entities": (_schema(_field("id"), _field("kind"), _field("name")), csv_text(["id", "kind", "name"], ENTITIES)),
        "events": (_schema(*ev_fields), csv_text([f["name"] for f in ev_fields], events)),
        "event_participants": (
            _schema(_field("id"), _field("event"), _field("entity"), _field("role", ROLES)),
            csv_text(
                ["id", "event", "entity", "role"], [[f"participation:{i}", *p] for i, p in enumerate(PARTICIPANTS)]
            ),
        ),
        "claims": (_schema(*cl_fields), csv_text([f["name"] for f in cl_fields], claims)),
        "quotes": (
            _schema(*(_field(n) for n in ("id", "speaker", "text", "source", "event", "note"))),
            csv_text(
                ["id", "speaker", "text", "source", "event", "note"],
                [["quote:pat", "person:p", "Hello,", A, "event:meet", ""]],
            ),
        ),
        "evidence": (
            _schema(*(_field(n, type_="integer" if n in ("start", "end") else "string") for n in ev_names)),
            csv_text(ev_names, evidence),
        ),
    }
    if not old:
        names = ["id", "resource", "record", "source", "bound", "date", "precision", "basis", "anchor", "note"]
        resources["dates"] = (_schema(*(_field(n) for n in names)), csv_text(names, dates))
    return write_package(folder, resources, title="A story", version="1.0.0")
