"""The energy-ties package's own rules, beyond what a Table Schema can say.

Every record has evidence; evidence points at a record that exists and at a
span inside its source; spans hash to what the evidence says (when the texts
are at hand); quotations are verbatim (their hash is one of their spans');
dates agree with their precision and basis; aliases do not collide; ids
agree with what they name; a contested event carries both versions.
"""

from __future__ import annotations

import calendar
import hashlib
import re
from collections import defaultdict
from pathlib import Path
from typing import Iterable

from .package import Package
from .report import Error
from .table import SourceError, TableReader

#: Resources whose every row needs evidence.
EVIDENCED = ("entities", "entity_aliases", "events", "event_participants", "claims", "quotes")
#: (resource, date field) pairs holding an EDTF date with _precision, _basis and _relative companions.
DATE_BLOCKS = (("events", "start"), ("events", "end"), ("claims", "start"), ("claims", "end"),
               ("sources", "published"))
_EDTF = re.compile(r"^(?P<y>[0-9]{4}|XXXX)(?:-(?P<m>[0-9]{2})(?:-(?P<d>[0-9]{2}))?)?$")
_PRECISION_PARTS = {"year": 1, "month": 2, "day": 3}


def applies(pkg: Package, profile: str) -> bool:
    """Whether these rules apply: for the energy-ties package itself, or when asked for."""
    if profile == "none":
        return False
    if profile == "energy-ties":
        return True
    return pkg.descriptor.get("name") == "energy-ties"


def read_rows(pkg: Package, name: str) -> list[dict[str, str]] | None:
    """The rows of a resource as text, or None when it cannot be read (its errors are reported elsewhere)."""
    try:
        res = pkg.resource(name)
    except Exception:
        return None
    if res.problems:
        return None
    reader = TableReader(res)
    rows: list[dict[str, str]] = []
    try:
        for batch in reader.batches():
            labels = reader.labels or []
            cols = [c.to_pylist() for c in batch.columns]
            for i, r in enumerate(batch.rows):
                rows.append({"_row": int(r), **{labels[j]: (cols[j][i] or "") for j in range(min(len(labels), len(cols)))}})
    except SourceError:
        return None
    return rows


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def load_texts(texts: Path, sources: list[dict[str, str]]) -> tuple[dict[str, str], list[Error]]:
    """Find each source's text in ``texts`` by its SHA-256 (file names are only a fallback hint)."""
    errors: list[Error] = []
    by_hash: dict[str, str] = {}
    if not texts.is_dir():
        return {}, [Error("source-text", "sources", None, None, f"{texts}: texts folder not found")]
    for p in sorted(texts.iterdir()):
        if p.is_file():
            raw = p.read_bytes()
            try:
                by_hash[hashlib.sha256(raw).hexdigest()] = raw.decode("utf-8")
            except UnicodeDecodeError:
                continue
    found: dict[str, str] = {}
    for s in sources:
        text = by_hash.get(s.get("text_sha256", ""))
        if text is None:
            errors.append(Error("source-text", "sources", s["_row"], "text_sha256",
                                f"{s.get('id')}: no file in {texts} has SHA-256 {s.get('text_sha256')}"))
            continue
        if str(len(text)) != s.get("text_length"):
            errors.append(Error("source-text", "sources", s["_row"], "text_length",
                                f"{s.get('id')}: text has {len(text)} code points, not {s.get('text_length')}"))
        found[s["id"]] = text
    return found, errors


def check(pkg: Package, texts: Path | None = None) -> list[Error]:
    """All rule violations of an energy-ties package (texts, when given, also verify every span)."""
    t = {name: read_rows(pkg, name) for name in ("sources", *EVIDENCED, "evidence")}
    out: list[Error] = []
    out += _evidence(t)
    out += _dates(t)
    out += _aliases(t)
    out += _ids(t)
    out += _claims(t)
    out += _contested(t)
    out += _quotes(t)
    if texts is not None and t["sources"] is not None and t["evidence"] is not None:
        _, errors = verify_evidence(texts, t["sources"], t["evidence"])
        out += errors
    return out


