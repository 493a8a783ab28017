"""Rules across records: aliases do not collide, ids agree with what they name, claims have a shape, a contested
event carries both versions, quotations are verbatim.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from ..datapackage.findings import Error
from .evidence import sha256


def alias_errors(t: dict) -> Iterable[Error]:
    ents, aliases = t["entities"], t["entity_aliases"]
    if ents is None or aliases is None:
        return
    names = {e["name"].casefold(): e["id"] for e in ents}
    seen: dict[str, str] = {}
    for a in aliases:
        key = a["alias"].casefold()
        owner = names.get(key)
        if owner == a["entity"]:
            yield Error(
                "alias-collision",
                "entity_aliases",
                a["_row"],
                "alias",
                f"{a['id']}: {a['alias']!r} is the entity's own canonical name",
            )
        elif owner is not None:
            yield Error(
                "alias-collision",
                "entity_aliases",
                a["_row"],
                "alias",
                f"{a['id']}: {a['alias']!r} is the canonical name of {owner}",
            )
        other = seen.get(key)
        if other is not None and other != a["entity"]:
            yield Error(
                "alias-collision",
                "entity_aliases",
                a["_row"],
                "alias",
                f"{a['id']}: {a['alias']!r} is also an alias of {other}",
            )
        seen.setdefault(key, a["entity"])


def _slug(ref: str) -> str:
    return ref.split(":", 1)[1] if ":" in ref else ref


def id_errors(t: dict) -> Iterable[Error]:
    for e in t.get("entities") or []:
        if e["id"].split(":", 1)[0] != e.get("kind"):
            yield Error(
                "id-pattern",
                "entities",
                e["_row"],
                "id",
                f"{e['id']}: the id's prefix is not its kind {e.get('kind')!r}",
            )
        if bool(e.get("iso3166_alpha3")) != (e.get("kind") == "country"):
            yield Error(
                "id-pattern",
                "entities",
                e["_row"],
                "iso3166_alpha3",
                f"{e['id']}: an ISO 3166-1 code is required for countries and only for them",
            )
    for p in t.get("event_participants") or []:
        expected = f"participation:{_slug(p['event'])}.{_slug(p['entity'])}.{p['role']}"
        if p["id"] != expected:
            yield Error("id-pattern", "event_participants", p["_row"], "id", f"{p['id']}: expected {expected}")
    for e in t.get("evidence") or []:
        prefix = f"evidence:{e['record'].replace(':', '.')}.{_slug(e['source'])}."
        if not (e["id"].startswith(prefix) and e["id"][len(prefix) :].isdigit()):
            yield Error("id-pattern", "evidence", e["_row"], "id", f"{e['id']}: expected {prefix}N")


def claim_errors(t: dict) -> Iterable[Error]:
    for c in t.get("claims") or []:
        has_q = bool(c.get("quantity"))
        if has_q != bool(c.get("unit")) or has_q != bool(c.get("quantity_qualifier")):
            yield Error(
                "claim-shape",
                "claims",
                c["_row"],
                "quantity",
                f"{c['id']}: a quantity goes with a unit and a qualifier, and they only with it",
            )
        if not (c.get("subject") or c.get("event")):
            yield Error("claim-shape", "claims", c["_row"], "subject", f"{c['id']}: needs a subject or an event")
        if not (c.get("object_entity") or c.get("object_value") or has_q or (c.get("subject") and c.get("event"))):
            yield Error(
                "claim-shape",
                "claims",
                c["_row"],
                "object_value",
                f"{c['id']}: needs an object entity, an object value, a quantity or an event",
            )


def contested_errors(t: dict) -> Iterable[Error]:
    events, claims, ev = t.get("events"), t.get("claims"), t.get("evidence")
    if events is None or claims is None or ev is None:
        return
    sources_of = defaultdict(set)
    for e in ev:
        if e["resource"] == "claims":
            sources_of[e["record"]].add(e["source"])
    for e in events:
        if e.get("status") != "contested":
            continue
        versions = [c for c in claims if c.get("event") == e["id"] and c.get("predicate") == "has-status"]
        values = {c.get("object_value") for c in versions}
        srcs = set().union(*(sources_of[c["id"]] for c in versions)) if versions else set()
        if len(values) < 2 or len(srcs) < 2:
            yield Error(
                "contested-status",
                "events",
                e["_row"],
                "status",
                f"{e['id']}: a contested event needs has-status claims with differing values from at least two sources",
            )


def quote_errors(t: dict) -> Iterable[Error]:
    quotes, ev = t.get("quotes"), t.get("evidence")
    if quotes is None or ev is None:
        return
    spans = defaultdict(set)
    for e in ev:
        if e["resource"] == "quotes":
            spans[e["record"]].add((e["source"], e["sha256"]))
    for q in quotes:
        if (q["source"], sha256(q["text"])) not in spans[q["id"]]:
            yield Error(
                "quote-text",
                "quotes",
                q["_row"],
                "text",
                f"{q['id']}: the text is not verbatim: no evidence span of {q['source']} hashes to it",
            )
