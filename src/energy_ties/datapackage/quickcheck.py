"""Accept a valid descriptor part without importing jsonschema: the part profiles compiled to plain Python.

Importing jsonschema (with referencing, attrs and the bundled meta-schemas) is about a quarter of the
start-up of validating a small package, and nearly every part of a published descriptor is valid. So each
part profile of :mod:`.profiles` is compiled once, at development time, by fastjsonschema into
``profiles_compiled.py`` (shipped, needing nothing but ``re``), and :func:`accepts` runs that code. It only
ever says "valid": a part it does not accept, for whatever reason, is checked again by jsonschema, whose
errors are the ones reported. The compiled code is stricter than jsonschema where the two differ (a
pattern's ``$`` does not match before a final newline; ``uri`` is not checked by either), so the only
unsafe case would be a part it accepts that jsonschema refuses: ``tests/datapackage/test_quickcheck.py``
tries generated parts for exactly that.

After a change to the profiles or their patches, write the file again (fastjsonschema is a ``dev`` extra):

    python -m energy_ties.datapackage.compileprofiles
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any

COMPILED = "profiles_compiled"


def _date_time(value: Any) -> bool:
    from rfc3339_validator import validate_rfc3339

    return not isinstance(value, str) or bool(validate_rfc3339(value))


#: How the formats of ``profiles.CHECKED_FORMATS`` are checked, by jsonschema and the compiled profiles alike;
#: the other formats the profiles name pass unchecked, as frictionless leaves them.
FORMATS: dict[str, Callable[[Any], bool]] = {
    "date-time": _date_time,
    "email": lambda v: not isinstance(v, str) or "@" in v,
    "uri": lambda v: True,
    "textarea": lambda v: True,
}

_checks: dict[str, Callable[..., Any]] | None = None


def _compiled() -> dict[str, Callable[..., Any]]:
    """The compiled checks, by part kind, loaded once; none when the module cannot be loaded (then jsonschema
    checks every part): where no bytecode was written, loading compiles 3,700 lines, and under a tight memory
    limit CPython's compiler can fail without an exception (a SystemError)."""
    global _checks
    if _checks is None:
        try:
            _checks = import_module(f"{__package__}.{COMPILED}").CHECKS
        except (MemoryError, SystemError):
            _checks = {}
    return _checks


def accepts(kind: str, instance: Any) -> bool:
    """Whether the compiled profile of ``kind`` finds nothing wrong with ``instance`` (False: ask jsonschema)."""
    check = _compiled().get(kind)
    if check is None:
        return False
    try:
        check(instance, custom_formats=FORMATS)
    except Exception:  # a refusal, or input the compiled code cannot take: jsonschema decides either way
        return False
    return True
