"""Check one table against its Table Schema, batch by batch, vectorised.

The semantics are frictionless-py's where it implements a rule (header
checks, types, constraints, unique, primary and foreign keys, blank rows,
missing and extra cells) and the Table Schema v2 text where it does not
(``categories``, ``uniqueKeys``, ``jsonSchema``, primary keys implying
``required``). Each batch of rows is checked column by column with Arrow
compute; only cells outside the canonical form of their type, and fields
whose type has no vectorised form, are checked one by one in Python. Keys
for uniqueness and references are collected as typed columns and compared
once, at the end, with pandas.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field as dc_field, replace
from decimal import Decimal
from typing import Any, Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import cells
from .package import Resource
from .report import Collector, Error
from .table import Batch, SourceError, TableReader
from .keys import NAN_TOKEN, KeyColumns, all_of, comparable, duplicates, key_family, key_values, null_safe
from .tableschema import Field, Schema

#: Constraints each type supports, in the order frictionless checks them; v2 additions last.
SUPPORTED = {
    "string": ["required", "minLength", "maxLength", "pattern", "enum"],
    "integer": ["required", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "enum"],
    "number": ["required", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "enum"],
    "year": ["required", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "enum"],
    "date": ["required", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "enum"],
    "datetime": ["required", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "enum"],
    "time": ["required", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "enum"],
    "yearmonth": ["required", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "enum"],
    "duration": ["required", "enum"],
    "boolean": ["required", "enum"],
    "object": ["required", "minLength", "maxLength", "enum", "jsonSchema"],
    "array": ["required", "minLength", "maxLength", "enum", "jsonSchema"],
    "list": ["required", "minLength", "maxLength"],
    "geopoint": ["required", "enum"],
    "geojson": ["required", "enum"],
    "any": ["required", "enum"],
}
BOUNDS = {"minimum": "ge", "maximum": "le", "exclusiveMinimum": "gt", "exclusiveMaximum": "lt"}
_PY_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "ge": lambda a, b: a >= b, "le": lambda a, b: a <= b, "gt": lambda a, b: a > b, "lt": lambda a, b: a < b,
}
# regex constructs whose meaning differs between RE2 and Python's re (Unicode classes, lookaround...)
_NOT_RE2_SAFE = re.compile(r"\\[dDwWsSbBAZzG0-9]|\(\?[=!<P#]|\(\?[aiLmsux]")


def typed_constraint(value: Any, f: Field) -> Any:
    """A constraint value read as frictionless reads it (None when the type cannot read it)."""
    t = f.type
    if isinstance(value, str):
        return cells.reader(f)(value)
    if t in ("integer", "year"):
        if isinstance(value, bool):
            return None
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        return None
    if t == "number":
        if isinstance(value, bool):
            return None
        if isinstance(value, int):
            return value
        if isinstance(value, float):
            return Decimal(str(value))
        return None
    if t == "boolean":
        return value if isinstance(value, bool) else None
    if t in ("any", "object", "array", "list"):
        return value
    return None


def _float_exact(value: Decimal) -> bool:
    return cells._fits_float(value) and value.is_finite()


@dataclass
class FieldCheck:
    """A field with its constraints prepared once: typed bounds, enum values, compiled pattern."""

    field: Field
    number: int  # 1-based position in the data
    constraints: list[str]
    bounds: dict[str, Any] = dc_field(default_factory=dict)
    enum: list | None = None
    categories: list | None = None
    pattern_re2: str | None = None
    pattern_py: re.Pattern | None = None
    json_validator: Any = None
    python_mode: bool = False
    problems: list[str] = dc_field(default_factory=list)

    @classmethod
    def build(cls, f: Field, number: int, required: bool) -> "FieldCheck":
        supported = SUPPORTED.get(f.type, SUPPORTED["any"])
        cons = f.constraints
        order = [c for c in supported if (c == "required" and required) or (c != "required" and c in cons)]
        fc = cls(field=f, number=number, constraints=order)
        for name in order:
            if name in BOUNDS:
                bound = typed_constraint(cons[name], f)
                if bound is None:
                    fc.problems.append(f"constraint {name!r} value {cons[name]!r} is not a valid {f.type}")
                    continue
                fc.bounds[name] = bound
            elif name == "enum":
                values = cons["enum"] if isinstance(cons["enum"], list) else []
                fc.enum = [v for v in (typed_constraint(x, f) for x in values) if v is not None]
            elif name == "pattern":
                pat = cons["pattern"]
                try:
                    fc.pattern_py = re.compile(pat)
                except re.error as exc:
                    fc.problems.append(f"constraint 'pattern' {pat!r} is not a valid regular expression ({exc})")
                    continue
                if not _NOT_RE2_SAFE.search(pat):
                    fc.pattern_re2 = f"^(?:{pat})$"
            elif name == "jsonSchema" and isinstance(cons.get("jsonSchema"), dict):
                import jsonschema

                cls_ = jsonschema.validators.validator_for(cons["jsonSchema"])
                fc.json_validator = cls_(cons["jsonSchema"])
        if f.categories is not None and f.type in ("string", "integer", "number", "year", "boolean", "date"):
            fc.categories = [v for v in (typed_constraint(x, f) for x in f.categories) if v is not None]
        if f.type == "number":
            vals = list(fc.bounds.values()) + (fc.enum or []) + (fc.categories or [])
            fc.python_mode = not all(_float_exact(Decimal(v) if isinstance(v, int) else v) for v in vals)
        return fc

    # ---------------------------------------------------------------- vectorised

    def violations(self, raw: pa.Array, parsed: cells.Parsed, active: np.ndarray) -> list[tuple[str, np.ndarray, str]]:
        """(constraint, mask, note) for each constraint, over rows where ``active``."""
        out = []
        f = self.field
        valid = active & ~parsed.missing & ~parsed.invalid
        names = list(self.constraints) + (["categories"] if self.categories is not None else [])
        for name in names:
            mask = active & parsed.missing if name == "required" else self.breaks(name, raw, parsed, valid)
            if mask.any():
                note = ("value is not one of the field's categories" if name == "categories"
                        else _note(name, f.constraints.get(name, True)))
                out.append((name, mask, note))
        return out

    def breaks(self, name: str, raw: pa.Array, parsed: cells.Parsed, valid: np.ndarray) -> np.ndarray:
        """Rows of ``valid`` whose value breaks constraint ``name`` (any but required)."""
        if parsed.is_python or self.python_mode:
            return self._python_mask(name, raw, parsed, valid)
        # vectorised over the typed values; exotic cells (null there) checked one by one
        exotic = _only(parsed.exotic, len(valid)) & valid
        mask = self._arrow_mask(name, parsed.values, valid & ~exotic)
        if exotic.any():
            mask = mask | self._python_mask(name, raw, parsed, exotic)
        return mask

    def _arrow_mask(self, name: str, values: pa.Array, valid: np.ndarray) -> np.ndarray:
        if not valid.any():
            return np.zeros(len(valid), bool)
        if name in BOUNDS:
            if name not in self.bounds:
                return np.zeros(len(valid), bool)
            bound = self.bounds[name]
            if self.field.type == "number":
                bound = float(bound)
            ok = getattr(pc, {"ge": "greater_equal", "le": "less_equal", "gt": "greater",
                              "lt": "less"}[BOUNDS[name]])(values, pa.scalar(bound, values.type))
            return valid & ~cells.to_numpy_bool(ok)
        if name in ("minLength", "maxLength"):
            length = pc.utf8_length(values)
            limit = self.field.constraints[name]
            ok = pc.greater_equal(length, limit) if name == "minLength" else pc.less_equal(length, limit)
            return valid & ~cells.to_numpy_bool(ok)
        if name == "pattern":
            if self.pattern_py is None:
                return np.zeros(len(valid), bool)
            if self.pattern_re2 is not None:
                try:
                    ok = pc.match_substring_regex(values, self.pattern_re2)
                    return valid & ~cells.to_numpy_bool(ok)
                except pa.ArrowInvalid:  # RE2 cannot compile it: fall back to Python's re
                    self.pattern_re2 = None
            idx = np.flatnonzero(valid)
            texts = values.take(pa.array(idx)).to_pylist()
            bad = np.zeros(len(valid), bool)
            bad[idx] = [self.pattern_py.fullmatch(t) is None for t in texts]
            return bad
        if name in ("enum", "categories"):
            allowed = self.enum if name == "enum" else self.categories
            if self.field.type == "number":
                allowed = [float(v) for v in allowed]
            try:
                pa.array(allowed, values.type)
            except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError):
                allowed = []
            ok = cells.equals_any(values, allowed)
            return valid & ~cells.to_numpy_bool(ok)
        return np.zeros(len(valid), bool)

    # ---------------------------------------------------------------- per cell

    def _python_mask(self, name: str, raw: pa.Array, parsed: cells.Parsed, where: np.ndarray) -> np.ndarray:
        idx = np.flatnonzero(where)
        bad = np.zeros(len(where), bool)
        if not len(idx):
            return bad
        check = self._python_check(name)
        if check is None:
            return bad
        values = self._python_values(raw, parsed, idx)
        for i, v in zip(idx, values):
            try:
                bad[i] = not check(v)
            except Exception:  # incomparable values (e.g. naive and aware datetimes) fail the check
                bad[i] = True
        return bad

    def _python_values(self, raw: pa.Array, parsed: cells.Parsed, idx: np.ndarray) -> list:
        if self.python_mode and not parsed.is_python:
            read = cells.reader(self.field)
            return [read(c) for c in raw.take(pa.array(idx)).to_pylist()]
        return [parsed.python_value(int(i)) for i in idx]

    def _python_check(self, name: str) -> Callable[[Any], bool] | None:
        cons = self.field.constraints
        if name in BOUNDS:
            if name not in self.bounds:
                return None
            bound, cmp = self.bounds[name], _PY_COMPARE[BOUNDS[name]]
            return lambda v: v == v and cmp(v, bound)
        if name == "minLength":
            return lambda v: len(v) >= cons["minLength"]
        if name == "maxLength":
            return lambda v: len(v) <= cons["maxLength"]
        if name == "pattern":
            pat = self.pattern_py
            return None if pat is None else (lambda v: not isinstance(v, str) or pat.fullmatch(v) is not None)
        if name == "enum":
            allowed = self.enum or []
            return lambda v: v in allowed
        if name == "categories":
            allowed = self.categories or []
            return lambda v: v in allowed
        if name == "jsonSchema":
            validator = self.json_validator
            return None if validator is None else (lambda v: validator.is_valid(v))
        return None


def _only(indices: dict, n: int) -> np.ndarray:
    m = np.zeros(n, bool)
    if indices:
        m[list(indices)] = True
    return m


def _note(name: str, value: Any) -> str:
    if name == "required":
        return 'constraint "required" is "True"'
    return f'constraint "{name}" is "{value}"'


# ---------------------------------------------------------------- header

@dataclass
class Header:
    """How the data's columns pair with the schema's fields."""

    handlers: list[Field]          # one per data column (fabricated "any" fields for unmatched labels)
    numbers: list[int]             # their 1-based field numbers
    errors: list[Error]


def check_header(labels: list[str], schema: Schema, resource: str) -> Header:
    """Pair labels with fields and report label errors, exactly as frictionless's Header does."""
    fields = list(schema.fields)
    mode = schema.fields_match or "exact"
    by_name = mode != "exact"
    errors: list[Error] = []

    def err(type_, number, field_name, message, label=None):
        errors.append(Error(type_, resource, 1, field_name, message, field_number=number, cell=label))

    if not labels:  # an empty first line: read as no header at all, fields taken by position (frictionless)
        return Header(fields, list(range(1, len(fields) + 1)), errors)
    by_key = {}
    for f in fields:
        by_key.setdefault(f.name, f)

    def matching(position: int, label: str) -> Field | None:
        if not by_name:
            return fields[position] if position < len(fields) else None
        return by_key.get(label)

    if by_name and len(set(labels)) != len(labels):
        err("duplicate-label", None, None,
            f'matching fields by name ("fieldsMatch": "{mode}") requires unique labels in the header')
    # extra labels
    if mode not in ("subset", "partial"):
        for number, label in enumerate(labels, start=1):
            if matching(number - 1, label) is None:
                err("extra-label", number, "", f'there is an extra label "{label}" in the header', label)
    if mode == "partial" and fields and not any(matching(i, lab) for i, lab in enumerate(labels)):
        err("unmatched-header", None, None, "no label of the header matches a field of the schema")
    # missing labels
    if by_name:
        present = set(labels)
        missing = [f for f in fields if f.name not in present]
    else:
        missing = fields[len(labels):]
    if mode in ("superset", "partial"):
        missing = [f for f in missing if f.required or f.name in schema.primary_key]
    for offset, f in enumerate(missing):
        err("missing-label", len(labels) + 1 + offset, f.name, f'there is a missing label for field "{f.name}"')
    if not by_name:
        for number, (f, label) in enumerate(zip(fields, labels), start=1):
            if not label:
                err("blank-label", number, f.name, f'label of field "{f.name}" is blank')
                continue
            seen = [i for i, x in enumerate(labels[: number - 1], start=1) if x == label]
            if seen:
                err("duplicate-label", number, f.name,
                    f'label "{label}" is duplicated at position "{", ".join(map(str, seen))}"', label)
                continue
            if label != f.name:
                err("incorrect-label", number, f.name,
                    f'label "{label}" does not match the field name "{f.name}"', label)
    # handlers: the field each column is read as
    names_used: set[str] = set()
    handlers = []
    for i, label in enumerate(labels):
        f = matching(i, label)
        if f is None:
            name, k = label, 2
            while name in names_used or any(x.name == name for x in fields):
                name, k = f"{label}{k}", k + 1
            f = Field(name=name, type="any", missing_values=schema.missing_values)
        names_used.add(f.name)
        handlers.append(f)
    return Header(handlers, list(range(1, len(labels) + 1)), errors)


