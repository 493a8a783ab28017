"""The views across records: ``timeline()``, ``quotes()``, ``network()`` and ``disagreements()``."""

from __future__ import annotations

import os
from itertools import combinations
from typing import Any

import pandas as pd

from .base import DATE, SEP, STRING, Tables, dates, finish, labels, load_tables, names, text
from .records import claims, events

#: Roles that do not make an entity a party to an event (it reports on it, or is only named in it).
PASSIVE_ROLES = ("publisher", "subject")
#: Predicates of which one subject (and object, and event) has one true value: versions that differ disagree.
ONE_VALUE = ("has-status", "holds-office")

TIMELINE_FIELDS: dict[str, tuple[Any, str]] = {
    "sort_key": (STRING, "the order (see events()): known years, month-and-day without a year, relative, undated"),
    "item": (STRING, "event, or claim (a claim with a time qualifier)"),
    "record": (STRING, "the event's or claim's id"),
    "label": (STRING, "the event's label, or the claim as subject, predicate and object"),
    "bound": (STRING, "which of its dates places it: start, or end for a claim known only by its end"),
    "date": (STRING, "that date as the source gives it (EDTF)"),
    "precision": (STRING, "how precisely it is known"),
    "basis": (STRING, "stated or inferred"),
    "anchor": (STRING, "for an inferred date, what it is relative to in its source's time"),
    "date_source": (STRING, "the source of the version shown"),
    "earliest": (DATE, "the earliest day it can be, where the year is known"),
    "latest": (DATE, "the latest day it can be, where the year is known"),
    "year_known": ("boolean", "whether the year is known"),
    "relative": ("boolean", "placed only by its anchor, relative to its source's (unknown) publication date"),
    "undated": ("boolean", "no source dates it: it is listed last"),
    "contested": ("boolean", "its status, a value or its date differs between sources (see disagreements())"),
    "sources": (STRING, "the sources that evidence it"),
}


def _contested(t: Tables) -> set[str]:
    return set(disagreements(t)["about"].dropna())


def timeline(
    tables: Tables | None = None, *, path: str | os.PathLike | None = None, version: str | None = None
) -> pd.DataFrame:
    """Every event, and every claim with a time qualifier, in order of their sort key (then id): relative
    dates placed by their anchor and flagged, undated events last, contested items flagged."""
    t = load_tables(tables, path, version)
    ev, cl, disputed = events(t), claims(t), _contested(t)
    cl = cl[cl["date_versions"] > 0]
    parts = []
    for item, frame, ids, label in (
        ("event", ev, ev["event"], ev["label"]),
        ("claim", cl, cl["claim"], _claim_sentence(cl)),
    ):
        bound = frame["start_basis"].notna().map({True: "start", False: "end"})
        pick = {k: frame[f"start{k}"].where(bound == "start", frame[f"end{k}"]) for k in ("", "_precision", "_basis")}
        part = pd.DataFrame({"item": item, "record": ids, "label": label, "bound": bound, "date": pick[""]})
        part["precision"], part["basis"] = pick["_precision"], pick["_basis"]
        part["anchor"] = frame["start_anchor"].where(bound == "start", frame["end_anchor"])
        part["date_source"] = frame["start_source"].where(bound == "start", frame["end_source"])
        for k in ("earliest", "latest", "year_known", "relative", "sort_key", "sources"):
            part[k] = frame[k]
        part["undated"] = frame["date_versions"] == 0
        part["contested"] = ids.isin(disputed) | (frame["status"] == "contested" if "status" in frame else False)
        parts.append(part)
    rows = pd.concat(parts, ignore_index=True).sort_values(["sort_key", "record"], kind="stable")
    return finish(rows, TIMELINE_FIELDS, "timeline: events and dated claims in order", timeline.__doc__ or "")


def _claim_sentence(cl: pd.DataFrame) -> pd.Series:
    subject = cl["subject_name"].fillna(cl["event_label"]).fillna("")
    predicate = text(cl["predicate"])
    obj = cl["object_name"].fillna("")
    value = cl["object_value"].map(lambda v: f"({v})" if isinstance(v, str) else "")
    return (subject + " " + predicate + " " + obj + " " + value).str.replace(r"\s+", " ", regex=True).str.strip()


QUOTE_FIELDS: dict[str, tuple[Any, str]] = {
    "quote": (STRING, "the quotation's id"),
    "speaker": (STRING, "the id of who is quoted"),
    "speaker_name": (STRING, "their name"),
    "text": (STRING, "the words inside the quotation marks, verbatim"),
    "source": (STRING, "the source that prints it"),
    "event": (STRING, "the id of the event at which it was said"),
    "event_label": (STRING, "that event's label"),
    "note": (STRING, "a remark in the project's own words"),
}


def quotes(
    tables: Tables | None = None, *, path: str | os.PathLike | None = None, version: str | None = None
) -> pd.DataFrame:
    """Every quotation with its speaker's name, its source and the event at which it was said."""
    t = load_tables(tables, path, version)
    q = t["quotes"]
    by_name, by_label = names(t), labels(t)
    rows = pd.DataFrame({k: text(q[k]) for k in ("speaker", "text", "source", "event", "note")})
    rows["quote"] = text(q["id"])
    rows["speaker_name"] = rows["speaker"].map(by_name)
    rows["event_label"] = rows["event"].map(by_label)
    return finish(rows, QUOTE_FIELDS, "quotes: quotations with speaker and event", quotes.__doc__ or "")


