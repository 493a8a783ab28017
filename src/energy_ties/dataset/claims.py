"""Rules on what claims and roles mean: modality is stance (never attribution), a role says how an entity
takes part, a title or a status is one source's version, and every event's place reaches one country.

These are the rules the independent review of 1.0.0 asked for (2.0.0 follows them); each would have caught
one of the defects it found.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from ..datapackage.findings import Error

#: The modalities of the data dictionary's rule; 'reported' (1.x) coded attribution, which asserted_by holds.
MODALITIES = ("asserted", "planned", "hedged", "denied")
#: Predicates that state an intention: planned (or hedged, or denied), never asserted.
INTENTIONS = frozenset({"aims-to", "plans-to-increase-production", "seeks-cooperation-with", "seeks-to-buy-stake-in"})
#: has-status values that present the event as still to come.
PLANNED_STATUSES = frozenset({"planned", "reported-as-planned"})
#: Event kinds that are about something; only they have subjects.
ABOUT_KINDS = frozenset({"announcement", "statement", "report"})
#: What located-in may link: (kinds of subject, kinds of object).
LOCATED = (frozenset({"city", "place", "company", "organisation"}), frozenset({"country", "city", "place"}))


def modality_errors(t: dict) -> Iterable[Error]:
    """The modality rule of the data dictionary, as far as a machine can apply it."""
    for c in t.get("claims") or []:
        m, predicate, row = c.get("modality", ""), c.get("predicate", ""), c["_row"]
        if m not in MODALITIES:
            yield Error(
                "claim-modality",
                "claims",
                row,
                "modality",
                f"{c['id']}: modality {m!r} is not a stance ({', '.join(MODALITIES)}); who holds it is asserted_by",
            )
        elif predicate in INTENTIONS and m == "asserted":
            yield Error(
                "claim-modality", "claims", row, "modality", f"{c['id']}: {predicate} states an intention: planned"
            )
        elif predicate == "has-status" and m in ("asserted", "planned"):
            want = "planned" if c.get("object_value") in PLANNED_STATUSES else "asserted"
            if m != want:
                yield Error(
                    "claim-modality",
                    "claims",
                    row,
                    "modality",
                    f"{c['id']}: has-status {c.get('object_value')!r} takes modality {want!r}",
                )


def role_errors(t: dict) -> Iterable[Error]:
    """An entity an announcement, statement or report is about is its subject, and only those have subjects;
    a report's entities are its publisher and its subjects (what it reports does not take part in it)."""
    parts, events = t.get("event_participants"), t.get("events")
    if parts is None or events is None:
        return
    kinds = {e["id"]: e.get("kind", "") for e in events}
    for p in parts:
        kind = kinds.get(p["event"])
        if kind is None:
            continue  # the foreign key check reports an unknown event
        if p["role"] == "subject" and kind not in ABOUT_KINDS:
            yield Error(
                "participant-role", "event_participants", p["_row"], "role", f"{p['id']}: a {kind} has no subject"
            )
        elif kind == "report" and p["role"] not in ("publisher", "subject"):
            yield Error(
                "participant-role",
                "event_participants",
                p["_row"],
                "role",
                f"{p['id']}: a report has only its publisher and its subjects, not a {p['role']}",
            )


def _sources_of(t: dict, resource: str) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for e in t.get("evidence") or []:
        if e["resource"] == resource:
            out[e["record"]].add(e["source"])
    return out


def status_source_errors(t: dict) -> Iterable[Error]:
    """A has-status claim is one source's version: its evidence comes from exactly one source (two sources
    that agree make two claims, two that disagree make a contested event)."""
    sources = _sources_of(t, "claims")
    for c in t.get("claims") or []:
        if c.get("predicate") == "has-status" and len(sources[c["id"]]) > 1:
            yield Error(
                "status-sources",
                "claims",
                c["_row"],
                "id",
                f"{c['id']}: a status is one source's version, but {', '.join(sorted(sources[c['id']]))} support it",
            )


def title_errors(t: dict, texts: dict[str, str]) -> Iterable[Error]:
    """With the texts at hand: a holds-office title is printed in every span that supports it, so each
    source's title is its own claim."""
    claims, evidence = t.get("claims"), t.get("evidence")
    if claims is None or evidence is None:
        return
    titles = {c["id"]: (c.get("object_value", ""), c["_row"]) for c in claims if c.get("predicate") == "holds-office"}
    for e in evidence:
        if e["resource"] != "claims" or e["record"] not in titles or e["source"] not in texts:
            continue
        title, row = titles[e["record"]]
        try:
            span = texts[e["source"]][int(e["start"]) : int(e["end"])]
        except ValueError:
            continue
        if title.casefold() not in span.casefold():
            yield Error(
                "office-title",
                "claims",
                row,
                "object_value",
                f"{e['record']}: the title {title!r} is not printed in the span of {e['id']}",
            )


def place_errors(t: dict) -> Iterable[Error]:
    """located-in links a place to a larger place or a country, and every event's place that is not a country
    reaches exactly one country through those links, without cycles."""
    entities, claims, events = t.get("entities"), t.get("claims"), t.get("events")
    if entities is None or claims is None or events is None:
        return
    kinds = {e["id"]: e.get("kind", "") for e in entities}
    links: dict[str, set[str]] = defaultdict(set)
    for c in claims:
        if c.get("predicate") != "located-in":
            continue
        subject, obj = c.get("subject", ""), c.get("object_entity", "")
        if kinds.get(subject) not in LOCATED[0] or kinds.get(obj) not in LOCATED[1]:
            yield Error(
                "place-link",
                "claims",
                c["_row"],
                "object_entity",
                f"{c['id']}: located-in links a city, place, company or organisation to a country, city or place",
            )
            continue
        links[subject].add(obj)
    for ev in events:
        place = ev.get("location", "")
        if not place or kinds.get(place) == "country":
            continue
        found, cycle = countries(place, links, kinds)
        if cycle or len(found) != 1:
            what = "a cycle of located-in links" if cycle else f"{len(found)} countries ({', '.join(sorted(found))})"
            yield Error("place-country", "events", ev["_row"], "location", f"{ev['id']}: {place} reaches {what}")


def countries(place: str, links: dict[str, set[str]], kinds: dict[str, str]) -> tuple[set[str], bool]:
    """The countries ``place`` reaches through ``links``, and whether a cycle was met on the way."""
    found: set[str] = set()
    cycle = False
    stack: list[tuple[str, tuple[str, ...]]] = [(place, (place,))]
    while stack:
        at, path = stack.pop()
        for nxt in links.get(at, ()):
            if nxt in path:
                cycle = True
            elif kinds.get(nxt) == "country":
                found.add(nxt)
            else:
                stack.append((nxt, (*path, nxt)))
    return found, cycle