# ---------------------------------------------------------------- the table

@dataclass
class TableResult:
    rows: int = 0
    keys: dict[tuple[str, ...], KeyColumns] = dc_field(default_factory=dict)
    readable: bool = True
    numbers: dict[str, int] = dc_field(default_factory=dict)  # field name -> position in the data
    unique_fields: list[str] = dc_field(default_factory=list)
    primary_key: tuple[str, ...] = ()  # when every key field is in the data


def check_table(resource: Resource, collector: Collector, wanted_keys: set[tuple[str, ...]],
                block_bytes: int | None = None) -> TableResult:
    """Check one table; gather the key columns in ``wanted_keys`` (for references checked later)."""
    schema = resource.schema
    assert schema is not None
    name = resource.name
    result = TableResult()
    empty_lines_matter = any("" not in f.missing_values for f in schema.fields) or "" not in schema.missing_values
    reader = TableReader(resource, empty_lines_matter=empty_lines_matter,
                         **({"block_bytes": block_bytes} if block_bytes else {}))
    header: Header | None = None
    checks: list[FieldCheck] = []
    pk = schema.primary_key
    collect = set(wanted_keys)
    for uk in schema.unique_keys:
        collect.add(tuple(uk))
    try:
        for batch in reader.batches():
            if header is None:
                header = _start(reader, schema, name, collector)
                checks = [FieldCheck.build(f, n, f.required or f.name in pk)
                          for f, n in zip(header.handlers, header.numbers)]
                for fc in checks:
                    for problem in fc.problems:
                        collector.add(Error("field-error", name, None, fc.field.name, problem))
                result.unique_fields = [f.name for f in header.handlers if f.unique]
                for f, n in zip(header.handlers, header.numbers):
                    result.numbers.setdefault(f.name, n)  # a name given twice: its first column
                if pk and set(pk) <= set(result.numbers):
                    result.primary_key = tuple(pk)
                    collect.add(tuple(pk))
                for u in result.unique_fields:
                    collect.add((u,))
                by_name = {f.name: f for f in header.handlers}
                for k in collect:
                    result.keys[k] = KeyColumns(k, tuple(key_family(by_name.get(n)) for n in k))
            _check_batch(batch, checks, name, collector, result)
    except SourceError as exc:
        collector.add(Error(exc.type, name, exc.row, None, f"{resource.label}: {exc}"))
        result.readable = False
    if result.readable and reader.labels == [] and result.rows == 0:  # an empty line and nothing after it
        collector.add(Error("source-error", name, None, None, f"{resource.label}: the source is empty"))
        result.readable = False
    elif header is None and result.readable:
        _start(reader, schema, name, collector)  # no rows: the header's errors still count
    _finish_keys(result, schema, name, collector)
    return result


