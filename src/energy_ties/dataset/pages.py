"""The energy-ties pages of the release site: one page per entity, event and claim, with every fact and its evidence.

The site (:mod:`energy_ties.site`) knows nothing of this dataset: it asks the
profiles that apply to a package for ``pages(pkg, texts)`` and renders what
comes back (:class:`Page`, :class:`Section`, :class:`Fact`, :class:`Span`,
plain data). What is said about a record is found by :func:`sections_of`, from
the tables as they are; it is the one place to switch to the views once they
exist. A table or column the package lacks (the 2.0.0 layout moves dates into
``dates``) only drops the section or column that needed it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..datapackage.model import Package
from .evidence import load_texts, sha256
from .tables import read_rows

#: The resources whose records get a page, and the page's kind (its folder on the site).
KINDS = {"entities": "entity", "events": "event", "claims": "claim"}

#: Per kind of record: (heading, resource, fields naming the record, columns shown; None: every other column).
SECTIONS: dict[str, list[tuple[str, str, tuple[str, ...], tuple[str, ...] | None]]] = {
    "entities": [
        ("Names", "entity_aliases", ("entity",), ("alias", "form")),
        ("Events", "event_participants", ("entity",), ("event", "role", "note")),
        ("Events held here", "events", ("location",), ("id", "label", "start", "status")),
        ("Claims about it", "claims", ("subject",), ("id", "predicate", "object_entity", "object_value", "modality")),
        ("Claims naming it", "claims", ("object_entity",), ("id", "subject", "predicate", "object_value", "modality")),
        ("Claims it asserts", "claims", ("asserted_by",), ("id", "subject", "predicate", "object_entity")),
        ("Quotations", "quotes", ("speaker",), ("id", "text", "source", "event")),
    ],
    "events": [
        ("Participants", "event_participants", ("event",), ("entity", "role", "note")),
        ("Dates", "dates", ("record",), None),
        ("Parts", "events", ("part_of",), ("id", "label", "start")),
        ("Claims about it", "claims", ("subject",), ("id", "predicate", "object_entity", "object_value", "modality")),
        ("Claims made at it", "claims", ("event",), ("id", "subject", "predicate", "object_entity", "object_value")),
        ("Quotations", "quotes", ("event",), ("id", "speaker", "text", "source")),
    ],
    "claims": [
        ("Dates", "dates", ("record",), None),
    ],
}

#: Resources never searched for mentions: evidence points at everything, and is shown with each fact.
NOT_MENTIONS = ("evidence",)
#: How far around a span its sentence is looked for, in code points each way.
CONTEXT = 300


@dataclass
class Span:
    """One evidence row; ``before``/``text``/``after`` are its sentence, only when the texts were given."""

    id: str
    source: str
    start: int
    end: int
    sha256: str
    basis: str
    before: str | None = None
    text: str | None = None
    after: str | None = None
    matches: bool | None = None  # whether the text at the offsets hashes to sha256 (None: no text)


@dataclass
class Fact:
    """A row said about the record: its cells (aligned with the section's columns) and the row's evidence."""

    id: str
    cells: list[str]
    evidence: list[Span] = field(default_factory=list)


@dataclass
class Section:
    title: str
    resource: str
    columns: list[str]
    facts: list[Fact]


@dataclass
class Page:
    """Everything said about one record: its own row (``summary``) and evidence, then each section."""

    kind: str
    id: str
    title: str
    resource: str
    summary: list[tuple[str, str]]
    evidence: list[Span]
    sections: list[Section]


class Tables:
    """The package's tables as rows of text, with the lookups the pages need built once."""

    def __init__(self, pkg: Package, texts: Path | None) -> None:
        names = [r.name for r in pkg.resources if r.has_schema]
        loaded = {name: read_rows(pkg, name) for name in names}
        self.rows: dict[str, list[dict[str, Any]]] = {k: v for k, v in loaded.items() if v is not None}
        self.by_id = {name: {r.get("id", ""): r for r in rows} for name, rows in self.rows.items()}
        self.evidence: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
        for e in self.rows.get("evidence", []):
            self.evidence[(e.get("resource", ""), e.get("record", ""))].append(e)
        self.mentions: dict[str, list[tuple[str, dict[str, Any], str]]] = defaultdict(list)
        for name, rows in self.rows.items():
            if name not in NOT_MENTIONS:
                for r in rows:
                    for f, v in r.items():
                        if f not in ("_row", "id") and v:
                            self.mentions[v].append((name, r, f))
        self.texts: dict[str, str] = {}
        if texts is not None and "sources" in self.rows:
            self.texts = load_texts(texts, self.rows["sources"])[0]

    def spans(self, resource: str, record: str) -> list[Span]:
        """The evidence of one record, in source and offset order."""
        rows = sorted(self.evidence.get((resource, record), []), key=_span_order)
        return [self.span(e) for e in rows]

    def span(self, e: dict[str, Any]) -> Span:
        s = Span(
            e.get("id", ""),
            e.get("source", ""),
            _int(e.get("start")),
            _int(e.get("end")),
            e.get("sha256", ""),
            e.get("basis", ""),
        )
        text = self.texts.get(s.source)
        if text is not None and 0 <= s.start < s.end <= len(text):
            s.matches = sha256(text[s.start : s.end]) == s.sha256
            if s.matches:
                s.before, s.text, s.after = sentence(text, s.start, s.end)
        return s


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


def _span_order(e: dict[str, Any]) -> tuple:
    return (e.get("source", ""), _int(e.get("start")), _int(e.get("end")), e.get("id", ""))


def sentence(text: str, start: int, end: int) -> tuple[str, str, str]:
    """The text before the span back to its sentence's start, the span, and the text after it to the sentence's
    end (a full stop, question or exclamation mark followed by a space, or a line break), at most CONTEXT each."""
    lo = max(0, start - CONTEXT)
    head = text[lo:start]
    cut = max(head.rfind(m) + len(m) if head.rfind(m) >= 0 else -1 for m in (". ", "? ", "! ", "\n"))
    before = head[cut:] if cut >= 0 else ("…" if lo > 0 else "") + head
    tail = text[end : end + CONTEXT]
    stops = [i + 1 for m in (". ", "? ", "! ") if (i := tail.find(m)) >= 0] + [i for i in [tail.find("\n")] if i >= 0]
    after = tail[: min(stops)] if stops else tail + ("…" if end + CONTEXT < len(text) else "")
    return before.lstrip(), text[start:end], after.rstrip()


def title_of(t: Tables, resource: str, row: dict[str, Any]) -> str:
    """A person's name for a record: an entity's name, an event's label, a claim as subject, predicate, object."""
    if resource == "claims":
        obj = row.get("object_entity") or row.get("object_value") or ""
        return " ".join(x for x in (name_of(t, row.get("subject", "")), row.get("predicate", ""), name_of(t, obj)) if x)
    return row.get("name") or row.get("label") or row.get("id", "")


def name_of(t: Tables, record_id: str) -> str:
    """The title of the record ``record_id`` names, or the text itself when it names none."""
    for resource in KINDS:
        row = t.by_id.get(resource, {}).get(record_id)
        if row is not None:
            return title_of(t, resource, row)
    return record_id


def sections_of(t: Tables, resource: str, record_id: str) -> list[Section]:
    """What the package says about one record: the rows naming it, section by section, then any other mention."""
    out: list[Section] = []
    shown: set[tuple[str, str]] = set()
    for title, res, fields, columns in SECTIONS.get(resource, []):
        rows = [r for r in t.rows.get(res, []) if any(r.get(f) == record_id for f in fields)]
        if not rows:
            continue
        labels = [c for c in (list(rows[0]) if columns is None else columns) if c in rows[0]]
        labels = [c for c in labels if c != "_row" and not (columns is None and c in ("id", "resource", *fields))]
        facts = [Fact(r.get("id", ""), [r.get(c, "") for c in labels], t.spans(res, r.get("id", ""))) for r in rows]
        out.append(Section(title, res, labels, facts))
        shown.update((res, r.get("id", "")) for r in rows)
    others = [(res, r, f) for res, r, f in t.mentions.get(record_id, []) if (res, r.get("id", "")) not in shown]
    if others:
        facts = [
            Fact(r.get("id", ""), [res, r.get("id", ""), f], t.spans(res, r.get("id", ""))) for res, r, f in others
        ]
        out.append(Section("Other mentions", "", ["resource", "record", "field"], facts))
    return out


def pages(pkg: Package, texts: Path | None = None) -> list[Page]:
    """A page for every entity, event and claim of ``pkg``, in table order."""
    t = Tables(pkg, texts)
    out = []
    for resource, kind in KINDS.items():
        for row in t.rows.get(resource, []):
            rid = row.get("id", "")
            if not rid:
                continue
            summary = [(f, v) for f, v in row.items() if f != "_row"]
            out.append(
                Page(
                    kind,
                    rid,
                    title_of(t, resource, row),
                    resource,
                    summary,
                    t.spans(resource, rid),
                    sections_of(t, resource, rid),
                )
            )
    return out
