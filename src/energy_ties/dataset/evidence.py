"""Evidence: every record has some, each points at a record and a span inside its source, and each span hashes
to what the evidence says when the texts are at hand (matched to sources by their SHA-256, not their names).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..datapackage.findings import Error
from ..errors import PackageReadError
from ..files import MAX_TEXT_BYTES, is_regular, read_bytes

#: Resources whose every row needs evidence.
#: ``dates`` (since 2.0.0): each date row is one source's version, with evidence from that source.
EVIDENCED = ("entities", "entity_aliases", "events", "event_participants", "claims", "quotes", "dates")


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def load_texts(texts: Path, sources: list[dict[str, Any]]) -> tuple[dict[str, str], list[Error]]:
    """Find each source's text in ``texts`` by its SHA-256 (file names are only a fallback hint)."""
    errors: list[Error] = []
    by_hash: dict[str, str] = {}
    if not texts.is_dir():
        return {}, [Error("source-text", "sources", None, None, f"{texts}: texts folder not found")]
    for p in sorted(texts.iterdir()):
        if is_regular(p):  # FIFOs, devices and folders are skipped, never waited on
            try:
                raw = read_bytes(p, root=texts, limit=MAX_TEXT_BYTES)
            except PackageReadError as exc:  # a link leading out of the folder, or a file too large
                errors.append(Error("source-text", "sources", None, None, str(exc)))
                continue
            try:
                by_hash[hashlib.sha256(raw).hexdigest()] = raw.decode("utf-8")
            except UnicodeDecodeError:
                continue
    found: dict[str, str] = {}
    for s in sources:
        text = by_hash.get(s.get("text_sha256", ""))
        if text is None:
            errors.append(
                Error(
                    "source-text",
                    "sources",
                    s["_row"],
                    "text_sha256",
                    f"{s.get('id')}: no file in {texts} has SHA-256 {s.get('text_sha256')}",
                )
            )
            continue
        if str(len(text)) != s.get("text_length"):
            errors.append(
                Error(
                    "source-text",
                    "sources",
                    s["_row"],
                    "text_length",
                    f"{s.get('id')}: text has {len(text)} code points, not {s.get('text_length')}",
                )
            )
        found[s["id"]] = text
    return found, errors


def evidence_errors(t: dict) -> Iterable[Error]:
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
            yield Error(
                "evidence-reference", "evidence", e["_row"], "record", f"{e['id']}: {res} has no record {rec!r}"
            )
        try:
            start, end = int(e["start"]), int(e["end"])
        except (KeyError, ValueError):
            continue
        length = lengths.get(e.get("source", ""))
        if start >= end:
            yield Error("evidence-span", "evidence", e["_row"], "end", f"{e['id']}: span {start}-{end} is empty")
        elif length is not None and end > length:
            yield Error(
                "evidence-span",
                "evidence",
                e["_row"],
                "end",
                f"{e['id']}: span ends at {end}, past the end of {e['source']} ({length} code points)",
            )
    for name, _known in ids.items():
        for r in t[name]:
            if r["id"] not in covered[name]:
                yield Error("evidence-missing", name, r["_row"], "id", f"{r['id']}: no evidence row supports it")


def verify_evidence(
    texts: Path, sources: list[dict[str, Any]], evidence: list[dict[str, Any]]
) -> tuple[dict[str, str], list[Error]]:
    """The source texts found in ``texts``, and the errors of the sources and evidence spans against them."""
    found, errors = load_texts(texts, sources)
    return found, errors + verify_spans(evidence, found)


def verify_spans(evidence: list[dict[str, Any]], texts: dict[str, str]) -> list[Error]:
    """Errors for evidence rows whose span does not hash to the recorded SHA-256."""
    out = []
    for e in evidence:
        text = texts.get(e.get("source", ""))
        if text is None:
            continue
        try:
            span = text[int(e["start"]) : int(e["end"])]
        except (KeyError, ValueError):
            continue
        if sha256(span) != e.get("sha256"):
            out.append(
                Error(
                    "evidence-hash",
                    "evidence",
                    e["_row"],
                    "sha256",
                    f"{e['id']}: span {e['start']}-{e['end']} of {e['source']} does not hash to the recorded SHA-256",
                )
            )
    return out