def _start(reader: TableReader, schema: Schema, name: str, collector: Collector) -> Header:
    header = check_header(reader.labels if reader.labels is not None else [], schema, name)
    for e in header.errors:
        collector.add(e)
    return header


def _check_batch(batch: Batch, checks: list[FieldCheck], name: str, collector: Collector,
                 result: TableResult) -> None:
    n = len(batch)
    if not n:
        return
    result.rows += n
    rows = batch.rows
    width = len(batch.columns)
    parsed_by_name: dict[str, cells.Parsed] = {}
    raws = []
    for i, fc in enumerate(checks):
        raw = batch.columns[i] if i < width else pa.nulls(n, pa.string())
        raws.append(raw)
        parsed_by_name[fc.field.name] = cells.parse(raw, fc.field)
    # blank rows: every field empty, none with a type error
    blank = np.ones(n, bool)
    for fc in checks:
        p = parsed_by_name[fc.field.name]
        blank &= p.missing & ~p.invalid
    active = ~blank
    # cell errors
    for fc, raw in zip(checks, raws):
        f = fc.field
        p = parsed_by_name[f.name]
        _emit(collector, p.invalid & active, rows, raw, name, f, fc.number, "type-error", 0,
              f'type is "{f.type}/{f.format}"')
        for order, (cname, mask, note) in enumerate(fc.violations(raw, p, active), start=1):
            _emit(collector, mask, rows, raw, name, f, fc.number, "constraint-error", order, note, cname)
    # ragged rows
    for rg in batch.ragged:
        if blank[int(np.searchsorted(rows, rg.row))]:  # rows are in ascending order
            continue
        for number in range(len(checks) + 1, len(rg.cells) + 1):
            collector.add(Error("extra-cell", name, rg.row, "", f'there is an extra cell in field number {number}',
                                field_number=number, cell=rg.cells[number - 1]))
        for number in range(len(rg.cells) + 1, len(checks) + 1):
            fname = checks[number - 1].field.name
            collector.add(Error("missing-cell", name, rg.row, fname, f'there is a missing cell in field "{fname}"',
                                field_number=number, cell=""))
    if blank.any():
        for r in rows[blank]:
            collector.add(Error("blank-row", name, int(r), None, f'row {int(r)} is completely blank'))
    # key columns for the end-of-table checks
    for key, kc in result.keys.items():
        kc.add({k: key_values(parsed_by_name[k]) for k in key if k in parsed_by_name}, rows)


