"""The two record views: ``events()`` (one row per event) and ``claims()`` (one row per claim)."""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

import pandas as pd

from .base import (
    SEP,
    STRING,
    Tables,
    category_label,
    entity_countries,
    finish,
    joined,
    labels,
    load_tables,
    names,
    place_countries,
    sources_by_record,
    text,
)
from .when import DATE_FIELDS, chosen_dates, date_columns

EVENT_FIELDS: dict[str, tuple[Any, str]] = {
    "event": (STRING, "the event's id"),
    "kind": (None, "what sort of event"),
    "label": (STRING, "what happened, in the project's words"),
    "status": (None, "occurred, planned, contested, ..."),
    "contested": ("boolean", "whether its status is contested (see disagreements())"),
    "part_of": (STRING, "the id of the larger event it belongs to"),
    "part_of_label": (STRING, "that event's label"),
    **DATE_FIELDS,
    "place": (STRING, "the id of where it took place"),
    "place_name": (STRING, "the place's name"),
    "country": (STRING, "the id of the place's country, followed through located-in claims"),
    "country_name": (STRING, "that country's name"),
    "participants": (STRING, "who took part, by role: 'role: Name, Name; role: Name', roles in the schema's order"),
    "participant_ids": (STRING, "the same, with entity ids"),
    "countries": (STRING, "names of the countries involved: its place's, the participants' own and theirs by office"),
    "country_ids": (STRING, "the same, with entity ids"),
    "sources": (STRING, "the sources whose evidence supports the event, joined by '; '"),
    "note": (STRING, "a remark in the project's own words"),
}

CLAIM_FIELDS: dict[str, tuple[Any, str]] = {
    "claim": (STRING, "the claim's id"),
    "subject": (STRING, "the id of the entity it is about (empty when it is about an event)"),
    "subject_name": (STRING, "its name"),
    "predicate": (None, "what is claimed"),
    "predicate_label": (STRING, "what the predicate means (the data dictionary's label)"),
    "object_entity": (STRING, "the id of the entity it relates the subject to"),
    "object_name": (STRING, "its name"),
    "object_value": (STRING, "a literal value, in the project's words"),
    "object": (STRING, "the object's name, else the literal value"),
    "quantity": ("Float64", "the number the claim states"),
    "unit": (None, "the quantity's unit"),
    "quantity_qualifier": (None, "exact, more-than, less-than, about"),
    "modality": (None, "how the source presents it: asserted, planned, hedged, denied"),
    "asserted_by": (STRING, "the id of who asserts it; empty for the source's own voice"),
    "asserted_by_name": (STRING, "their name"),
    "event": (STRING, "the id of the event it is about, or in whose course it was made"),
    "event_label": (STRING, "that event's label"),
    **DATE_FIELDS,
    "sources": (STRING, "the sources whose evidence supports the claim, joined by '; '"),
    "note": (STRING, "a remark in the project's own words"),
}


def _dtypes(fields: dict[str, tuple[Any, str]], frame: pd.DataFrame) -> dict[str, tuple[Any, str]]:
    """Columns taken from a table keep its dtype (the schema's categories); the rest have theirs."""
    return {k: (frame[k].dtype if dtype is None else dtype, doc) for k, (dtype, doc) in fields.items()}


def _participants(t: Tables, by_name: dict[str, str]) -> tuple[dict[str, str], dict[str, str], dict[str, list[str]]]:
    """Per event: participants by role as names and as ids, and the participating entity ids."""
    p = t["event_participants"]
    order = list(p["role"].cat.categories) if isinstance(p["role"].dtype, pd.CategoricalDtype) else []
    rows = pd.DataFrame({"event": text(p["event"]), "entity": text(p["entity"]), "role": text(p["role"])})
    rows["_order"] = rows["role"].map(lambda r: order.index(r) if r in order else len(order))
    names_out: dict[str, str] = {}
    ids_out: dict[str, str] = {}
    entities: dict[str, list[str]] = {}
    for event, group in rows.sort_values(["_order", "role"], kind="stable").groupby("event", sort=False):
        roles = list(dict.fromkeys(group["role"]))
        per_role = {r: list(group[group["role"] == r]["entity"]) for r in roles}
        names_out[str(event)] = SEP.join(
            f"{r}: {', '.join(by_name.get(e, e) for e in es)}" for r, es in per_role.items()
        )
        ids_out[str(event)] = SEP.join(f"{r}: {', '.join(es)}" for r, es in per_role.items())
        entities[str(event)] = list(dict.fromkeys(group["entity"]))
    return names_out, ids_out, entities


