"""Bounded in size and linear in time: wide tables, huge headers and files, devices, hostile patterns."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from energy_ties.cli import main
from helpers import ROOT, csv_text, write_package

MIB = 1 << 20


# four times the fields: linear work takes about 4 times as long, quadratic 16 times; at these sizes a
# quadratic step (a names.count per name) shows; the bound of 8 leaves room for a busy machine
SMALL, LARGE = 5_000, 20_000


def wide(folder: Path, n: int, *, rows: int = 3, schema_fields: int | None = None) -> Path:
    names = [f"f{i}" for i in range(n)]
    fields = [{"name": x, "type": "integer"} for x in names[: schema_fields if schema_fields is not None else n]]
    data = ",".join(names) + "\n" + "".join(",".join([str(r)] * n) + "\n" for r in range(rows))
    return write_package(folder, {"t": ({"fields": fields}, data)})


def timed(capsys, *args: str, runs: int = 2, enough: float = 0.0) -> tuple[float, int]:
    """The best of ``runs`` CPU times of the command in this process (other processes on the machine do not count);
    it stops early at a time below ``enough``, which more runs could only lower.

    The collector is paused while the command runs: in a test process holding the objects of many other tests,
    a full collection walks them all, and the larger run, allocating more, would pay for more such walks."""
    best, code = float("inf"), -1
    for _ in range(runs):
        gc.collect()
        gc.disable()
        try:
            start = time.process_time()
            code = main(list(args))
            best = min(best, time.process_time() - start)
        finally:
            gc.enable()
        capsys.readouterr()
        if best < enough:
            break
    return best, code


def peak_child(code: str, timeout: float = 120) -> tuple[subprocess.CompletedProcess, float]:
    """Run ``code`` in a fresh interpreter; (its result, its peak resident memory in MiB)."""
    probe = textwrap.dedent(
        f"""
        import resource, subprocess, sys
        r = subprocess.run([sys.executable, "-c", {code!r}], capture_output=True, text=True, timeout={timeout})
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        sys.stdout.write(repr((r.returncode, r.stdout, r.stderr, peak)))
        """
    )
    r = subprocess.run(
        [sys.executable, "-c", probe], check=False, capture_output=True, text=True, timeout=timeout + 30, cwd=ROOT
    )
    code_, out, err, peak = eval(r.stdout)  # noqa: S307 - our own repr
    return subprocess.CompletedProcess([], code_, out, err), peak


def cli_code(*args: str) -> str:
    return f"import sys; from energy_ties.cli import main; sys.exit(main({list(args)!r}))"


def test_validate_is_linear_in_the_number_of_fields(tmp_path, capsys):
    small, large = wide(tmp_path / "small", SMALL), wide(tmp_path / "large", LARGE)
    timed(capsys, "validate", str(wide(tmp_path / "warm", 100)))  # imports and first-call caches
    t_small, code_small = timed(capsys, "validate", str(small))
    t_large, code_large = timed(capsys, "validate", str(large), enough=8 * t_small)
    assert (code_small, code_large) == (0, 0)
    # four times the fields: linear work takes about 4 times as long, quadratic 16 times
    assert t_large < 8 * t_small, (t_small, t_large)


def test_diff_is_linear_in_the_number_of_columns(tmp_path, capsys):
    pairs = {}
    for n in (SMALL, LARGE):
        a = wide(tmp_path / f"a{n}", n)
        b = wide(tmp_path / f"b{n}", n, rows=4)
        pairs[n] = (a, b)
    timed(capsys, "diff", str(wide(tmp_path / "wa", 100)), str(wide(tmp_path / "wb", 100)))
    t_small, _ = timed(capsys, "diff", *map(str, pairs[SMALL]))
    t_large, code = timed(capsys, "diff", *map(str, pairs[LARGE]), enough=8 * t_small)
    assert code == 0
    assert t_large < 8 * t_small, (t_small, t_large)


def test_a_header_of_300000_columns_is_refused_in_bounded_memory(tmp_path):
    path = wide(tmp_path / "w", 300_000, rows=1, schema_fields=1)
    assert path.parent.joinpath("t.csv").stat().st_size > 2.5 * MIB
    r, peak = peak_child(cli_code("validate", str(path)))
    assert r.returncode == 1, r.stderr
    assert r.stdout.splitlines()[0] == "t:1: source-error: t.csv: the header has 300000 columns, more than 65536"
    assert peak < 400, peak  # it took 3.6 GB


def test_a_schema_of_more_fields_than_the_bound_is_refused(tmp_path, capsys):
    fields = [{"name": f"f{i}", "type": "string"} for i in range(65_537)]
    path = write_package(tmp_path / "p", {"t": ({"fields": fields}, "f0\n1\n")})
    elapsed, code = timed(capsys, "validate", str(path))
    assert code == 2
    assert elapsed < 30


@pytest.mark.parametrize("encoding", [None, "latin-1"], ids=["arrow-path", "python-csv-path"])
def test_a_header_record_larger_than_its_cap_is_refused(tmp_path, capsys, encoding):
    path = write_package(tmp_path / "p", {"t": ({"fields": [{"name": "a", "type": "string"}]}, b"a" * (17 * MIB))})
    if encoding:
        descriptor = json.loads(path.read_text())
        descriptor["resources"][0]["encoding"] = encoding
        path.write_text(json.dumps(descriptor))
    code = main(["validate", str(path)])
    out = capsys.readouterr().out
    assert code == 1
    assert out.splitlines()[0] == f"t:1: source-error: t.csv: the header is larger than {16 * MIB} bytes"


def test_a_header_without_an_end_is_not_read_whole_by_the_python_csv_path(tmp_path):
    path = write_package(tmp_path / "p", {"t": ({"fields": [{"name": "a", "type": "string"}]}, "a\n")})
    with open(path.parent / "t.csv", "wb") as fh:
        for _ in range(30):
            fh.write(b"a" * (10 * MIB))  # 300 MiB and no line end
    descriptor = json.loads(path.read_text())
    descriptor["resources"][0]["encoding"] = "latin-1"  # not UTF-8: Python's csv reads it
    path.write_text(json.dumps(descriptor))
    r, peak = peak_child(cli_code("validate", str(path)))
    assert r.returncode == 1 and "the header is larger than" in r.stdout, r.stdout + r.stderr
    assert peak < 250, peak


def test_a_descriptor_larger_than_its_cap_is_refused_without_reading_it_all(tmp_path):
    big = tmp_path / "datapackage.json"
    with open(big, "wb") as fh:
        fh.truncate(4 << 30)  # 4 GiB, sparse
    r, peak = peak_child(cli_code("validate", str(big)))
    assert r.returncode == 2
    assert r.stderr == f"energy-ties validate: error: {big}: larger than {64 * MIB} bytes; refused\n"
    assert peak < 400, peak


def test_validate_dev_zero_is_refused_in_bounded_memory():
    r, peak = peak_child(cli_code("validate", "/dev/zero"), timeout=60)
    assert r.returncode == 2 and "is a character device, not a regular file; refused" in r.stderr
    assert peak < 400, peak


@pytest.mark.parametrize(("pattern", "last"), [("(\\w+)+c", "c"), ("(a|aa)+b", "b")])
def test_a_catastrophic_pattern_runs_in_linear_time(tmp_path, pattern, last):
    schema = {"fields": [{"name": "s", "type": "string", "constraints": {"pattern": pattern}}]}
    path = write_package(tmp_path / "p", {"t": (schema, csv_text(["s"], [["a" * 40], ["a" * 39 + last]]))})
    start = time.perf_counter()
    r = subprocess.run(
        [sys.executable, "-c", cli_code("validate", str(path))],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert time.perf_counter() - start < 60  # Python's re: 2**40 steps
    assert r.returncode == 1, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].startswith('t:2:s: constraint-error: Constraint error in the cell "aaaa')
    assert len(lines) == 2  # row 3 matches, row 2 does not


def test_a_catastrophic_pattern_inside_a_json_schema_runs_in_linear_time(tmp_path):
    js = {"type": "object", "properties": {"k": {"type": "string", "pattern": "^(\\w+)+c$"}}}
    schema = {"fields": [{"name": "o", "type": "object", "constraints": {"jsonSchema": js}}]}
    value = json.dumps({"k": "a" * 40})
    path = write_package(tmp_path / "p", {"t": (schema, csv_text(["o"], [[value]]))})
    r = subprocess.run(
        [sys.executable, "-c", cli_code("validate", str(path))], check=False, capture_output=True, text=True, timeout=60
    )
    assert r.returncode == 1 and r.stdout.startswith("t:2:o: constraint-error:"), r.stdout + r.stderr


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        ("(a)\\1", "the backreference \\1 is not supported (RE2 matches in linear time, without them)"),
        ("a(?=b)", "invalid perl operator: (?="),
        ("\\bword\\b", "\\b (RE2 reads word boundaries in ASCII only) is not supported"),
    ],
)
def test_what_re2_cannot_match_in_linear_time_is_an_error_not_skipped(tmp_path, capsys, pattern, reason):
    schema = {"fields": [{"name": "s", "type": "string", "constraints": {"pattern": pattern}}]}
    path = write_package(tmp_path / "p", {"t": (schema, "s\nab\n")})
    code = main(["validate", str(path)])
    out = capsys.readouterr().out
    assert code == 1
    assert out.splitlines()[0] == (
        f"t:s: field-error: constraint 'pattern' {pattern!r} is not a valid regular expression for RE2 ({reason})"
    )


def test_unicode_classes_keep_their_meaning_under_re2(tmp_path, capsys):
    schema = {"fields": [{"name": "s", "type": "string", "constraints": {"pattern": "\\d+\\s\\w+"}}]}
    path = write_package(tmp_path / "p", {"t": (schema, csv_text(["s"], [["٣٤\u00a0été"], ["12 x_1"], ["1-x"]]))})
    code = main(["validate", str(path)])
    out = capsys.readouterr().out
    assert code == 1
    assert [line.split(":")[1] for line in out.splitlines()[:-1]] == ["4"]
