"""Field constraints, prepared once per field and checked over whole columns.

Which constraints each type supports (in the order frictionless checks them,
v2 additions last), their values read as typed values, and the masks of rows
that break them: vectorised with Arrow compute on the typed column, in Python
only for cells Arrow cannot hold and for types without an Arrow form. The
validator reports these masks; the loader uses them to refuse what the
validator refuses.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as dc_field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from . import jsonschemas, regex
from .jsonschemas import NONE as NO_REFERENCES
from .jsonschemas import References
from .schema import Field
from .values import fits_float, reader, schema_value

if TYPE_CHECKING:  # the column checks import them; preparing a field and checking one value need neither
    import numpy as np
    import pyarrow as pa

    from . import columns

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
    "ge": lambda a, b: a >= b,
    "le": lambda a, b: a <= b,
    "gt": lambda a, b: a > b,
    "lt": lambda a, b: a < b,
}


def _float_exact(value: Decimal) -> bool:
    return fits_float(value) and value.is_finite()


@dataclass
class FieldCheck:
    """A field with its constraints prepared once: typed bounds, enum values, compiled pattern."""

    field: Field
    number: int  # 1-based position in the data
    constraints: list[str]
    bounds: dict[str, Any] = dc_field(default_factory=dict)
    enum: list | None = None
    categories: list | None = None
    pattern_re2: str | None = None  # anchored, for Arrow's RE2 over a column
    pattern: Any = None  # the same, compiled by google-re2, for single values
    json_validator: Any = None
    python_mode: bool = False
    problems: list[str] = dc_field(default_factory=list)

    @classmethod
    def build(cls, f: Field, number: int, required: bool, refs: References = NO_REFERENCES) -> FieldCheck:
        """The checks of field ``f``; ``refs`` says where a ``jsonSchema`` constraint's references may lead."""
        supported = SUPPORTED.get(f.type, SUPPORTED["any"])
        cons = f.constraints
        order = [c for c in supported if (c == "required" and required) or (c != "required" and c in cons)]
        fc = cls(field=f, number=number, constraints=order)
        for name in order:
            if name in BOUNDS:
                bound = schema_value(cons[name], f)
                if bound is None:
                    fc.problems.append(f"constraint {name!r} value {cons[name]!r} is not a valid {f.type}")
                    continue
                fc.bounds[name] = bound
            elif name == "enum":
                values = cons["enum"] if isinstance(cons["enum"], list) else []
                fc.enum = [v for v in (schema_value(x, f) for x in values) if v is not None]
            elif name == "pattern":
                fc._compile_pattern(cons["pattern"])
            elif name == "jsonSchema" and isinstance(cons.get("jsonSchema"), dict):
                try:
                    fc.json_validator = jsonschemas.validator(cons["jsonSchema"], refs)
                except jsonschemas.SchemaProblem as exc:
                    fc.problems.append(f"constraint 'jsonSchema': {exc}")
        if f.categories is not None and f.type in ("string", "integer", "number", "year", "boolean", "date"):
            fc.categories = [v for v in (schema_value(x, f) for x in f.categories) if v is not None]
        vals = list(fc.bounds.values()) + (fc.enum or []) + (fc.categories or [])
        if f.type == "number":
            fc.python_mode = not all(_float_exact(Decimal(v) if isinstance(v, int) else v) for v in vals)
        elif f.type in ("integer", "year"):  # a bound or value beyond 64 bits: compared in Python
            fc.python_mode = not all(-(2**63) <= v < 2**63 for v in vals if isinstance(v, int))
        return fc

    def _compile_pattern(self, pat: Any) -> None:
        """The pattern for RE2 (linear time; see :mod:`energy_ties.tabular.regex`), or a problem saying why not."""
        if not isinstance(pat, str):
            self.problems.append(f"constraint 'pattern' {pat!r} is not a string")
            return
        try:
            self.pattern_re2, self.pattern = regex.table_matcher(pat)
        except regex.PatternError as exc:
            self.problems.append(f"constraint 'pattern' {pat!r} is not a valid regular expression for RE2 ({exc})")

    # ---------------------------------------------------------------- vectorised

    def violations(
        self, raw: pa.Array, parsed: columns.Parsed, active: np.ndarray
    ) -> list[tuple[str, np.ndarray, str]]:
        """(constraint, mask, note) for each constraint, over rows where ``active``."""
        out = []
        valid = active & ~parsed.missing & ~parsed.invalid
        for name in self.checked():
            mask = active & parsed.missing if name == "required" else self.breaks(name, raw, parsed, valid)
            if mask.any():
                out.append((name, mask, self.note(name)))
        return out

    def checked(self) -> list[str]:
        """The constraints checked, in the order their errors are numbered (``categories`` last)."""
        return list(self.constraints) + (["categories"] if self.categories is not None else [])

    def note(self, name: str) -> str:
        """What an error of constraint ``name`` says the constraint is."""
        if name == "categories":
            return "value is not one of the field's categories"
        return _note(name, self.field.constraints.get(name, True))

    def breaks(self, name: str, raw: pa.Array, parsed: columns.Parsed, valid: np.ndarray) -> np.ndarray:
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
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        from . import columns

        if not valid.any():
            return np.zeros(len(valid), bool)
        if name in BOUNDS:
            if name not in self.bounds:
                return np.zeros(len(valid), bool)
            bound = self.bounds[name]
            if self.field.type == "number":
                bound = float(bound)
            ok = getattr(pc, {"ge": "greater_equal", "le": "less_equal", "gt": "greater", "lt": "less"}[BOUNDS[name]])(
                values, pa.scalar(bound, values.type)
            )
            return valid & ~columns.to_numpy_bool(ok)
        if name in ("minLength", "maxLength"):
            length = pc.utf8_length(values)
            # Arrow counts lengths in 32 bits: a limit beyond that is the same as the largest it holds
            limit = max(min(self.field.constraints[name], 2**31 - 1), -1)
            ok = pc.greater_equal(length, limit) if name == "minLength" else pc.less_equal(length, limit)
            return valid & ~columns.to_numpy_bool(ok)
        if name == "pattern":
            if self.pattern is None:
                return np.zeros(len(valid), bool)
            try:
                ok = pc.match_substring_regex(values, self.pattern_re2)
                return valid & ~columns.to_numpy_bool(ok)
            except pa.ArrowInvalid:  # Arrow's RE2 refuses what google-re2 took: match value by value, still RE2
                idx = np.flatnonzero(valid)
                texts = values.take(pa.array(idx)).to_pylist()
                bad = np.zeros(len(valid), bool)
                bad[idx] = [self.pattern.fullmatch(t) is None for t in texts]
                return bad
        if name in ("enum", "categories"):
            allowed = (self.enum if name == "enum" else self.categories) or []
            if self.field.type == "number":
                allowed = [float(v) for v in allowed]
            try:
                pa.array(allowed, values.type)
            except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError, UnicodeEncodeError):
                allowed = []
            ok = columns.equals_any(values, allowed)
            return valid & ~columns.to_numpy_bool(ok)
        return np.zeros(len(valid), bool)

    # ---------------------------------------------------------------- per cell

    def _python_mask(self, name: str, raw: pa.Array, parsed: columns.Parsed, where: np.ndarray) -> np.ndarray:
        import numpy as np

        idx = np.flatnonzero(where)
        bad = np.zeros(len(where), bool)
        if not len(idx):
            return bad
        breaks = self.value_breaks(name)
        if breaks is None:
            return bad
        values = self._python_values(raw, parsed, idx)
        for i, v in zip(idx, values):
            bad[i] = breaks(v)
        return bad

    def value_breaks(self, name: str) -> Callable[[Any], bool] | None:
        """Whether one typed value breaks constraint ``name`` (any but required); None: nothing to check."""
        check = self._python_check(name)
        if check is None:
            return None

        def breaks(v: Any) -> bool:
            try:
                return not check(v)
            except Exception:  # incomparable values (e.g. naive and aware datetimes) fail the check
                return True

        return breaks

    def _python_values(self, raw: pa.Array, parsed: columns.Parsed, idx: np.ndarray) -> list:
        if self.python_mode and not parsed.is_python:
            import pyarrow as pa

            read = reader(self.field)
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
            pat = self.pattern
            return None if pat is None else (lambda v: not isinstance(v, str) or pat.fullmatch(v) is not None)
        if name == "enum":
            allowed = self.enum or []
            return lambda v: v in allowed
        if name == "categories":
            allowed = self.categories or []
            return lambda v: v in allowed
        if name == "jsonSchema":
            validator = self.json_validator
            return None if validator is None else (validator.is_valid)
        return None


def _only(indices: dict, n: int) -> np.ndarray:
    import numpy as np

    m = np.zeros(n, bool)
    if indices:
        m[list(indices)] = True
    return m


def _note(name: str, value: Any) -> str:
    if name == "required":
        return 'constraint "required" is "True"'
    return f'constraint "{name}" is "{value}"'
