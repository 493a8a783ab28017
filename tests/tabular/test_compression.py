"""Compressed data is read as it inflates, within the archive bounds; every failure is one error, never a crash."""

from __future__ import annotations

import gzip
import io
import json
import zipfile

import pytest

import energy_ties
from energy_ties.errors import PackageReadError
from energy_ties.files import RATIO_FLOOR
from helpers import write_file
from helpers.cli import run
from helpers.inputs import V2

SCHEMA = {"fields": [{"name": "id", "type": "integer"}]}


def _package(folder, name, data, **props):
    folder.mkdir(parents=True, exist_ok=True)
    write_file(folder / name, data)
    res = {"name": "t", "path": name, "schema": SCHEMA, **props}
    return write_file(folder / "datapackage.json", json.dumps({"$schema": V2, "resources": [res]}))


def _errors(path):
    return [(e.type, e.row) for e in energy_ties.validate(path).errors]


def _zip(entries, **kw) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data, **kw)
    return buf.getvalue()


def test_a_gzip_bomb_is_refused_while_it_inflates(tmp_path):
    bomb = gzip.compress(b"id\n" + b"1\n" * (RATIO_FLOOR // 2 + 1), compresslevel=9)
    path = _package(tmp_path, "t.csv.gz", bomb)
    assert _errors(path) == [("compression-error", None)]
    with pytest.raises(PackageReadError, match="decompression bomb"):
        energy_ties.load("t", path=path)


def test_a_zip_bomb_named_csv_zip_is_refused_while_it_inflates(tmp_path):
    path = _package(tmp_path, "t.csv.zip", _zip({"t.csv": b"id\n" + b"1\n" * (RATIO_FLOOR // 2 + 1)}))
    assert _errors(path) == [("compression-error", None)]


def test_innerpath_chooses_the_entry_and_an_absent_one_is_an_error(tmp_path):
    data = _zip({"a.csv": "id\nx\n", "b.csv": "id\n1\n"})
    assert _errors(_package(tmp_path / "first", "t.csv.zip", data)) == [("type-error", 2)]
    assert _errors(_package(tmp_path / "b", "t.csv.zip", data, innerpath="b.csv")) == []
    assert _errors(_package(tmp_path / "none", "t.csv.zip", data, innerpath="c.csv")) == [("compression-error", None)]


def test_a_truncated_gzip_an_unknown_compression_and_an_encrypted_entry_are_compression_errors(tmp_path):
    whole = gzip.compress(b"id\n" + b"1\n" * 10000)
    assert _errors(_package(tmp_path / "cut", "t.csv.gz", whole[: len(whole) // 2])) == [("compression-error", None)]
    assert _errors(_package(tmp_path / "rar", "t.dat", b"id\n1\n", format="csv", compression="rar")) == [
        ("compression-error", None)
    ]
    data = bytearray(_zip({"t.csv": "id\n1\n"}))
    for sig, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):  # the "encrypted" flag, as a password-zip has it
        data[data.find(sig) + offset] |= 1
    path = _package(tmp_path / "enc", "t.csv.zip", bytes(data))
    assert _errors(path) == [("compression-error", None)]
    result = run("validate", path)
    assert result.returncode == 1 and "compression-error" in result.stdout


def test_a_compressed_file_must_hold_text_once_inflated(tmp_path):
    twice = gzip.compress(gzip.compress(b"id\n1\n"))
    assert _errors(_package(tmp_path, "t.csv.gz", twice)) == [("encoding-error", 1)]


def test_bytes_and_hash_are_those_of_the_stored_file(tmp_path):
    import hashlib

    stored = gzip.compress(b"id\n1\n", mtime=0)
    good = _package(tmp_path / "good", "t.csv.gz", stored, bytes=len(stored), hash=hashlib.md5(stored).hexdigest())
    assert _errors(good) == []
    assert _errors(_package(tmp_path / "bad", "t.csv.gz", stored, bytes=len(b"id\n1\n"))) == [("byte-count", None)]


def test_a_multipart_compressed_resource_reads_each_part(tmp_path):
    tmp_path.mkdir(exist_ok=True)
    write_file(tmp_path / "a.csv.gz", gzip.compress(b"id\n1\n"))
    write_file(tmp_path / "b.csv.gz", gzip.compress(b"id\nx\n"))
    res = {"name": "t", "path": ["a.csv.gz", "b.csv.gz"], "schema": SCHEMA}
    path = write_file(tmp_path / "datapackage.json", json.dumps({"$schema": V2, "resources": [res]}))
    assert _errors(path) == [("type-error", 3)]


def test_a_compressed_tsv_keeps_its_tab_delimiter(tmp_path):
    path = _package(tmp_path, "t.tsv.gz", gzip.compress(b"id\tx\n1\ta\nz\tb\n"))
    assert _errors(path) == [("extra-label", 1), ("type-error", 3)]