def _emit(collector: Collector, mask: np.ndarray, rows: np.ndarray, raw: pa.Array, resource: str, f: Field,
          number: int, type_: str, order: int, note: str, constraint: str | None = None) -> None:
    count = int(mask.sum())
    if not count:
        return
    kind = (resource, type_, f.name, constraint)
    room = collector.room(kind)
    idx = np.flatnonzero(mask)
    shown = idx[:room]
    if len(shown):
        values = raw.take(pa.array(shown)).to_pylist()
        for i, cell in zip(shown, values):
            cell = "" if cell is None else cell
            what = "Type error" if type_ == "type-error" else "Constraint error"
            collector.add(Error(type_, resource, int(rows[i]), f.name,
                                f'{what} in the cell "{_short(cell)}" in row "{int(rows[i])}" and field '
                                f'"{f.name}" at position "{number}": {note}',
                                field_number=number, cell=cell, constraint=constraint, order=order), kind)
    if count > len(shown):
        collector.count_only(kind, count - len(shown))


def _short(text: str, limit: int = 80) -> str:
    text = text.replace("\n", "\\n").replace("\r", "\\r")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _finish_keys(result: TableResult, schema: Schema, name: str, collector: Collector) -> None:
    # unique constraint, field by field: nulls never collide
    for u in result.unique_fields:
        table = result.keys[(u,)].table()
        table = table.filter(pc.is_valid(table["k0"]))
        number = result.numbers[u]
        for row, first in duplicates(table, ["k0"]):
            collector.add(Error("unique-error", name, row, u,
                                f'Row at position "{row}" has unique constraint violation in field '
                                f'"{u}" at position "{number}": the same as in the row at position {first}',
                                field_number=number, constraint="unique"))
    # primary key: all-null keys are errors, and (as in frictionless) nulls compare equal
    pk = result.primary_key  # set only when every key field is in the data (as frictionless checks)
    if pk and pk in result.keys:
        table = result.keys[pk].table()
        cols = [f"k{i}" for i in range(len(pk))]
        allnull = all_of(table, cols, pc.is_null)
        for row in table.filter(allnull)["row"].to_pylist():
            collector.add(Error("primary-key", name, row, None,
                                f'Row at position "{row}" violates the primary key: '
                                'cells composing the primary keys are all "None"'))
        for row, first in duplicates(table.filter(pc.invert(allnull)), cols):
            collector.add(Error("primary-key", name, row, None,
                                f'Row at position "{row}" violates the primary key: '
                                f'the same as in the row at position {first}'))
    # uniqueKeys (v2): rows with any null in the key are exempt
    for uk in schema.unique_keys:
        uk = tuple(uk)
        if uk not in result.keys:
            continue
        table = result.keys[uk].table()
        cols = [f"k{i}" for i in range(len(uk))]
        for row, first in duplicates(table.filter(all_of(table, cols, pc.is_valid)), cols):
            collector.add(Error("unique-error", name, row, ",".join(uk),
                                f'Row at position "{row}" violates the unique key ({", ".join(uk)}): '
                                f'the same as in the row at position {first}', constraint="uniqueKeys", order=1))