def _evidence(t: dict) -> Iterable[Error]:
    ev = t["evidence"]
    if ev is None:
        return
    ids = {name: {r["id"] for r in t[name]} for name in EVIDENCED if t[name] is not None}
    lengths = {s["id"]: int(s["text_length"]) for s in (t["sources"] or []) if s.get("text_length", "").isdigit()}
    covered = defaultdict(set)
    for e in ev:
        res, rec = e.get("resource"), e.get("record")
        covered[res].add(rec)
        if res in ids and rec not in ids[res]:
            yield Error("evidence-reference", "evidence", e["_row"], "record",
                        f"{e['id']}: {res} has no record {rec!r}")
        try:
            start, end = int(e["start"]), int(e["end"])
        except (KeyError, ValueError):
            continue
        length = lengths.get(e.get("source", ""))
        if start >= end:
            yield Error("evidence-span", "evidence", e["_row"], "end", f"{e['id']}: span {start}-{end} is empty")
        elif length is not None and end > length:
            yield Error("evidence-span", "evidence", e["_row"], "end",
                        f"{e['id']}: span ends at {end}, past the end of {e['source']} ({length} code points)")
    for name, known in ids.items():
        for r in t[name]:
            if r["id"] not in covered[name]:
                yield Error("evidence-missing", name, r["_row"], "id", f"{r['id']}: no evidence row supports it")


def verify_evidence(texts: Path, sources: list[dict[str, str]],
                    evidence: list[dict[str, str]]) -> tuple[dict[str, str], list[Error]]:
    """The source texts found in ``texts``, and the errors of the sources and evidence spans against them."""
    found, errors = load_texts(texts, sources)
    return found, errors + verify_spans(evidence, found)


def verify_spans(evidence: list[dict[str, str]], texts: dict[str, str]) -> list[Error]:
    """Errors for evidence rows whose span does not hash to the recorded SHA-256."""
    out = []
    for e in evidence:
        text = texts.get(e.get("source", ""))
        if text is None:
            continue
        try:
            span = text[int(e["start"]):int(e["end"])]
        except (KeyError, ValueError):
            continue
        if sha256(span) != e.get("sha256"):
            out.append(Error("evidence-hash", "evidence", e["_row"], "sha256",
                             f"{e['id']}: span {e['start']}-{e['end']} of {e['source']} does not hash to the recorded SHA-256"))
    return out


def _dates(t: dict) -> Iterable[Error]:
    for name, prefix in DATE_BLOCKS:
        for r in t.get(name) or []:
            problem = date_problem(r.get(prefix, ""), r.get(f"{prefix}_precision", ""),
                                   r.get(f"{prefix}_basis", ""), r.get(f"{prefix}_relative", ""))
            if problem:
                yield Error("date-precision", name, r["_row"], prefix, f"{r['id']}: {prefix}: {problem}")


def date_problem(date: str, precision: str, basis: str, relative: str) -> str | None:
    """Why a date block is inconsistent, or None."""
    if relative and basis != "inferred":
        return f"a relative anchor ({relative}) needs basis 'inferred', not {basis!r}"
    if not date:
        if basis == "stated":
            return "basis 'stated' needs a date"
        if basis == "unknown" and precision:
            return "an unknown date has no precision"
        if basis == "inferred" and not (relative and precision):
            return "an inferred date without a date needs a relative anchor and a precision"
        return None
    m = _EDTF.match(date)
    if not m:
        return f"{date!r} is not an EDTF date of this package's form"
    if basis == "unknown":
        return "a date is given, so its basis cannot be 'unknown'"
    parts = 1 + (m.group("m") is not None) + (m.group("d") is not None)
    if _PRECISION_PARTS.get(precision) != parts:
        return f"{date!r} is known to the {['year', 'month', 'day'][parts - 1]}, not to the {precision or '(empty)'}"
    if m.group("y") == "XXXX" and parts == 1:
        return "a date of unknown year and precision 'year' says nothing; leave it empty"
    month = int(m.group("m")) if m.group("m") else None
    if month is not None and not 1 <= month <= 12:
        return f"{date!r} has no month {month}"
    if m.group("d"):
        year = 2000 if m.group("y") == "XXXX" else int(m.group("y"))  # a leap year admits 29 February
        if not 1 <= int(m.group("d")) <= calendar.monthrange(year, month)[1]:
            return f"{date!r} is not a day of the calendar"
    return None


