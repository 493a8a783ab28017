"""Whether a JSON value is a GeoJSON object (RFC 7946) or a TopoJSON topology: the ``geojson`` type's test.

Table Schema v2: "The field contains a JSON object according to GeoJSON or
TopoJSON spec." frictionless checks a cell against a GeoJSON JSON Schema
(geometries with their coordinates, features, feature collections); this is
the same structure, written out: ``{}`` or ``{"type": "Point"}`` is not GeoJSON.
"""

from __future__ import annotations

from typing import Any

#: How deep each geometry's coordinates nest around its positions.
_COORDINATES = {"Point": 0, "MultiPoint": 1, "LineString": 1, "MultiLineString": 2, "Polygon": 2, "MultiPolygon": 3}


def _number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _position(v: Any) -> bool:
    return isinstance(v, list) and len(v) >= 2 and all(_number(x) for x in v)


def _nested(v: Any, depth: int, kind: str) -> bool:
    """Coordinates ``depth`` arrays deep around positions; lines of two positions or more, rings of four."""
    if depth == 0:
        return _position(v)
    if not isinstance(v, list):
        return False
    if kind == "line" and depth == 1 and len(v) < 2:
        return False
    if kind == "ring" and depth == 1 and len(v) < 4:
        return False
    return all(_nested(x, depth - 1, kind) for x in v)


def _geometry(v: Any) -> bool:
    if not isinstance(v, dict) or not _bbox(v):
        return False
    t = v.get("type")
    if t == "GeometryCollection":
        return isinstance(v.get("geometries"), list) and all(_geometry(g) for g in v["geometries"])
    if t not in _COORDINATES:
        return False
    depth = _COORDINATES[t]
    kind = {"LineString": "line", "MultiLineString": "line", "Polygon": "ring", "MultiPolygon": "ring"}.get(t, "")
    return "coordinates" in v and _nested(v["coordinates"], depth, kind)


def _feature(v: Any) -> bool:
    return (
        isinstance(v, dict)
        and v.get("type") == "Feature"
        and _bbox(v)
        and "geometry" in v
        and (v["geometry"] is None or _geometry(v["geometry"]))
        and "properties" in v
        and (v["properties"] is None or isinstance(v["properties"], dict))
    )


def _bbox(v: dict) -> bool:
    box = v.get("bbox")
    return box is None or (isinstance(box, list) and len(box) >= 4 and all(_number(x) for x in box))


def is_geojson(v: Any) -> bool:
    """A GeoJSON geometry, feature or feature collection."""
    if not isinstance(v, dict):
        return False
    if v.get("type") == "Feature":
        return _feature(v)
    if v.get("type") == "FeatureCollection":
        return _bbox(v) and isinstance(v.get("features"), list) and all(_feature(f) for f in v["features"])
    return _geometry(v)


def is_topojson(v: Any) -> bool:
    """A TopoJSON topology: ``type`` Topology, with its ``objects`` (and ``arcs``, when given, an array)."""
    return (
        isinstance(v, dict)
        and v.get("type") == "Topology"
        and isinstance(v.get("objects"), dict)
        and isinstance(v.get("arcs", []), list)
    )
