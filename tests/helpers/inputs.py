"""One table written as each input kind energy-ties reads: CSV plain, gzip- or zip-compressed, JSON (arrays or
objects), JSON Lines, xlsx, ods, inline arrays and inline CSV text, with a JSON or YAML descriptor, or as a
resource descriptor on its own."""

from __future__ import annotations

import gzip
import io
import json
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import yaml

from helpers import csv_text, write_file

V2 = "https://datapackage.org/profiles/2.0/datapackage.json"
V2_RESOURCE = "https://datapackage.org/profiles/2.0/dataresource.json"
#: Every kind :func:`write_as` writes.
KINDS = (
    "csv",
    "csv.gz",
    "csv.zip",
    "compression-property",
    "json-arrays",
    "json-objects",
    "jsonl",
    "ndjson",
    "inline-arrays",
    "inline-objects",
    "inline-csv",
    "yaml",
    "resource-descriptor",
    "xlsx",
    "ods",
)


def _cell(value: Any) -> str:
    return "" if value is None else str(value)


def xlsx_bytes(rows: list[list[Any]]) -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    for r in rows:
        wb.active.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def ods_bytes(rows: list[list[Any]]) -> bytes:
    import ezodf

    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "t.ods"
        doc = ezodf.newdoc(doctype="ods", filename=str(target))
        sheet = ezodf.Sheet("Sheet1", size=(len(rows), max(len(r) for r in rows)))
        doc.sheets += sheet
        for i, r in enumerate(rows):
            for j, v in enumerate(r):
                if v is not None:
                    sheet[i, j].set_value(v)
        doc.save()
        return target.read_bytes()


def _data_file(kind: str, header: list[str], rows: list[list[Any]]) -> tuple[str, bytes, dict]:
    """(file name, bytes, extra resource properties) of a table kept in a file."""
    text = csv_text(header, [[_cell(c) for c in r] for r in rows]).encode("utf-8")
    objects = [dict(zip(header, r)) for r in rows]  # null where empty: the first object's keys are the header
    if kind == "csv.gz":
        return "t.csv.gz", gzip.compress(text, mtime=0), {}
    if kind in ("csv.zip", "compression-property"):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("t.csv", text)
        extra = {"format": "csv", "compression": "zip"} if kind == "compression-property" else {}
        return ("t.bin" if extra else "t.csv.zip"), buf.getvalue(), extra
    if kind == "json-arrays":
        return "t.json", json.dumps([header, *rows]).encode(), {"type": "table"}
    if kind == "json-objects":
        return "t.json", json.dumps(objects).encode(), {"type": "table"}
    if kind in ("jsonl", "ndjson"):
        lines = [json.dumps(header)] + [json.dumps(r) for r in rows]
        return f"t.{kind}", ("\n".join(lines) + "\n").encode(), {}
    if kind == "xlsx":
        return "t.xlsx", xlsx_bytes([header, *rows]), {}
    if kind == "ods":
        return "t.ods", ods_bytes([header, *rows]), {}
    return "t.csv", text, {}


def resource_as(kind: str, folder: Path, header: list[str], rows: list[list[Any]], schema: dict) -> dict:
    """The resource descriptor of the table in ``kind``, its data file (if any) written into ``folder``."""
    if kind == "inline-arrays":
        return {"name": "t", "type": "table", "data": [header, *rows], "schema": schema}
    if kind == "inline-objects":
        data = [{h: c for h, c in zip(header, r) if c is not None} for r in rows]
        return {"name": "t", "type": "table", "data": data, "schema": schema}
    if kind == "inline-csv":
        text = csv_text(header, [[_cell(c) for c in r] for r in rows])
        return {"name": "t", "data": text, "format": "csv", "schema": schema}
    name, data, extra = _data_file(kind, header, rows)
    write_file(folder / name, data)
    return {"name": "t", "path": name, **extra, "schema": schema}


def write_as(kind: str, folder: Path, header: list[str], rows: list[list[Any]], schema: dict) -> Path:
    """Write the table (``rows`` of Python values under ``header``) as a package of ``kind``; the path to open."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    res = resource_as(kind, folder, header, rows, schema)
    if kind == "resource-descriptor":
        return write_file(folder / "dataresource.json", json.dumps({"$schema": V2_RESOURCE, **res}))
    descriptor = {"$schema": V2, "name": "t", "version": "1.0.0", "resources": [res]}
    if kind == "yaml":
        return write_file(folder / "datapackage.yaml", yaml.safe_dump(descriptor, sort_keys=False))
    return write_file(folder / "datapackage.json", json.dumps(descriptor))
