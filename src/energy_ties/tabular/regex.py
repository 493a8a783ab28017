"""User regular expressions, matched in linear time by RE2.

A ``pattern`` constraint, and a ``pattern`` or ``patternProperties`` inside a
``jsonSchema`` constraint or the package schema, come from the package: with
Python's backtracking ``re``, a pattern such as ``(\\w+)+c`` takes time
exponential in the length of the value. They are matched by RE2 instead (Arrow's
``match_substring_regex`` over whole columns, google-re2 for single values),
whose time is linear in the value's length, and whose memory per pattern is
capped (``MAX_MEMORY``).

RE2 reads a few things differently from Python's ``re``. For Table Schema
patterns, which the spec reads as XML Schema does, with Unicode classes,
:func:`table_pattern` rewrites ``\\d \\D \\w \\W \\s \\S`` to their Unicode
meanings (so ``\\d`` still matches ``٣``) and ``\\Z`` to ``\\z``; what RE2
cannot do in linear time (backreferences, lookaround, possessive and atomic
groups, ``\\b``/``\\B``, which RE2 reads in ASCII only, and the negated classes
``\\D \\W \\S`` inside brackets) is refused as an invalid pattern, so it is
reported, never silently skipped. JSON Schema patterns are ECMA 262, whose
``\\d \\w \\s \\b`` are ASCII as in RE2, and are used as written.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

#: Memory RE2 may use to compile and run one pattern: a pattern needing more (``(a{1000}){1000}``) is refused.
MAX_MEMORY = 64 << 20

# Python's (and XML Schema's) Unicode classes, in RE2 syntax: \w is what str.isalnum() or "_" accepts,
# \s what str.isspace() accepts
_WORD = r"\p{L}\p{N}_"
_SPACE = r"\t-\r\x1c-\x1f\x85\p{Z}"
_OUTSIDE = {
    "d": r"\p{Nd}",
    "D": r"\P{Nd}",
    "w": f"[{_WORD}]",
    "W": f"[^{_WORD}]",
    "s": f"[{_SPACE}]",
    "S": f"[^{_SPACE}]",
    "Z": r"\z",
}
_INSIDE = {"d": r"\p{Nd}", "w": _WORD, "s": _SPACE}
_REFUSED = {
    "b": "\\b (RE2 reads word boundaries in ASCII only)",
    "B": "\\B (RE2 reads word boundaries in ASCII only)",
}


class PatternError(ValueError):
    """A pattern that cannot be matched by RE2 (its syntax, or a construct it has no linear-time form of)."""


def _escape(pattern: str, i: int, in_class: bool) -> tuple[str, int]:
    """The RE2 form of the escape at ``pattern[i]`` (a backslash), and the index after it."""
    if i + 1 >= len(pattern):
        raise PatternError("a trailing backslash")
    ch = pattern[i + 1]
    if ch in _REFUSED:
        raise PatternError(f"{_REFUSED[ch]} is not supported")
    if ch.isdigit() and ch != "0" and not in_class:
        raise PatternError(f"the backreference \\{ch} is not supported (RE2 matches in linear time, without them)")
    table = _INSIDE if in_class else _OUTSIDE
    if ch in table:
        return table[ch], i + 2
    if in_class and ch in "DWS":
        raise PatternError(f"\\{ch} inside brackets is not supported")
    return pattern[i : i + 2], i + 2


def table_pattern(pattern: str) -> str:
    """A Table Schema pattern (Unicode classes, as Python's ``re`` and XML Schema read them) in RE2 syntax."""
    out: list[str] = []
    i, n = 0, len(pattern)
    in_class = False
    while i < n:
        ch = pattern[i]
        if ch == "\\":
            part, i = _escape(pattern, i, in_class)
            out.append(part)
            continue
        if not in_class and ch == "[":
            in_class = True
            j = i + 1
            if j < n and pattern[j] == "^":
                j += 1
            if j < n and pattern[j] == "]":  # a ']' first in brackets is a literal
                j += 1
            out.append(pattern[i:j])
            i = j
            continue
        if in_class and pattern.startswith("[:", i):  # a POSIX class, [:alpha:]
            end = pattern.find(":]", i + 2)
            j = n if end < 0 else end + 2
            out.append(pattern[i:j])
            i = j
            continue
        if in_class and ch == "]":
            in_class = False
        out.append(ch)
        i += 1
    return "".join(out)


def _options() -> Any:
    import re2

    options = re2.Options()
    options.log_errors = False  # RE2 would print every refused pattern on standard error
    options.max_mem = MAX_MEMORY
    return options


@lru_cache(maxsize=256)
def compiled(source: str) -> Any:
    """``source`` compiled by RE2 (a PatternError, one line, if it cannot be)."""
    import re2

    try:
        return re2.compile(source, options=_options())
    except UnicodeEncodeError:  # a lone surrogate: no UTF-8 text, so nothing RE2 can read
        raise PatternError("holds a lone surrogate, which no text can contain") from None
    except re2.error as exc:
        reason = exc.args[0] if exc.args else exc
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        raise PatternError(str(reason)) from None


def table_matcher(pattern: str) -> tuple[str, Any]:
    """(the anchored RE2 source for Arrow, the compiled RE2 pattern) of a Table Schema ``pattern``, which must
    match the whole value."""
    anchored = f"^(?:{table_pattern(pattern)})$"
    return anchored, compiled(anchored)


def search(pattern: str, text: str) -> bool:
    """Whether the JSON Schema (ECMA 262) ``pattern`` matches somewhere in ``text``, by RE2."""
    return compiled(pattern).search(text) is not None