NETWORK_FIELDS: dict[str, tuple[Any, str]] = {
    **{
        f"{k}_{side}": (STRING, f"{doc} of the {'first' if side == 'a' else 'second'} entity (ids in order)")
        for side in ("a", "b")
        for k, doc in (("entity", "the id"), ("name", "the name"), ("kind", "the kind"))
    },
    "events": ("Int64", "how many events join them"),
    "event_ids": (STRING, "those events' ids, joined by '; '"),
    "event_labels": (STRING, "their labels, in the same order"),
    "roles": (STRING, "per event, the two entities' roles as 'role_a/role_b', in the same order"),
}


def network(
    tables: Tables | None = None, *, path: str | os.PathLike | None = None, version: str | None = None
) -> pd.DataFrame:
    """Who met or dealt with whom: one row per pair of entities taking part in the same events (as anything
    but publisher or subject), with those events; most connected pairs first."""
    t = load_tables(tables, path, version)
    p = t["event_participants"]
    rows = pd.DataFrame({"event": text(p["event"]), "entity": text(p["entity"]), "role": text(p["role"])})
    rows = rows[~rows["role"].isin(PASSIVE_ROLES)].sort_values(["event", "entity", "role"])
    by_name, by_label = names(t), labels(t)
    kinds = dict(zip(text(t["entities"]["id"]), text(t["entities"]["kind"])))
    pairs: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for event, group in rows.groupby("event", sort=True):
        role = dict(zip(group["entity"], group["role"]))  # one role per entity and event (the first by name)
        for a, b in combinations(sorted(role), 2):
            pairs.setdefault((a, b), []).append((str(event), f"{role[a]}/{role[b]}"))
    out = pd.DataFrame(
        [
            {
                "entity_a": a, "name_a": by_name.get(a, a), "kind_a": kinds.get(a),
                "entity_b": b, "name_b": by_name.get(b, b), "kind_b": kinds.get(b),
                "events": len(joins),
                "event_ids": SEP.join(e for e, _ in joins),
                "event_labels": SEP.join(by_label.get(e, e) for e, _ in joins),
                "roles": SEP.join(r for _, r in joins),
            }
            for (a, b), joins in pairs.items()
        ],
        columns=list(NETWORK_FIELDS),
    )  # fmt: skip
    out = out.sort_values(["events", "entity_a", "entity_b"], ascending=[False, True, True], kind="stable")
    return finish(out, NETWORK_FIELDS, "network: who met or dealt with whom", network.__doc__ or "")


DISAGREEMENT_FIELDS: dict[str, tuple[Any, str]] = {
    "aspect": (STRING, "what the sources disagree on: status, a one-valued claim's value (its predicate), start, end"),
    "about": (STRING, "the id of the event or claim subject at issue (the event for status and dates)"),
    "about_label": (STRING, "its label or name"),
    "version": (STRING, "what this source says"),
    "record": (STRING, "the id of the row holding this version (a claim, or a date row)"),
    "source": (STRING, "the source giving this version"),
    "modality": (STRING, "how the source presents it (claims)"),
    "asserted_by_name": (STRING, "who asserts it, where the source attributes it"),
}


def disagreements(
    tables: Tables | None = None, *, path: str | os.PathLike | None = None, version: str | None = None
) -> pd.DataFrame:
    """Every place where the sources disagree, one row per version and source: an event's status (its
    has-status claims), a one-valued claim (an office's title) and an event's or claim's date. Versions
    of a date anchored to two sources' publications may agree; they are listed, as no date is guessed."""
    t = load_tables(tables, path, version)
    rows = _claim_versions(t) + _date_versions(t)
    out = pd.DataFrame(rows, columns=list(DISAGREEMENT_FIELDS))
    return finish(out, DISAGREEMENT_FIELDS, "disagreements: each version with its source", disagreements.__doc__ or "")


def _claim_versions(t: Tables) -> list[dict[str, Any]]:
    cl = claims(t)
    cl = cl[text(cl["predicate"]).isin(ONE_VALUE)]
    by_name, by_label = names(t), labels(t)
    out = []
    keys = ["predicate", "subject", "object_entity", "event"]
    value = cl["object_value"].fillna(cl["object_name"]).fillna("")
    grouped = pd.DataFrame({k: text(cl[k]).fillna("") for k in keys}).assign(value=value)
    for key, group in grouped.groupby(keys, sort=True):
        if group["value"].nunique() < 2:
            continue
        predicate, subject, _, event = key
        about = event if predicate == "has-status" else subject
        for i in group.index:
            row = cl.loc[i]
            for source in str(row["sources"]).split(SEP):
                out.append(
                    {
                        "aspect": "status" if predicate == "has-status" else predicate,
                        "about": about,
                        "about_label": by_label.get(about) or by_name.get(about),
                        "version": grouped.at[i, "value"],
                        "record": row["claim"],
                        "source": source,
                        "modality": row["modality"],
                        "asserted_by_name": row["asserted_by_name"],
                    }
                )
    return out


def _date_versions(t: Tables) -> list[dict[str, Any]]:
    d = dates(t).fillna("")
    by_label = labels(t)
    out = []
    for (record, bound), group in d.groupby(["record", "bound"], sort=True):
        versions = group[["date", "precision", "anchor"]].drop_duplicates()
        if len(versions) < 2 or group["source"].nunique() < 2:
            continue
        for r in group.itertuples():
            said = " ".join(x for x in (r.date, f"({r.precision}, {r.basis})", r.anchor and f"anchor {r.anchor}") if x)
            out.append(
                {
                    "aspect": bound,
                    "about": record,
                    "about_label": by_label.get(record),
                    "version": said,
                    "record": r.id or None,
                    "source": r.source,
                    "modality": None,
                    "asserted_by_name": None,
                }
            )
    return out