def _matches(wanted: Iterable[str], ids: Any, names_: Any) -> bool:
    have = set((ids or "").split(SEP)) | set((names_ or "").split(SEP)) if isinstance(ids, str) else set()
    return all(w in have for w in wanted)


def events(
    tables: Tables | None = None,
    *,
    path: str | os.PathLike | None = None,
    version: str | None = None,
    involving: Iterable[str] = (),
) -> pd.DataFrame:
    """One row per event: kind, label, status, its dates (with precision, basis, anchor, the source of the
    version shown, the earliest and latest day where the year is known, a sort key), place and country,
    participants by role, the countries involved, and the sources that evidence it.

    ``involving`` keeps the events involving every country given (by id or name): ``involving=["Mexico",
    "Jamaica"]``.
    """
    t = load_tables(tables, path, version)
    e = t["events"]
    by_name, by_label, countries_of = names(t), labels(t), entity_countries(t)
    where = place_countries(t)
    people, people_ids, taking_part = _participants(t, by_name)
    ids = text(e["id"])
    rows = pd.DataFrame({"event": ids, "kind": e["kind"], "label": e["label"], "status": e["status"]})
    rows["contested"] = (text(e["status"]) == "contested").fillna(False)
    rows["part_of"] = text(e["part_of"])
    rows["part_of_label"] = rows["part_of"].map(by_label)
    rows = rows.assign(**date_columns(ids, chosen_dates(t, "events")))
    rows["place"] = text(e["location"])
    rows["place_name"] = rows["place"].map(by_name)
    rows["country"] = rows["place"].map(where)
    rows["country_name"] = rows["country"].map(by_name)
    rows["participants"] = ids.map(people)
    rows["participant_ids"] = ids.map(people_ids)
    involved = [
        [c for c in [where.get(p) if isinstance(p, str) else None] if c]
        + [c for entity in taking_part.get(i, []) for c in countries_of.get(entity, [])]
        for i, p in zip(ids, rows["place"])
    ]
    rows["country_ids"] = [joined(cs) for cs in involved]
    rows["countries"] = [joined(by_name.get(c, c) for c in cs) for cs in involved]
    rows["sources"] = ids.map(sources_by_record(t, "events"))
    rows["note"] = e["note"]
    wanted = list(involving)
    if wanted:
        rows = rows[[_matches(wanted, i, n) for i, n in zip(rows["country_ids"], rows["countries"])]]
    return finish(rows, _dtypes(EVENT_FIELDS, e), "events: one row per event", events.__doc__ or "")


def claims(
    tables: Tables | None = None, *, path: str | os.PathLike | None = None, version: str | None = None
) -> pd.DataFrame:
    """One row per claim: subject, predicate (with its label), object or value, quantity with unit and
    qualifier, modality, who asserts it, its event, its time qualifiers, and the sources that evidence it."""
    t = load_tables(tables, path, version)
    c = t["claims"]
    by_name, by_label = names(t), labels(t)
    ids = text(c["id"])
    rows = pd.DataFrame({"claim": ids, "subject": text(c["subject"]), "predicate": c["predicate"]})
    rows["subject_name"] = rows["subject"].map(by_name)
    rows["predicate_label"] = [category_label(c, "predicate", v) for v in text(c["predicate"])]
    rows["object_entity"] = text(c["object_entity"])
    rows["object_name"] = rows["object_entity"].map(by_name)
    rows["object_value"] = text(c["object_value"])
    rows["object"] = rows["object_name"].astype(STRING).fillna(rows["object_value"])
    for k in ("quantity", "unit", "quantity_qualifier", "modality", "note"):
        rows[k] = c[k]
    rows["asserted_by"] = text(c["asserted_by"])
    rows["asserted_by_name"] = rows["asserted_by"].map(by_name)
    rows["event"] = text(c["event"])
    rows["event_label"] = rows["event"].map(by_label)
    rows = rows.assign(**date_columns(ids, chosen_dates(t, "claims")))
    rows["sources"] = ids.map(sources_by_record(t, "claims"))
    return finish(rows, _dtypes(CLAIM_FIELDS, c), "claims: one row per claim", claims.__doc__ or "")
