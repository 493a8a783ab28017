"""JSON Schemas that come from a package: references resolved only inside it, patterns matched by RE2.

jsonschema, left to itself, resolves a ``$ref`` it does not know by fetching
it: ``http://`` even offline, ``file:///`` anywhere on the machine, a device
until memory runs out. Here every validator gets a ``referencing`` registry
whose retrieval follows the path policy of :mod:`energy_ties.files`:

- a relative reference is a file beside the schema, and a ``file:`` URI a file,
  read only if it is a regular file inside the package (capped in size);
- an ``http(s)`` reference is fetched only when remote reading is allowed
  (``--allow-remote``), with the timeouts and size cap of remote data;
- anything else is refused.

Every reference is resolved once, when the validator is built, so a reference
that cannot be resolved is one error naming it (:class:`SchemaProblem`), not a
failure on every value. The keywords that run regular expressions
(``pattern``, ``patternProperties``, ``additionalProperties``) use RE2; a
schema that would make jsonschema run a package's pattern with Python's ``re``
anyway (``unevaluatedProperties`` beside ``patternProperties``) is refused.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from ..errors import EnergyTiesError
from ..files import MAX_JSON_BYTES, read_bytes, read_url
from . import regex

#: Most documents one schema may reference, directly or through others.
MAX_DOCUMENTS = 100


@dataclass(frozen=True)
class References:
    """Where a schema's references may lead: files inside ``root`` (relative ones start from ``base``), and
    remote URLs only if ``allow_remote``. Without a root, no file is read."""

    root: Path | None = None
    base: Path | None = None
    allow_remote: bool = False


#: No reference outside the schema itself resolves.
NONE = References()


class SchemaProblem(ValueError):
    """A JSON Schema that cannot be used: invalid, a reference that cannot be resolved, a pattern RE2 refuses."""


class _Refused(Exception):
    """Why a reference was not retrieved (the registry wraps it; its text is the reason reported)."""


def _retrieve(refs: References, spec: Any, uri: str) -> Any:
    from referencing import Resource

    parts = urlsplit(uri)
    scheme = parts.scheme.lower()
    if scheme in ("http", "https"):
        if not refs.allow_remote:
            raise _Refused("remote references are refused (--allow-remote fetches them)")
        raw = read_url(uri, limit=MAX_JSON_BYTES, what=uri)
    elif scheme in ("file", ""):
        if refs.root is None:
            raise _Refused("no file is read for this schema")
        if scheme == "file" and parts.netloc not in ("", "localhost"):
            raise _Refused("a file on another host is refused")
        path = Path(unquote(parts.path))
        if not path.is_absolute():
            path = (refs.base or refs.root) / path
        raw = read_bytes(path, root=refs.root, limit=MAX_JSON_BYTES, what=str(path))
    else:
        raise _Refused(f"the {scheme!r} scheme is refused")
    try:
        contents = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise _Refused(f"not a JSON document ({exc})") from None
    return Resource.from_contents(contents, default_specification=spec)


def _reason(exc: BaseException) -> str:
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, (_Refused, EnergyTiesError)):
            return str(cause)
        cause = cause.__cause__ or cause.__context__
    return str(exc) or type(exc).__name__


def _walk(node: Any, base: str) -> Iterator[tuple[str, str, Any]]:
    """(keyword, value, its base URI) of every ``$ref``, ``$dynamicRef``, ``pattern`` and ``patternProperties``."""
    if isinstance(node, list):
        for item in node:
            yield from _walk(item, base)
        return
    if not isinstance(node, dict):
        return
    if isinstance(node.get("$id"), str):
        base = urljoin(base, node["$id"])
    for key, value in node.items():
        if key in ("$ref", "$dynamicRef") and isinstance(value, str):
            yield key, value, base
        elif key == "pattern" and isinstance(value, str):
            yield key, value, base
        elif key == "patternProperties" and isinstance(value, dict):
            yield from ((key, p, base) for p in value)
        if key not in ("enum", "const", "examples", "default"):
            yield from _walk(value, base)


def _check_patterns(schema: Any) -> None:
    uses_unevaluated = False
    uses_pattern_properties = False
    for key, value, _ in _walk(schema, ""):
        if key in ("pattern", "patternProperties"):
            uses_pattern_properties |= key == "patternProperties"
            try:
                regex.compiled(value)
            except regex.PatternError as exc:
                raise SchemaProblem(f"{key} {value!r} cannot be matched by RE2 ({exc})") from None
    text = json.dumps(schema)
    uses_unevaluated = '"unevaluatedProperties"' in text
    if uses_unevaluated and uses_pattern_properties:
        raise SchemaProblem("unevaluatedProperties beside patternProperties is not supported (unbounded matching)")


def _resolve_all(registry: Any, schema: Any, base: str) -> Any:
    """The registry with every document ``schema`` references retrieved, each reference checked."""
    from referencing import exceptions as ref_errors

    failures = (
        ref_errors.Unresolvable,
        ref_errors.Unretrievable,
        ref_errors.NoSuchResource,
        ref_errors.CannotDetermineSpecification,
    )

    pending = [(schema, base)]
    seen: set[str] = set()
    while pending:
        node, node_base = pending.pop()
        for key, value, ref_base in _walk(node, node_base):
            if key not in ("$ref", "$dynamicRef"):
                continue
            target = urljoin(ref_base, value)
            doc = target.split("#", 1)[0]
            try:
                if doc and doc not in seen and doc not in registry:
                    if len(seen) >= MAX_DOCUMENTS:
                        raise SchemaProblem(f"references more than {MAX_DOCUMENTS} documents")
                    retrieved = registry.get_or_retrieve(doc)
                    registry = retrieved.registry
                    seen.add(doc)
                    _check_patterns(retrieved.value.contents)
                    pending.append((retrieved.value.contents, doc))
                registry.resolver(ref_base).lookup(value)
            except failures as exc:
                raise SchemaProblem(f"{key} {value!r} cannot be resolved: {_reason(exc)}") from None
    return registry


def validator(schema: Any, refs: References = NONE, *, format_checker: bool = False, known: Any = ()) -> Any:
    """A jsonschema validator for ``schema`` under the reference policy ``refs`` (a SchemaProblem if unusable).

    ``known`` holds (URI, referencing Resource) pairs resolved without retrieval (the bundled profiles).
    """
    import jsonschema
    from jsonschema_specifications import REGISTRY as SPECIFICATIONS
    from referencing import Registry
    from referencing.jsonschema import specification_with

    if not isinstance(schema, (dict, bool)):
        raise SchemaProblem("a JSON Schema must be an object or a boolean")
    cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    try:
        cls.check_schema(schema)
    except jsonschema.SchemaError as exc:
        raise SchemaProblem(f"not a valid JSON Schema ({exc.message[:200]})") from None
    except RecursionError:
        raise SchemaProblem("nested too deeply") from None
    _check_patterns(schema)
    spec = specification_with(cls.META_SCHEMA.get("$schema", cls.META_SCHEMA.get("$id", "")))
    registry = SPECIFICATIONS.combine(Registry(retrieve=lambda uri: _retrieve(refs, spec, uri)))  # type: ignore[call-arg]
    registry = registry.with_resources(known)
    root = spec.create_resource(schema)
    base = root.id() or ""
    registry = _resolve_all(registry.with_resource(base, root), schema, base)
    return _linear(cls)(schema, registry=registry, format_checker=cls.FORMAT_CHECKER if format_checker else None)


@cache
def _linear(cls: Any) -> Any:
    """``cls`` with the keywords that run regular expressions matched by RE2."""
    import jsonschema

    return jsonschema.validators.extend(cls, _RE2_KEYWORDS)


# ---------------------------------------------------------------- RE2 keywords


def _pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Iterator[Any]:
    from jsonschema import ValidationError

    if validator.is_type(instance, "string") and not regex.search(pattern, instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def _pattern_properties(validator: Any, patterns: dict, instance: Any, schema: Any) -> Iterator[Any]:
    if not validator.is_type(instance, "object"):
        return
    for pattern, subschema in patterns.items():
        for key, value in instance.items():
            if regex.search(pattern, key):
                yield from validator.descend(value, subschema, path=key, schema_path=pattern)


def _additional_properties(validator: Any, additional: Any, instance: Any, schema: Any) -> Iterator[Any]:
    from jsonschema import ValidationError

    if not validator.is_type(instance, "object"):
        return
    properties = schema.get("properties", {})
    patterns = list(schema.get("patternProperties", {}))
    extras = [k for k in instance if k not in properties and not any(regex.search(p, k) for p in patterns)]
    if validator.is_type(additional, "object"):
        for extra in extras:
            yield from validator.descend(instance[extra], additional, path=extra)
    elif not additional and extras:
        shown = ", ".join(repr(e) for e in sorted(extras)[:5])
        yield ValidationError(
            f"Additional properties are not allowed ({shown} {'was' if len(extras) == 1 else 'were'} unexpected)"
        )


_RE2_KEYWORDS = {
    "pattern": _pattern,
    "patternProperties": _pattern_properties,
    "additionalProperties": _additional_properties,
}