def check_foreign_key(child: KeyColumns, parent: KeyColumns | None, fields: tuple[str, ...], ref_resource: str,
                      ref_fields: tuple[str, ...], name: str, collector: Collector, order: int) -> None:
    """Report child rows whose (not all-null) key is absent from the parent's keys (nulls equal nulls)."""
    cols = [f"k{i}" for i in range(len(fields))]
    ctable = child.table()
    ctable = ctable.filter(pc.invert(all_of(ctable, cols, pc.is_null)))
    if not ctable.num_rows:
        return
    missing = ctable
    if parent is not None:
        ptable = parent.table()
        ptable = ptable.filter(pc.invert(all_of(ptable, cols, pc.is_null))).select(cols)
        for c in cols:  # a NaN in the referenced table is not a value anyone can point at
            if pa.types.is_string(ptable.schema.field(c).type):
                ptable = ptable.filter(pc.invert(pc.fill_null(pc.starts_with(ptable[c], NAN_TOKEN), False)))
        left, right = comparable(ctable, ptable, cols, child.families, parent.families)
        if left is not None:
            left, keys = null_safe(left, cols)
            right, _ = null_safe(right, cols)
            right = right.group_by(keys, use_threads=False).aggregate([])
            missing = left.join(right, keys=keys, join_type="left anti", use_threads=False)
    missing = missing.sort_by("row")
    rows = missing["row"].to_pylist()
    values = [missing[c].to_pylist() for c in cols]
    for i, row in enumerate(rows):
        shown = ", ".join(str(v[i]) for v in values)
        collector.add(Error("foreign-key", name, row, ",".join(fields),
                            f'Row at position "{row}" violates the foreign key: for "{", ".join(fields)}": '
                            f'values "{shown}" not found in the lookup table "{ref_resource}" as '
                            f'"{", ".join(ref_fields)}"', order=order))


