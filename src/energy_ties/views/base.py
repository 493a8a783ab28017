"""What every view is built from: the loaded tables, each record's sources, names, places' countries, dates.

Nothing here copies data: every value is read from the package's tables as
:func:`energy_ties.load` gives them, and joined. The dates come from the
``dates`` resource (one row per record, source and bound: the 2.0.0 layout);
a package of the 1.0.0 layout, whose dates sit in ``start*``/``end*`` columns
of ``events`` and ``claims``, is read into the same shape, each date given the
record's source when it has exactly one.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

import pandas as pd
import pyarrow as pa

from ..datapackage.opening import open_package
from ..loading.frames import frames
from ..releases.resolve import download

#: Several values in one cell (sources, participants, events) are joined by this, in a stable order.
SEP = "; "
STRING = pd.StringDtype("pyarrow")
DATE = pd.ArrowDtype(pa.date32())
Tables = Mapping[str, pd.DataFrame]
DATE_COLUMNS = ["id", "resource", "record", "source", "bound", "date", "precision", "basis", "anchor"]
#: Predicates that tie an entity to a country, beside located-in (a person's office, an organisation's
#: country, a state company's state).
COUNTRY_TIES = ("holds-office", "belongs-to-country", "state-company-of")


def load_tables(tables: Tables | None, path: str | os.PathLike | None, version: str | None) -> dict[str, pd.DataFrame]:
    """The tables a view is built from: those given, else the package at ``path`` or released ``version``,
    else the bundled one."""
    if tables is not None:
        return dict(tables)
    if version is not None:
        if path is not None:
            raise ValueError("give either path or version, not both")
        path = download(version)
    with open_package(path) as pkg:
        loaded = frames(pkg)
    assert isinstance(loaded, dict)
    return loaded


def text(series: pd.Series) -> pd.Series:
    """A column as Arrow strings (categories as their values), so that joins and comparisons are plain."""
    return series.astype(STRING)


def joined(values: Any) -> Any:
    """Distinct values, in order of first appearance, joined by :data:`SEP`; NA when there are none."""
    seen = list(dict.fromkeys(v for v in values if isinstance(v, str) and v))
    return SEP.join(seen) if seen else pd.NA


def sources_by_record(t: Tables, resource: str) -> dict[str, str]:
    """Each record's sources (from its evidence rows), sorted by id and joined."""
    ev = t["evidence"]
    ev = ev[text(ev["resource"]) == resource]
    out: dict[str, str] = {}
    for record, group in ev.groupby(text(ev["record"]), sort=True):
        out[str(record)] = SEP.join(sorted(set(text(group["source"]))))
    return out


def names(t: Tables) -> dict[str, str]:
    """Entity id to name."""
    e = t["entities"]
    return dict(zip(text(e["id"]), text(e["name"])))


def labels(t: Tables) -> dict[str, str]:
    """Event id to label."""
    e = t["events"]
    return dict(zip(text(e["id"]), text(e["label"])))


def category_label(frame: pd.DataFrame, field: str, value: Any) -> Any:
    """The label the Table Schema gives a category (carried in ``frame.attrs``), or NA."""
    if not isinstance(value, str):
        return pd.NA
    return frame.attrs.get("categories", {}).get(field, {}).get(value, pd.NA)


def _claims_of(t: Tables, predicates: tuple[str, ...]) -> pd.DataFrame:
    c = t["claims"]
    c = c[text(c["predicate"]).isin(predicates)]
    return pd.DataFrame({k: text(c[k]) for k in ("id", "subject", "predicate", "object_entity")}).dropna(
        subset=["subject", "object_entity"]
    )


def place_countries(t: Tables) -> dict[str, str]:
    """Every entity that reaches a country by ``located-in`` links (a country reaches itself), to that
    country: the first country on the chain, at most eight links away."""
    kinds = dict(zip(text(t["entities"]["id"]), text(t["entities"]["kind"])))
    links: dict[str, list[str]] = {}
    for row in _claims_of(t, ("located-in",)).itertuples():
        links.setdefault(row.subject, []).append(row.object_entity)
    out: dict[str, str] = {}
    for start in kinds:
        frontier, seen = [start], {start}
        for _ in range(9):
            country = next((e for e in frontier if kinds.get(e) == "country"), None)
            if country is not None:
                out[start] = country
                break
            frontier = [n for e in frontier for n in links.get(e, []) if n not in seen]
            seen.update(frontier)
    return out


def entity_countries(t: Tables) -> dict[str, list[str]]:
    """The countries each entity is tied to: itself if a country, where it is (located-in), and the country
    of its office, organisation or state company (holds-office, belongs-to-country, state-company-of)."""
    kinds = dict(zip(text(t["entities"]["id"]), text(t["entities"]["kind"])))
    places = place_countries(t)
    out: dict[str, list[str]] = {e: [places[e]] if e in places else [] for e in kinds}
    for row in _claims_of(t, COUNTRY_TIES).itertuples():
        country = places.get(row.object_entity) if kinds.get(row.object_entity) != "country" else row.object_entity
        if country and country not in out.setdefault(row.subject, []):
            out[row.subject].append(country)
    return out


def dates(t: Tables) -> pd.DataFrame:
    """Every date version, one row per record, source and bound, as text: the ``dates`` resource, or the
    same read from the date columns of a 1.0.0 package."""
    if "dates" in t:
        d = t["dates"]
        return pd.DataFrame({c: text(d[c]) for c in DATE_COLUMNS})
    rows = []
    for resource in ("events", "claims"):
        frame, sources = t[resource], sources_by_record(t, resource)
        for bound in ("start", "end"):
            if f"{bound}_basis" not in frame:
                continue
            part = pd.DataFrame(
                {
                    "id": None,
                    "resource": resource,
                    "record": text(frame["id"]),
                    "bound": bound,
                    "date": text(frame[bound]),
                    "precision": text(frame[f"{bound}_precision"]),
                    "basis": text(frame[f"{bound}_basis"]),
                    "anchor": text(frame[f"{bound}_relative"]),
                }
            )
            part = part[part["basis"].isin(["stated", "inferred"])]
            one = part["record"].map({r: s for r, s in sources.items() if SEP not in s})
            rows.append(part.assign(source=one.astype(STRING)))
    out = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=DATE_COLUMNS)
    return out[DATE_COLUMNS].astype(STRING)


def finish(rows: pd.DataFrame, columns: Mapping[str, tuple[Any, str]], title: str, description: str) -> pd.DataFrame:
    """A view's frame: its columns in order, each with its dtype, and its data dictionary in ``attrs``."""
    frame = pd.DataFrame({name: rows[name].astype(dtype) for name, (dtype, _) in columns.items()})
    frame = frame.reset_index(drop=True)
    frame.attrs.update(
        {
            "name": title.split(":", maxsplit=1)[0],
            "title": title,
            "description": description,
            "fields": {name: doc for name, (_, doc) in columns.items()},
        }
    )
    return frame