def _aliases(t: dict) -> Iterable[Error]:
    ents, aliases = t["entities"], t["entity_aliases"]
    if ents is None or aliases is None:
        return
    names = {e["name"].casefold(): e["id"] for e in ents}
    seen: dict[str, str] = {}
    for a in aliases:
        key = a["alias"].casefold()
        owner = names.get(key)
        if owner == a["entity"]:
            yield Error("alias-collision", "entity_aliases", a["_row"], "alias",
                        f"{a['id']}: {a['alias']!r} is the entity's own canonical name")
        elif owner is not None:
            yield Error("alias-collision", "entity_aliases", a["_row"], "alias",
                        f"{a['id']}: {a['alias']!r} is the canonical name of {owner}")
        other = seen.get(key)
        if other is not None and other != a["entity"]:
            yield Error("alias-collision", "entity_aliases", a["_row"], "alias",
                        f"{a['id']}: {a['alias']!r} is also an alias of {other}")
        seen.setdefault(key, a["entity"])


def _slug(ref: str) -> str:
    return ref.split(":", 1)[1] if ":" in ref else ref


def _ids(t: dict) -> Iterable[Error]:
    for e in t.get("entities") or []:
        if e["id"].split(":", 1)[0] != e.get("kind"):
            yield Error("id-pattern", "entities", e["_row"], "id", f"{e['id']}: the id's prefix is not its kind {e.get('kind')!r}")
        if bool(e.get("iso3166_alpha3")) != (e.get("kind") == "country"):
            yield Error("id-pattern", "entities", e["_row"], "iso3166_alpha3",
                        f"{e['id']}: an ISO 3166-1 code is required for countries and only for them")
    for p in t.get("event_participants") or []:
        expected = f"participation:{_slug(p['event'])}.{_slug(p['entity'])}.{p['role']}"
        if p["id"] != expected:
            yield Error("id-pattern", "event_participants", p["_row"], "id", f"{p['id']}: expected {expected}")
    for e in t.get("evidence") or []:
        prefix = f"evidence:{e['record'].replace(':', '.')}.{_slug(e['source'])}."
        if not (e["id"].startswith(prefix) and e["id"][len(prefix):].isdigit()):
            yield Error("id-pattern", "evidence", e["_row"], "id", f"{e['id']}: expected {prefix}N")


def _claims(t: dict) -> Iterable[Error]:
    for c in t.get("claims") or []:
        has_q = bool(c.get("quantity"))
        if has_q != bool(c.get("unit")) or has_q != bool(c.get("quantity_qualifier")):
            yield Error("claim-shape", "claims", c["_row"], "quantity",
                        f"{c['id']}: a quantity goes with a unit and a qualifier, and they only with it")
        if not (c.get("subject") or c.get("event")):
            yield Error("claim-shape", "claims", c["_row"], "subject", f"{c['id']}: needs a subject or an event")
        if not (c.get("object_entity") or c.get("object_value") or has_q or (c.get("subject") and c.get("event"))):
            yield Error("claim-shape", "claims", c["_row"], "object_value",
                        f"{c['id']}: needs an object entity, an object value, a quantity or an event")


def _contested(t: dict) -> Iterable[Error]:
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
            yield Error("contested-status", "events", e["_row"], "status",
                        f"{e['id']}: a contested event needs has-status claims with differing values from "
                        "at least two sources")


def _quotes(t: dict) -> Iterable[Error]:
    quotes, ev = t.get("quotes"), t.get("evidence")
    if quotes is None or ev is None:
        return
    spans = defaultdict(set)
    for e in ev:
        if e["resource"] == "quotes":
            spans[e["record"]].add((e["source"], e["sha256"]))
    for q in quotes:
        if (q["source"], sha256(q["text"])) not in spans[q["id"]]:
            yield Error("quote-text", "quotes", q["_row"], "text",
                        f"{q['id']}: the text is not verbatim: no evidence span of {q['source']} hashes to it")