def order_cell_errors(errors: list[Error], result: TableResult, fk_fields: list[tuple[str, ...]]) -> list[Error]:
    """Give each cell error its place in frictionless's processing order within its row.

    frictionless reads the cells of unique fields first (for the uniqueness
    check), then the primary key's, then each foreign key's, and the rest in
    field order once a row-level error (or the end of the checks) makes it read
    the whole row. ``rank`` reproduces that, so reports compare line by line.
    """
    early: list[str] = []
    stops: dict[tuple, int] = {}
    for u in result.unique_fields:
        early.append(u)
        stops[("unique-error", u)] = len(early)
    for p in result.primary_key:
        if p not in early:
            early.append(p)
    if result.primary_key:
        stops[("primary-key", None)] = len(early)
    for fields in fk_fields:
        for f in fields:
            if f not in early:
                early.append(f)
        stops.setdefault(("foreign-key", ",".join(fields)), len(early))
    if not early:
        return errors
    cut: dict[int, int] = {}
    for e in errors:
        key = (e.type, e.field if e.type != "primary-key" else None)
        if key in stops and e.row is not None:
            cut[e.row] = min(cut.get(e.row, len(early)), stops[key])
    out = []
    width = len(result.numbers) + 1
    for e in errors:
        if e.type in ("type-error", "constraint-error") and e.row is not None:
            read_early = early[: cut.get(e.row, len(early))]
            if e.field in read_early:
                e = replace(e, rank=read_early.index(e.field) - width)
        out.append(e)
    return out
